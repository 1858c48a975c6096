"""Money, checked in one place: ``Decimal`` with at most 2 places, up to what a
``numeric(12,2)`` column holds (9 999 999 999.99).

Every domain's ``validators.py`` cleans an amount with ``money_clean``; serializers only make
sure a ``Decimal`` (or an ``int``) arrives, never a float (``crm.api.parsers.DecimalJSONParser``
parses JSON numbers straight to ``Decimal``).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_AMOUNT = Decimal("9999999999.99")
CENTS = Decimal("0.01")


def money_clean(value: Any, *, label: str, allow_zero: bool) -> Decimal:
    """``value`` as a ``Decimal`` with exactly 2 places, or ``ValidationError`` with a message
    that starts with ``label`` ("O preço", "O valor"). A float is refused, never rounded: it has
    already lost the exact value the client wrote. ``10.500`` is ``10.50``; ``10.505`` is refused.
    """
    if value is None:
        raise ValidationError(_("Este campo é obrigatório."))
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise ValidationError(_("Informe um número decimal válido."))
    amount = Decimal(value)
    if not amount.is_finite():
        raise ValidationError(_("Informe um número decimal válido."))
    if amount < 0 and allow_zero:
        raise ValidationError(_("%(label)s não pode ser negativo.") % {"label": label})
    if amount <= 0 and not allow_zero:
        raise ValidationError(_("%(label)s deve ser maior que zero.") % {"label": label})
    if amount > MAX_AMOUNT:
        raise ValidationError(
            _("%(label)s não pode ser maior que 9.999.999.999,99.") % {"label": label}
        )
    try:
        cents = amount.quantize(CENTS)
    except InvalidOperation:  # pragma: no cover - bounded above, kept as a last resort
        raise ValidationError(_("Informe um número decimal válido.")) from None
    if cents != amount:
        raise ValidationError(
            _("%(label)s deve ter no máximo 2 casas decimais.") % {"label": label}
        )
    return cents + 0  # "+ 0" turns -0.00 into 0.00
