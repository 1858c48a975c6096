"""/api/customers/<id>/interactions: the seed's timeline, as its clients call it."""

from __future__ import annotations

import uuid

import httpx

from .client import expect, expect_error
from .conftest import Account


def test_an_interaction_is_recorded_for_the_customer_by_the_token_user(
    api: httpx.Client, manager: Account, make_customer
):
    customer_id = make_customer()["cd_customer"]

    created = expect(
        api.post(
            f"/api/customers/{customer_id}/interactions",
            json={"ds_notes": "Ligou pedindo orçamento", "id_interaction_type": "ligacao"},
        ),
        201,
    )

    assert set(created) == {"message", "interaction"}
    interaction = created["interaction"]
    assert interaction["cd_customer"] == customer_id
    assert interaction["cd_user"] == manager.cd_user
    assert interaction["ds_user"] == manager.ds_user
    assert interaction["ds_notes"] == "Ligou pedindo orçamento"
    assert interaction["id_interaction_type"] == "ligacao"
    assert interaction["dt_interaction"]
    path = f"/api/customers/{customer_id}/interactions/{interaction['cd_interaction']}"
    assert expect(api.get(path), 200) == {"interaction": interaction}
    assert expect(api.get(path + "/"), 200) == {"interaction": interaction}


def test_the_timeline_is_newest_first_paged_by_15_and_filtered(api: httpx.Client, make_customer):
    customer_id = make_customer()["cd_customer"]
    path = f"/api/customers/{customer_id}/interactions"
    for day, kind in ((3, "email"), (10, "reuniao"), (7, "email"), (1, "venda")):
        expect(
            api.post(
                path + "/",
                json={
                    "ds_notes": f"Contato do dia {day}",
                    "id_interaction_type": kind,
                    "dt_interaction": f"2026-03-{day:02d}T10:00:00-03:00",
                },
            ),
            201,
        )

    everything = expect(api.get(path), 200)
    assert {"interactions", "total", "pages", "current_page", "per_page"} <= set(everything)
    assert (everything["total"], everything["pages"], everything["per_page"]) == (4, 1, 15)
    assert [item["ds_notes"] for item in everything["interactions"]] == [
        "Contato do dia 10",
        "Contato do dia 7",
        "Contato do dia 3",
        "Contato do dia 1",
    ]

    second_page = expect(api.get(path, params={"per_page": 3, "page": 2}), 200)
    assert [item["ds_notes"] for item in second_page["interactions"]] == ["Contato do dia 1"]
    assert expect(api.get(path, params={"page": 9}), 200)["interactions"] == []

    emails = expect(api.get(path, params={"id_interaction_type": "email"}), 200)
    window = expect(api.get(path, params={"date_from": "2026-03-03", "date_to": "2026-03-07"}), 200)
    assert [item["ds_notes"] for item in emails["interactions"]] == [
        "Contato do dia 7",
        "Contato do dia 3",
    ]
    assert [item["ds_notes"] for item in window["interactions"]] == [
        "Contato do dia 7",
        "Contato do dia 3",
    ]


def test_an_inactive_customer_still_receives_interactions(api: httpx.Client, make_customer):
    customer_id = make_customer()["cd_customer"]
    expect(api.delete(f"/api/customers/{customer_id}"), 200)

    created = api.post(
        f"/api/customers/{customer_id}/interactions",
        json={"ds_notes": "Cliente inativo ligou", "id_interaction_type": "contato"},
    )

    assert expect(created, 201)["interaction"]["cd_customer"] == customer_id


def test_invalid_interactions_are_400_and_unknown_customers_404(api: httpx.Client, make_customer):
    customer_id = make_customer()["cd_customer"]
    path = f"/api/customers/{customer_id}/interactions"

    for field, body in (
        ("ds_notes", {"ds_notes": "oi", "id_interaction_type": "email"}),
        ("id_interaction_type", {"ds_notes": "Mandou fax", "id_interaction_type": "fax"}),
        (
            "dt_interaction",
            {"ds_notes": "Data ruim", "id_interaction_type": "email", "dt_interaction": "ontem"},
        ),
    ):
        assert field in expect_error(api.post(path, json=body), 400)
    unknown = f"/api/customers/{uuid.uuid4()}/interactions"
    expect_error(
        api.post(unknown, json={"ds_notes": "Ninguém atende", "id_interaction_type": "ligacao"}),
        404,
    )
    expect_error(api.get(unknown), 404)
    expect_error(api.get(f"{path}/{uuid.uuid4()}"), 404)
    expect_error(api.get("/api/customers/nao-e-uuid/interactions"), 400)
    # Nothing of the refused calls was recorded.
    assert expect(api.get(path), 200)["total"] == 0
