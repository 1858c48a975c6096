"""Field rules of a product, applied by ``services`` (whoever calls them: the API, the admin
form through ``services.product_clean``, a command).

* ``ds_product_name``: text, trimmed, 3 to 255 characters (uniqueness is the services' job).
* ``vr_price``: money (``crm.money``): 0 <= price <= 9 999 999 999.99, at most 2 places.
* ``id_product_type``: ``produto`` or ``servico``.
* ``ds_product_description``: optional; trimmed; empty means none (NULL).
* ``is_active``: a boolean.
* No text may hold a NUL character (PostgreSQL cannot store it).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from crm.api.exceptions import InvalidInput
from crm.money import money_clean
from crm.validation import fields_clean

from .models import ProductType

NAME_MIN_LENGTH = 3
NAME_MAX_LENGTH = 255


def _clean_text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValidationError(_("Informe um texto."))
    if "\x00" in value:
        raise ValidationError(_("O texto não pode conter caracteres nulos."))
    return value.strip()


def clean_name(value: Any) -> str:
    if value is None:
        raise ValidationError(_("Este campo é obrigatório."))
    name = _clean_text(value)
    if len(name) < NAME_MIN_LENGTH:
        raise ValidationError(
            _("O nome deve ter pelo menos %(min)d caracteres.") % {"min": NAME_MIN_LENGTH}
        )
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(
            _("O nome deve ter no máximo %(max)d caracteres.") % {"max": NAME_MAX_LENGTH}
        )
    return name


def clean_description(value: Any) -> str | None:
    if value is None:
        return None
    return _clean_text(value) or None


def clean_price(value: Any) -> Decimal:
    return money_clean(value, label=_("O preço"), allow_zero=True)


def clean_type(value: Any) -> str:
    if value not in ProductType.values:
        raise ValidationError(_("Tipo inválido. Use 'produto' ou 'servico'."))
    return str(value)


def clean_is_active(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(_("Use true ou false."))
    return value


FIELD_CLEANERS = {
    "ds_product_name": clean_name,
    "ds_product_description": clean_description,
    "vr_price": clean_price,
    "id_product_type": clean_type,
    "is_active": clean_is_active,
}
REQUIRED_ON_CREATE = ("ds_product_name", "vr_price")


def product_fields_clean(*, creating: bool, fields: dict[str, Any]) -> dict[str, Any]:
    """The given fields, cleaned; ``InvalidInput`` listing every invalid or (on create)
    missing one."""
    missing = {
        field: [_("Este campo é obrigatório.")]
        for field in REQUIRED_ON_CREATE
        if creating and field not in fields
    }
    try:
        cleaned = fields_clean(FIELD_CLEANERS, fields)
    except InvalidInput as error:
        raise InvalidInput({**missing, **error.message}) from None
    if missing:
        raise InvalidInput(missing)
    return cleaned
