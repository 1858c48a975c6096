"""The OpenAPI document describes the auth endpoints with the seed's shapes."""

from __future__ import annotations

import pytest


@pytest.fixture
def schema(api_client) -> dict:
    response = api_client.get("/api/schema", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def _component(schema: dict, ref: dict) -> dict:
    return schema["components"]["schemas"][ref["$ref"].rsplit("/", 1)[1]]


def _body(schema: dict, operation: dict) -> dict:
    return _component(schema, operation["requestBody"]["content"]["application/json"]["schema"])


def _answer(schema: dict, operation: dict, status: str) -> dict:
    return _component(
        schema, operation["responses"][status]["content"]["application/json"]["schema"]
    )


@pytest.mark.parametrize(
    ("path", "method", "statuses"),
    [
        ("/auth/register", "post", {"201", "400", "409"}),
        ("/auth/login", "post", {"200", "400", "401"}),
        ("/auth/refresh", "post", {"200", "400", "401"}),
        ("/auth/logout", "post", {"200", "400", "401"}),
        ("/auth/me", "get", {"200", "401"}),
    ],
)
def test_every_auth_endpoint_is_documented_in_portuguese(schema, path, method, statuses):
    operation = schema["paths"][path][method]

    assert set(operation["responses"]) >= statuses
    assert operation["summary"]
    assert operation["tags"] == ["Autenticação"]


@pytest.mark.parametrize("path", ["/auth/register", "/auth/login", "/auth/refresh", "/auth/logout"])
def test_public_auth_endpoints_require_no_credentials(schema, path):
    operation = schema["paths"][path]["post"]

    assert operation.get("security", [{}]) in ([{}], [])


def test_me_requires_credentials(schema):
    assert schema["paths"]["/auth/me"]["get"]["security"]


def test_register_documents_its_body_and_never_a_password_in_the_answer(schema):
    operation = schema["paths"]["/auth/register"]["post"]

    body = _body(schema, operation)
    assert set(body["required"]) == {"ds_user", "ds_user_email", "password"}
    answer = _answer(schema, operation, "201")
    assert set(answer["properties"]) == {"message", "user"}
    user = _component(schema, answer["properties"]["user"])
    assert set(user["properties"]) == {
        "cd_user",
        "ds_user",
        "ds_user_email",
        "dt_created_at",
        "is_active",
        "ds_role",
    }


def test_login_documents_the_tokens(schema):
    answer = _answer(schema, schema["paths"]["/auth/login"]["post"], "200")

    assert set(answer["properties"]) == {"message", "access_token", "refresh_token", "user"}


def test_refresh_documents_the_new_pair(schema):
    operation = schema["paths"]["/auth/refresh"]["post"]

    assert set(_body(schema, operation)["properties"]) == {"refresh_token", "refresh"}
    assert set(_answer(schema, operation, "200")["properties"]) == {"access_token", "refresh_token"}
