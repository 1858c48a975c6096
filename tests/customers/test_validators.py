"""CPF/CNPJ check digits and the other field rules shared by the API and the admin."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from domains.customers.validators import (
    BRAZILIAN_STATES,
    clean_cpf_cnpj,
    clean_state,
    clean_zip_code,
    cpf_cnpj_is_valid,
    document_digits,
)


@pytest.mark.parametrize(
    "digits",
    ["52998224725", "11144477735", "12345678909", "11222333000181", "11444777000161"],
)
def test_valid_documents(digits):
    assert cpf_cnpj_is_valid(digits) is True


@pytest.mark.parametrize(
    "digits",
    [
        "52998224726",  # last CPF check digit wrong
        "52998224715",  # first CPF check digit wrong
        "11222333000182",  # last CNPJ check digit wrong
        "11222333000191",  # first CNPJ check digit wrong
        *[str(d) * 11 for d in range(10)],
        *[str(d) * 14 for d in range(10)],
        "123",
        "5299822472a",
    ],
)
def test_invalid_documents(digits):
    assert cpf_cnpj_is_valid(digits) is False


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("529.982.247-25", "52998224725"),
        (" 52998224725 ", "52998224725"),
        ("529 982 247 25", "52998224725"),
        ("11.222.333/0001-81", "11222333000181"),
        ("", None),
        (None, None),
    ],
)
def test_clean_cpf_cnpj_stores_digits_only(raw, stored):
    assert clean_cpf_cnpj(raw) == stored


def test_there_are_27_states_and_input_case_does_not_matter():
    assert len(set(BRAZILIAN_STATES)) == 27
    assert clean_state(" df ") == "DF"
    with pytest.raises(ValidationError):
        clean_state("BR")


@pytest.mark.parametrize(
    ("raw", "stored"), [("01310-100", "01310-100"), ("01310100", "01310-100"), ("", None)]
)
def test_zip_code_is_stored_as_00000_000(raw, stored):
    assert clean_zip_code(raw) == stored


@pytest.mark.parametrize("raw", ["0131-0100", "013101000", "abcde-fgh", "01310 100"])
def test_malformed_zip_codes_are_refused(raw):
    with pytest.raises(ValidationError):
        clean_zip_code(raw)


@pytest.mark.parametrize(
    ("term", "digits"),
    [("529.982", "529982"), ("247-25", "24725"), ("Loja 2", ""), ("ana", ""), ("  ", "")],
)
def test_only_document_like_search_terms_search_documents(term, digits):
    assert document_digits(term) == digits
