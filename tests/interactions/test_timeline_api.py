"""The timeline API: ``/api/customers/<customer_id>/interactions[/<cd_interaction>]``."""

from __future__ import annotations

import datetime as dt
import uuid
from contextlib import ExitStack
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from domains.interactions.models import Interaction

SAO_PAULO = ZoneInfo("America/Sao_Paulo")


def url(customer_id, interaction_id=None, slash=False) -> str:
    path = f"/api/customers/{customer_id}/interactions"
    if interaction_id is not None:
        path += f"/{interaction_id}"
    return path + ("/" if slash else "")


def queries_per_alias(action) -> dict[str, int]:
    with ExitStack() as stack:
        contexts = {
            alias: stack.enter_context(CaptureQueriesContext(connections[alias]))
            for alias in settings.DATABASES
        }
        response = action()
    assert response.status_code == 200, response.content
    return {alias: len(context.captured_queries) for alias, context in contexts.items()}


# --- create ------------------------------------------------------------------------------------


def test_create_records_the_interaction_authored_by_the_token_user(auth_client, user, customer):
    # given a body that also tries to choose the author and the customer
    body = {
        "ds_notes": "  Cliente pediu proposta de renovação.  ",
        "id_interaction_type": "reuniao",
        "dt_interaction": "2026-03-10T14:30:00",
        "cd_user": str(uuid.uuid4()),
        "cd_customer": str(uuid.uuid4()),
        "campo_desconhecido": 1,
    }

    # when
    response = auth_client.post(url(customer.cd_customer), body, format="json")

    # then
    assert response.status_code == 201, response.content
    stored = Interaction.objects.get()
    assert response.json() == {
        "message": "Interação registrada com sucesso.",
        "interaction": {
            "cd_interaction": str(stored.cd_interaction),
            "cd_customer": str(customer.cd_customer),
            "cd_user": str(user.cd_user),
            "ds_user": "Ana Souza",
            "ds_notes": "Cliente pediu proposta de renovação.",
            "id_interaction_type": "reuniao",
            "dt_interaction": "2026-03-10T14:30:00-03:00",
            "dt_created_at": timezone.localtime(stored.dt_created_at).isoformat(),
        },
    }
    assert stored.cd_customer == customer.cd_customer
    assert stored.cd_user == user.cd_user
    # a naive datetime is the server's local time (America/Sao_Paulo)
    assert stored.dt_interaction == dt.datetime(2026, 3, 10, 17, 30, tzinfo=dt.UTC)


def test_create_keeps_an_explicit_offset(auth_client, customer):
    response = auth_client.post(
        url(customer.cd_customer),
        {
            "ds_notes": "E-mail enviado",
            "id_interaction_type": "email",
            "dt_interaction": "2026-03-10T12:00:00Z",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["interaction"]["dt_interaction"] == "2026-03-10T09:00:00-03:00"
    assert Interaction.objects.get().dt_interaction == dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)


@pytest.mark.parametrize("dt_interaction", ["absent", None])
def test_create_defaults_the_interaction_time_to_now(auth_client, customer, dt_interaction):
    body = {"ds_notes": "Venda fechada", "id_interaction_type": "venda"}
    if dt_interaction != "absent":
        body["dt_interaction"] = dt_interaction
    before = timezone.now()

    response = auth_client.post(url(customer.cd_customer), body, format="json")

    assert response.status_code == 201, response.content
    stored = Interaction.objects.get()
    assert before <= stored.dt_interaction <= timezone.now()


@pytest.mark.parametrize("kind", ["venda", "ligacao", "email", "reuniao", "contato"])
def test_create_accepts_every_seed_type(auth_client, customer, kind):
    response = auth_client.post(
        url(customer.cd_customer),
        {"ds_notes": "Anotação", "id_interaction_type": kind},
        format="json",
    )

    assert response.status_code == 201
    assert Interaction.objects.get().id_interaction_type == kind


def test_create_for_an_inactive_customer_is_allowed_it_is_history(auth_client, make_customer):
    inactive = make_customer(is_customer_active=False)

    response = auth_client.post(
        url(inactive.cd_customer),
        {"ds_notes": "Tentativa de reconquista", "id_interaction_type": "ligacao"},
        format="json",
    )

    assert response.status_code == 201
    assert Interaction.objects.filter(cd_customer=inactive.cd_customer).count() == 1


def test_create_for_an_unknown_customer_is_404_and_writes_nothing(auth_client):
    response = auth_client.post(
        url(uuid.uuid4()),
        {"ds_notes": "Ninguém atende", "id_interaction_type": "ligacao"},
        format="json",
    )

    assert response.status_code == 404
    assert response.json() == {"error": "Cliente não encontrado."}
    assert Interaction.objects.count() == 0


def test_create_with_a_customer_id_that_is_not_a_uuid_is_400(auth_client):
    response = auth_client.post(
        url("123"), {"ds_notes": "Anotação", "id_interaction_type": "email"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"error": "O identificador 'customer_id' não é um UUID válido."}
    assert Interaction.objects.count() == 0


def test_create_without_a_token_is_401(api_client, customer):
    response = api_client.post(
        url(customer.cd_customer),
        {"ds_notes": "Anotação", "id_interaction_type": "email"},
        format="json",
    )

    assert response.status_code == 401
    assert set(response.json()) == {"error"}
    assert Interaction.objects.count() == 0


VALID = {"ds_notes": "Anotação válida", "id_interaction_type": "email"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "ds_notes"),
        ({"id_interaction_type": "email"}, "ds_notes"),
        ({"ds_notes": "Anotação"}, "id_interaction_type"),
        ({**VALID, "ds_notes": "abcd"}, "ds_notes"),
        ({**VALID, "ds_notes": "   ab      "}, "ds_notes"),
        ({**VALID, "ds_notes": "      "}, "ds_notes"),
        ({**VALID, "ds_notes": "x" * 5001}, "ds_notes"),
        ({**VALID, "ds_notes": 123456}, "ds_notes"),
        ({**VALID, "ds_notes": True}, "ds_notes"),
        ({**VALID, "ds_notes": ["texto longo"]}, "ds_notes"),
        ({**VALID, "ds_notes": None}, "ds_notes"),
        ({**VALID, "ds_notes": "Texto com \x00 nulo"}, "ds_notes"),
        ({**VALID, "id_interaction_type": "visita"}, "id_interaction_type"),
        ({**VALID, "id_interaction_type": "VENDA"}, "id_interaction_type"),
        ({**VALID, "id_interaction_type": 1}, "id_interaction_type"),
        ({**VALID, "id_interaction_type": None}, "id_interaction_type"),
        ({**VALID, "dt_interaction": "ontem"}, "dt_interaction"),
        ({**VALID, "dt_interaction": "2026-02-30T10:00:00"}, "dt_interaction"),
        ({**VALID, "dt_interaction": 1700000000}, "dt_interaction"),
        ({**VALID, "dt_interaction": {"dia": 1}}, "dt_interaction"),
        ({**VALID, "dt_interaction": "0001-01-01T00:00:00"}, "dt_interaction"),
        ({**VALID, "dt_interaction": "9999-12-31T23:59:59"}, "dt_interaction"),
        ({**VALID, "dt_interaction": "2026-03-10T10:00:00\x00"}, "dt_interaction"),
    ],
)
def test_create_rejects_invalid_fields_with_400_and_writes_nothing(
    auth_client, customer, body, field
):
    response = auth_client.post(url(customer.cd_customer), body, format="json")

    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert list(error) == [field] or field in error
    assert all(isinstance(message, str) for message in error[field])
    assert Interaction.objects.count() == 0


def test_create_reports_the_minimum_length_in_portuguese(auth_client, customer):
    response = auth_client.post(
        url(customer.cd_customer), {**VALID, "ds_notes": "oi"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "error": {"ds_notes": ["As anotações devem ter pelo menos 5 caracteres."]}
    }


def test_create_accepts_exactly_5000_characters(auth_client, customer):
    response = auth_client.post(
        url(customer.cd_customer), {**VALID, "ds_notes": "y" * 5000}, format="json"
    )

    assert response.status_code == 201
    assert len(Interaction.objects.get().ds_notes) == 5000


@pytest.mark.parametrize(
    ("payload", "content_type"),
    [
        ('{"ds_notes": "Anotação", ', "application/json"),
        ("", "application/json"),
        ("[]", "application/json"),
        ('"texto"', "application/json"),
        ("null", "application/json"),
        ("ds_notes=Anota", "application/x-www-form-urlencoded"),
    ],
)
def test_create_with_a_malformed_or_empty_body_is_400(auth_client, customer, payload, content_type):
    response = auth_client.generic(
        "POST", url(customer.cd_customer), payload, content_type=content_type
    )

    assert response.status_code == 400, response.content
    assert set(response.json()) == {"error"}
    assert Interaction.objects.count() == 0


def test_create_with_malformed_json_says_so(auth_client, customer):
    response = auth_client.generic(
        "POST", url(customer.cd_customer), '{"ds_notes": ', content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json() == {"error": "JSON malformado no corpo da requisição."}


# --- list --------------------------------------------------------------------------------------


def test_list_is_newest_first_in_the_seed_envelope(
    auth_client, user, customer, make_customer, make_interaction
):
    # given three interactions of the customer and one of another customer
    base = dt.datetime(2026, 5, 1, 12, tzinfo=dt.UTC)
    older = make_interaction(customer=customer, user=user, dt_interaction=base, ds_notes="Primeira")
    newest = make_interaction(
        customer=customer,
        user=user,
        dt_interaction=base + dt.timedelta(days=2),
        ds_notes="Terceira",
        id_interaction_type="venda",
    )
    middle = make_interaction(
        customer=customer, user=user, dt_interaction=base + dt.timedelta(days=1), ds_notes="Segunda"
    )
    make_interaction(customer=make_customer(), user=user)

    # when
    response = auth_client.get(url(customer.cd_customer))

    # then
    assert response.status_code == 200
    body = response.json()
    assert [item["cd_interaction"] for item in body["interactions"]] == [
        str(newest.cd_interaction),
        str(middle.cd_interaction),
        str(older.cd_interaction),
    ]
    assert {key: body[key] for key in ("total", "pages", "current_page", "per_page")} == {
        "total": 3,
        "pages": 1,
        "current_page": 1,
        "per_page": 15,
    }
    assert body["interactions"][0] == {
        "cd_interaction": str(newest.cd_interaction),
        "cd_customer": str(customer.cd_customer),
        "cd_user": str(user.cd_user),
        "ds_user": "Ana Souza",
        "ds_notes": "Terceira",
        "id_interaction_type": "venda",
        "dt_interaction": "2026-05-03T09:00:00-03:00",
        "dt_created_at": timezone.localtime(newest.dt_created_at).isoformat(),
    }


def test_list_pages_by_15_by_default(auth_client, user, customer, make_interaction):
    for _ in range(17):
        make_interaction(customer=customer, user=user)

    first = auth_client.get(url(customer.cd_customer)).json()
    second = auth_client.get(url(customer.cd_customer), {"page": 2}).json()

    assert (len(first["interactions"]), first["total"], first["pages"]) == (15, 17, 2)
    assert (len(second["interactions"]), second["current_page"]) == (2, 2)


def test_list_page_past_the_end_is_an_empty_list(auth_client, user, customer, make_interaction):
    make_interaction(customer=customer, user=user)

    response = auth_client.get(url(customer.cd_customer), {"page": 9})

    assert response.status_code == 200
    assert response.json() == {
        "interactions": [],
        "total": 1,
        "pages": 1,
        "current_page": 9,
        "per_page": 15,
        "next_cursor": None,
    }


def test_list_caps_per_page_at_100(auth_client, customer):
    response = auth_client.get(url(customer.cd_customer), {"per_page": 500})

    assert response.status_code == 200
    assert response.json()["per_page"] == 100


@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": "0"},
        {"per_page": "-1"},
        {"per_page": "x"},
        {"id_interaction_type": "visita"},
        {"id_interaction_type": "\x00"},
        {"date_from": "ontem"},
        {"date_to": "2026-13-01"},
        {"date_from": "2026-01-01\x00"},
        {"date_from": "2026-02-01", "date_to": "2026-01-31"},
    ],
)
def test_list_rejects_invalid_query_parameters_with_400(auth_client, customer, params):
    response = auth_client.get(url(customer.cd_customer), params)

    assert response.status_code == 400, response.content
    assert set(response.json()) == {"error"}


def test_list_filters_by_type(auth_client, user, customer, make_interaction):
    sale = make_interaction(customer=customer, user=user, id_interaction_type="venda")
    make_interaction(customer=customer, user=user, id_interaction_type="email")

    response = auth_client.get(url(customer.cd_customer), {"id_interaction_type": "venda"})

    assert response.status_code == 200
    assert [item["cd_interaction"] for item in response.json()["interactions"]] == [
        str(sale.cd_interaction)
    ]


def test_list_filters_by_inclusive_local_date_range(auth_client, user, customer, make_interaction):
    # given interactions around the range's edges, in the server's time zone
    def at(*args):
        return dt.datetime(*args, tzinfo=SAO_PAULO)

    before = make_interaction(customer=customer, user=user, dt_interaction=at(2026, 4, 30, 23, 59))
    first = make_interaction(customer=customer, user=user, dt_interaction=at(2026, 5, 1, 0, 0))
    last = make_interaction(customer=customer, user=user, dt_interaction=at(2026, 5, 31, 23, 59))
    after = make_interaction(customer=customer, user=user, dt_interaction=at(2026, 6, 1, 0, 0))

    # when
    response = auth_client.get(
        url(customer.cd_customer), {"date_from": "2026-05-01", "date_to": "2026-05-31"}
    )
    only_from = auth_client.get(url(customer.cd_customer), {"date_from": "2026-06-01"})
    only_to = auth_client.get(url(customer.cd_customer), {"date_to": "2026-04-30"})

    # then
    assert [i["cd_interaction"] for i in response.json()["interactions"]] == [
        str(last.cd_interaction),
        str(first.cd_interaction),
    ]
    assert [i["cd_interaction"] for i in only_from.json()["interactions"]] == [
        str(after.cd_interaction)
    ]
    assert [i["cd_interaction"] for i in only_to.json()["interactions"]] == [
        str(before.cd_interaction)
    ]


def test_list_of_an_unknown_customer_is_404(auth_client):
    response = auth_client.get(url(uuid.uuid4()))

    assert response.status_code == 404
    assert response.json() == {"error": "Cliente não encontrado."}


def test_list_with_a_customer_id_that_is_not_a_uuid_is_400(auth_client):
    response = auth_client.get(url("nao-e-uuid"))

    assert response.status_code == 400
    assert response.json() == {"error": "O identificador 'customer_id' não é um UUID válido."}


def test_list_without_a_token_is_401(api_client, customer):
    assert api_client.get(url(customer.cd_customer)).status_code == 401


def test_list_shows_each_author_name(auth_client, user, customer, make_user, make_interaction):
    other = make_user(ds_user="Bruno Lima")
    make_interaction(customer=customer, user=user, dt_interaction=timezone.now())
    make_interaction(
        customer=customer, user=other, dt_interaction=timezone.now() - dt.timedelta(hours=1)
    )

    response = auth_client.get(url(customer.cd_customer))

    assert [item["ds_user"] for item in response.json()["interactions"]] == [
        "Ana Souza",
        "Bruno Lima",
    ]


def test_list_runs_the_same_queries_for_1_and_50_rows(
    auth_client, customer, make_user, make_interaction
):
    # given 50 interactions by 50 different authors
    for _ in range(50):
        make_interaction(customer=customer, user=make_user())
    auth_client.get(url(customer.cd_customer))  # the token's revocation state: read once, cached

    # when (the first request loads the caller's cached permission set: per user, not per page)
    auth_client.get(url(customer.cd_customer))
    one = queries_per_alias(lambda: auth_client.get(url(customer.cd_customer), {"per_page": 1}))
    fifty = queries_per_alias(lambda: auth_client.get(url(customer.cd_customer), {"per_page": 50}))
    second = queries_per_alias(
        lambda: auth_client.get(url(customer.cd_customer), {"per_page": 1, "page": 2})
    )

    # then
    assert one == fifty
    assert fifty["interactions"] == 1  # the first page carries its total: COUNT(*) OVER ()
    assert second["interactions"] == 2  # a later page: COUNT + the page
    first_page = auth_client.get(url(customer.cd_customer), {"per_page": 1}).json()
    assert (first_page["total"], first_page["pages"]) == (50, 50)
    assert first_page["next_cursor"] is not None
    assert fifty["customers"] == 1  # existence check
    assert fifty["default"] == 1  # author names, one batch


# --- detail ------------------------------------------------------------------------------------


def test_detail_returns_the_interaction(auth_client, user, customer, make_interaction):
    interaction = make_interaction(
        customer=customer, user=user, dt_interaction=dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    )

    response = auth_client.get(url(customer.cd_customer, interaction.cd_interaction))

    assert response.status_code == 200
    assert response.json() == {
        "interaction": {
            "cd_interaction": str(interaction.cd_interaction),
            "cd_customer": str(customer.cd_customer),
            "cd_user": str(user.cd_user),
            "ds_user": "Ana Souza",
            "ds_notes": "Ligação de acompanhamento",
            "id_interaction_type": "ligacao",
            "dt_interaction": "2026-01-02T00:04:05-03:00",
            "dt_created_at": timezone.localtime(interaction.dt_created_at).isoformat(),
        }
    }


def test_detail_of_another_customers_interaction_is_404(
    auth_client, user, customer, make_customer, make_interaction
):
    foreign = make_interaction(customer=make_customer(), user=user)

    response = auth_client.get(url(customer.cd_customer, foreign.cd_interaction))

    assert response.status_code == 404
    assert response.json() == {"error": "Interação não encontrada."}


def test_detail_of_an_unknown_interaction_is_404(auth_client, customer):
    response = auth_client.get(url(customer.cd_customer, uuid.uuid4()))

    assert response.status_code == 404
    assert response.json() == {"error": "Interação não encontrada."}


def test_detail_under_an_unknown_customer_is_404(auth_client, user, customer, make_interaction):
    interaction = make_interaction(customer=customer, user=user)

    response = auth_client.get(url(uuid.uuid4(), interaction.cd_interaction))

    assert response.status_code == 404
    assert response.json() == {"error": "Cliente não encontrado."}


@pytest.mark.parametrize(
    ("customer_part", "interaction_part", "name"),
    [("abc", str(uuid.uuid4()), "customer_id"), ("valid", "123", "interaction_id")],
)
def test_detail_with_ids_that_are_not_uuids_is_400(
    auth_client, customer, customer_part, interaction_part, name
):
    customer_id = customer.cd_customer if customer_part == "valid" else customer_part

    response = auth_client.get(url(customer_id, interaction_part))

    assert response.status_code == 400
    assert response.json() == {"error": f"O identificador '{name}' não é um UUID válido."}


def test_detail_rejects_other_methods(auth_client, user, customer, make_interaction):
    interaction = make_interaction(customer=customer, user=user)

    response = auth_client.delete(url(customer.cd_customer, interaction.cd_interaction))

    assert response.status_code == 405
    assert set(response.json()) == {"error"}
    assert Interaction.objects.count() == 1


# --- trailing slash ----------------------------------------------------------------------------


@pytest.mark.parametrize("slash", [False, True])
def test_every_path_and_method_answers_with_and_without_trailing_slash(
    auth_client, user, customer, make_interaction, slash
):
    interaction = make_interaction(customer=customer, user=user)

    created = auth_client.post(url(customer.cd_customer, slash=slash), VALID, format="json")
    listed = auth_client.get(url(customer.cd_customer, slash=slash))
    detail = auth_client.get(url(customer.cd_customer, interaction.cd_interaction, slash=slash))

    assert (created.status_code, listed.status_code, detail.status_code) == (201, 200, 200)
    assert listed.json()["total"] == 2
    assert detail.json()["interaction"]["cd_interaction"] == str(interaction.cd_interaction)


def test_browsable_api_renders_list_and_detail_for_staff(
    client, staff_user, customer, make_interaction
):
    interaction = make_interaction(customer=customer, user=staff_user)
    client.force_login(staff_user)

    listed = client.get(url(customer.cd_customer), HTTP_ACCEPT="text/html")
    detail = client.get(
        url(customer.cd_customer, interaction.cd_interaction), HTTP_ACCEPT="text/html"
    )

    assert (listed.status_code, detail.status_code) == (200, 200)
    assert listed["Content-Type"].startswith("text/html")
    assert "id_interaction_type" in listed.content.decode()  # the POST form


def test_openapi_schema_describes_the_timeline_endpoints(auth_client):
    response = auth_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    collection = paths["/api/customers/{customer_id}/interactions"]
    detail = paths["/api/customers/{customer_id}/interactions/{interaction_id}"]
    assert set(collection) >= {"get", "post"}
    assert "get" in detail
    query = {p["name"] for p in collection["get"]["parameters"] if p["in"] == "query"}
    assert query >= {"page", "per_page", "id_interaction_type", "date_from", "date_to"}
    assert set(collection["post"]["responses"]) >= {"201", "400", "401", "404"}
