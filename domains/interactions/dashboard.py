"""Cash flow as pictures: the admin index's dashboard and the customer page's balance chart.

Panels (``crm.hooks``) registered in ``apps.py``: three on the admin index (the staff landing
page, ``crm.hooks.ADMIN_INDEX_PANELS``) and the balance chart inside the customer page's
"Interações e saldo" panel. Charts are server-side SVG (``crm.charts``): no JavaScript, nothing
fetched from the internet.

The numbers come from the ledger's selectors, the very functions behind the API:
``cash_flow_summary`` is what ``GET /api/transactions/summary`` answers (the cash-flow panel links
to that URL with the same period), so the dashboard and the API cannot disagree, and when the
ledger reads per-day aggregates instead of entries, this page follows with no change.
Customer names come from the customers domain in one batch (``gateways``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from crm.admin import unless_unavailable
from crm.charts import Series, bar_chart, column_chart, format_count
from crm.hooks import Panel

from . import gateways
from .admin_base import customer_change_url
from .ledger import selectors as ledger_selectors
from .timeline import selectors as timeline_selectors
from .timeline.models import InteractionType

ENTRADAS_COLOR = "#2e7d32"
SAIDAS_COLOR = "#c62828"
SALDO_COLOR = "#1565c0"
TYPE_COLORS = {
    InteractionType.VENDA: "#2e7d32",
    InteractionType.LIGACAO: "#1565c0",
    InteractionType.EMAIL: "#f9a825",
    InteractionType.REUNIAO: "#6a1b9a",
    InteractionType.CONTATO: "#00838f",
}
MONTHS = 12
TOP_CUSTOMERS = 10
#: Months of history on the customer page's chart.
CUSTOMER_MONTHS = 24
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Period:
    date_from: dt.date
    date_to: dt.date
    months: tuple[str, ...]  # "AAAA-MM", oldest first


def _month_start(day: dt.date, back: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 1)


def last_months(*, count: int = MONTHS, today: dt.date | None = None) -> Period:
    """The ``count`` calendar months ending with the current one (server's time zone)."""
    today = today or timezone.localdate()
    starts = [_month_start(today, back) for back in range(count - 1, -1, -1)]
    next_month = _month_start(today, -1)
    return Period(
        date_from=starts[0],
        date_to=next_month - dt.timedelta(days=1),
        months=tuple(start.strftime("%Y-%m") for start in starts),
    )


def month_label(month: str) -> str:
    """``"2026-03"`` -> ``"mar/26"`` (``"Mar/26"`` in English)."""
    year, number = month.split("-")
    return f"{MONTHS_3[int(number)]}/{year[2:]}"


def summary_api_url(period: Period) -> str:
    return (
        reverse("transactions-summary")
        + "?"
        + urlencode({"date_from": period.date_from, "date_to": period.date_to})
    )


def cash_flow_panel(object_id: UUID | None = None) -> Panel:
    """Monthly entradas, saídas and saldo of the last 12 months (admin index)."""
    period = last_months()
    summary = ledger_selectors.cash_flow_summary(
        filters={"date_from": period.date_from.isoformat(), "date_to": period.date_to.isoformat()}
    )
    totals = summary.totals
    by_month = {month.month: month.totals for month in summary.months}
    rows = []
    for month in period.months:
        found = by_month.get(month)
        rows.append(
            {
                "month": month,
                "label": month_label(month),
                "entradas": found.vr_total_entradas if found else ZERO,
                "saidas": found.vr_total_saidas if found else ZERO,
                "saldo": found.vr_saldo if found else ZERO,
                "quantity": found.qt_transactions if found else 0,
            }
        )
    labels = [row["label"] for row in rows]
    chart = column_chart(
        categories=labels,
        series=[
            Series(_("Entradas"), [row["entradas"] for row in rows], ENTRADAS_COLOR),
            Series(_("Saídas"), [row["saidas"] for row in rows], SAIDAS_COLOR),
            Series(_("Saldo"), [row["saldo"] for row in rows], SALDO_COLOR, kind="line"),
        ],
        label=_("Entradas, saídas e saldo por mês"),
    )
    html = render_to_string(
        "interactions/dashboard_cash_flow.html",
        {
            "chart": chart,
            "rows": rows,
            "totals": totals,
            "period": period,
            "api_url": summary_api_url(period),
        },
    )
    return Panel(title=_("Fluxo de caixa: últimos 12 meses"), html=html)


def top_customers_panel(object_id: UUID | None = None) -> Panel:
    """The customers with the most entradas (revenue) in the last 12 months (admin index)."""
    period = last_months()
    top = ledger_selectors.top_customers_by_entradas(
        date_from=period.date_from, date_to=period.date_to, limit=TOP_CUSTOMERS
    )
    names = unless_unavailable(
        lambda: gateways.customer_summaries(customer_ids={customer_id for customer_id, _ in top})
    )
    rows = []
    for customer_id, revenue in top:
        summary = names.get(customer_id)
        rows.append(
            {
                "name": summary.ds_customer_name if summary else str(customer_id),
                "url": customer_change_url(customer_id),
                "revenue": revenue,
            }
        )
    chart = (
        bar_chart(
            labels=[row["name"] for row in rows],
            values=[row["revenue"] for row in rows],
            color=ENTRADAS_COLOR,
            label=_("Maiores clientes por receita"),
        )
        if rows
        else ""
    )
    html = render_to_string(
        "interactions/dashboard_top_customers.html", {"chart": chart, "rows": rows}
    )
    return Panel(title=_("Maiores clientes por receita (12 meses)"), html=html)


def interactions_panel(object_id: UUID | None = None) -> Panel:
    """Interactions per type per month over the last 12 months (admin index)."""
    period = last_months()
    counts = timeline_selectors.interaction_counts_by_month(
        date_from=period.date_from, date_to=period.date_to
    )
    types = list(InteractionType)
    rows = [
        {
            "label": month_label(month),
            "counts": [counts.get(month, {}).get(kind.value, 0) for kind in types],
            "total": sum(counts.get(month, {}).values()),
        }
        for month in period.months
    ]
    chart = column_chart(
        categories=[row["label"] for row in rows],
        series=[
            Series(str(kind.label), [row["counts"][index] for row in rows], TYPE_COLORS[kind])
            for index, kind in enumerate(types)
        ],
        label=_("Interações por tipo e mês"),
        value_format=format_count,
        stacked=True,
    )
    html = render_to_string(
        "interactions/dashboard_interactions.html",
        {"chart": chart, "rows": rows, "types": [str(kind.label) for kind in types]},
    )
    return Panel(title=_("Interações por tipo e mês"), html=html)


def customer_balance_points(
    *, customer_id: UUID, months: int = CUSTOMER_MONTHS, today: dt.date | None = None
) -> list[dict]:
    """The customer's balance at the end of each month, with that month's entradas and saídas:
    from the first month with entries (at least the last 6 months, at most ``months``), entries
    before the window carried into the first balance."""
    history = ledger_selectors.customer_monthly_totals(customer_id=customer_id)
    today = today or timezone.localdate()
    if history:
        first_year, first_month = map(int, history[0].month.split("-"))
        span = (today.year - first_year) * 12 + today.month - first_month + 1
        months = min(months, max(span, 6))
    else:
        months = min(months, 6)
    period = last_months(count=months, today=today)
    balance = sum(
        (month.totals.vr_saldo for month in history if month.month < period.months[0]), ZERO
    )
    by_month = {month.month: month.totals for month in history}
    points = []
    for month in period.months:
        found = by_month.get(month)
        if found:
            balance += found.vr_saldo
        points.append(
            {
                "month": month,
                "label": month_label(month),
                "entradas": found.vr_total_entradas if found else ZERO,
                "saidas": found.vr_total_saidas if found else ZERO,
                "saldo": balance,
            }
        )
    return points


def customer_balance_chart(*, customer_id: UUID) -> str:
    """The balance-over-time chart of the customer page (empty without entries)."""
    points = customer_balance_points(customer_id=customer_id)
    if not any(point["entradas"] or point["saidas"] or point["saldo"] for point in points):
        return ""
    return column_chart(
        categories=[point["label"] for point in points],
        series=[
            Series(_("Entradas"), [point["entradas"] for point in points], ENTRADAS_COLOR),
            Series(_("Saídas"), [point["saidas"] for point in points], SAIDAS_COLOR),
            Series(_("Saldo acumulado"), [point["saldo"] for point in points], SALDO_COLOR, "line"),
        ],
        label=_("Saldo do cliente ao longo do tempo"),
    )
