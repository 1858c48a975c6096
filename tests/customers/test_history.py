"""The customers' audit trail (README "Audit trail"): every create, change, deactivation,
reactivation and hard delete is recorded with who, when, from which IP and the values changed,
whichever door the change came through (API, admin, a command); it is append-only, written in
the change's own transaction, and readable at ``GET /api/customers/<id>/history``."""

from __future__ import annotations

import uuid

import pytest
from django.db import DatabaseError

from crm.api.exceptions import ApplicationError
from crm.audit import acting_as
from crm.models import AppendOnlyError
from domains.customers import services
from domains.customers.models import Customer, CustomerHistory
from domains.interactions.ledger.models import Transaction
from tests.history_helpers import inserts_refused

from .conftest import CPF_ANA_DIGITS, LIST_URL, activate_url, detail_url

CLIENT_IP = "203.0.113.7"
HISTORY_FIELDS = {"dt_event", "cd_user", "ds_user", "ds_action", "ds_ip", "changes"}


def history_url(customer_id) -> str:
    return f"/api/customers/{customer_id}/history"


def history(client, customer_id, **query) -> dict:
    response = client.get(history_url(customer_id), query)
    assert response.status_code == 200, response.content
    return response.json()


def events(customer_id) -> list[CustomerHistory]:
    return list(CustomerHistory.objects.filter(cd_customer=customer_id))


def create_through_api(client, **fields) -> str:
    body = {"ds_customer_name": "Padaria Pão Quente", **fields}
    response = client.post(LIST_URL, body, format="json", REMOTE_ADDR=CLIENT_IP)
    assert response.status_code == 201, response.content
    return response.json()["customer"]["cd_customer"]


# --- each action, with who, from where and the values -------------------------------------------


def test_a_creation_is_recorded_with_the_user_the_ip_and_every_value_set(auth_client, user):
    customer_id = create_through_api(
        auth_client, ds_customer_email="Contato@Pao.com.br", ds_customer_state="sp"
    )

    body = history(auth_client, customer_id)

    assert (body["total"], body["pages"], body["current_page"], body["per_page"]) == (1, 1, 1, 20)
    [event] = body["history"]
    assert set(event) == HISTORY_FIELDS
    assert event["ds_action"] == "criado"
    assert event["cd_user"] == str(user.pk)
    assert event["ds_user"] == "Ana Souza"
    assert event["ds_ip"] == CLIENT_IP
    assert event["changes"] == {
        "ds_customer_name": [None, "Padaria Pão Quente"],
        "ds_customer_email": [None, "contato@pao.com.br"],
        "ds_customer_state": [None, "SP"],
        "ds_customer_country": [None, "Brasil"],
        "is_customer_active": [None, True],
    }


def test_a_change_records_only_the_fields_that_changed_with_old_and_new_values(auth_client):
    customer_id = create_through_api(auth_client, ds_customer_city="Santos")

    response = auth_client.put(
        detail_url(customer_id),
        {"ds_customer_city": "Campinas", "ds_customer_name": "Padaria Pão Quente"},
        format="json",
        REMOTE_ADDR="198.51.100.20",
    )

    assert response.status_code == 200
    newest = history(auth_client, customer_id)["history"][0]
    assert newest["ds_action"] == "alterado"
    assert newest["changes"] == {"ds_customer_city": ["Santos", "Campinas"]}
    assert newest["ds_ip"] == "198.51.100.20"


def test_an_update_that_changes_no_value_records_nothing(auth_client):
    customer_id = create_through_api(auth_client, ds_customer_city="Santos")

    response = auth_client.patch(
        detail_url(customer_id), {"ds_customer_city": "Santos"}, format="json"
    )

    assert response.status_code == 200
    assert [e["ds_action"] for e in history(auth_client, customer_id)["history"]] == ["criado"]


def test_deactivation_and_reactivation_are_recorded_once_each(auth_client):
    customer_id = create_through_api(auth_client)

    assert auth_client.delete(detail_url(customer_id)).status_code == 200
    assert auth_client.delete(detail_url(customer_id)).status_code == 200  # already inactive
    assert auth_client.patch(activate_url(customer_id)).status_code == 200

    body = history(auth_client, customer_id)
    assert [(e["ds_action"], e["changes"]) for e in body["history"]] == [
        ("reativado", {"is_customer_active": [False, True]}),
        ("desativado", {"is_customer_active": [True, False]}),
        ("criado", body["history"][2]["changes"]),
    ]


def test_a_hard_delete_is_recorded_with_the_values_it_had_and_its_history_stays_readable(
    auth_client, user
):
    customer_id = create_through_api(auth_client, ds_customer_cpf_cnpj=CPF_ANA_DIGITS)

    response = auth_client.delete(
        detail_url(customer_id) + "?hard_delete=true", REMOTE_ADDR=CLIENT_IP
    )

    assert response.status_code == 200
    assert auth_client.get(detail_url(customer_id)).status_code == 404
    newest = history(auth_client, customer_id)["history"][0]
    assert newest["ds_action"] == "excluido"
    assert (newest["cd_user"], newest["ds_ip"]) == (str(user.pk), CLIENT_IP)
    assert newest["changes"]["ds_customer_name"] == ["Padaria Pão Quente", None]
    assert newest["changes"]["ds_customer_cpf_cnpj"] == [CPF_ANA_DIGITS, None]


# --- the endpoint --------------------------------------------------------------------------------


def test_history_is_newest_first_and_paginated(auth_client):
    customer_id = create_through_api(auth_client, ds_customer_city="A")
    for city in ("B", "C", "D"):
        auth_client.put(detail_url(customer_id), {"ds_customer_city": city}, format="json")

    first = history(auth_client, customer_id, per_page=3)
    second = history(auth_client, customer_id, per_page=3, page=2)
    past_the_end = history(auth_client, customer_id, per_page=3, page=3)

    assert (first["total"], first["pages"], first["per_page"]) == (4, 2, 3)
    assert [e["changes"].get("ds_customer_city") for e in first["history"]] == [
        ["C", "D"],
        ["B", "C"],
        ["A", "B"],
    ]
    assert [e["ds_action"] for e in second["history"]] == ["criado"]
    assert past_the_end["history"] == []
    dates = [e["dt_event"] for e in first["history"] + second["history"]]
    assert dates == sorted(dates, reverse=True)


def test_a_customer_older_than_the_audit_trail_has_an_empty_history(auth_client):
    customer = Customer.objects.create(ds_customer_name="Cliente Antigo")

    body = history(auth_client, customer.pk)

    assert (body["history"], body["total"], body["pages"]) == ([], 0, 0)


def test_an_unknown_customer_is_a_404_and_a_malformed_id_a_400(auth_client):
    unknown = auth_client.get(history_url(uuid.uuid4()))
    malformed = auth_client.get(history_url("abc"))

    assert (unknown.status_code, unknown.json()) == (404, {"error": "Cliente não encontrado."})
    assert malformed.status_code == 400
    assert "customer_id" in malformed.json()["error"]


def test_history_needs_a_token(api_client, make_customer):
    customer = make_customer()

    assert api_client.get(history_url(customer.pk)).status_code == 401


def test_a_bad_page_is_a_400(auth_client, make_customer):
    customer = make_customer()

    response = auth_client.get(history_url(customer.pk), {"page": "0"})

    assert response.status_code == 400
    assert set(response.json()["error"]) == {"page"}


def test_a_user_who_no_longer_exists_is_shown_by_id_without_a_name(auth_client):
    customer_id = create_through_api(auth_client)
    ghost = uuid.uuid4()
    with acting_as(user_id=ghost):
        services.customer_update(customer_id=customer_id, data={"ds_customer_city": "Recife"})

    newest = history(auth_client, customer_id)["history"][0]

    assert (newest["cd_user"], newest["ds_user"]) == (str(ghost), None)


# --- nothing is recorded for a change that did not happen ----------------------------------------


def test_refused_changes_write_no_history(auth_client, make_customer):
    make_customer(ds_customer_email="taken@example.com")
    customer_id = create_through_api(auth_client)

    invalid = auth_client.put(detail_url(customer_id), {"ds_customer_state": "XX"}, format="json")
    duplicate = auth_client.put(
        detail_url(customer_id), {"ds_customer_email": "taken@example.com"}, format="json"
    )
    duplicate_create = auth_client.post(
        LIST_URL,
        {"ds_customer_name": "Outro", "ds_customer_email": "taken@example.com"},
        format="json",
    )

    assert (invalid.status_code, duplicate.status_code, duplicate_create.status_code) == (
        400,
        409,
        409,
    )
    assert [e.ds_action for e in events(customer_id)] == ["criado"]
    assert CustomerHistory.objects.count() == 2  # the two creations


def test_a_hard_delete_refused_by_the_ledger_writes_no_history(auth_client, user):
    customer_id = create_through_api(auth_client)
    Transaction.objects.create(
        cd_customer=customer_id, cd_user=user.pk, vr_transaction="5.00", id_transaction_type=1
    )

    response = auth_client.delete(detail_url(customer_id) + "?hard_delete=true")

    assert response.status_code == 409
    assert Customer.objects.filter(pk=customer_id).exists()
    assert [e.ds_action for e in events(customer_id)] == ["criado"]


def test_a_change_whose_history_cannot_be_written_is_not_made(make_customer):
    customer = make_customer(ds_customer_city="Santos")

    with inserts_refused(table="customer_history", alias="customers"):
        with pytest.raises((DatabaseError, ApplicationError)):
            services.customer_update(customer_id=customer.pk, data={"ds_customer_city": "Recife"})
        with pytest.raises((DatabaseError, ApplicationError)):
            services.customer_deactivate(customer_id=customer.pk)
        with pytest.raises((DatabaseError, ApplicationError)):
            services.customer_hard_delete(customer_id=customer.pk)
        with pytest.raises((DatabaseError, ApplicationError)):
            services.customer_create(data={"ds_customer_name": "Sem Histórico"})

    customer.refresh_from_db()
    assert (customer.ds_customer_city, customer.is_customer_active) == ("Santos", True)
    assert not Customer.objects.filter(ds_customer_name="Sem Histórico").exists()
    assert [e.ds_action for e in events(customer.pk)] == ["criado"]


# --- outside a request ----------------------------------------------------------------------------


def test_a_command_records_nobody_unless_it_says_who_acts(make_customer, user):
    customer = make_customer()
    services.customer_update(customer_id=customer.pk, data={"ds_customer_city": "Natal"})
    with acting_as(user_id=user.pk, ip="10.0.0.5"):
        services.customer_update(customer_id=customer.pk, data={"ds_customer_city": "Recife"})

    recife, natal, created = events(customer.pk)

    assert (created.cd_user, created.ds_ip) == (None, None)
    assert (natal.cd_user, natal.ds_ip) == (None, None)
    assert (recife.cd_user, recife.ds_ip) == (user.pk, "10.0.0.5")


# --- the client IP -------------------------------------------------------------------------------


def test_a_forged_x_forwarded_for_is_not_believed_without_a_trusted_proxy(auth_client):
    response = auth_client.post(
        LIST_URL,
        {"ds_customer_name": "Cliente Forjado"},
        format="json",
        REMOTE_ADDR="192.0.2.10",
        HTTP_X_FORWARDED_FOR="1.2.3.4",
    )

    [event] = events(response.json()["customer"]["cd_customer"])
    assert event.ds_ip == "192.0.2.10"


def test_behind_a_trusted_proxy_the_address_it_saw_is_recorded(auth_client, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}

    response = auth_client.post(
        LIST_URL,
        {"ds_customer_name": "Cliente Atrás do Proxy"},
        format="json",
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.77",
    )

    [event] = events(response.json()["customer"]["cd_customer"])
    assert event.ds_ip == "198.51.100.77"


# --- append-only ---------------------------------------------------------------------------------


def test_history_rows_cannot_be_changed_or_removed_through_the_orm(make_customer):
    customer = make_customer()
    [event] = events(customer.pk)

    event.ds_action = "alterado"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        CustomerHistory.objects.filter(pk=event.pk).update(ds_action="alterado")
    with pytest.raises(AppendOnlyError):
        CustomerHistory.objects.filter(pk=event.pk).delete()

    assert [e.ds_action for e in events(customer.pk)] == ["criado"]


# --- the admin -----------------------------------------------------------------------------------

HISTORY_CHANGELIST = "/admin/customers/customerhistory/"


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def test_admin_changes_are_recorded_as_the_staff_user_from_the_browser_address(
    staff_client, staff_user, make_customer
):
    customer = make_customer(ds_customer_name="Ana Souza")
    other = make_customer(ds_customer_name="Bruno Lima")

    response = staff_client.post(
        "/admin/customers/customer/",
        {"action": "deactivate_customers", "_selected_action": [customer.pk, other.pk]},
        REMOTE_ADDR="192.0.2.44",
    )

    assert response.status_code == 302
    for row in (customer, other):
        newest = events(row.pk)[0]
        assert (newest.ds_action, newest.cd_user, newest.ds_ip) == (
            "desativado",
            staff_user.pk,
            "192.0.2.44",
        )
        assert newest.ds_changes == {"is_customer_active": [True, False]}


def test_the_admin_shows_the_history_read_only_with_names(staff_client, auth_client):
    customer_id = create_through_api(auth_client, ds_customer_city="Santos")
    auth_client.put(detail_url(customer_id), {"ds_customer_city": "Recife"}, format="json")
    event = events(customer_id)[0]

    changelist = staff_client.get(HISTORY_CHANGELIST, {"cd_customer": customer_id})
    detail = staff_client.get(f"{HISTORY_CHANGELIST}{event.pk}/change/")

    assert changelist.status_code == 200
    page = changelist.content.decode()
    assert "Ana Souza" in page  # the acting user's name, from accounts
    assert "Padaria Pão Quente" in page
    assert CLIENT_IP in page
    assert "Santos" in page and "Recife" in page
    assert detail.status_code == 200
    assert "Recife" in detail.content.decode()
    assert 'name="_save"' not in detail.content.decode()  # nothing to save: read-only


def test_the_admin_offers_no_way_to_add_change_or_delete_history(staff_client, make_customer):
    customer = make_customer()
    event = events(customer.pk)[0]

    add = staff_client.get(f"{HISTORY_CHANGELIST}add/")
    change = staff_client.post(f"{HISTORY_CHANGELIST}{event.pk}/change/", {"ds_action": "alterado"})
    delete = staff_client.post(f"{HISTORY_CHANGELIST}{event.pk}/delete/", {"post": "yes"})
    bulk = staff_client.post(
        HISTORY_CHANGELIST, {"action": "delete_selected", "_selected_action": [event.pk]}
    )

    assert add.status_code == 403
    assert change.status_code == 403
    assert delete.status_code == 403
    assert bulk.status_code in {200, 302}  # no such action: Django says so, deletes nothing
    assert [e.ds_action for e in events(customer.pk)] == ["criado"]


def test_the_customer_page_history_button_opens_its_audit_trail(staff_client, make_customer):
    customer = make_customer()

    response = staff_client.get(f"/admin/customers/customer/{customer.pk}/history/")

    assert response.status_code == 302
    assert response["Location"] == f"{HISTORY_CHANGELIST}?cd_customer={customer.pk}"
    assert staff_client.get(response["Location"]).status_code == 200


def test_a_hard_delete_in_the_admin_is_recorded(staff_client, staff_user, make_customer):
    customer = make_customer()

    response = staff_client.post(
        f"/admin/customers/customer/{customer.pk}/delete/", {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Customer.objects.filter(pk=customer.pk).exists()
    newest = events(customer.pk)[0]
    assert (newest.ds_action, newest.cd_user, newest.ds_ip) == (
        "excluido",
        staff_user.pk,
        "127.0.0.1",
    )


# --- spreadsheet import ----------------------------------------------------------------------


def test_a_spreadsheet_import_records_each_row_it_creates_or_changes(make_customer, user):
    from crm.spreadsheets import read_table
    from tests.spreadsheet_helpers import csv_bytes

    existing = make_customer(ds_customer_name="Cliente Antigo", ds_customer_city="Santos")
    data = csv_bytes(
        ["cd_customer", "ds_customer_name", "ds_customer_city"],
        [[str(existing.pk), "Cliente Antigo", "Recife"], ["", "Cliente Novo", "Natal"]],
    )

    with acting_as(user_id=user.pk, ip="10.1.2.3"):
        services.customer_import_apply(
            table=read_table(data=data, filename="clientes.csv", max_rows=100)
        )

    changed = events(existing.pk)[0]
    new = Customer.objects.get(ds_customer_name="Cliente Novo")
    [created] = events(new.pk)
    assert (changed.ds_action, changed.ds_changes) == (
        "alterado",
        {"ds_customer_city": ["Santos", "Recife"]},
    )
    assert (created.ds_action, created.cd_user, created.ds_ip) == ("criado", user.pk, "10.1.2.3")
    assert created.ds_changes["ds_customer_city"] == [None, "Natal"]
