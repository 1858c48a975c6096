"""Field rules for a product, shared by the services (API, admin) and the seed import.

Rules (messages in Portuguese, as the seed's):
* ``ds_product_name``: text, trimmed, 3 to 255 characters (uniqueness is the services' job).
* ``vr_price``: a ``Decimal`` (never a float), 0 <= price <= 9 999 999 999.99, at most 2
  decimal places (``10.500`` is ``10.50``; ``10.505`` is refused).
* ``id_product_type``: ``produto`` (default) or ``servico``.
* ``ds_product_description``: optional; trimmed; empty means none (NULL).
* No text may hold a NUL character (PostgreSQL cannot store it).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from crm.api.exceptions import InvalidInput

from .models import ProductType

NAME_MIN_LENGTH = 3
NAME_MAX_LENGTH = 255
PRICE_MAX = Decimal("9999999999.99")
PRICE_PLACES = Decimal("0.01")


class _Unset:
    """Marks a keyword the caller did not pass (partial updates): ``None`` is a value."""

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


UNSET: Any = _Unset()


def _clean_text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(_("Informe um texto."))
    if "\x00" in value:
        raise ValueError(_("O texto não pode conter caracteres nulos."))
    return value.strip()


def _clean_name(value: Any) -> str:
    if value is None:
        raise ValueError(_("Este campo é obrigatório."))
    name = _clean_text(value)
    if len(name) < NAME_MIN_LENGTH:
        raise ValueError(
            _("O nome deve ter pelo menos %(min)d caracteres.") % {"min": NAME_MIN_LENGTH}
        )
    if len(name) > NAME_MAX_LENGTH:
        raise ValueError(
            _("O nome deve ter no máximo %(max)d caracteres.") % {"max": NAME_MAX_LENGTH}
        )
    return name


def _clean_description(value: Any) -> str | None:
    if value is None:
        return None
    return _clean_text(value) or None


def _clean_price(value: Any) -> Decimal:
    if value is None:
        raise ValueError(_("Este campo é obrigatório."))
    # A float has already lost the exact value the client wrote: refuse it, never round it.
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise ValueError(_("Informe um número decimal válido."))
    price = Decimal(value)
    if not price.is_finite():
        raise ValueError(_("Informe um número decimal válido."))
    if price < 0:
        raise ValueError(_("O preço não pode ser negativo."))
    if price > PRICE_MAX:
        raise ValueError(_("O preço não pode ser maior que 9.999.999.999,99."))
    try:
        rounded = price.quantize(PRICE_PLACES)
    except InvalidOperation:  # pragma: no cover - bounded above, kept as a last resort
        raise ValueError(_("Informe um número decimal válido.")) from None
    if rounded != price:
        raise ValueError(_("O preço deve ter no máximo 2 casas decimais."))
    return rounded + 0  # "+ 0" turns -0.00 into 0.00


def _clean_type(value: Any) -> str:
    if value not in ProductType.values:
        raise ValueError(_("Tipo inválido. Use 'produto' ou 'servico'."))
    return str(value)


def _clean_is_active(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(_("Use true ou false."))
    return value


_CLEANERS = {
    "ds_product_name": _clean_name,
    "ds_product_description": _clean_description,
    "vr_price": _clean_price,
    "id_product_type": _clean_type,
    "is_active": _clean_is_active,
}
_REQUIRED_ON_CREATE = ("ds_product_name", "vr_price")


def product_fields_clean(*, creating: bool, **given: Any) -> dict[str, Any]:
    """The field rules alone (no database): ``{field: clean value}`` for the fields passed
    (``UNSET`` ones skipped), or ``InvalidInput`` with ``{field: [message]}`` for every invalid
    one. ``product_clean`` adds the name's uniqueness; the seed import checks that in batches."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for field, value in given.items():
        if value is UNSET:
            if creating and field in _REQUIRED_ON_CREATE:
                errors[field] = [_("Este campo é obrigatório.")]
            continue
        try:
            cleaned[field] = _CLEANERS[field](value)
        except ValueError as exc:
            errors[field] = [str(exc)]
    if errors:
        raise InvalidInput(errors)
    return cleaned
