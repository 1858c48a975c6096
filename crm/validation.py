"""The one way a domain's ``validators.py`` reports what is wrong with the fields it was given.

A validator module holds one cleaner per field (takes the raw value, returns the value to
store, or raises Django's ``ValidationError`` with a Portuguese message) and a ``<entity>_clean``
function that runs them through ``fields_clean``. Services call that function first, so the API,
the admin and a management command meet the same rules and messages.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError

from .api.exceptions import InvalidInput

Cleaner = Callable[[Any], Any]


def fields_clean(cleaners: Mapping[str, Cleaner], data: Mapping[str, Any]) -> dict[str, Any]:
    """``{field: clean value}`` for every field of ``data`` that has a cleaner (others are
    ignored). Raises ``InvalidInput`` (400) with ``{field: [messages]}`` listing every invalid
    field at once."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for field, cleaner in cleaners.items():
        if field not in data:
            continue
        try:
            cleaned[field] = cleaner(data[field])
        except ValidationError as error:
            errors[field] = [str(message) for message in error.messages]
    if errors:
        raise InvalidInput(errors)
    return cleaned
