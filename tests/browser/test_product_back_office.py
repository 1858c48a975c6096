"""Products in admin, in a browser that asks for English: create, correct, deactivate.

The admin's own strings (model and field names, the action, its message) come from
``locale/en``; the API confirms each step.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.needs("chromium"),
    pytest.mark.django_db(transaction=True, databases="__all__"),
]

STAFF_EMAIL = "equipe@example.com"
STAFF_PASSWORD = "s3nha-Forte-2026"


@pytest.fixture
def browser_locale() -> str:
    return "en-US"


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser(
        ds_user_email=STAFF_EMAIL, ds_user="Equipe CRM", password=STAFF_PASSWORD
    )


@pytest.fixture
def api_get(live_server, staff):
    """GET on the live server's real API with a token from ``/auth/login``."""
    login = urllib.request.Request(
        f"{live_server.url}/auth/login",
        method="POST",
        data=json.dumps({"ds_user_email": STAFF_EMAIL, "password": STAFF_PASSWORD}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(login, timeout=10) as response:
        token = json.loads(response.read())["access_token"]

    def get(path: str) -> tuple[int, dict]:
        request = urllib.request.Request(
            f"{live_server.url}{path}", headers={"Authorization": f"Bearer {token}"}
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    return get


def test_staff_create_correct_and_deactivate_a_product_in_english(
    page, live_server, staff, api_get, admin_login, screenshot
):
    admin_login(page, email=STAFF_EMAIL, password=STAFF_PASSWORD)

    # when: they add a service through the admin form (labels in English)
    page.goto(f"{live_server.url}/admin/products/product/add/")
    assert page.locator("label[for=id_vr_price]").inner_text().casefold().startswith("price")
    page.fill("#id_ds_product_name", "Consultoria tributária")
    page.fill("#id_ds_product_description", "Planejamento tributário anual.")
    page.fill("#id_vr_price", "1500.00")
    page.select_option("#id_id_product_type", "servico")
    page.click("input[name=_continue]")
    page.wait_for_url("**/admin/products/product/*/change/")

    # ... and correct its price on the change page
    page.fill("#id_vr_price", "1750.50")
    page.click("input[name=_save]")
    page.wait_for_url(f"{live_server.url}/admin/products/product/")

    # then: the API has the corrected price, as a decimal string
    status, body = api_get("/api/products")
    assert status == 200
    [product] = body["products"]
    assert (product["ds_product_name"], product["vr_price"], product["id_product_type"]) == (
        "Consultoria tributária",
        "1750.50",
        "servico",
    )

    # when: they deactivate it with the (translated) admin action
    page.locator("#result_list tbody tr").first.locator("input.action-select").check()
    page.select_option("select[name=action]", label="Deactivate selected products")
    page.click("button[name=index]")
    page.wait_for_load_state()

    # then: the message is English, and the API's default list (active only) is empty
    assert page.locator(".messagelist .success").inner_text() == "1 product deactivated."
    status, body = api_get("/api/products")
    assert (status, body["products"], body["total"]) == (200, [], 0)
    status, body = api_get(f"/api/products/{product['cd_product']}")
    assert status == 200
    assert body["product"]["is_active"] is False
