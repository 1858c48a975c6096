"""Charts as server-side SVG: no JavaScript, no external asset, nothing fetched from the internet.

Knows no domain: callers pass categories and series of numbers (``Decimal`` or ``int``) and get
an escaped ``<svg>`` (``SafeString``) to put in a template. Each bar and point carries a
``<title>`` (the browser shows it on hover) and the whole chart an ``aria-label``; pages should
also show the numbers in a table (``format_money`` helps), which is what screen readers and
tests read.

* ``column_chart``: months (or any categories) on the x axis; bar series side by side or
  stacked, line series drawn over them (e.g. entradas/saídas as bars, saldo as a line).
* ``bar_chart``: one horizontal bar per label (e.g. top customers).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

Number = Decimal | int | float

WIDTH = 760
HEIGHT = 280
MARGIN_LEFT = 84
MARGIN_RIGHT = 12
MARGIN_TOP = 30
MARGIN_BOTTOM = 36
FONT = 'font-family="sans-serif" font-size="11"'


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Number]
    color: str
    kind: str = "bar"  # "bar" or "line"


def format_money(value: Number) -> str:
    """``R$ 1.250,90`` in Portuguese, ``R$ 1,250.90`` in English (the active language);
    ``-R$ 15,00`` below zero."""
    amount = Decimal(value)
    text = "R$ " + number_format(abs(amount), 2, use_l10n=True, force_grouping=True)
    return "-" + text if amount < 0 else text


def format_count(value: Number) -> str:
    return number_format(int(value), 0, use_l10n=True, force_grouping=True)


def _nice_step(span: float, ticks: int = 4) -> float:
    raw = span / ticks if span > 0 else 1.0
    magnitude = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        if multiple * magnitude >= raw:
            return multiple * magnitude
    return 10 * magnitude  # pragma: no cover - the loop always returns


def _scale(low: float, high: float, *, integer: bool = False) -> tuple[float, float, float]:
    """Axis bounds that include 0 and land on round ticks, and the tick step (a whole number
    when the values are counts)."""
    low, high = min(low, 0.0), max(high, 0.0)
    if low == high:
        high = 1.0
    step = _nice_step(high - low)
    if integer:
        step = max(1.0, math.ceil(step))
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def _legend(series: Sequence[Series]) -> list[str]:
    parts, x = [], MARGIN_LEFT
    for item in series:
        if item.kind == "line":
            mark = (
                f'<line x1="{x}" y1="14" x2="{x + 14}" y2="14" stroke="{item.color}" '
                'stroke-width="2.5"/>'
            )
        else:
            mark = f'<rect x="{x}" y="8" width="12" height="12" fill="{item.color}"/>'
        parts.append(
            f'<g class="crm-chart-legend">{mark}<text x="{x + 18}" y="18" {FONT}>'
            f"{escape(item.name)}</text></g>"
        )
        x += 30 + 7 * len(item.name)
    return parts


def column_chart(
    *,
    categories: Sequence[str],
    series: Sequence[Series],
    label: str,
    value_format: Callable[[Number], str] = format_money,
    stacked: bool = False,
) -> SafeString:
    """Categories along x; ``bar`` series grouped (or ``stacked``), ``line`` series over them."""
    bars = [item for item in series if item.kind == "bar"]
    lines = [item for item in series if item.kind == "line"]
    count = max(len(categories), 1)
    if stacked and bars:
        totals = [sum(float(item.values[i]) for item in bars) for i in range(len(categories))]
        values = totals + [float(v) for item in lines for v in item.values]
    else:
        values = [float(v) for item in series for v in item.values]
    low, high, step = _scale(
        min(values, default=0.0), max(values, default=0.0), integer=value_format is format_count
    )
    plot_width = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_height = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM

    def y_of(value: float) -> float:
        return MARGIN_TOP + plot_height * (high - value) / (high - low)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="crm-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" style="max-width:{WIDTH}px" '
        f'aria-label="{escape(label)}">'
    ]
    tick = low
    while tick <= high + step / 2:
        y = y_of(tick)
        parts.append(
            f'<line x1="{MARGIN_LEFT}" y1="{y:.1f}" x2="{WIDTH - MARGIN_RIGHT}" y2="{y:.1f}" '
            f'stroke="{"#888" if tick == 0 else "#ddd"}" stroke-width="1"/>'
            f'<text x="{MARGIN_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" {FONT} fill="#555">'
            f"{escape(value_format(Decimal(str(round(tick, 2)))))}</text>"
        )
        tick += step
    group = plot_width / count
    label_every = math.ceil(count / 12)
    bar_width = group * 0.7 / (1 if stacked or not bars else len(bars))
    for index, category in enumerate(categories):
        left = MARGIN_LEFT + group * index + group * 0.15
        base = 0.0
        for position, item in enumerate(bars):
            value = float(item.values[index])
            if stacked:
                top, bottom = y_of(base + value), y_of(base)
                x = left
                base += value
            else:
                top, bottom = sorted((y_of(value), y_of(0.0)))
                x = left + bar_width * position
            parts.append(
                f'<rect class="crm-chart-bar" x="{x:.1f}" y="{min(top, bottom):.1f}" '
                f'width="{bar_width:.1f}" height="{abs(bottom - top):.1f}" fill="{item.color}">'
                f"<title>{escape(category)} · {escape(item.name)}: "
                f"{escape(value_format(item.values[index]))}</title></rect>"
            )
        if (count - 1 - index) % label_every:
            continue  # too many categories to label each: every n-th, the last one included
        center = MARGIN_LEFT + group * (index + 0.5)
        parts.append(
            f'<text x="{center:.1f}" y="{HEIGHT - MARGIN_BOTTOM + 16}" '
            f'text-anchor="middle" {FONT} fill="#333">{escape(category)}</text>'
        )
    for item in lines:
        points = [
            (MARGIN_LEFT + group * (index + 0.5), y_of(float(value)))
            for index, value in enumerate(item.values)
        ]
        if points:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{item.color}" stroke-width="2.5"/>'
            )
        for (x, y), category, value in zip(points, categories, item.values, strict=False):
            parts.append(
                f'<circle class="crm-chart-point" cx="{x:.1f}" cy="{y:.1f}" r="3.5" '
                f'fill="{item.color}"><title>{escape(category)} · {escape(item.name)}: '
                f"{escape(value_format(value))}</title></circle>"
            )
    parts.extend(_legend(series))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above went through escape()


def bar_chart(
    *,
    labels: Sequence[str],
    values: Sequence[Number],
    color: str,
    label: str,
    value_format: Callable[[Number], str] = format_money,
) -> SafeString:
    """One horizontal bar per label, longest first as given; the value printed at its end."""
    row_height = 26
    label_width = 220
    height = max(len(labels), 1) * row_height + 10
    top_value = max((float(value) for value in values), default=0.0) or 1.0
    plot_width = WIDTH - label_width - 150
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="crm-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" style="max-width:{WIDTH}px" '
        f'aria-label="{escape(label)}">'
    ]
    for index, (name, value) in enumerate(zip(labels, values, strict=True)):
        y = 5 + index * row_height
        width = max(plot_width * float(value) / top_value, 1.0)
        shown = name if len(name) <= 34 else name[:33] + "…"
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 16}" text-anchor="end" {FONT} fill="#333">'
            f"{escape(shown)}</text>"
            f'<rect class="crm-chart-bar" x="{label_width}" y="{y + 3}" width="{width:.1f}" '
            f'height="{row_height - 8}" fill="{color}"><title>{escape(name)}: '
            f"{escape(value_format(value))}</title></rect>"
            f'<text x="{label_width + width + 6:.1f}" y="{y + 16}" {FONT} fill="#333">'
            f"{escape(value_format(value))}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above went through escape()
