"""Field rules for a customer, shared by the API (through the services) and the admin form.

Each ``clean_<field>`` takes the raw value (``None`` or a string) and returns the value to
store, or raises Django's ``ValidationError`` with a Portuguese message. Stored forms:

* ``ds_customer_name``: trimmed, 1..255 characters.
* ``ds_customer_email``: trimmed, lower-case, valid address (uniqueness is the services' job).
* ``ds_customer_cpf_cnpj``: digits only (11 = CPF, 14 = CNPJ), check digits verified; accepted
  with or without the usual punctuation (``529.982.247-25``, ``11.222.333/0001-81``).
* ``ds_customer_state``: one of the 27 UFs, upper-case (input case-insensitive).
* ``ds_customer_zip_code``: ``00000-000`` (``00000000`` accepted).
* ``ds_customer_country``: defaults to ``"Brasil"``.

Optional fields: an empty or blank string is stored as ``NULL``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from crm.validation import fields_clean

DEFAULT_COUNTRY = "Brasil"

#: The 26 states and the Federal District.
BRAZILIAN_STATES = (
    "AC", "AL", "AP", "AM", "BA", "CE", "DF", "ES", "GO", "MA", "MT", "MS", "MG", "PA",
    "PB", "PR", "PE", "PI", "RJ", "RN", "RS", "RO", "RR", "SC", "SP", "SE", "TO",
)  # fmt: skip

MESSAGE_NUL = "Caracteres nulos não são permitidos."
MESSAGE_NOT_TEXT = "Informe um texto."

_CPF_CNPJ_ALLOWED = re.compile(r"^[\d.\-/\s]+$")
_ZIP_CODE = re.compile(r"^(\d{5})-?(\d{3})$")


def document_digits(term: str) -> str:
    """The digits of a search term that looks like (part of) a CPF/CNPJ, else ``""``.

    Only terms made of digits and document punctuation count: "Loja 2" searches names, it must
    not also match every CPF containing a 2.
    """
    term = term.strip()
    if not term or not _CPF_CNPJ_ALLOWED.match(term):
        return ""
    return only_digits(term)


def only_digits(value: str) -> str:
    return "".join(character for character in value if character.isascii() and character.isdigit())


def _text(value: Any, *, max_length: int, label: str) -> str | None:
    """Common part: text or ``None``; blank -> ``None``; NUL bytes and overlong text refused."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError(MESSAGE_NOT_TEXT)
    if "\x00" in value:
        raise ValidationError(MESSAGE_NUL)
    value = value.strip()
    if not value:
        return None
    if len(value) > max_length:
        raise ValidationError(f"{label} deve ter no máximo {max_length} caracteres.")
    return value


def clean_name(value: Any) -> str:
    name = _text(value, max_length=255, label="O nome")
    if name is None:
        raise ValidationError("O nome do cliente é obrigatório.")
    return name


def clean_email(value: Any) -> str | None:
    email = _text(value, max_length=255, label="O e-mail")
    if email is None:
        return None
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError("Informe um endereço de e-mail válido.") from None
    return email.lower()


def clean_phone(value: Any) -> str | None:
    return _text(value, max_length=20, label="O telefone")


def cpf_check_digits(first_nine: str) -> str:
    """The two check digits of a CPF whose first nine digits are ``first_nine``."""
    numbers = [int(digit) for digit in first_nine]
    for length in (9, 10):
        total = sum(n * weight for n, weight in zip(numbers, range(length + 1, 1, -1), strict=True))
        numbers.append(total * 10 % 11 % 10)
    return f"{numbers[9]}{numbers[10]}"


_CNPJ_WEIGHTS = (6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)


def cnpj_check_digits(first_twelve: str) -> str:
    """The two check digits of a CNPJ whose first twelve digits are ``first_twelve``."""
    numbers = [int(digit) for digit in first_twelve]
    for length in (12, 13):
        weights = _CNPJ_WEIGHTS[13 - length :]
        total = sum(n * weight for n, weight in zip(numbers, weights, strict=True))
        remainder = total % 11
        numbers.append(0 if remainder < 2 else 11 - remainder)
    return f"{numbers[12]}{numbers[13]}"


def _cpf_is_valid(digits: str) -> bool:
    return digits[9:] == cpf_check_digits(digits[:9])


def _cnpj_is_valid(digits: str) -> bool:
    return digits[12:] == cnpj_check_digits(digits[:12])


def cpf_cnpj_is_valid(digits: str) -> bool:
    """``digits``: digits only. A CPF (11) or CNPJ (14) whose check digits match."""
    if not digits.isdigit() or len(set(digits)) == 1:
        return False
    if len(digits) == 11:
        return _cpf_is_valid(digits)
    if len(digits) == 14:
        return _cnpj_is_valid(digits)
    return False


def clean_cpf_cnpj(value: Any) -> str | None:
    raw = _text(value, max_length=32, label="O CPF/CNPJ")
    if raw is None:
        return None
    if not _CPF_CNPJ_ALLOWED.match(raw):
        raise ValidationError("CPF/CNPJ deve conter apenas números e pontuação (. - /).")
    digits = only_digits(raw)
    if len(digits) not in (11, 14):
        raise ValidationError("CPF deve ter 11 dígitos e CNPJ 14 dígitos.")
    if not cpf_cnpj_is_valid(digits):
        kind = "CPF" if len(digits) == 11 else "CNPJ"
        raise ValidationError(f"{kind} inválido: dígitos verificadores não conferem.")
    return digits


def clean_address(value: Any) -> str | None:
    return _text(value, max_length=255, label="O endereço")


def clean_city(value: Any) -> str | None:
    return _text(value, max_length=100, label="A cidade")


def clean_state(value: Any) -> str | None:
    state = _text(value, max_length=2, label="A UF")
    if state is None:
        return None
    state = state.upper()
    if state not in BRAZILIAN_STATES:
        raise ValidationError("UF inválida. Informe a sigla de um dos 27 estados brasileiros.")
    return state


def clean_zip_code(value: Any) -> str | None:
    zip_code = _text(value, max_length=9, label="O CEP")
    if zip_code is None:
        return None
    match = _ZIP_CODE.match(zip_code)
    if not match:
        raise ValidationError("CEP inválido. Use o formato 00000-000.")
    return f"{match.group(1)}-{match.group(2)}"


def clean_country(value: Any) -> str:
    return _text(value, max_length=100, label="O país") or DEFAULT_COUNTRY


#: Every field a client or staff member may write, and its rule.
FIELD_CLEANERS: dict[str, Callable[[Any], Any]] = {
    "ds_customer_name": clean_name,
    "ds_customer_email": clean_email,
    "ds_customer_phone": clean_phone,
    "ds_customer_cpf_cnpj": clean_cpf_cnpj,
    "ds_customer_address": clean_address,
    "ds_customer_city": clean_city,
    "ds_customer_state": clean_state,
    "ds_customer_zip_code": clean_zip_code,
    "ds_customer_country": clean_country,
}
WRITABLE_FIELDS = tuple(FIELD_CLEANERS)


def customer_clean(*, data: Mapping[str, Any], creating: bool) -> dict[str, Any]:
    """The writable fields present in ``data``, cleaned (others are ignored). On create the name
    is required; on update only the fields present are checked. Raises ``InvalidInput`` (400)
    with ``{field: [messages]}`` listing every invalid field at once."""
    payload = dict(data)
    if creating and "ds_customer_name" not in payload:
        payload["ds_customer_name"] = None
    return fields_clean(FIELD_CLEANERS, payload)
