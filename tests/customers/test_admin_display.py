"""Staff read documents, CEP, phones and money the way they write them (issue #11): formatted
in the admin's lists and forms, stored and returned by the API unchanged."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from crm.formatting import format_money
from domains.customers.formatting import format_cpf_cnpj, format_phone, format_zip_code
from domains.customers.models import Customer

from .conftest import CNPJ_ACME_DIGITS, CPF_ANA_DIGITS

CHANGELIST = "/admin/customers/customer/"


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def acme(make_customer):
    return make_customer(
        ds_customer_name="ACME",
        ds_customer_cpf_cnpj=CNPJ_ACME_DIGITS,
        ds_customer_zip_code="01310100",
        ds_customer_phone="11987654321",
    )


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        (CPF_ANA_DIGITS, "529.982.247-25"),
        (CNPJ_ACME_DIGITS, "11.222.333/0001-81"),
        ("123", "123"),  # not a document shape: as stored
        (None, ""),
    ],
)
def test_cpf_and_cnpj_are_punctuated(stored, shown):
    assert format_cpf_cnpj(stored) == shown


@pytest.mark.parametrize(
    ("stored", "shown"),
    [("01310100", "01310-100"), ("01310-100", "01310-100"), ("0131", "0131"), (None, "")],
)
def test_zip_codes_are_shown_as_00000_000(stored, shown):
    assert format_zip_code(stored) == shown


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("11987654321", "(11) 98765-4321"),
        ("1134567890", "(11) 3456-7890"),
        ("5511987654321", "+55 (11) 98765-4321"),
        ("(11) 98765-4321", "(11) 98765-4321"),
        ("ramal 22", "ramal 22"),  # free text stays as typed
        ("123", "123"),
    ],
)
def test_brazilian_phones_are_formatted(stored, shown):
    assert format_phone(stored) == shown


@pytest.mark.parametrize(
    ("language", "value", "shown"),
    [
        ("pt-br", Decimal("1250.90"), "R$ 1.250,90"),
        ("pt-br", Decimal("0.5"), "R$ 0,50"),
        ("pt-br", Decimal("-1250.9"), "-R$ 1.250,90"),
        ("pt-br", Decimal("1234567.89"), "R$ 1.234.567,89"),
        ("en", Decimal("1250.90"), "R$1,250.90"),
        ("pt-br", None, "—"),
    ],
)
def test_money_is_shown_in_reais_in_the_active_language(language, value, shown):
    with translation.override(language):
        assert format_money(value) == shown


def test_the_customer_list_shows_documents_and_phones_formatted(staff_client, acme):
    html = staff_client.get(CHANGELIST).content.decode()

    assert "11.222.333/0001-81" in html
    assert "(11) 98765-4321" in html
    assert CNPJ_ACME_DIGITS not in html.replace(f"q={CNPJ_ACME_DIGITS}", "")


def test_the_customer_form_shows_them_formatted_and_saving_it_stores_the_same_values(
    staff_client, acme
):
    url = f"/admin/customers/customer/{acme.pk}/change/"
    form = staff_client.get(url).context["adminform"].form

    assert form.initial["ds_customer_cpf_cnpj"] == "11.222.333/0001-81"
    assert form.initial["ds_customer_zip_code"] == "01310-100"
    assert form.initial["ds_customer_phone"] == "(11) 98765-4321"

    # Saved untouched (as the browser sends it back): what is stored does not change.
    data = {name: form.initial.get(name) or "" for name in form.fields}
    response = staff_client.post(url, data)

    assert response.status_code == 302, response.content
    stored = Customer.objects.get(pk=acme.pk)
    assert stored.ds_customer_cpf_cnpj == CNPJ_ACME_DIGITS
    assert stored.ds_customer_zip_code == "01310-100"
    assert stored.ds_customer_phone == "11987654321"


def test_the_list_dates_are_short_so_the_columns_fit(staff_client, acme):
    html = staff_client.get(CHANGELIST).content.decode()

    assert acme.dt_customer_created_at.astimezone().strftime("%Y") in html
    assert " de 20" not in html.split('id="result_list"')[1].split("</table>")[0]


def test_view_site_leads_to_the_api_docs(staff_client):
    html = staff_client.get("/admin/").content.decode()

    assert 'href="/api/docs"' in html
