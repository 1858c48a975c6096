"""User management for admins: GET /api/users, GET/PATCH /api/users/<cd_user>."""

from __future__ import annotations

import uuid

import pytest
from rest_framework.test import APIClient

from tests.conftest import bearer_for, with_role

FORBIDDEN = {"error": "Você não tem permissão para executar esta ação."}
MANAGED_KEYS = {
    "cd_user",
    "ds_user",
    "ds_user_email",
    "dt_created_at",
    "is_active",
    "ds_role",
    "is_staff",
    "last_login",
}


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=bearer_for(user))
    return client


@pytest.fixture
def people(django_user_model, password) -> dict:
    made = {}
    for name, role in [
        ("Alice", "admin"),
        ("Bruno", "manager"),
        ("Carla", "sales"),
        ("Davi", "viewer"),
        ("Eva", "viewer"),
    ]:
        user = django_user_model.objects.create_user(
            ds_user_email=f"{name.lower()}@example.com", password=password, ds_user=name
        )
        made[name] = with_role(user, role)
    return made


@pytest.fixture
def admin(people) -> APIClient:
    return client_for(people["Alice"])


def test_the_list_is_the_seed_envelope_ordered_by_name(admin):
    response = admin.get("/api/users", {"per_page": 2})

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"users", "total", "pages", "current_page", "per_page", "next_cursor"}
    assert (body["total"], body["pages"], body["current_page"], body["per_page"]) == (5, 3, 1, 2)
    assert [u["ds_user"] for u in body["users"]] == ["Alice", "Bruno"]
    assert set(body["users"][0]) == MANAGED_KEYS
    assert body["users"][0]["ds_role"] == "admin"


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ({"ds_role": "viewer"}, ["Davi", "Eva"]),
        ({"ds_role": "admin"}, ["Alice"]),
        ({"search": "CARLA@"}, ["Carla"]),
        ({"is_active": "false"}, []),
    ],
)
def test_the_list_filters(admin, query, names):
    response = admin.get("/api/users", query)

    assert [u["ds_user"] for u in response.json()["users"]] == names


@pytest.mark.parametrize("query", [{"ds_role": "chefe"}, {"is_active": "talvez"}])
def test_a_bad_filter_is_a_400_in_portuguese(admin, query):
    response = admin.get("/api/users", query)

    assert response.status_code == 400
    assert set(response.json()["error"]) == set(query)


@pytest.mark.parametrize("name", ["Bruno", "Carla", "Davi"])
def test_only_admins_manage_users(people, name):
    client = client_for(people[name])
    target = people["Eva"].pk

    assert client.get("/api/users").json() == FORBIDDEN
    assert client.get(f"/api/users/{target}").json() == FORBIDDEN
    assert client.patch(f"/api/users/{target}", {"ds_role": "admin"}, format="json").json() == (
        FORBIDDEN
    )
    people["Eva"].refresh_from_db()
    assert people["Eva"].ds_role == "viewer"


def test_detail_and_unknown_and_malformed_ids(admin, people):
    found = admin.get(f"/api/users/{people['Carla'].pk}/")
    unknown = admin.get(f"/api/users/{uuid.uuid4()}")
    malformed = admin.get("/api/users/123")

    assert found.status_code == 200
    assert found.json()["user"]["ds_role"] == "sales"
    assert (unknown.status_code, unknown.json()) == (404, {"error": "Usuário não encontrado."})
    assert malformed.status_code == 400


def test_an_admin_changes_role_name_status_and_admin_access(admin, people, password):
    eva = people["Eva"]
    eva_client = client_for(eva)
    assert eva_client.post("/api/customers", {"ds_customer_name": "X"}, format="json").json() == (
        FORBIDDEN
    )

    response = admin.patch(
        f"/api/users/{eva.pk}",
        {"ds_role": "sales", "ds_user": "  Eva Lima ", "is_staff": True},
        format="json",
    )

    assert response.status_code == 200
    body = response.json()
    assert body["message"] == "Usuário atualizado com sucesso."
    assert (body["user"]["ds_role"], body["user"]["ds_user"], body["user"]["is_staff"]) == (
        "sales",
        "Eva Lima",
        True,
    )
    eva.refresh_from_db()
    assert list(eva.groups.values_list("name", flat=True)) == ["sales"]
    # the role change revokes the token she held; a new one carries the new role at once
    assert eva_client.get("/api/customers").status_code == 401
    eva_client = client_for(eva)
    assert (
        eva_client.post("/api/customers", {"ds_customer_name": "X"}, format="json").status_code
        == 201
    )

    deactivated = admin.patch(f"/api/users/{eva.pk}", {"is_active": False}, format="json")

    assert deactivated.json()["user"]["is_active"] is False
    assert eva_client.get("/api/customers").status_code in {401, 403}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"ds_role": "chefe"}, "ds_role"),
        ({"ds_role": None}, "ds_role"),
        ({"is_active": "sim"}, "is_active"),
        ({"is_active": 1}, "is_active"),
        ({"is_staff": "true"}, "is_staff"),
        ({"ds_user": ""}, "ds_user"),
        ({"ds_user": 42}, "ds_user"),
        ({"ds_user": "x" * 151}, "ds_user"),
    ],
)
def test_invalid_changes_are_400_in_portuguese_and_change_nothing(admin, people, body, field):
    davi = people["Davi"]

    response = admin.patch(f"/api/users/{davi.pk}", body, format="json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert set(error) == {field}
    assert not any(word in str(error).lower() for word in ("valid", "required", "not a"))
    davi.refresh_from_db()
    assert (davi.ds_role, davi.is_active, davi.ds_user) == ("viewer", True, "Davi")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"ds_role": "viewer"}, "ds_role"),
        ({"is_active": False}, "is_active"),
        ({"is_staff": False}, "is_staff"),
    ],
)
def test_an_admin_cannot_lock_themselves_out(admin, people, body, field):
    response = admin.patch(f"/api/users/{people['Alice'].pk}", body, format="json")

    assert response.status_code == 400
    assert set(response.json()["error"]) == {field}
    people["Alice"].refresh_from_db()
    assert people["Alice"].ds_role == "admin" and people["Alice"].is_active


def test_put_is_not_served(admin, people):
    response = admin.put(f"/api/users/{people['Davi'].pk}", {"ds_role": "admin"}, format="json")

    assert response.status_code == 405
