"""How values are shown to people (admin pages, panels), in the active language.

Money is Brazilian reais everywhere: ``R$ 1.250,90`` in Portuguese, ``R$1,250.90`` in English
(digit grouping and decimal mark follow the language; the amount is never rounded beyond the
cents it has). The API keeps sending plain decimals (``"1250.90"``); this is for display only.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _


def format_money(value) -> str:
    """``R$ 1.250,90`` (pt-BR) / ``R$1,250.90`` (en); ``—`` for no value."""
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    sign = "-" if amount < 0 else ""
    digits = number_format(abs(amount), decimal_pos=2, use_l10n=True, force_grouping=True)
    return sign + _("R$ %(amount)s") % {"amount": digits}


def short_datetime(value) -> str:
    """``03/12/2026 14:05`` (pt-BR) / ``12/03/2026 2:05 p.m.`` (en), in the current time zone:
    list columns that fit a 1366 px screen (the long form "3 de Dezembro de 2026 às 14:05"
    did not)."""
    if value is None:
        return "—"
    return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT", use_l10n=True)
