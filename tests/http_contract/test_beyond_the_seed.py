"""What our README adds to the seed's API, seen from outside: cursors, spreadsheet exports, the
audit trail, role refusals. Several answers join data of two domains (an export's customer
names, the author of a change), which in the split topology crosses a process boundary."""

from __future__ import annotations

import csv
import io

import httpx

from .client import expect, expect_error, tag
from .conftest import Account


def test_a_cursor_continues_the_list_where_the_page_ended(api: httpx.Client, make_customer):
    marker = tag()
    ids = {make_customer(ds_customer_name=f"Cursor {marker} {n}")["cd_customer"] for n in range(3)}

    first = expect(api.get("/api/customers", params={"search": marker, "per_page": 2}), 200)
    assert first["next_cursor"]
    rest = expect(
        api.get(
            "/api/customers",
            params={"search": marker, "per_page": 2, "cursor": first["next_cursor"]},
        ),
        200,
    )

    assert {item["cd_customer"] for item in first["customers"] + rest["customers"]} == ids
    assert rest["next_cursor"] is None
    other_query = api.get(
        "/api/customers", params={"search": "outra", "cursor": first["next_cursor"]}
    )
    assert "cursor" in expect_error(other_query, 400)


def rows_of(response: httpx.Response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_lists_export_as_csv_with_their_filters(api: httpx.Client, make_customer):
    marker = tag()
    customer = make_customer(ds_customer_name=f"Exportado {marker}")
    make_customer(ds_customer_name=f"Outro {tag()}")
    entry = expect(
        api.post(
            f"/api/customers/{customer['cd_customer']}/transactions",
            json={"vr_transaction": "77.70", "id_transaction_type": 1},
        ),
        201,
    )["transaction"]

    customers = rows_of(api.get("/api/customers/export", params={"search": marker}))
    entries = rows_of(
        api.get(
            "/api/transactions/export",
            params={"format": "csv", "cd_customer": customer["cd_customer"]},
        )
    )

    assert [row["cd_customer"] for row in customers] == [customer["cd_customer"]]
    assert [(row["cd_transaction"], row["vr_transaction"]) for row in entries] == [
        (entry["cd_transaction"], "77.70")
    ]
    # The ledger's export names the customer: the customers domain answers for it.
    assert entries[0]["ds_customer_name"] == f"Exportado {marker}"
    wrong_format = api.get("/api/customers/export", params={"format": "pdf"})
    assert isinstance(expect_error(wrong_format, 400), str)


def test_the_audit_trail_says_who_changed_a_customer(
    api: httpx.Client, manager: Account, make_customer
):
    customer_id = make_customer(ds_customer_city="Santos")["cd_customer"]
    expect(api.put(f"/api/customers/{customer_id}", json={"ds_customer_city": "Campinas"}), 200)

    history = expect(api.get(f"/api/customers/{customer_id}/history"), 200)

    assert [event["ds_action"] for event in history["history"]] == ["alterado", "criado"]
    changed = history["history"][0]
    assert changed["changes"] == {"ds_customer_city": ["Santos", "Campinas"]}
    # The author's name comes from the accounts domain.
    assert (changed["cd_user"], changed["ds_user"]) == (manager.cd_user, manager.ds_user)


def test_a_route_the_role_does_not_allow_is_a_403(api: httpx.Client):
    refused = api.get("/api/users")

    assert isinstance(expect_error(refused, 403), str)


def test_an_unknown_api_path_is_a_json_404_and_the_internal_api_is_closed_to_users(
    api: httpx.Client,
):
    expect_error(api.get("/api/nada-aqui"), 404)
    # The service-to-service API is never public: not routed by an edge (404), not mounted in
    # the monolith (404), and a user's token is no service token where it is served (401/403).
    for path in (
        "/internal/customers/customer_get_summary",
        "/internal/interactions/guards/customer.hard_delete",
        "/internal/accounts/user_names",
    ):
        response = api.post(path, json={"ids": []})
        assert response.status_code in {401, 403, 404}, response.text
