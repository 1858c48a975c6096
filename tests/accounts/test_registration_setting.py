"""CRM_REGISTRATION (open|closed) and CRM_REGISTRATION_ROLE; an admin registers users with a
role whatever the setting."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from tests.conftest import bearer_for, with_role

from .conftest import STRONG_PASSWORD, login

User = get_user_model()
CLOSED = {"error": "O cadastro de usuários está fechado; peça a um administrador."}
ONLY_ADMIN_ROLE = {"error": "Somente um administrador pode escolher o papel."}


def body(email: str = "novo@example.com", **extra) -> dict:
    return {"ds_user": "Novo", "ds_user_email": email, "password": STRONG_PASSWORD, **extra}


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=bearer_for(user))
    return client


@pytest.fixture
def make_user(django_user_model, password):
    def make(role: str):
        user = django_user_model.objects.create_user(
            ds_user_email=f"{role}@example.com", password=password, ds_user=role
        )
        return with_role(user, role)

    return make


def test_closed_is_the_default_with_debug_off(settings):
    assert settings.DEBUG is False
    assert settings.CRM_REGISTRATION == "closed"
    assert settings.CRM_REGISTRATION_ROLE == "viewer"


@pytest.mark.parametrize("role", [None, "viewer", "sales", "manager"])
def test_closed_refuses_anyone_but_an_admin_and_creates_nothing(make_user, role):
    client = client_for(make_user(role)) if role else APIClient()

    response = client.post("/auth/register", body(), format="json")

    assert (response.status_code, response.json()) == (403, CLOSED)
    assert not User.objects.filter(ds_user_email="novo@example.com").exists()


def test_closed_refusal_speaks_english_when_asked():
    response = APIClient().post("/auth/register", body(), format="json", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 403
    assert response.json() == {"error": "Registration is closed; ask an administrator."}


@pytest.mark.parametrize("role", ["admin", "manager", "sales", "viewer"])
def test_an_admin_registers_a_user_with_any_role(make_user, password, role):
    admin = client_for(make_user("admin"))

    response = admin.post("/auth/register", body(ds_role=role), format="json")

    assert response.status_code == 201
    assert response.json()["user"]["ds_role"] == role
    logged_in = login(APIClient(), "novo@example.com", STRONG_PASSWORD)
    assert logged_in.json()["user"]["ds_role"] == role


def test_an_admin_registering_without_a_role_gives_the_registration_role(make_user):
    response = client_for(make_user("admin")).post("/auth/register", body(), format="json")

    assert response.json()["user"]["ds_role"] == "viewer"


def test_an_invalid_role_is_a_400_in_portuguese(make_user):
    response = client_for(make_user("admin")).post(
        "/auth/register", body(ds_role="chefe"), format="json"
    )

    assert response.status_code == 400
    assert set(response.json()["error"]) == {"ds_role"}
    assert "chefe" in response.json()["error"]["ds_role"][0]
    assert not User.objects.filter(ds_user_email="novo@example.com").exists()


@pytest.mark.parametrize("role", ["viewer", "sales", "manager"])
def test_open_registration_gives_the_configured_role(settings, role):
    settings.CRM_REGISTRATION = "open"
    settings.CRM_REGISTRATION_ROLE = role

    response = APIClient().post("/auth/register", body(), format="json")

    assert response.status_code == 201
    assert response.json()["user"]["ds_role"] == role


def test_open_registration_ignores_a_stale_token(settings):
    settings.CRM_REGISTRATION = "open"
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer eyJhbGciOiJIUzI1NiJ9.e30.forged")

    response = client.post("/auth/register", body(), format="json")

    assert response.status_code == 201


@pytest.mark.parametrize("role", [None, "manager"])
def test_in_open_registration_only_an_admin_chooses_the_role(settings, make_user, role):
    settings.CRM_REGISTRATION = "open"
    client = client_for(make_user(role)) if role else APIClient()

    response = client.post("/auth/register", body(ds_role="admin"), format="json")

    assert (response.status_code, response.json()) == (403, ONLY_ADMIN_ROLE)
    assert not User.objects.filter(ds_user_email="novo@example.com").exists()


@pytest.mark.usefixtures("open_registration")
def test_open_as_manager_is_the_seed_every_seed_endpoint_works():
    # given: a seed client registers and logs in, knowing nothing of roles
    client = APIClient()
    assert client.post("/auth/register", body(), format="json").status_code == 201
    token = login(client, "novo@example.com", STRONG_PASSWORD).json()["access_token"]
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    # when / then: every seed endpoint, and the ledger, answer as in the seed
    customer = client.post("/api/customers", {"ds_customer_name": "Loja"}, format="json")
    assert customer.status_code == 201
    cd_customer = customer.json()["customer"]["cd_customer"]
    product = client.post(
        "/api/products", {"ds_product_name": "Serviço A", "vr_price": "10.00"}, format="json"
    )
    assert product.status_code == 201
    cd_product = product.json()["product"]["cd_product"]
    statuses = [
        client.get("/api/customers").status_code,
        client.get(f"/api/customers/{cd_customer}").status_code,
        client.put(
            f"/api/customers/{cd_customer}", {"ds_customer_city": "Santos"}, format="json"
        ).status_code,
        client.post(
            f"/api/customers/{cd_customer}/interactions",
            {"ds_notes": "Primeira visita", "id_interaction_type": "reuniao"},
            format="json",
        ).status_code,
        client.get(f"/api/customers/{cd_customer}/interactions").status_code,
        client.get("/api/products").status_code,
        client.get(f"/api/products/{cd_product}").status_code,
        client.put(f"/api/products/{cd_product}", {"vr_price": "12.00"}, format="json").status_code,
        client.delete(f"/api/products/{cd_product}").status_code,
        client.patch(f"/api/products/{cd_product}/activate").status_code,
        client.delete(f"/api/products/{cd_product}?hard_delete=true").status_code,
        client.get("/api/transactions/summary").status_code,
        client.delete(f"/api/customers/{cd_customer}").status_code,
        client.patch(f"/api/customers/{cd_customer}/activate").status_code,
        client.delete(f"/api/customers/{cd_customer}?hard_delete=true").status_code,
    ]
    assert statuses == [200, 200, 200, 201, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]
