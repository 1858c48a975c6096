"""The staff landing page's dashboard and the customer page's balance chart: server-side SVG
(nothing from the internet), and the very numbers ``/api/transactions/summary`` answers."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from html import unescape

import pytest
from django.utils import timezone

from domains.interactions import dashboard

from .ledger_helpers import balance_of, record


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def _months_ago(months: int, day: int = 10) -> dt.date:
    today = timezone.localdate()
    index = today.year * 12 + today.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, day)


@pytest.fixture
def ledger(auth_client, make_customer):
    """Three customers with entries across the last year, and one entry before it."""
    ana = make_customer(ds_customer_name="Ana Souza")
    bruno = make_customer(ds_customer_name="Bruno Lima")
    carla = make_customer(ds_customer_name="Carla Dias")
    for customer, amount, kind, months in [
        (ana, "1250.90", 1, 0),
        (ana, "300.10", 2, 0),
        (ana, "99.99", 1, 3),
        (bruno, "5000.00", 1, 5),
        (bruno, "0.10", 2, 5),
        (carla, "10.00", 1, 11),
        (carla, "777.77", 1, 13),  # before the dashboard's 12 months
    ]:
        record(
            auth_client,
            customer.cd_customer,
            amount=amount,
            kind=kind,
            dt_transaction=_months_ago(months).isoformat(),
        )
    return ana, bruno, carla


def _cash_flow_rows(html: str) -> dict[str, dict[str, str]]:
    pattern = re.compile(
        r'data-month="(?P<month>[\d-]+)" data-entradas="(?P<entradas>[\d.-]+)" '
        r'data-saidas="(?P<saidas>[\d.-]+)" data-saldo="(?P<saldo>[\d.-]+)" '
        r'data-quantity="(?P<quantity>\d+)"'
    )
    return {match["month"]: match.groupdict() for match in pattern.finditer(html)}


def test_cash_flow_numbers_are_the_summary_apis(staff_client, auth_client, ledger):
    html = staff_client.get("/admin/").content.decode()
    api_url = unescape(re.search(r'class="crm-summary-api-link" href="([^"]+)"', html)[1])
    summary = auth_client.get(api_url).json()
    shown = _cash_flow_rows(html)

    assert len(shown) == 12
    assert summary["date_from"] == dashboard.last_months().date_from.isoformat()
    api_months = {month["month"]: month for month in summary["summary"]}
    assert set(api_months) <= set(shown)
    for month, row in shown.items():
        expected = api_months.get(
            month,
            {
                "vr_total_entradas": "0.00",
                "vr_total_saidas": "0.00",
                "vr_saldo": "0.00",
                "qt_transactions": 0,
            },
        )
        assert (row["entradas"], row["saidas"], row["saldo"], int(row["quantity"])) == (
            expected["vr_total_entradas"],
            expected["vr_total_saidas"],
            expected["vr_saldo"],
            expected["qt_transactions"],
        ), month
    totals = re.search(
        r'class="crm-cash-flow-totals" data-entradas="([\d.-]+)" data-saidas="([\d.-]+)" '
        r'data-saldo="([\d.-]+)"',
        html,
    ).groups()
    assert totals == (
        summary["totals"]["vr_total_entradas"],
        summary["totals"]["vr_total_saidas"],
        summary["totals"]["vr_saldo"],
    )
    assert summary["totals"]["vr_total_entradas"] == "6360.89"  # the entry of month -13 is out


def test_top_customers_are_ranked_by_revenue_with_their_names(staff_client, auth_client, ledger):
    _, bruno, _ = ledger
    html = staff_client.get("/admin/").content.decode()

    ranked = re.findall(
        r'class="crm-top-customer" data-revenue="([\d.]+)"><td>\d+</td>\s*'
        r'<td><a href="[^"]+">([^<]+)</a>',
        html,
    )

    assert [name for _, name in ranked] == ["Bruno Lima", "Ana Souza", "Carla Dias"]
    assert [revenue for revenue, _ in ranked] == ["5000.00", "1350.89", "10.00"]
    assert balance_of(auth_client, bruno.cd_customer)["vr_total_entradas"] == "5000.00"


def test_interactions_per_type_per_month(staff_client, customer, user, make_interaction):
    now = timezone.now()
    for kind in ("email", "email", "reuniao"):
        make_interaction(customer=customer, user=user, id_interaction_type=kind, dt_interaction=now)

    html = staff_client.get("/admin/").content.decode()
    table = html.split('class="crm-dashboard-table crm-interactions-table"', 1)[1]
    last_row = table.split("</tbody>", 1)[0].rsplit("<tr>", 1)[1]

    cells = re.findall(r"<td>([^<]*)</td>", last_row)
    assert cells[0] == dashboard.month_label(now.astimezone().strftime("%Y-%m")) or cells[0]
    # Venda, Ligação, E-mail, Reunião, Contato, Total
    assert cells[1:] == ["0", "0", "2", "1", "0", "3"]


def test_dashboard_charts_are_inline_svg_with_nothing_from_outside(staff_client, ledger):
    html = staff_client.get("/admin/").content.decode()

    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="crm-chart"') == 3
    external = {
        url
        for url in re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
        if not url.startswith("http://testserver")
    }
    assert external == set()
    assert "R$ 1.250,90" in html  # pt-BR money in the tables and the bar titles


def test_dashboard_in_english(staff_client, ledger):
    html = staff_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Cash flow: last 12 months" in html
    assert "R$ 1,250.90" in html


def test_empty_ledger_still_renders(staff_client):
    response = staff_client.get("/admin/")

    assert response.status_code == 200
    assert "Nenhuma entrada nos últimos 12 meses." in response.content.decode()


def test_customer_page_has_the_balance_over_time_chart(staff_client, ledger):
    ana, _, _ = ledger
    html = staff_client.get(f"/admin/customers/customer/{ana.cd_customer}/change/").content.decode()

    assert 'class="crm-balance-chart"' in html
    points = dashboard.customer_balance_points(customer_id=ana.cd_customer)
    assert len(points) == 6  # from the first entry (3 months ago), at least six months
    assert points[-1]["saldo"] == Decimal("1050.79")  # 1250.90 - 300.10 + 99.99
    assert points[-4]["saldo"] == Decimal("99.99")  # three months ago: only that entrada
    assert points[0]["saldo"] == Decimal("0.00")


def test_customer_balance_carries_entries_older_than_the_chart(ledger):
    _, _, carla = ledger  # 777.77 thirteen months ago, 10.00 eleven months ago

    points = dashboard.customer_balance_points(customer_id=carla.cd_customer, months=6)

    assert [point["saldo"] for point in points] == [Decimal("787.77")] * 6
    assert len(dashboard.customer_balance_points(customer_id=carla.cd_customer)) == 14
