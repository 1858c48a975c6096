"""Staff screens of the timeline: the interactions changelist (names fetched in one batch per
page) and the "Interações e saldo" panel on the customer's change page."""

from __future__ import annotations

import datetime as dt
from contextlib import ExitStack
from decimal import Decimal
from html import unescape

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from crm import hooks
from domains.interactions import interface
from domains.interactions.panels import customer_activity_panel

CHANGELIST = "/admin/interactions/interaction/"


@pytest.fixture
def staff_client(staff_user) -> Client:
    client = Client()
    client.force_login(staff_user)
    return client


def queries_per_alias(action) -> tuple[object, dict[str, int]]:
    with ExitStack() as stack:
        contexts = {
            alias: stack.enter_context(CaptureQueriesContext(connections[alias]))
            for alias in settings.DATABASES
        }
        response = action()
    return response, {alias: len(context.captured_queries) for alias, context in contexts.items()}


def seed_interactions(count, *, make_customer, make_user, make_interaction, start=0):
    """``count`` interactions, each of a different customer and a different author."""
    base = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)
    return [
        make_interaction(
            customer=make_customer(ds_customer_name=f"Empresa {index:03d}"),
            user=make_user(ds_user=f"Vendedor {index:03d}"),
            dt_interaction=base - dt.timedelta(hours=index),
            ds_notes=f"Anotação número {index:03d}",
        )
        for index in range(start, start + count)
    ]


# --- changelist --------------------------------------------------------------------------------


def test_changelist_shows_customer_and_author_names(
    staff_client, make_customer, make_user, make_interaction
):
    seed_interactions(
        3, make_customer=make_customer, make_user=make_user, make_interaction=make_interaction
    )

    response = staff_client.get(CHANGELIST)

    assert response.status_code == 200
    html = unescape(response.content.decode())
    for index in range(3):
        assert f"Empresa {index:03d}" in html
        assert f"Vendedor {index:03d}" in html
        assert f"Anotação número {index:03d}" in html


def test_changelist_of_100_rows_runs_the_same_queries_as_of_5(
    staff_client, make_customer, make_user, make_interaction
):
    # given 5 interactions of 5 customers by 5 authors
    seed_interactions(
        5, make_customer=make_customer, make_user=make_user, make_interaction=make_interaction
    )
    small, small_counts = queries_per_alias(lambda: staff_client.get(CHANGELIST))

    # when 95 more (100 customers, 100 authors in all) are listed on one page
    seed_interactions(
        95,
        make_customer=make_customer,
        make_user=make_user,
        make_interaction=make_interaction,
        start=5,
    )
    large, large_counts = queries_per_alias(lambda: staff_client.get(CHANGELIST))

    # then
    assert (small.status_code, large.status_code) == (200, 200)
    assert large.context["cl"].result_count == 100
    assert len(large.context["cl"].result_list) == 100
    assert large_counts == small_counts
    assert large_counts["customers"] == 1  # customer names: one batch
    assert "Empresa 099" in unescape(large.content.decode())


@pytest.mark.parametrize(
    "query",
    [
        "?id_interaction_type__exact=venda",
        "?q=proposta",
        "?dt_interaction__year=2026",
        "?dt_interaction__year=2026&dt_interaction__month=2",
    ],
)
def test_changelist_filters_search_and_date_hierarchy(
    staff_client, customer, user, make_interaction, query
):
    make_interaction(
        customer=customer,
        user=user,
        id_interaction_type="venda",
        ds_notes="Enviou proposta",
        dt_interaction=dt.datetime(2026, 2, 1, 15, tzinfo=dt.UTC),
    )
    make_interaction(
        customer=customer,
        user=user,
        id_interaction_type="email",
        ds_notes="Sem retorno",
        dt_interaction=dt.datetime(2025, 2, 1, tzinfo=dt.UTC),
    )

    response = staff_client.get(CHANGELIST + query)

    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


def test_changelist_filtered_by_customer(
    staff_client, customer, make_customer, user, make_interaction
):
    mine = make_interaction(customer=customer, user=user)
    make_interaction(customer=make_customer(), user=user)

    response = staff_client.get(f"{CHANGELIST}?cd_customer={customer.cd_customer}")

    assert response.status_code == 200
    assert [row.pk for row in response.context["cl"].result_list] == [mine.pk]
    assert "Maria Oliveira" in unescape(response.content.decode())  # the filter names it


def test_changelist_filtered_by_a_malformed_customer_id_is_empty(
    staff_client, customer, user, make_interaction
):
    make_interaction(customer=customer, user=user)

    response = staff_client.get(f"{CHANGELIST}?cd_customer=nao-e-uuid")

    assert response.status_code == 200
    assert response.context["cl"].result_count == 0


def test_interactions_are_read_only_in_admin(staff_client, customer, user, make_interaction):
    interaction = make_interaction(customer=customer, user=user)
    change_url = reverse("admin:interactions_interaction_change", args=[interaction.pk])

    view = staff_client.get(change_url)
    add = staff_client.get(reverse("admin:interactions_interaction_add"))
    posted = staff_client.post(change_url, {"ds_notes": "Reescrito"})

    assert view.status_code == 200
    assert add.status_code == 403
    assert posted.status_code == 403
    interaction.refresh_from_db()
    assert interaction.ds_notes == "Ligação de acompanhamento"


def test_changelist_requires_staff(client, user):
    client.force_login(user)

    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


# --- customer activity (interface) and panel ------------------------------------------------------


@pytest.fixture
def busy_customer(customer, user, make_user, make_interaction, make_transaction):
    """12 interactions (two authors) and entries: entradas 1500.30, saídas 200.55."""
    other = make_user(ds_user="Bruno Lima")
    base = dt.datetime(2026, 3, 1, 15, tzinfo=dt.UTC)
    for index in range(12):
        make_interaction(
            customer=customer,
            user=user if index % 2 == 0 else other,
            dt_interaction=base + dt.timedelta(days=index),
            ds_notes=f"Contato {index:02d}",
        )
    make_transaction(customer=customer, user=user, vr_transaction="1500.00")
    for _ in range(3):
        make_transaction(customer=customer, user=user, vr_transaction="0.10")
    make_transaction(customer=customer, user=user, vr_transaction="200.55", id_transaction_type=2)
    return customer


def test_customer_activity_is_the_latest_interactions_and_the_balance(busy_customer):
    activity = interface.customer_activity(customer_id=busy_customer.cd_customer)

    assert activity.cd_customer == busy_customer.cd_customer
    assert [entry.ds_notes for entry in activity.interactions] == [
        f"Contato {index:02d}" for index in range(11, 1, -1)
    ]
    assert [entry.ds_user for entry in activity.interactions[:2]] == ["Bruno Lima", "Ana Souza"]
    assert activity.interactions[0].dt_interaction == dt.datetime(2026, 3, 12, 15, tzinfo=dt.UTC)
    assert activity.balance == interface.CustomerBalance(
        vr_total_entradas=Decimal("1500.30"),
        vr_total_saidas=Decimal("200.55"),
        vr_saldo=Decimal("1299.75"),
        qt_transactions=5,
    )


def test_customer_activity_of_a_customer_without_history(customer):
    activity = interface.customer_activity(customer_id=customer.cd_customer, limit=3)

    assert activity.interactions == ()
    assert activity.balance == interface.CustomerBalance(
        vr_total_entradas=Decimal("0.00"),
        vr_total_saidas=Decimal("0.00"),
        vr_saldo=Decimal("0.00"),
        qt_transactions=0,
    )


def test_customer_activity_runs_the_same_queries_for_1_and_10_rows(busy_customer):
    _, one = queries_per_alias(
        lambda: interface.customer_activity(customer_id=busy_customer.cd_customer, limit=1)
    )
    _, ten = queries_per_alias(
        lambda: interface.customer_activity(customer_id=busy_customer.cd_customer, limit=10)
    )

    assert one == ten
    assert ten["interactions"] == 2


def test_panel_is_registered_for_the_customer_change_page(busy_customer):
    panels = hooks.panels_for("customer.change_page", busy_customer.cd_customer)

    assert [panel.title for panel in panels] == ["Interações e saldo"]


def test_panel_shows_latest_10_interactions_balance_and_link(busy_customer):
    panel = customer_activity_panel(busy_customer.cd_customer)

    html = unescape(panel.html)
    assert panel.title == "Interações e saldo"
    assert html.count('<tr class="crm-interaction">') == 10
    assert "Contato 11" in html and "Contato 02" in html
    assert "Contato 01" not in html
    assert "12/03/2026 12:00" in html  # local time (America/Sao_Paulo)
    assert "Bruno Lima" in html and "Ana Souza" in html
    assert "R$ 1.500,30" in html
    assert "R$ 200,55" in html
    assert "R$ 1.299,75" in html
    assert (
        f'href="/admin/interactions/interaction/?cd_customer={busy_customer.cd_customer}"' in html
    )


def test_panel_escapes_notes(customer, user, make_interaction):
    make_interaction(customer=customer, user=user, ds_notes="<script>alert(1)</script>")

    panel = customer_activity_panel(customer.cd_customer)

    assert "<script>" not in panel.html
    assert "&lt;script&gt;" in panel.html


def test_customer_change_page_renders_the_panel(staff_client, busy_customer):
    response = staff_client.get(
        reverse("admin:customers_customer_change", args=[busy_customer.cd_customer])
    )

    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert 'class="module aligned crm-panel"' in html
    assert "Interações e saldo" in html
    assert "Contato 11" in html
    assert "R$ 1.299,75" in html
