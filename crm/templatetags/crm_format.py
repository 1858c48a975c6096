"""``{% load crm_format %}``: ``{{ amount|money }}`` -> ``R$ 1.250,90`` (see crm.formatting)."""

from django import template

from crm.formatting import format_money

register = template.Library()


@register.filter
def money(value) -> str:
    return format_money(value)
