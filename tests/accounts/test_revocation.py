"""Revocation that bites: a logged-out login, a deactivated, deleted or re-passworded user, or
an explicit revocation, is refused on every endpoint from the next request on — checked against
the shared cache (the real Redis), with the database only behind a cache miss."""

from __future__ import annotations

import uuid
from datetime import timedelta

import jwt
import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework_simplejwt.tokens import AccessToken

from domains.accounts import interface, services
from domains.accounts.models import RevokedSession
from tests.conftest import cache_clear_this_run, with_role

from .conftest import login

REVOKED = {"error": "Token revogado. Faça login novamente."}
GONE = {"error": "Usuário não encontrado ou inativo."}
#: One read endpoint per domain, and a write: "refused on every endpoint".
PROTECTED = ["/auth/me", "/api/customers", "/api/products", "/api/transactions/summary"]


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def assert_refused(api_client, access_token: str, body: dict) -> None:
    for path in PROTECTED:
        response = api_client.get(path, **bearer(access_token))
        assert (path, response.status_code, response.json()) == (path, 401, body)
    created = api_client.post(
        "/api/customers",
        {"ds_customer_name": "Não deve existir"},
        format="json",
        **bearer(access_token),
    )
    assert created.status_code == 401


def assert_accepted(api_client, access_token: str) -> None:
    for path in PROTECTED:
        response = api_client.get(path, **bearer(access_token))
        assert (path, response.status_code) == (path, 200)


@pytest.fixture
def session(api_client, user, password) -> dict:
    response = login(api_client, user.ds_user_email, password)
    assert response.status_code == 200
    return response.json()


# --- logout ---------------------------------------------------------------------------------
def test_logout_revokes_the_access_token_of_that_login_everywhere(api_client, session):
    assert_accepted(api_client, session["access_token"])

    response = api_client.post(
        "/auth/logout", {"refresh_token": session["refresh_token"]}, format="json"
    )

    assert response.status_code == 200
    assert_refused(api_client, session["access_token"], REVOKED)


def test_logout_after_a_refresh_also_revokes_the_access_tokens_issued_before_it(
    api_client, session
):
    rotated = api_client.post(
        "/auth/refresh", {"refresh_token": session["refresh_token"]}, format="json"
    ).json()

    api_client.post("/auth/logout", {"refresh_token": rotated["refresh_token"]}, format="json")

    assert_refused(api_client, session["access_token"], REVOKED)
    assert_refused(api_client, rotated["access_token"], REVOKED)


def test_logout_leaves_the_other_logins_of_the_same_user_working(
    api_client, user, password, session
):
    other = login(api_client, user.ds_user_email, password).json()

    api_client.post("/auth/logout", {"refresh_token": session["refresh_token"]}, format="json")

    assert_accepted(api_client, other["access_token"])
    refreshed = api_client.post(
        "/auth/refresh", {"refresh_token": other["refresh_token"]}, format="json"
    )
    assert refreshed.status_code == 200


def test_a_logout_survives_the_cache_being_emptied(api_client, session):
    # given: logged out, then Redis loses everything (restart, eviction)
    api_client.post("/auth/logout", {"refresh_token": session["refresh_token"]}, format="json")
    cache_clear_this_run()

    # then: the database is the truth behind the cache
    assert_refused(api_client, session["access_token"], REVOKED)


def test_expired_revocations_are_purged_at_the_next_logout(api_client, user, password):
    first = login(api_client, user.ds_user_email, password).json()
    api_client.post("/auth/logout", {"refresh_token": first["refresh_token"]}, format="json")
    RevokedSession.objects.update(dt_expires=RevokedSession.objects.get().dt_revoked)
    second = login(api_client, user.ds_user_email, password).json()

    api_client.post("/auth/logout", {"refresh_token": second["refresh_token"]}, format="json")

    assert RevokedSession.objects.count() == 1
    assert RevokedSession.objects.get().dt_expires > RevokedSession.objects.get().dt_revoked + (
        settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"] - timedelta(minutes=1)
    )


# --- the user changes -------------------------------------------------------------------------
def test_deactivation_through_the_service_revokes_every_token(api_client, user, session):
    assert_accepted(api_client, session["access_token"])  # cached as good

    services.user_set_active(user_ids=[user.cd_user], is_active=False)

    assert_refused(api_client, session["access_token"], GONE)
    refreshed = api_client.post(
        "/auth/refresh", {"refresh_token": session["refresh_token"]}, format="json"
    )
    assert refreshed.status_code == 401


def test_reactivation_does_not_bring_old_tokens_back(api_client, user, password, session):
    services.user_set_active(user_ids=[user.cd_user], is_active=False)
    services.user_set_active(user_ids=[user.cd_user], is_active=True)

    assert_refused(api_client, session["access_token"], REVOKED)
    assert_accepted(
        api_client, login(api_client, user.ds_user_email, password).json()["access_token"]
    )


def test_deactivation_by_saving_the_user_revokes_every_token(api_client, staff_user, user, session):
    assert_accepted(api_client, session["access_token"])
    user.refresh_from_db()
    user.is_active = False

    user.save()  # what the admin's change form does when "ativo" is unticked

    assert_refused(api_client, session["access_token"], GONE)


def test_deactivation_by_the_admin_action_revokes_every_token(
    api_client, staff_user, user, session
):
    assert_accepted(api_client, session["access_token"])
    staff = Client()
    staff.force_login(staff_user)

    staff.post(
        "/admin/accounts/user/",
        {"action": "deactivate_users", "_selected_action": [str(user.cd_user)]},
    )

    assert_refused(api_client, session["access_token"], GONE)


def test_deletion_in_the_admin_revokes_every_token(api_client, staff_user, user, session):
    assert_accepted(api_client, session["access_token"])
    staff = Client()
    staff.force_login(staff_user)

    response = staff.post(f"/admin/accounts/user/{user.cd_user}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert_refused(api_client, session["access_token"], GONE)


def test_bulk_deletion_in_the_admin_revokes_every_token(api_client, staff_user, user, session):
    assert_accepted(api_client, session["access_token"])
    staff = Client()
    staff.force_login(staff_user)

    staff.post(
        "/admin/accounts/user/",
        {"action": "delete_selected", "_selected_action": [str(user.cd_user)], "post": "yes"},
    )

    assert_refused(api_client, session["access_token"], GONE)


def test_a_password_change_revokes_every_token_and_the_new_password_logs_in(
    api_client, user, session
):
    assert_accepted(api_client, session["access_token"])
    user.refresh_from_db()
    user.set_password("outra-Senha-Forte-9")

    user.save()

    assert_refused(api_client, session["access_token"], REVOKED)
    assert (
        api_client.post(
            "/auth/refresh", {"refresh_token": session["refresh_token"]}, format="json"
        ).status_code
        == 401
    )
    fresh = login(api_client, user.ds_user_email, "outra-Senha-Forte-9").json()
    assert_accepted(api_client, fresh["access_token"])


def test_a_password_change_in_the_admin_revokes_every_token(api_client, staff_user, user, session):
    assert_accepted(api_client, session["access_token"])
    staff = Client()
    staff.force_login(staff_user)

    response = staff.post(
        f"/admin/accounts/user/{user.cd_user}/password/",
        {"password1": "outra-Senha-Forte-9", "password2": "outra-Senha-Forte-9"},
    )

    assert response.status_code == 302
    assert_refused(api_client, session["access_token"], REVOKED)


def test_other_saves_of_the_user_revoke_nothing(api_client, user, session):
    user.refresh_from_db()
    user.ds_user = "Ana Maria Souza"

    user.save()
    login(api_client, user.ds_user_email, "s3nha-Forte-2026")  # last_login update

    assert_accepted(api_client, session["access_token"])


def test_the_interface_revokes_every_token_of_a_user_and_leaves_others_alone(
    api_client, django_user_model, user, password, session
):
    other_user = with_role(
        django_user_model.objects.create_user(
            ds_user_email="bruno@example.com", password=password, ds_user="Bruno"
        ),
        "manager",
    )
    other = login(api_client, other_user.ds_user_email, password).json()

    interface.user_tokens_revoke(user_id=user.cd_user)

    assert_refused(api_client, session["access_token"], REVOKED)
    assert (
        api_client.post(
            "/auth/refresh", {"refresh_token": session["refresh_token"]}, format="json"
        ).status_code
        == 401
    )
    assert_accepted(api_client, other["access_token"])
    assert_accepted(
        api_client, login(api_client, user.ds_user_email, password).json()["access_token"]
    )


# --- forged, incomplete and stray tokens ------------------------------------------------------
def _signed(claims: dict) -> str:
    return jwt.encode(claims, settings.SIMPLE_JWT["SIGNING_KEY"], algorithm="HS256")


def _claims_for(user_id) -> dict:
    token = AccessToken()
    token["sub"] = str(user_id)
    return dict(token.payload)


def test_a_well_signed_token_for_a_user_that_does_not_exist_is_refused(api_client):
    token = _signed(_claims_for(uuid.uuid4()))

    assert_refused(api_client, token, GONE)


@pytest.mark.parametrize("claim", ["jti", "exp"])
def test_a_well_signed_token_without_jti_or_exp_is_refused(api_client, user, claim):
    claims = _claims_for(user.cd_user)
    del claims[claim]

    response = api_client.get("/api/customers", **bearer(_signed(claims)))

    assert response.status_code == 401
    assert response.json() == {"error": "Token inválido ou expirado."}


def test_a_well_signed_token_without_its_version_is_refused(api_client, user):
    """Every token we issue says which token version of its user it belongs to (``ver``): one
    without it was not issued by us, whatever its signature, and is never taken for version 0.
    """
    user.nr_token_version = 0  # the version a missing claim used to be taken for
    user.save(update_fields=["nr_token_version"])
    claims = _claims_for(user.cd_user)
    assert "ver" not in claims

    response = api_client.get("/api/customers", **bearer(_signed(claims)))

    assert response.status_code == 401
    assert response.json() == {"error": "Token inválido ou expirado."}
    claims["ver"] = user.nr_token_version  # the same token, complete: accepted
    assert api_client.get("/api/customers", **bearer(_signed(claims))).status_code == 200


def test_a_well_signed_token_whose_subject_is_not_a_uuid_is_refused(api_client):
    response = api_client.get("/api/customers", **bearer(_signed(_claims_for("admin"))))

    assert response.status_code == 401
    assert response.json() == {"error": "Token inválido ou expirado."}


# --- the hot path -----------------------------------------------------------------------------
def test_an_authenticated_request_reads_no_user_table_once_the_state_is_cached(api_client, session):
    assert_accepted(api_client, session["access_token"])  # the first request fills the cache

    with CaptureQueriesContext(connections["default"]) as accounts_queries:
        response = api_client.get("/api/products", **bearer(session["access_token"]))

    assert response.status_code == 200
    assert [query["sql"] for query in accounts_queries.captured_queries] == []


def test_a_cache_miss_reads_the_database_once_and_caches_it(api_client, session):
    with CaptureQueriesContext(connections["default"]) as first:
        api_client.get("/api/products", **bearer(session["access_token"]))
    with CaptureQueriesContext(connections["default"]) as second:
        api_client.get("/api/products", **bearer(session["access_token"]))

    # The miss reads the user row and its revoked sessions once (the rest of the first request's
    # queries load the caller's permission set, cached the same way); the second reads nothing.
    assert sum('"revoked_session"' in query["sql"] for query in first.captured_queries) == 1
    assert len(second) == 0
