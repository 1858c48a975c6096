"""Inputs an attacker sends to make the server fail: always a 4xx ``{"error"}``, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client

DEEP = 100_000


@pytest.fixture
def raw_client() -> Client:
    # As a real server would: an unhandled exception becomes handler500's answer, not a raise.
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("body", ["[" * DEEP + "]" * DEEP, '{"a":' * DEEP + "1" + "}" * DEEP])
@pytest.mark.parametrize("path", ["/auth/login", "/auth/register", "/auth/refresh"])
@pytest.mark.usefixtures("open_registration")  # closed, /auth/register refuses before parsing
def test_deeply_nested_json_on_the_public_endpoints_is_a_400(raw_client, path, body):
    response = raw_client.post(path, body, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"error": "JSON malformado no corpo da requisição."}


def test_deeply_nested_json_just_under_the_limit_is_a_400_too(raw_client):
    body = '{"ds_user_email": ' + "[" * 900 + "]" * 900 + ', "password": "x"}'

    response = raw_client.post("/auth/login", body, content_type="application/json")

    assert response.status_code == 400
    assert set(response.json()) == {"error"}


def test_deeply_nested_json_on_an_authenticated_endpoint_is_a_400(user):
    from tests.conftest import bearer_for

    client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=bearer_for(user))

    response = client.post(
        "/api/customers", "[" * DEEP + "]" * DEEP, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json() == {"error": "JSON malformado no corpo da requisição."}
