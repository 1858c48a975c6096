"""``{{ value|money }}``: ``R$ 1.250,90`` in Portuguese, ``R$ 1,250.90`` in English."""

from __future__ import annotations

from django import template

from crm.charts import format_money

register = template.Library()


@register.filter
def money(value) -> str:
    if value is None or value == "":
        return "—"
    return format_money(value)
