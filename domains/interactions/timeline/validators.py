"""Field rules of an interaction, applied by ``services.interaction_create`` whoever calls it.

* ``ds_notes``: text, trimmed, 5 to 5000 characters, no NUL character.
* ``id_interaction_type``: one of ``InteractionType`` (``venda``, ``ligacao``, ``email``,
  ``reuniao``, ``contato``).
* ``dt_interaction``: a ``datetime`` between the years 1900 and 2999 (outside, it is a typo;
  near 1 or 9999 it overflows when converted to UTC); without a time zone, the server's;
  ``None`` means now.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.validation import fields_clean

from .models import InteractionType

NOTES_MIN_LENGTH, NOTES_MAX_LENGTH = 5, 5000
FIRST_YEAR, LAST_YEAR = 1900, 2999


def clean_notes(value: Any) -> str:
    if not isinstance(value, str):
        raise ValidationError(_("Informe um texto."))
    if "\x00" in value:
        raise ValidationError(_("Caracteres nulos não são permitidos."))
    notes = value.strip()
    if not notes:
        raise ValidationError(_("Este campo não pode ficar em branco."))
    if len(notes) < NOTES_MIN_LENGTH:
        raise ValidationError(
            _("As anotações devem ter pelo menos %(min)d caracteres.") % {"min": NOTES_MIN_LENGTH}
        )
    if len(notes) > NOTES_MAX_LENGTH:
        raise ValidationError(
            _("As anotações devem ter no máximo %(max)d caracteres.") % {"max": NOTES_MAX_LENGTH}
        )
    return notes


def clean_interaction_type(value: Any) -> str:
    if value not in InteractionType.values:
        raise ValidationError(
            _("Tipo de interação inválido. Use venda, ligacao, email, reuniao ou contato.")
        )
    return str(value)


def clean_interaction_date(value: Any) -> dt.datetime:
    if value is None:
        return timezone.now()
    if not isinstance(value, dt.datetime):
        raise ValidationError(_("Informe uma data e hora válidas."))
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(_("Data fora do intervalo aceito (anos 1900 a 2999)."))
    # Without a time zone, the server's (``TIME_ZONE``), as the API reads it.
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def interaction_clean(**fields: Any) -> dict[str, Any]:
    """The given fields, cleaned; ``InvalidInput`` listing every invalid one."""
    return fields_clean(
        {
            "ds_notes": clean_notes,
            "id_interaction_type": clean_interaction_type,
            "dt_interaction": clean_interaction_date,
        },
        fields,
    )
