"""Every browsable-API form creates what the equivalent JSON creates, defaults included
(issue #11: the product form started with "ativo" unchecked, so a form POST created an
INACTIVE product while JSON creates an active one).

The form is submitted as a browser would submit it untouched, with only the required fields
filled in; the JSON carries only those same fields. Both answers must describe the same row.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.test import Client

from .conftest import ROUTES, route_cases
from .html_forms import html_form_for

#: path template -> the fields a person types into the form (and the JSON carries), with the
#: field whose value must differ between the two submissions (a unique name or e-mail).
CREATE_CASES = {
    "/api/customers": ({"ds_customer_name": "Cliente Via {how}"}, "ds_customer_name"),
    "/api/products": (
        {"ds_product_name": "Produto Via {how}", "vr_price": "1250.90"},
        "ds_product_name",
    ),
    "/api/customers/{customer}/interactions": (
        {"ds_notes": "Ligação registrada via {how}", "id_interaction_type": "ligacao"},
        "ds_notes",
    ),
    "/api/customers/{customer}/transactions": (
        {"vr_transaction": "99.90", "id_transaction_type": "1"},
        None,
    ),
}
#: Differ by nature between two rows.
VOLATILE = {
    "cd_customer",
    "cd_product",
    "cd_interaction",
    "cd_transaction",
    "dt_customer_created_at",
    "dt_customer_updated_at",
    "dt_product_created_at",
    "dt_product_updated_at",
    "dt_created_at",
    "dt_interaction",  # "now" at each request
}
POST_ROUTES = route_cases(methods={"POST"})


@pytest.fixture
def staff_browser(staff_user) -> Client:
    browser = Client()
    browser.force_login(staff_user)
    return browser


def _page(browser: Client, path: str) -> str:
    return browser.get(path, HTTP_ACCEPT="text/html").content.decode()


def _created(body: dict) -> dict:
    [(_, row)] = [(key, value) for key, value in body.items() if key != "message"]
    return {name: value for name, value in row.items() if name not in VOLATILE}


def _typed(case: dict, how: str) -> dict:
    return {name: value.format(how=how) for name, value in case.items()}


@pytest.mark.usefixtures("open_registration")  # closed, the register form is refused
@pytest.mark.parametrize(("route", "method"), POST_ROUTES)
def test_every_post_form_of_the_browsable_api_is_covered_here(
    staff_browser, existing_ids, route, method
):
    form = html_form_for(_page(staff_browser, route.path(existing_ids)))

    if form is not None:
        assert route.template in CREATE_CASES, f"{route.template} has a form: compare it here"


@pytest.mark.parametrize("template", sorted(CREATE_CASES))
def test_a_form_post_creates_the_same_row_as_the_json_post(staff_browser, existing_ids, template):
    typed, unique_field = CREATE_CASES[template]
    path = next(route for route in ROUTES if route.template == template).path(existing_ids)
    form = html_form_for(_page(staff_browser, path))
    assert form is not None
    assert set(typed) <= set(form.names)
    form_data = {**form.defaults, **_typed(typed, "Formulário")}

    from_form = staff_browser.post(path, form_data, HTTP_ACCEPT="application/json")
    from_json = staff_browser.post(
        path, _typed(typed, "JSON"), content_type="application/json", HTTP_ACCEPT="application/json"
    )

    assert from_form.status_code == 201, from_form.content
    assert from_json.status_code == 201, from_json.content
    form_row, json_row = _created(from_form.json()), _created(from_json.json())
    if unique_field:
        assert form_row.pop(unique_field) == _typed(typed, "Formulário")[unique_field]
        assert json_row.pop(unique_field) == _typed(typed, "JSON")[unique_field]
    assert form_row == json_row


def test_the_product_form_starts_active(staff_browser):
    form = html_form_for(_page(staff_browser, "/api/products"))

    assert form.defaults.get("is_active") == "true"


@pytest.mark.parametrize(
    ("template", "model", "envelope"),
    [
        ("/api/products/{product}", "products.Product", "product"),
        ("/api/customers/{customer}", "customers.Customer", "customer"),
    ],
)
def test_an_untouched_update_form_changes_nothing(
    staff_browser, existing_ids, template, model, envelope
):
    # An inactive row: its update form must not start "active" (and reactivate it on save).
    model_class = apps.get_model(model)
    row_id = existing_ids[envelope]
    active_field = "is_active" if envelope == "product" else "is_customer_active"
    model_class.objects.filter(pk=row_id).update(**{active_field: False})
    path = template.format(**existing_ids)
    before = staff_browser.get(path, HTTP_ACCEPT="application/json").json()[envelope]
    form = html_form_for(_page(staff_browser, path), method="PUT")
    assert form is not None

    response = staff_browser.generic(
        "PUT",
        path,
        urlencode({**form.defaults}),
        content_type="application/x-www-form-urlencoded",
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 200, response.content
    after = response.json()[envelope]
    volatile = {"dt_product_updated_at", "dt_customer_updated_at"}
    assert {k: v for k, v in after.items() if k not in volatile} == {
        k: v for k, v in before.items() if k not in volatile
    }
