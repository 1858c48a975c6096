"""Deployment defaults: ``check --deploy`` is clean behind an HTTPS proxy, every HTTPS-only
setting can be switched off for a plain-HTTP lab, and the browsable API's session login is for
staff only (or absent)."""

from __future__ import annotations

import secrets

import pytest
from django.test import Client

from .sandbox import describe, manage, process_env


def production(**variables: str) -> dict[str, str]:
    return {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "JWT_SECRET_KEY": secrets.token_urlsafe(50),
        **variables,
    }


def test_check_deploy_has_no_warning_behind_an_https_proxy(app_copy, tmp_path):
    env = process_env(app_copy, tmp_path / "var", **production(BEHIND_HTTPS_PROXY="true"))

    result = manage("check", "--deploy", "--fail-level", "WARNING", root=app_copy, env=env)

    assert result.returncode == 0, describe(result)
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize(
    ("variables", "warnings"),
    [
        pytest.param(
            {"BEHIND_HTTPS_PROXY": "false"},
            {"security.W004", "security.W008", "security.W012", "security.W016"},
            id="plain-http-lab",
        ),
        pytest.param(
            {"BEHIND_HTTPS_PROXY": "true", "SECURE_SSL_REDIRECT": "false"},
            {"security.W008"},
            id="proxy-redirects-itself",
        ),
    ],
)
def test_each_https_setting_can_be_switched_off(app_copy, tmp_path, variables, warnings):
    env = process_env(app_copy, tmp_path / "var", **production(**variables))

    result = manage("check", "--deploy", root=app_copy, env=env)

    found = {word.strip(":()") for word in result.stderr.split() if word.startswith("(security.")}
    found |= {word.strip(":()") for word in result.stdout.split() if word.startswith("(security.")}
    assert found == warnings, describe(result)


@pytest.fixture
def behind_https_proxy(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    return settings


def test_behind_the_proxy_plain_http_is_redirected_and_https_gets_hsts(behind_https_proxy):
    client = Client()  # a new client builds its middleware with these settings

    plain = client.get("/api/customers")
    secure = client.get("/api/customers", HTTP_X_FORWARDED_PROTO="https")

    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/api/customers"
    assert secure.status_code == 401
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_the_container_healthcheck_over_plain_http_is_never_redirected(behind_https_proxy):
    response = Client().get("/health")

    assert response.status_code == 200


# --- the browsable API's login page ---------------------------------------------------------
def test_the_browsable_api_login_refuses_a_non_staff_user(client, user, password):
    response = client.post(
        "/api-auth/login/?next=/api/customers/",
        {"username": user.ds_user_email, "password": password},
    )

    assert response.status_code == 200  # the form again, with its error
    assert "_auth_user_id" not in client.session
    assert client.get("/api/customers/", HTTP_ACCEPT="application/json").status_code == 401


def test_the_browsable_api_login_lets_staff_in(client, staff_user, password):
    response = client.post(
        "/api-auth/login/?next=/api/customers/",
        {"username": staff_user.ds_user_email, "password": password},
    )

    assert response.status_code == 302
    assert client.get("/api/customers/", HTTP_ACCEPT="application/json").status_code == 200


def test_the_browsable_api_login_can_be_switched_off(app_copy, tmp_path):
    env = process_env(app_copy, tmp_path / "var", **production(BROWSABLE_API_LOGIN="false"))
    probe = (
        "from django.test import Client; from django.urls import reverse, NoReverseMatch\n"
        "try:\n    reverse('rest_framework:login'); print('LOGIN ROUTE')\n"
        "except NoReverseMatch:\n    print('NO LOGIN ROUTE')\n"
        "print(Client(HTTP_HOST='localhost').get('/api-auth/login/').status_code)\n"
        "print(reverse('rest_framework:logout'))\n"
    )

    result = manage("shell", "--no-imports", "-c", probe, root=app_copy, env=env)

    assert result.returncode == 0, describe(result)
    assert result.stdout.splitlines()[-3:] == ["NO LOGIN ROUTE", "404", "/api-auth/logout/"]
