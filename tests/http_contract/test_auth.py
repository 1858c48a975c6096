"""/auth: the seed's register and login, and our refresh, logout and me."""

from __future__ import annotations

import httpx

from .client import expect, expect_error, new_client, tag
from .conftest import PASSWORD, Account


def test_register_answers_the_user_without_any_password_and_stores_the_email_lower_cased(
    anonymous: httpx.Client,
):
    email = f"{tag()}@Contrato.Example.com"

    body = expect(
        anonymous.post(
            "/auth/register",
            json={"ds_user": "Bruna Lima", "ds_user_email": email, "password": PASSWORD},
        ),
        201,
    )

    assert set(body) == {"message", "user"}
    user = body["user"]
    assert user["ds_user"] == "Bruna Lima"
    assert user["ds_user_email"] == email.lower()
    assert user["cd_user"]
    assert user["is_active"] is True
    assert user["ds_role"] == "manager"  # the seed's behaviour: CRM_REGISTRATION_ROLE=manager
    assert not {key for key in user if "password" in key}

    again = anonymous.post(
        "/auth/register",
        json={"ds_user": "Outra", "ds_user_email": email.upper(), "password": PASSWORD},
    )
    assert isinstance(expect_error(again, 409), str)


def test_register_refuses_invalid_fields_by_name(anonymous: httpx.Client):
    error = expect_error(
        anonymous.post(
            "/auth/register",
            json={"ds_user": "", "ds_user_email": "sem-arroba", "password": PASSWORD},
        ),
        400,
    )

    assert {"ds_user", "ds_user_email"} <= set(error)


def test_login_answers_the_seed_envelope_and_one_401_for_any_bad_credential(
    anonymous: httpx.Client, manager: Account
):
    body = expect(
        anonymous.post(
            "/auth/login/", json={"ds_user_email": manager.email.upper(), "password": PASSWORD}
        ),
        200,
    )
    assert {"message", "access_token", "user"} <= set(body)
    assert body["user"]["cd_user"] == manager.cd_user
    assert body["user"]["ds_user_email"] == manager.email

    wrong_password = anonymous.post(
        "/auth/login", json={"ds_user_email": manager.email, "password": "errada-123456"}
    )
    unknown_email = anonymous.post(
        "/auth/login", json={"ds_user_email": f"{tag()}@contrato.example.com", "password": "x"}
    )
    missing_fields = anonymous.post("/auth/login", json={})

    assert expect_error(wrong_password, 401) == expect_error(unknown_email, 401)
    assert missing_fields.status_code in {400, 401}, missing_fields.text
    expect_error(missing_fields, missing_fields.status_code)


def test_me_needs_a_valid_bearer_token(contract_url: str, manager: Account):
    with new_client(contract_url, manager.access_token) as client:
        assert expect(client.get("/auth/me"), 200)["user"]["cd_user"] == manager.cd_user
    with new_client(contract_url) as client:
        expect_error(client.get("/auth/me"), 401)
    with new_client(contract_url, "nao.e.um-token") as client:
        expect_error(client.get("/auth/me"), 401)
        expect_error(client.get("/api/customers"), 401)


def test_refresh_rotates_and_logout_revokes_that_login_only(
    contract_url: str, manager: Account, api: httpx.Client
):
    with new_client(contract_url) as client:
        login = expect(
            client.post("/auth/login", json={"ds_user_email": manager.email, "password": PASSWORD}),
            200,
        )
        pair = expect(
            client.post("/auth/refresh", json={"refresh_token": login["refresh_token"]}), 200
        )
        assert pair["access_token"] and pair["refresh_token"]
        assert pair["refresh_token"] != login["refresh_token"]
        # The refresh token sent is spent: rotation means it cannot mint a second pair.
        expect_error(
            client.post("/auth/refresh", json={"refresh_token": login["refresh_token"]}), 401
        )

    with new_client(contract_url, pair["access_token"]) as client:
        assert expect(client.get("/auth/me"), 200)["user"]["cd_user"] == manager.cd_user
        expect(client.post("/auth/logout", json={"refresh_token": pair["refresh_token"]}), 200)
        # Every access token of that login is refused from the next request on, in every
        # process serving the API...
        expect_error(client.get("/auth/me"), 401)
        expect_error(client.get("/api/customers"), 401)
    with new_client(contract_url, login["access_token"]) as client:
        expect_error(client.get("/auth/me"), 401)
    with new_client(contract_url) as client:
        expect_error(
            client.post("/auth/refresh", json={"refresh_token": pair["refresh_token"]}), 401
        )
    # ... while the user's other logins stay valid.
    assert expect(api.get("/auth/me"), 200)["user"]["cd_user"] == manager.cd_user


def test_a_body_that_is_not_json_is_a_400(anonymous: httpx.Client):
    response = anonymous.post(
        "/auth/login", content=b"{ds_user_email:", headers={"Content-Type": "application/json"}
    )

    assert isinstance(expect_error(response, 400), str)
