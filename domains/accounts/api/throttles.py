"""Limits on the public auth endpoints (scopes in ``settings.CRM_THROTTLE_RATES``), built on the
platform's shared-cache throttles (``crm.api.throttling``). They run before the view, so a
refused login or registration never reaches password hashing.

* login: per client IP; a lock-out per account and IP after repeated **failures**, and one per
  account from any IP (a distributed guess); every hashing endpoint also counts in a global
  ceiling.
* refresh: per client IP and per account (the token's subject).
* register: per client IP and per e-mail.
"""

from __future__ import annotations

import jwt
from rest_framework_simplejwt.settings import api_settings as jwt_settings

from crm.api.throttling import (
    AnonymousRateThrottle,
    CacheThrottle,
    ClientIPThrottle,
    GlobalThrottle,
    Window,
    hashed,
    is_cache_outage,
    rate_for,
)

from ..models import normalize_email


def _body_field(request, name: str) -> str | None:
    data = request.data  # a malformed body is a ParseError (400) here already, as in the view
    value = data.get(name) if hasattr(data, "get") else None
    return value if isinstance(value, str) else None


def _account(request, field: str = "ds_user_email") -> str | None:
    email = _body_field(request, field)
    return hashed(normalize_email(email)) if email else None


class LoginRateThrottle(ClientIPThrottle):
    scope = "login"


class PasswordHashingGlobalThrottle(GlobalThrottle):
    scope = "password_global"


class LoginFailuresThrottle(CacheThrottle):
    """Locked while this account has had too many failed logins from this IP (counted by
    ``login_failed``); only looks, counts nothing itself."""

    scope = "login_failures"
    counts = False

    def idents(self, request, view) -> list[str]:
        account = _account(request)
        return [f"{account}:{self.get_ident(request)}"] if account else []


class LoginAccountFailuresThrottle(CacheThrottle):
    """Locked while this account has had too many failed logins from anywhere."""

    scope = "login_account_failures"
    counts = False

    def idents(self, request, view) -> list[str]:
        account = _account(request)
        return [account] if account else []


LOGIN_THROTTLES = [
    AnonymousRateThrottle,
    LoginRateThrottle,
    LoginFailuresThrottle,
    LoginAccountFailuresThrottle,
    PasswordHashingGlobalThrottle,
]


def _failure_windows(request) -> list[tuple[Window, str]]:
    account = _account(request)
    if not account:
        return []
    ip = LoginFailuresThrottle().get_ident(request)
    windows = []
    for scope, ident in (
        ("login_failures", f"{account}:{ip}"),
        ("login_account_failures", account),
    ):
        rate = rate_for(scope)
        if rate is not None:
            windows.append((Window(scope, rate), ident))
    return windows


def login_failed(request) -> None:
    """Count a failed login against the account (from this IP, and from anywhere)."""
    try:
        for window, ident in _failure_windows(request):
            window.hit(ident)
    except Exception as error:
        if not is_cache_outage(error):
            raise


def login_succeeded(request) -> None:
    """The right password from this IP clears that IP's failures (not the account-wide ones,
    which a distributed guesser would otherwise reset with one good login of its own)."""
    try:
        for window, ident in _failure_windows(request):
            if window.scope == "login_failures":
                window.reset(ident)
    except Exception as error:
        if not is_cache_outage(error):
            raise


class RefreshRateThrottle(ClientIPThrottle):
    scope = "refresh"


class RefreshAccountThrottle(CacheThrottle):
    """Per account: the refresh token's subject, read without verifying (the view verifies);
    an unreadable token counts under one shared ident."""

    scope = "refresh_account"

    def idents(self, request, view) -> list[str]:
        token = _body_field(request, "refresh_token") or _body_field(request, "refresh")
        if not token:
            return []
        try:
            claims = jwt.decode(token, options={"verify_signature": False})
            subject = str(claims.get(jwt_settings.USER_ID_CLAIM, ""))
        except jwt.PyJWTError:
            subject = ""
        return [hashed(subject or "unreadable")]


REFRESH_THROTTLES = [AnonymousRateThrottle, RefreshRateThrottle, RefreshAccountThrottle]


class RegisterRateThrottle(ClientIPThrottle):
    scope = "register"


class RegisterAccountThrottle(CacheThrottle):
    scope = "register_account"

    def idents(self, request, view) -> list[str]:
        account = _account(request)
        return [account] if account else []


REGISTER_THROTTLES = [
    AnonymousRateThrottle,
    RegisterRateThrottle,
    RegisterAccountThrottle,
    PasswordHashingGlobalThrottle,
]
