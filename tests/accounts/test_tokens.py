"""POST /auth/refresh, POST /auth/logout, GET /auth/me and the platform's JWT authentication."""

from __future__ import annotations

from datetime import timedelta

import jwt
import pytest
from django.conf import settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from .conftest import login

INVALID_TOKEN = {"error": "Token inválido ou expirado."}


# --- refresh ------------------------------------------------------------------------------------
@pytest.mark.parametrize("field", ["refresh_token", "refresh"])
@pytest.mark.parametrize("path", ["/auth/refresh", "/auth/refresh/"])
def test_refresh_rotates_the_pair(api_client, user, tokens, field, path):
    # when
    response = api_client.post(path, {field: tokens["refresh_token"]}, format="json")

    # then
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "refresh_token"}
    assert body["refresh_token"] != tokens["refresh_token"]
    assert AccessToken(body["access_token"])["sub"] == str(user.cd_user)
    assert RefreshToken(body["refresh_token"])["sub"] == str(user.cd_user)
    old_jti = RefreshToken(tokens["refresh_token"], verify=False)["jti"]
    assert BlacklistedToken.objects.filter(token__jti=old_jti).exists()


def test_refresh_reusing_a_rotated_token_is_401(api_client, tokens):
    first = api_client.post(
        "/auth/refresh", {"refresh_token": tokens["refresh_token"]}, format="json"
    )
    assert first.status_code == 200

    reused = api_client.post(
        "/auth/refresh", {"refresh_token": tokens["refresh_token"]}, format="json"
    )

    assert reused.status_code == 401
    assert reused.json() == INVALID_TOKEN
    # the rotated (new) token still works
    again = api_client.post(
        "/auth/refresh", {"refresh_token": first.json()["refresh_token"]}, format="json"
    )
    assert again.status_code == 200


def test_refresh_new_access_token_authenticates(api_client, tokens):
    response = api_client.post(
        "/auth/refresh", {"refresh_token": tokens["refresh_token"]}, format="json"
    )

    me = api_client.get("/auth/me", HTTP_AUTHORIZATION=f"Bearer {response.json()['access_token']}")

    assert me.status_code == 200


@pytest.mark.parametrize(
    "token_for",
    [
        pytest.param(lambda user, tokens: "garbage", id="garbage"),
        pytest.param(lambda user, tokens: tokens["access_token"], id="access-token-as-refresh"),
        pytest.param(lambda user, tokens: _expired_refresh(user), id="expired"),
        pytest.param(lambda user, tokens: _foreign_signed_refresh(user), id="foreign-key"),
    ],
)
def test_refresh_with_an_invalid_token_is_401_and_issues_nothing(
    api_client, user, tokens, token_for
):
    token = token_for(user, tokens)
    outstanding_before = OutstandingToken.objects.count()

    response = api_client.post("/auth/refresh", {"refresh_token": token}, format="json")

    assert response.status_code == 401
    assert response.json() == INVALID_TOKEN
    assert OutstandingToken.objects.count() == outstanding_before
    assert BlacklistedToken.objects.count() == 0


def test_refresh_of_an_inactive_user_is_401(api_client, user, tokens):
    user.is_active = False
    user.save()

    response = api_client.post(
        "/auth/refresh", {"refresh_token": tokens["refresh_token"]}, format="json"
    )

    assert response.status_code == 401
    assert response.json() == INVALID_TOKEN


def test_refresh_of_a_deleted_user_is_401(api_client, user, tokens):
    user.delete()

    response = api_client.post(
        "/auth/refresh", {"refresh_token": tokens["refresh_token"]}, format="json"
    )

    assert response.status_code == 401
    assert response.json() == INVALID_TOKEN


@pytest.mark.parametrize("body", [{}, {"refresh_token": ""}, {"refresh": ""}])
def test_refresh_without_a_token_is_400(api_client, body):
    response = api_client.post("/auth/refresh", body, format="json")

    assert response.status_code == 400
    assert response.json() == {"error": {"refresh_token": ["Este campo é obrigatório."]}}


def test_refresh_with_a_wrongly_typed_token_is_400(api_client):
    response = api_client.post("/auth/refresh", {"refresh_token": ["x"]}, format="json")

    assert response.status_code == 400
    assert response.json() == {"error": {"refresh_token": ["Informe um texto."]}}


def test_refresh_malformed_json_is_400(api_client):
    response = api_client.post("/auth/refresh", "{", content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"error": "JSON malformado no corpo da requisição."}


# --- logout -------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/auth/logout", "/auth/logout/"])
def test_logout_revokes_the_refresh_token(api_client, tokens, path):
    # when
    response = api_client.post(path, {"refresh_token": tokens["refresh_token"]}, format="json")

    # then
    assert response.status_code == 200
    assert response.json() == {"message": "Logout realizado com sucesso."}
    refreshed = api_client.post(
        "/auth/refresh", {"refresh_token": tokens["refresh_token"]}, format="json"
    )
    assert refreshed.status_code == 401
    assert refreshed.json() == INVALID_TOKEN


def test_logout_twice_is_401(api_client, tokens):
    api_client.post("/auth/logout", {"refresh_token": tokens["refresh_token"]}, format="json")

    response = api_client.post("/auth/logout", {"refresh": tokens["refresh_token"]}, format="json")

    assert response.status_code == 401
    assert response.json() == INVALID_TOKEN


def test_logout_with_an_invalid_token_is_401(api_client, tokens):
    response = api_client.post("/auth/logout", {"refresh_token": "garbage"}, format="json")

    assert response.status_code == 401
    assert response.json() == INVALID_TOKEN
    assert BlacklistedToken.objects.count() == 0


def test_logout_without_a_token_is_400(api_client):
    response = api_client.post("/auth/logout", {}, format="json")

    assert response.status_code == 400
    assert response.json() == {"error": {"refresh_token": ["Este campo é obrigatório."]}}


def test_logout_leaves_other_sessions_alone(api_client, user, password, tokens):
    other = login(api_client, "ana@example.com", password).json()

    api_client.post("/auth/logout", {"refresh_token": tokens["refresh_token"]}, format="json")

    response = api_client.post(
        "/auth/refresh", {"refresh_token": other["refresh_token"]}, format="json"
    )
    assert response.status_code == 200


# --- me and the platform's authentication ------------------------------------------------------
@pytest.mark.parametrize("path", ["/auth/me", "/auth/me/"])
def test_me_with_a_token_from_login_returns_the_user(api_client, user, tokens, path):
    response = api_client.get(path, HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}")

    assert response.status_code == 200
    assert response.json() == {
        "user": {
            "cd_user": str(user.cd_user),
            "ds_user": "Ana Souza",
            "ds_user_email": "ana@example.com",
            "dt_created_at": response.json()["user"]["dt_created_at"],
            "is_active": True,
            "ds_role": "manager",
        }
    }


def test_me_without_a_token_is_401(api_client):
    response = api_client.get("/auth/me")

    assert response.status_code == 401
    assert response.json() == {
        "error": "Token de acesso ausente. Envie 'Authorization: Bearer <token>'."
    }
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'


@pytest.mark.parametrize(
    "header_for",
    [
        pytest.param(lambda user, tokens: "Bearer garbage", id="garbage"),
        pytest.param(lambda user, tokens: "Bearer a.b.c", id="three-garbage-parts"),
        pytest.param(lambda user, tokens: f"Bearer {_expired_access(user)}", id="expired"),
        pytest.param(
            lambda user, tokens: f"Bearer {tokens['refresh_token']}", id="refresh-as-access"
        ),
        pytest.param(
            lambda user, tokens: f"Bearer {_foreign_signed_access(user)}", id="foreign-key"
        ),
        pytest.param(lambda user, tokens: f"Bearer {_unsigned_access(user)}", id="alg-none"),
    ],
)
def test_me_with_an_invalid_token_is_401(api_client, user, tokens, header_for):
    response = api_client.get("/auth/me", HTTP_AUTHORIZATION=header_for(user, tokens))

    assert response.status_code == 401
    assert response.json() == INVALID_TOKEN


def test_me_with_another_scheme_is_401(api_client, tokens):
    response = api_client.get("/auth/me", HTTP_AUTHORIZATION=f"Token {tokens['access_token']}")

    assert response.status_code == 401
    assert set(response.json()) == {"error"}


def test_me_for_a_deleted_user_is_401(api_client, user, tokens):
    # given: the token is still valid (checked statelessly), the account is gone
    user.delete()

    response = api_client.get("/auth/me", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}")

    assert response.status_code == 401
    assert response.json() == {"error": "Usuário não encontrado ou inativo."}


def test_me_for_a_deactivated_user_is_401(api_client, user, tokens):
    user.is_active = False
    user.save()

    response = api_client.get("/auth/me", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}")

    assert response.status_code == 401
    assert response.json() == {"error": "Usuário não encontrado ou inativo."}


def test_me_with_a_staff_session_works_in_the_browsable_api(client, staff_user):
    client.force_login(staff_user)

    response = client.get("/auth/me", HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert "staff@example.com" in response.content.decode()


def test_me_post_is_405(api_client, tokens):
    response = api_client.post(
        "/auth/me", {}, HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}"
    )

    assert response.status_code == 405


# --- helpers ------------------------------------------------------------------------------------
def _expired_access(user) -> str:
    token = AccessToken.for_user(user)
    token.set_exp(lifetime=-timedelta(seconds=1))
    return str(token)


def _expired_refresh(user) -> str:
    token = RefreshToken.for_user(user)
    token.set_exp(lifetime=-timedelta(seconds=1))
    return str(token)


def _claims(user, token_type: str) -> dict:
    token = (AccessToken if token_type == "access" else RefreshToken)()
    token["sub"] = str(user.cd_user)
    return dict(token.payload)


def _foreign_signed_access(user) -> str:
    return jwt.encode(_claims(user, "access"), "not-our-key-" * 4, algorithm="HS256")


def _foreign_signed_refresh(user) -> str:
    return jwt.encode(_claims(user, "refresh"), "not-our-key-" * 4, algorithm="HS256")


def _unsigned_access(user) -> str:
    return jwt.encode(_claims(user, "access"), None, algorithm="none")


def test_signing_key_is_the_jwt_secret_not_the_django_secret():
    assert settings.SIMPLE_JWT["SIGNING_KEY"] == settings.JWT_SECRET_KEY
    assert settings.JWT_SECRET_KEY != settings.SECRET_KEY
