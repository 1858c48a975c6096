"""POST /auth/login."""

from __future__ import annotations

import pytest
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from .conftest import login

USER_KEYS = {"cd_user", "ds_user", "ds_user_email", "dt_created_at", "is_active", "ds_role"}
GENERIC_401 = {"error": "E-mail ou senha inválidos."}


@pytest.mark.parametrize("path", ["/auth/login", "/auth/login/"])
def test_login_returns_tokens_and_the_user(api_client, user, password, path):
    # when
    response = login(api_client, "ana@example.com", password, path=path)

    # then
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["message", "access_token", "refresh_token", "user"]
    assert body["message"] == "Login realizado com sucesso."
    assert set(body["user"]) == USER_KEYS
    assert body["user"]["cd_user"] == str(user.cd_user)
    assert body["user"]["ds_user_email"] == "ana@example.com"
    assert "password" not in response.content.decode()
    access = AccessToken(body["access_token"])
    refresh = RefreshToken(body["refresh_token"])
    assert access["sub"] == str(user.cd_user)
    assert refresh["sub"] == str(user.cd_user)


def test_login_matches_the_email_case_insensitively(api_client, user, password):
    response = login(api_client, "  ANA@Example.Com ", password)

    assert response.status_code == 200
    assert response.json()["user"]["cd_user"] == str(user.cd_user)


def test_login_updates_last_login(api_client, user, password):
    assert user.last_login is None

    login(api_client, "ana@example.com", password)

    user.refresh_from_db()
    assert user.last_login is not None


def test_login_unknown_email_and_wrong_password_give_the_same_401(api_client, user, password):
    unknown = login(api_client, "ninguem@example.com", password)
    wrong = login(api_client, "ana@example.com", password + "x")

    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json() == wrong.json() == GENERIC_401
    user.refresh_from_db()
    assert user.last_login is None


def test_login_inactive_user_gets_the_generic_401(api_client, user, password):
    user.is_active = False
    user.save()

    response = login(api_client, "ana@example.com", password)

    assert response.status_code == 401
    assert response.json() == GENERIC_401


def test_login_malformed_email_is_just_bad_credentials(api_client, user, password):
    response = login(api_client, "nao-e-email", password)

    assert response.status_code == 401
    assert response.json() == GENERIC_401


def test_login_ignores_a_stale_authorization_header(api_client, user, password):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer garbage")

    response = login(api_client, "ana@example.com", password)

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {},
            {
                "ds_user_email": ["Este campo é obrigatório."],
                "password": ["Este campo é obrigatório."],
            },
        ),
        ({"ds_user_email": "ana@example.com"}, {"password": ["Este campo é obrigatório."]}),
        ({"password": "x"}, {"ds_user_email": ["Este campo é obrigatório."]}),
        ({"ds_user_email": 123, "password": "x"}, {"ds_user_email": ["Informe um texto."]}),
        (
            {"ds_user_email": "ana@example.com", "password": ["x"]},
            {"password": ["Informe um texto."]},
        ),
    ],
)
def test_login_missing_or_wrongly_typed_fields_are_400(api_client, user, body, errors):
    response = api_client.post("/auth/login", body, format="json")

    assert response.status_code == 400
    assert response.json() == {"error": errors}
    user.refresh_from_db()
    assert user.last_login is None


def test_login_malformed_json_is_400(api_client):
    response = api_client.post("/auth/login", "{nope", content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"error": "JSON malformado no corpo da requisição."}


def test_login_empty_body_is_400(api_client):
    response = api_client.post("/auth/login", "", content_type="application/json")

    assert response.status_code == 400
    assert set(response.json()["error"]) == {"ds_user_email", "password"}


@pytest.mark.usefixtures("open_registration")
def test_login_works_for_a_user_registered_through_the_api(api_client, registration):
    api_client.post("/auth/register", registration, format="json")

    response = login(api_client, registration["ds_user_email"].upper(), registration["password"])

    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/auth/login", "/auth/refresh", "/auth/logout"])
@pytest.mark.parametrize("body", ["null", "[]", '"texto"', "7"])
def test_body_that_is_not_an_object_is_400(api_client, path, body):
    response = api_client.post(path, body, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {
        "error": {"non_field_errors": ["O corpo da requisição deve ser um objeto JSON."]}
    }


def test_login_accepts_a_form_encoded_body_as_the_browsable_api_sends(api_client, user, password):
    response = api_client.post(
        "/auth/login",
        {"ds_user_email": "ana@example.com", "password": password},
        format="multipart",
    )

    assert response.status_code == 200
