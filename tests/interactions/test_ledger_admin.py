"""Staff screens of the ledger: read-only changelist with names in one batch, reversal action."""

from __future__ import annotations

from contextlib import ExitStack
from decimal import Decimal
from html import unescape

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from domains.interactions.models import Transaction

CHANGELIST = "/admin/interactions/transaction/"


@pytest.fixture
def staff_client(staff_user) -> Client:
    client = Client()
    client.force_login(staff_user)
    return client


@pytest.fixture
def seed_entries(make_customer, make_user, make_transaction):
    def seed(count: int, start: int = 0) -> list[Transaction]:
        return [
            make_transaction(
                customer=make_customer(ds_customer_name=f"Empresa {index:03d}"),
                user=make_user(ds_user=f"Financeiro {index:03d}"),
                vr_transaction=f"{index}.10",
            )
            for index in range(start, start + count)
        ]

    return seed


def queries_per_alias(action):
    with ExitStack() as stack:
        contexts = {
            alias: stack.enter_context(CaptureQueriesContext(connections[alias]))
            for alias in settings.DATABASES
        }
        response = action()
    return response, {alias: len(context.captured_queries) for alias, context in contexts.items()}


def test_changelist_shows_customer_and_author_names(staff_client, seed_entries):
    seed_entries(3)

    response = staff_client.get(CHANGELIST)

    assert response.status_code == 200
    html = unescape(response.content.decode())
    for index in range(3):
        assert f"Empresa {index:03d}" in html
        assert f"Financeiro {index:03d}" in html
        assert f"{index}.10" in html
    assert "Estornar lançamentos selecionados" in html


def test_changelist_runs_the_same_queries_for_5_and_100_rows(staff_client, seed_entries):
    seed_entries(5)
    _response, few = queries_per_alias(lambda: staff_client.get(CHANGELIST))
    seed_entries(95, start=5)

    response, many = queries_per_alias(lambda: staff_client.get(CHANGELIST))

    assert response.status_code == 200
    assert "Empresa 099" in unescape(response.content.decode())
    assert many == few


def test_entries_cannot_be_added_changed_or_deleted_in_the_admin(staff_client, seed_entries):
    (entry,) = seed_entries(1)
    change_url = f"{CHANGELIST}{entry.pk}/change/"

    assert staff_client.get(f"{CHANGELIST}add/").status_code == 403
    assert staff_client.get(f"{CHANGELIST}{entry.pk}/delete/").status_code == 403
    view = staff_client.get(change_url)
    assert view.status_code == 200
    post = staff_client.post(change_url, {"vr_transaction": "1.00"})
    assert post.status_code == 403
    entry.refresh_from_db()
    assert entry.vr_transaction == Decimal("0.10")


def test_the_reverse_action_reverses_and_reports_refusals(staff_client, staff_user, seed_entries):
    # given: two entries, one already reversed
    first, second = seed_entries(2)
    Transaction.objects.create(
        cd_customer=second.cd_customer,
        cd_user=second.cd_user,
        vr_transaction=second.vr_transaction,
        id_transaction_type=2,
        reversal_of=second,
    )

    # when
    response = staff_client.post(
        CHANGELIST,
        {
            "action": "reverse_selected",
            "_selected_action": [str(first.pk), str(second.pk)],
        },
        follow=True,
    )

    # then
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "1 lançamento estornado." in html
    assert f"Lançamento {second.pk}: Este lançamento já foi estornado." in html
    reversal = Transaction.objects.get(reversal_of=first)
    assert reversal.cd_user == staff_user.cd_user
    assert reversal.id_transaction_type == 2
    assert reversal.vr_transaction == first.vr_transaction
    assert Transaction.objects.count() == 4
