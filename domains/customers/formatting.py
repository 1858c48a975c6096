"""Customer data as staff read it: ``11.222.333/0001-81``, ``123.456.789-09``, ``01310-100``,
``(11) 98765-4321``. Display only; what is stored and what the API returns do not change
(CPF/CNPJ digits only, CEP ``00000-000``, the phone as it was typed). A value that does not
have the expected shape is shown as stored."""

from __future__ import annotations

from .validators import only_digits


def format_cpf_cnpj(value: str | None) -> str:
    digits = only_digits(value or "")
    if len(digits) == 11:
        return f"{digits[:3]}.{digits[3:6]}.{digits[6:9]}-{digits[9:]}"
    if len(digits) == 14:
        return f"{digits[:2]}.{digits[2:5]}.{digits[5:8]}/{digits[8:12]}-{digits[12:]}"
    return value or ""


def format_zip_code(value: str | None) -> str:
    digits = only_digits(value or "")
    if len(digits) == 8:
        return f"{digits[:5]}-{digits[5:]}"
    return value or ""


def format_phone(value: str | None) -> str:
    """Brazilian numbers with area code (10 or 11 digits, optionally after +55)."""
    text = value or ""
    digits = only_digits(text)
    if not digits or len(digits) != len("".join(c for c in text if c not in " ()-+.")):
        return text  # letters, extensions...: as typed
    country = ""
    if len(digits) in (12, 13) and digits.startswith("55"):
        country, digits = "+55 ", digits[2:]
    if len(digits) == 11:
        return f"{country}({digits[:2]}) {digits[2:7]}-{digits[7:]}"
    if len(digits) == 10:
        return f"{country}({digits[:2]}) {digits[2:6]}-{digits[6:]}"
    return text
