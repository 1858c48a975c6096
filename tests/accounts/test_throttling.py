"""Throttling of the public auth endpoints, counted in the real Redis: 429 with ``Retry-After``
and a Portuguese ``{"error"}``, refused before any password is hashed."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from .conftest import STRONG_PASSWORD, login

TOO_MANY = re.compile(r"^Muitas requisições\. Tente novamente em \d+ segundos\.$")


def failed_login(client, email="ana@example.com", **extra):
    return client.post(
        "/auth/login", {"ds_user_email": email, "password": "errada-123456"}, format="json", **extra
    )


def assert_throttled(response, max_wait: int) -> None:
    assert response.status_code == 429, response.content
    assert TOO_MANY.match(response.json()["error"]), response.json()
    assert 1 <= int(response["Retry-After"]) <= max_wait


# --- login --------------------------------------------------------------------------------------
def test_the_tenth_rapid_failed_login_for_one_account_from_one_address_is_429(api_client, user):
    statuses = [failed_login(api_client).status_code for _ in range(10)]

    assert statuses[:5] == [401] * 5
    assert 429 in statuses
    assert statuses.index(429) <= 9
    assert_throttled(failed_login(api_client), max_wait=15 * 60)


def test_a_locked_account_is_refused_even_with_the_right_password(api_client, user, password):
    for _ in range(5):
        failed_login(api_client)

    response = login(api_client, user.ds_user_email, password)

    assert_throttled(response, max_wait=15 * 60)
    user.refresh_from_db()
    assert user.last_login is None  # never authenticated: refused before hashing


def test_the_lock_is_per_account(api_client, user, password):
    for _ in range(5):
        failed_login(api_client)

    other = get_user_model().objects.create_user(
        ds_user_email="bruno@example.com", password=password, ds_user="Bruno"
    )

    assert login(api_client, other.ds_user_email, password).status_code == 200


def test_the_lock_counts_the_account_case_and_spaces_insensitively(api_client, user):
    for email in ["ana@example.com", "ANA@example.com", " Ana@Example.com ", "ana@EXAMPLE.com"]:
        failed_login(api_client, email)
    failed_login(api_client, "aNa@example.com")

    assert_throttled(failed_login(api_client), max_wait=15 * 60)


def test_an_unknown_account_locks_the_same_way(api_client):
    for _ in range(5):
        assert failed_login(api_client, "ninguem@example.com").status_code == 401

    assert_throttled(failed_login(api_client, "ninguem@example.com"), max_wait=15 * 60)


def test_a_success_clears_the_failures_from_that_address(api_client, user, password):
    for _ in range(4):
        failed_login(api_client)
    assert login(api_client, user.ds_user_email, password).status_code == 200

    statuses = [failed_login(api_client).status_code for _ in range(4)]

    assert statuses == [401] * 4


def test_failures_from_many_addresses_lock_the_account_everywhere(api_client, user, password):
    # given: a distributed guesser, 4 failures from each of 5 addresses (never 5 from one)
    for host in range(5):
        for _ in range(4):
            assert failed_login(api_client, REMOTE_ADDR=f"10.0.0.{host}").status_code == 401

    # then: the account is locked, also for a fresh address and the right password
    assert_throttled(login(api_client, user.ds_user_email, password), max_wait=3600)
    response = api_client.post(
        "/auth/login",
        {"ds_user_email": user.ds_user_email, "password": password},
        format="json",
        REMOTE_ADDR="10.9.9.9",
    )
    assert_throttled(response, max_wait=3600)


def test_a_forged_x_forwarded_for_does_not_escape_the_limit(api_client, user):
    statuses = [
        failed_login(api_client, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(10)
    ]

    assert statuses[5:] == [429] * 5


def test_logins_per_address_are_limited_across_accounts(api_client, settings):
    settings.CRM_THROTTLE_RATES = {**settings.CRM_THROTTLE_RATES, "login": "3/min"}

    statuses = [failed_login(api_client, f"u{n}@example.com").status_code for n in range(4)]

    assert statuses == [401, 401, 401, 429]
    assert_throttled(failed_login(api_client, "outro@example.com"), max_wait=60)
    # another address is not affected
    assert failed_login(api_client, "outro@example.com", REMOTE_ADDR="10.1.1.1").status_code == 401


def test_password_hashing_has_a_ceiling_for_all_clients_together(api_client, settings):
    settings.CRM_THROTTLE_RATES = {**settings.CRM_THROTTLE_RATES, "password_global": "3/min"}

    statuses = [
        failed_login(api_client, f"u{n}@example.com", REMOTE_ADDR=f"10.0.1.{n}").status_code
        for n in range(4)
    ]

    assert statuses == [401, 401, 401, 429]


def test_a_disabled_scope_does_not_limit(api_client, user, settings):
    settings.CRM_THROTTLE_RATES = {
        **settings.CRM_THROTTLE_RATES,
        "login_failures": "off",
        "login_account_failures": "off",
    }

    statuses = {failed_login(api_client).status_code for _ in range(8)}

    assert statuses == {401}


def test_a_malformed_login_body_is_still_a_400_not_a_throttle_crash(api_client):
    response = api_client.post("/auth/login", "{", content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"error": "JSON malformado no corpo da requisição."}


# --- refresh and register --------------------------------------------------------------------
def test_refreshes_per_account_are_limited(api_client, user, password, settings):
    settings.CRM_THROTTLE_RATES = {**settings.CRM_THROTTLE_RATES, "refresh_account": "2/min"}
    refresh = login(api_client, user.ds_user_email, password).json()["refresh_token"]

    first = api_client.post("/auth/refresh", {"refresh_token": refresh}, format="json")
    second = api_client.post(
        "/auth/refresh", {"refresh_token": first.json()["refresh_token"]}, format="json"
    )
    third = api_client.post(
        "/auth/refresh",
        {"refresh_token": second.json()["refresh_token"]},
        format="json",
        REMOTE_ADDR="10.2.2.2",
    )

    assert (first.status_code, second.status_code) == (200, 200)
    assert_throttled(third, max_wait=60)


def test_refreshes_per_address_are_limited(api_client, settings):
    settings.CRM_THROTTLE_RATES = {**settings.CRM_THROTTLE_RATES, "refresh": "2/min"}

    statuses = [
        api_client.post("/auth/refresh", {"refresh_token": f"x{n}"}, format="json").status_code
        for n in range(3)
    ]

    assert statuses == [401, 401, 429]


@pytest.mark.usefixtures("open_registration")
def test_registrations_per_address_are_limited(api_client, settings):
    settings.CRM_THROTTLE_RATES = {**settings.CRM_THROTTLE_RATES, "register": "2/h"}

    statuses = [
        api_client.post(
            "/auth/register",
            {"ds_user": "X", "ds_user_email": f"x{n}@example.com", "password": STRONG_PASSWORD},
            format="json",
        ).status_code
        for n in range(3)
    ]

    assert statuses[2] == 429
    assert not get_user_model().objects.filter(ds_user_email="x2@example.com").exists()


@pytest.mark.usefixtures("open_registration")
def test_registrations_per_email_are_limited(api_client, settings):
    settings.CRM_THROTTLE_RATES = {**settings.CRM_THROTTLE_RATES, "register_account": "2/h"}
    body = {"ds_user": "X", "ds_user_email": "x@example.com", "password": "curta"}

    statuses = [
        api_client.post(
            "/auth/register", body, format="json", REMOTE_ADDR=f"10.3.3.{n}"
        ).status_code
        for n in range(3)
    ]

    assert statuses == [400, 400, 429]


# --- everyone else ----------------------------------------------------------------------------
def test_anonymous_requests_per_address_are_limited_everywhere(api_client, settings):
    settings.CRM_THROTTLE_RATES = {**settings.CRM_THROTTLE_RATES, "anon": "3/min"}

    statuses = [api_client.get("/api/schema").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]


def test_authenticated_requests_are_not_counted_as_anonymous(auth_client, settings):
    settings.CRM_THROTTLE_RATES = {**settings.CRM_THROTTLE_RATES, "anon": "2/min"}

    statuses = {auth_client.get("/api/customers").status_code for _ in range(5)}

    assert statuses == {200}


def test_when_the_cache_is_down_logins_still_work(api_client, user, password, settings):
    # A Redis that does not answer (nothing listens on port 1): throttles let requests through
    # rather than turning a cache outage into an API outage.
    settings.CACHES = {
        **settings.CACHES,
        "unreachable": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }
    settings.CRM_THROTTLE_CACHE = "unreachable"

    assert failed_login(api_client).status_code == 401
    assert login(api_client, user.ds_user_email, password).status_code == 200


# --- the HTML login forms hash passwords too ---------------------------------------------------
@pytest.mark.parametrize("path", ["/admin/login/", "/api-auth/login/"])
def test_the_login_forms_lock_an_account_like_the_api(client, staff_user, password, path):
    def attempt(secret):
        return client.post(path, {"username": staff_user.ds_user_email, "password": secret})

    statuses = [attempt("errada-123456").status_code for _ in range(5)]
    locked = attempt(password)  # the right password, too late

    assert statuses == [200] * 5  # the form again, with its error
    assert locked.status_code == 429
    assert locked.content.decode().startswith("Muitas requisições. Tente novamente em")
    assert 1 <= int(locked["Retry-After"]) <= 15 * 60
    assert "_auth_user_id" not in client.session


def test_failures_on_the_api_lock_the_admin_login_too(api_client, client, staff_user, password):
    for _ in range(5):
        failed_login(api_client, staff_user.ds_user_email)

    response = client.post(
        "/admin/login/", {"username": staff_user.ds_user_email, "password": password}
    )

    assert response.status_code == 429


def test_a_staff_login_through_the_form_still_works(client, staff_user, password):
    response = client.post(
        "/admin/login/?next=/admin/", {"username": staff_user.ds_user_email, "password": password}
    )

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
