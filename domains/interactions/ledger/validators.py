"""Field rules of a ledger entry, applied by ``services`` whoever calls them (API, admin, a
command).

* ``vr_transaction``: money (``crm.money``): > 0, at most 2 places, up to 9 999 999 999.99.
* ``id_transaction_type``: 1 (entrada) or 2 (saída).
* ``ds_transaction``: optional text, trimmed, up to 255 characters, no NUL; blank means none.
* ``dt_transaction``: a date; none means today (the server's ``TIME_ZONE``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.money import money_clean
from crm.validation import fields_clean

from .models import TransactionType

DESCRIPTION_MAX_LENGTH = 255


def clean_amount(value: Any) -> Decimal:
    return money_clean(value, label=_("O valor"), allow_zero=False)


def clean_transaction_type(value: Any) -> int:
    if isinstance(value, bool) or value not in TransactionType.values:
        raise ValidationError(_("Tipo inválido: use 1 (entrada) ou 2 (saída)."))
    return int(value)


def clean_description(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError(_("Informe um texto."))
    if "\x00" in value:
        raise ValidationError(_("Caracteres nulos não são permitidos."))
    description = value.strip()
    if len(description) > DESCRIPTION_MAX_LENGTH:
        raise ValidationError(
            _("Certifique-se de que este campo não tenha mais de %(max)d caracteres.")
            % {"max": DESCRIPTION_MAX_LENGTH}
        )
    return description or None


def clean_transaction_date(value: Any) -> dt.date:
    if value is None:
        return timezone.localdate()
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ValidationError(_("Informe uma data válida."))
    return value


def transaction_clean(**fields: Any) -> dict[str, Any]:
    """The given fields, cleaned; ``InvalidInput`` listing every invalid one."""
    return fields_clean(
        {
            "vr_transaction": clean_amount,
            "id_transaction_type": clean_transaction_type,
            "ds_transaction": clean_description,
            "dt_transaction": clean_transaction_date,
        },
        fields,
    )
