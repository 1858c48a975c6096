"""A staff member's day with customers, in a real browser, checked against the real API.

Create a customer in admin, find it by part of its CPF, deactivate it with the admin action, and
see it leave the API's default list; open a customer and read the interactions panel that the
interactions domain contributes to the customers' change page.
"""

from __future__ import annotations

import json
import random
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


def valid_cpf(seed: int) -> str:
    """A CPF with correct check digits, punctuated: ``123.456.789-09``."""
    generator = random.Random(seed)
    digits = [generator.randrange(10) for _ in range(9)]
    while len(set(digits)) == 1:  # 111.111.111-11 and friends are invalid
        digits = [generator.randrange(10) for _ in range(9)]
    for length in (9, 10):
        total = sum(
            digit * weight for digit, weight in zip(digits, range(length + 1, 1, -1), strict=True)
        )
        remainder = total * 10 % 11
        digits.append(0 if remainder == 10 else remainder)
    text = "".join(map(str, digits))
    return f"{text[:3]}.{text[3:6]}.{text[6:9]}-{text[9:]}"


class Api:
    """The real HTTP API of the live server, as a client outside the process would use it."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.token: str | None = None

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        request = urllib.request.Request(
            f"{self.base_url}{path}",
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Content-Type": "application/json", "Accept": "application/json"},
        )
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def login(self, email: str, password: str) -> None:
        status, body = self.call(
            "POST", "/auth/login", {"ds_user_email": email, "password": password}
        )
        assert status == 200, body
        self.token = body["access_token"]


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser(
        ds_user_email=STAFF_EMAIL, ds_user="Equipe CRM", password=STAFF_PASSWORD
    )


@pytest.fixture
def api(live_server, staff) -> Api:
    client = Api(live_server.url)
    client.login(STAFF_EMAIL, STAFF_PASSWORD)
    return client


def _listed_names(api: Api, query: str = "") -> list[str]:
    status, body = api.call("GET", f"/api/customers{query}")
    assert status == 200, body
    return [customer["ds_customer_name"] for customer in body["customers"]]


def test_staff_creates_finds_by_cpf_and_deactivates_a_customer(
    page, live_server, api, admin_login, screenshot
):
    # given: another customer already registered through the API, and staff logged in to admin
    cpf = valid_cpf(2026)
    other_cpf = valid_cpf(7)
    assert cpf[:7] != other_cpf[:7]
    status, body = api.call(
        "POST",
        "/api/customers",
        {"ds_customer_name": "Bruno Lima", "ds_customer_cpf_cnpj": other_cpf},
    )
    assert status == 201, body
    admin_login(page, email=STAFF_EMAIL, password=STAFF_PASSWORD)

    # when: they add a customer through the admin form
    page.goto(f"{live_server.url}/admin/customers/customer/add/")
    page.fill("#id_ds_customer_name", "Carla Mendes")
    page.fill("#id_ds_customer_email", "carla.mendes@example.com")
    page.fill("#id_ds_customer_phone", "(11) 98765-4321")
    page.fill("#id_ds_customer_cpf_cnpj", cpf)
    page.fill("#id_ds_customer_city", "Campinas")
    page.fill("#id_ds_customer_state", "SP")
    page.fill("#id_ds_customer_zip_code", "13015-000")
    screenshot(page, "add-form")
    page.click("input[name=_save]")
    page.wait_for_url(f"{live_server.url}/admin/customers/customer/")

    # then: it is saved, with the CPF stored as digits, and the API lists it as active
    assert "Carla Mendes" in page.locator(".messagelist .success").inner_text()
    status, body = api.call("GET", "/api/customers?search=Carla")
    assert status == 200
    [created] = body["customers"]
    assert created["ds_customer_cpf_cnpj"] == cpf.replace(".", "").replace("-", "")
    assert created["is_customer_active"] is True
    assert _listed_names(api) == ["Bruno Lima", "Carla Mendes"]

    # when: they search the changelist by part of the CPF, typed with its punctuation
    page.fill("#searchbar", cpf[:7])
    page.press("#searchbar", "Enter")
    page.wait_for_url(f"**/admin/customers/customer/?q={cpf[:7]}")
    screenshot(page, "search-by-cpf")

    # then: only that customer is listed
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1
    assert "Carla Mendes" in rows.first.inner_text()

    # when: they select it and run "Desativar clientes selecionados"
    rows.first.locator("input.action-select").check()
    page.select_option("select[name=action]", label="Desativar clientes selecionados")
    page.click("button[name=index]")
    page.wait_for_load_state()

    # then: admin confirms, and the API's default list (active only) no longer has it
    assert page.locator(".messagelist .success").inner_text() == "1 cliente desativado."
    assert _listed_names(api) == ["Bruno Lima"]
    status, body = api.call("GET", f"/api/customers/{created['cd_customer']}")
    assert status == 200
    assert body["customer"]["is_customer_active"] is False
    assert _listed_names(api, "?active_only=false") == ["Bruno Lima", "Carla Mendes"]


def test_customer_page_shows_the_interactions_panel(page, live_server, api, admin_login):
    # given: a customer with two interactions, both registered through the real API
    status, body = api.call(
        "POST",
        "/api/customers",
        {"ds_customer_name": "Daniela Rocha", "ds_customer_cpf_cnpj": valid_cpf(99)},
    )
    assert status == 201, body
    customer_id = body["customer"]["cd_customer"]
    for notes, kind in (
        ("Primeiro contato por telefone, pediu proposta.", "ligacao"),
        ("Reunião de fechamento: contrato anual assinado.", "reuniao"),
    ):
        status, body = api.call(
            "POST",
            f"/api/customers/{customer_id}/interactions",
            {"ds_notes": notes, "id_interaction_type": kind},
        )
        assert status == 201, body

    # when: staff open the customer's change page in admin
    admin_login(page, email=STAFF_EMAIL, password=STAFF_PASSWORD)
    page.goto(f"{live_server.url}/admin/customers/customer/{customer_id}/change/")

    # then: the interactions domain's panel is there, with the notes and the author
    panel = page.locator("fieldset.crm-panel")
    assert panel.count() == 1
    assert panel.locator("h2").inner_text().casefold() == "Interações e saldo".casefold()
    rows = panel.locator("tr.crm-interaction")
    assert rows.count() == 2
    newest, oldest = rows.nth(0).inner_text(), rows.nth(1).inner_text()
    assert "Reunião de fechamento: contrato anual assinado." in newest
    assert "Primeiro contato por telefone, pediu proposta." in oldest
    assert "Equipe CRM" in newest
    assert "Equipe CRM" in oldest
