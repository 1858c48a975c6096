"""The ledger's audit trail (README "Audit trail"): who posted or reversed which entry, when and
from which IP, written with the entry in one transaction; shown read-only in the admin."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import DatabaseError

from crm.models import AppendOnlyError
from domains.interactions.ledger import services
from domains.interactions.models import Transaction, TransactionHistory
from tests.history_helpers import inserts_refused

from .ledger_helpers import entries_url, post_json

CLIENT_IP = "198.51.100.31"
HISTORY_CHANGELIST = "/admin/interactions/transactionhistory/"


def post_entry(client, customer_id, **headers):
    body = {"vr_transaction": "120.00", "id_transaction_type": 1}
    response = post_json(client, entries_url(customer_id), body, REMOTE_ADDR=CLIENT_IP, **headers)
    assert response.status_code == 201, response.json()
    return response.json()["transaction"]["cd_transaction"]


def reverse(client, customer_id, transaction_id, **headers):
    url = entries_url(customer_id, f"/{transaction_id}/reverse")
    return post_json(client, url, {}, **headers)


def test_posting_and_reversing_record_who_when_and_from_which_ip(auth_client, user, customer):
    entry_id = post_entry(auth_client, customer.cd_customer)

    response = reverse(auth_client, customer.cd_customer, entry_id, REMOTE_ADDR="192.0.2.8")

    assert response.status_code == 201
    reversal_id = response.json()["transaction"]["cd_transaction"]
    posted = TransactionHistory.objects.get(transaction_id=entry_id)
    reversed_ = TransactionHistory.objects.get(transaction_id=reversal_id)
    assert (posted.ds_action, posted.cd_user, posted.ds_ip) == ("lancado", user.pk, CLIENT_IP)
    assert (reversed_.ds_action, reversed_.cd_user, reversed_.ds_ip) == (
        "estornado",
        user.pk,
        "192.0.2.8",
    )
    assert str(reversed_.transaction.reversal_of_id) == entry_id
    assert posted.dt_event <= reversed_.dt_event


def test_a_replayed_post_adds_no_history(auth_client, customer):
    key = {"HTTP_IDEMPOTENCY_KEY": "pedido-77"}
    first = post_entry(auth_client, customer.cd_customer, **key)
    again = post_entry(auth_client, customer.cd_customer, **key)

    assert first == again
    assert TransactionHistory.objects.count() == 1


def test_refused_writes_add_no_history(auth_client, customer, make_customer):
    inactive = make_customer(is_customer_active=False)
    entry_id = post_entry(auth_client, customer.cd_customer)
    reverse(auth_client, customer.cd_customer, entry_id)

    refused = [
        post_json(
            auth_client,
            entries_url(inactive.cd_customer),
            {"vr_transaction": "1.00", "id_transaction_type": 1},
        ),
        post_json(
            auth_client,
            entries_url(customer.cd_customer),
            {"vr_transaction": "-1", "id_transaction_type": 1},
        ),
        reverse(auth_client, customer.cd_customer, entry_id),  # already reversed
    ]

    assert [r.status_code for r in refused] == [400, 400, 409]
    assert sorted(TransactionHistory.objects.values_list("ds_action", flat=True)) == [
        "estornado",
        "lancado",
    ]


def test_an_entry_whose_history_cannot_be_written_is_not_recorded(user, customer):
    with (
        inserts_refused(table="transaction_history", alias="interactions"),
        pytest.raises(DatabaseError),
    ):
        services.transaction_create(
            customer_id=customer.cd_customer,
            user_id=user.pk,
            vr_transaction=Decimal("10.00"),
            id_transaction_type=1,
        )

    assert not Transaction.objects.exists()
    assert not TransactionHistory.objects.exists()


def test_ledger_history_is_append_only(auth_client, customer):
    post_entry(auth_client, customer.cd_customer)
    event = TransactionHistory.objects.get()

    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        TransactionHistory.objects.update(ds_ip="10.0.0.1")

    assert TransactionHistory.objects.get().ds_ip == CLIENT_IP


# --- the admin -----------------------------------------------------------------------------------


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def test_a_reversal_from_the_admin_is_recorded_as_the_staff_user(
    staff_client, staff_user, auth_client, customer
):
    entry_id = post_entry(auth_client, customer.cd_customer)

    response = staff_client.post(
        "/admin/interactions/transaction/",
        {"action": "reverse_selected", "_selected_action": [entry_id]},
        REMOTE_ADDR="192.0.2.99",
    )

    assert response.status_code == 302
    event = TransactionHistory.objects.get(ds_action="estornado")
    assert (event.cd_user, event.ds_ip) == (staff_user.pk, "192.0.2.99")
    assert str(event.transaction.reversal_of_id) == entry_id


def test_the_admin_shows_the_ledger_history_read_only(staff_client, auth_client, customer):
    entry_id = post_entry(auth_client, customer.cd_customer)
    reverse(auth_client, customer.cd_customer, entry_id)
    event = TransactionHistory.objects.get(transaction_id=entry_id)

    page = staff_client.get(HISTORY_CHANGELIST)
    button = staff_client.get(f"/admin/interactions/transaction/{entry_id}/history/")
    filtered = staff_client.get(button["Location"])

    assert page.status_code == 200
    content = page.content.decode()
    assert "Ana Souza" in content  # who, from accounts
    assert customer.ds_customer_name in content
    assert CLIENT_IP in content
    assert "120.00" in content
    assert button["Location"] == f"{HISTORY_CHANGELIST}?transaction={entry_id}"
    assert filtered.status_code == 200
    assert filtered.context["cl"].result_count == 1
    assert staff_client.get(f"{HISTORY_CHANGELIST}{event.pk}/change/").status_code == 200
    assert staff_client.get(f"{HISTORY_CHANGELIST}add/").status_code == 403
    assert (
        staff_client.post(f"{HISTORY_CHANGELIST}{event.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert TransactionHistory.objects.count() == 2
