"""One language per page (issue #11): the browsable API and the OpenAPI document are Portuguese
by default and English with ``Accept-Language: en``; nothing falls back to DRF's English guesses
("Customer List Create", "Ds customer cpf cnpj", "Log in") or to developers' docstrings.

The real-browser side (screenshots, word lists on every page) is tests/browser/test_one_language.py.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from .conftest import ROUTES, route_cases
from .html_forms import forms_of

PORTUGUESE = "pt-BR,pt;q=0.9"
ENGLISH = "en-US,en;q=0.9"
TAGS = {
    PORTUGUESE: {"Autenticação", "Clientes", "Produtos", "Interações", "Lançamentos", "Usuários"},
    ENGLISH: {"Authentication", "Customers", "Products", "Interactions", "Transactions", "Users"},
}
TITLES = {
    "/api/customers": ("Clientes", "Customers"),
    "/api/products": ("Produtos e serviços", "Products and services"),
    "/api/customers/{customer}/transactions": (
        "Lançamentos do cliente",
        "Customer's ledger entries",
    ),
    "/api/transactions/summary": ("Fluxo de caixa", "Cash flow"),
}
FORM_LABELS = {
    "/api/customers": (
        ["Nome", "E-mail", "Telefone", "CPF/CNPJ", "Endereço", "Cidade", "UF", "CEP", "País"],
        ["Name", "E-mail", "Phone", "CPF/CNPJ", "Address", "City", "State", "ZIP code", "Country"],
    ),
    "/api/products": (
        ["Nome", "Descrição", "Preço", "Tipo", "Ativo"],
        ["Name", "Description", "Price", "Type", "Active"],
    ),
}


@pytest.fixture
def staff_browser(staff_user) -> Client:
    browser = Client()
    browser.force_login(staff_user)
    return browser


def _view_class(path: str):
    try:
        match = resolve(path)
    except Resolver404:  # declared with a trailing slash; the middleware serves both
        match = resolve(path + "/")
    return match.func.view_class


def _labels(html: str) -> list[str]:
    return [
        re.sub(r"\s+", " ", label).strip()
        for label in re.findall(
            r'<label class="col-sm-2 control-label[^"]*"[^>]*>(.*?)</label>', html, re.S
        )
    ]


@pytest.mark.parametrize(("route", "method"), route_cases(methods={"GET", "POST"}))
def test_every_api_view_has_a_title_and_a_description_of_its_own(existing_ids, route, method):
    view = _view_class(route.path(existing_ids))

    # DRF would otherwise show the class name ("Customer List Create") and the docstring.
    assert getattr(view, "name", None), view
    assert getattr(view, "description", None), view


@pytest.mark.parametrize("template", sorted(TITLES))
@pytest.mark.parametrize(("language", "index"), [(PORTUGUESE, 0), (ENGLISH, 1)])
def test_browsable_pages_are_titled_in_the_clients_language(
    staff_browser, existing_ids, template, language, index
):
    route = next(route for route in ROUTES if route.template == template)

    html = staff_browser.get(
        route.path(existing_ids), HTTP_ACCEPT="text/html", HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()

    title = TITLES[template][index].replace("'", "&#x27;")
    assert f"<title>{title} \N{EN DASH} CRM Finance API</title>" in html
    assert f"<h1>{title}</h1>" in html
    assert "Django REST framework" not in html


@pytest.mark.parametrize("template", sorted(FORM_LABELS))
@pytest.mark.parametrize(("language", "index"), [(PORTUGUESE, 0), (ENGLISH, 1)])
def test_form_labels_are_the_models_verbose_names(
    staff_browser, existing_ids, template, language, index
):
    route = next(route for route in ROUTES if route.template == template)

    html = staff_browser.get(
        route.path(existing_ids), HTTP_ACCEPT="text/html", HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()

    assert _labels(html)[: len(FORM_LABELS[template][index])] == FORM_LABELS[template][index]


@pytest.mark.parametrize(("route", "method"), route_cases(methods={"GET"}))
def test_no_browsable_page_shows_field_names_as_labels_or_rst_markup(
    staff_browser, existing_ids, route, method
):
    if getattr(route, "download", False):
        pytest.skip("a file download (CSV/XLSX), not a browsable page")
    html = staff_browser.get(route.path(existing_ids), HTTP_ACCEPT="text/html").content.decode()

    assert "``" not in html
    for form in forms_of(html):
        for _, name, _ in form.controls:
            guessed = name.replace("_", " ").capitalize()  # DRF's label when none is given
            if name.startswith(("ds_", "vr_", "id_", "is_", "dt_", "cd_")):
                assert f">{guessed}<" not in html.replace("\n", ""), name


def test_the_login_page_of_the_browsable_api_is_portuguese_by_default(client):
    html = client.get("/api-auth/login/").content.decode()

    assert 'value="Entrar"' in html
    assert "Log in" not in html


def test_the_login_page_of_the_browsable_api_is_english_when_asked(client):
    html = client.get("/api-auth/login/", HTTP_ACCEPT_LANGUAGE=ENGLISH).content.decode()

    assert 'value="Log in"' in html


@pytest.mark.parametrize("language", [PORTUGUESE, ENGLISH])
def test_openapi_tags_and_a_summary_for_every_operation_in_the_clients_language(
    api_client, language
):
    schema = api_client.get("/api/schema", {"format": "json"}, HTTP_ACCEPT_LANGUAGE=language).json()

    operations = [
        operation
        for path_item in schema["paths"].values()
        for method, operation in path_item.items()
        if method != "parameters"
    ]
    assert {tag for operation in operations for tag in operation["tags"]} == TAGS[language]
    assert all(operation.get("summary") for operation in operations)
    summaries = {operation["operationId"]: operation["summary"] for operation in operations}
    if language == ENGLISH:
        assert summaries["api_customers_list"] == "List customers"
        assert summaries["transactions_summary"] == "Monthly cash flow of all customers"
        assert schema["info"]["description"].startswith("CRM Finance's REST API")
    else:
        assert summaries["api_customers_list"] == "Lista clientes"
        assert summaries["transactions_summary"] == "Fluxo de caixa mensal de todos os clientes"
        assert schema["info"]["description"].startswith("API REST do CRM Finance")
