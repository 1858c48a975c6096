"""Rate limits and failure lock-outs counted in the shared cache, so they hold across processes.

Every gunicorn worker and every host counts in the same place: Redis in production
(``REDIS_URL``, Django's ``RedisCache``), the local-memory cache on a one-process laptop.
Counters are **atomic** (``cache.add`` = ``SET NX`` with the window's expiry, then
``cache.incr`` = ``INCR``): two workers hit at the same instant never lose a count, which DRF's
own ``SimpleRateThrottle`` (read a list, append, write it back) would. Windows are fixed and
start at the first hit (not aligned on the clock), so ``N/15min`` means at most N hits in any
window, and ``Retry-After`` is the time left in it.

Rates come from ``settings.CRM_THROTTLE_RATES`` (scope -> ``"N/period"``; period ``s``, ``min``,
``h``, ``day``, optionally with a count: ``15min``; empty or ``off`` disables the scope).
Throttles run in DRF's ``initial()``, before the view: a refused login is refused **before** its
password is hashed, which is what keeps a flood of logins from eating the CPU that
authenticated traffic needs. If the cache is down, throttles let requests through (and log):
an outage of Redis must not take the API with it.
"""

from __future__ import annotations

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import BaseThrottle

from crm.rates import Rate, parse_rate

logger = logging.getLogger(__name__)


def rate_for(scope: str) -> Rate | None:
    return parse_rate(settings.CRM_THROTTLE_RATES.get(scope))


def _cache():
    return caches[settings.CRM_THROTTLE_CACHE]


def hashed(value: str) -> str:
    """Keys never hold an e-mail or a token in clear."""
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def is_cache_outage(error: Exception) -> bool:
    """Redis down or unreachable (redis-py's errors do not all derive from ``OSError``)."""
    return isinstance(error, OSError) or type(error).__module__.split(".")[0] == "redis"


class Window:
    """A fixed-window counter for one scope: ``hit`` counts, ``peek`` only looks."""

    def __init__(self, scope: str, rate: Rate) -> None:
        self.scope = scope
        self.rate = rate

    def _key(self, ident: str) -> str:
        return f"crm:throttle:{self.scope}:{ident}"

    def _retry_after(self, started: float | None, now: float) -> float:
        if started is None:
            return float(self.rate.seconds)
        return max(1.0, started + self.rate.seconds - now)

    def hit(self, ident: str) -> tuple[int, float]:
        """Count one hit; returns (hits in the window, seconds left in it)."""
        cache, key, now = _cache(), self._key(ident), time.time()
        cache.add(f"{key}:t", now, timeout=self.rate.seconds)
        cache.add(key, 0, timeout=self.rate.seconds)
        try:
            count = cache.incr(key)
        except ValueError:  # the window expired between add and incr: start a new one
            cache.set(key, 1, timeout=self.rate.seconds)
            count = 1
        return count, self._retry_after(cache.get(f"{key}:t"), now)

    def peek(self, ident: str) -> tuple[int, float]:
        key = self._key(ident)
        values = _cache().get_many([key, f"{key}:t"])
        return int(values.get(key) or 0), self._retry_after(values.get(f"{key}:t"), time.time())

    def reset(self, ident: str) -> None:
        key = self._key(ident)
        _cache().delete_many([key, f"{key}:t"])


class CacheThrottle(BaseThrottle):
    """A DRF throttle over ``Window``: each ident of the request counts one hit in ``scope``;
    the request is refused when any of them is over the limit.

    Subclasses say ``scope`` and what to count per (``idents``: the client IP by default).
    ``counts = False`` makes a throttle that only looks (a lock-out whose hits are counted
    elsewhere, e.g. by the view on a failed login).
    """

    scope: str = ""
    counts: bool = True

    def __init__(self) -> None:
        self._wait: float | None = None

    def applies(self, request, view) -> bool:
        return True

    def idents(self, request, view) -> list[str]:
        return [self.get_ident(request)]

    def allow_request(self, request, view) -> bool:
        rate = rate_for(self.scope)
        if rate is None or not self.applies(request, view):
            return True
        window = Window(self.scope, rate)
        try:
            for ident in self.idents(request, view):
                count, retry_after = window.hit(ident) if self.counts else window.peek(ident)
                over = count > rate.limit if self.counts else count >= rate.limit
                if over:
                    self._wait = retry_after
                    return False
        except Exception as error:
            if not is_cache_outage(error):
                raise
            logger.error(
                "throttle %s: cache unavailable, request let through: %s", self.scope, error
            )
        return True

    def wait(self) -> float | None:
        return self._wait


class AnonymousRateThrottle(CacheThrottle):
    """Every request without credentials, per client IP, on every DRF view (``anon``)."""

    scope = "anon"

    def applies(self, request, view) -> bool:
        user = getattr(request, "user", None)
        return not (user is not None and user.is_authenticated)


class ClientIPThrottle(CacheThrottle):
    """Per client IP (``REMOTE_ADDR``, or the address ``TRUSTED_PROXY_COUNT`` proxies away)."""


class GlobalThrottle(CacheThrottle):
    """All clients together: a ceiling on what a distributed flood can make the server do."""

    def idents(self, request, view) -> list[str]:
        return ["all"]


# --- Django form logins (admin, browsable API) -------------------------------------------------
def _form_account(request, field: str) -> str | None:
    value = request.POST.get(field)
    return hashed(value.strip().lower()) if isinstance(value, str) and value.strip() else None


def _form_windows(request, field: str, ip: str) -> list[tuple[Window, str, bool]]:
    """(window, ident, counts on every attempt?) for a form login, with the same scopes and
    the same keys as ``POST /auth/login``: one account's failures lock it at every door."""
    account = _form_account(request, field)
    plan = [("login", ip, True), ("password_global", "all", True)]
    if account:
        plan += [("login_failures", f"{account}:{ip}", False)]
        plan += [("login_account_failures", account, False)]
    windows = []
    for scope, ident, counting in plan:
        rate = rate_for(scope)
        if rate is not None:
            windows.append((Window(scope, rate), ident, counting))
    return windows


def throttle_form_login(view, *, username_field: str = "username"):
    """Throttle a Django login form (the admin's, the browsable API's) like ``/auth/login``:
    per IP, the global hashing ceiling, and the failure lock-out per account. A refused POST
    is a plain-text 429 with ``Retry-After``, before any password is hashed. A failed attempt
    is one that re-renders the form (200); a success redirects."""
    from django.http import HttpResponse
    from django.utils.translation import gettext

    def wrapped(request, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        try:
            windows = _form_windows(request, username_field, BaseThrottle().get_ident(request))
            for window, ident, counting in windows:
                count, retry_after = window.hit(ident) if counting else window.peek(ident)
                if (count > window.rate.limit) if counting else (count >= window.rate.limit):
                    seconds = max(1, int(retry_after + 0.999))
                    message = gettext(
                        "Muitas requisições. Tente novamente em %(seconds)d segundos."
                    ) % {"seconds": seconds}
                    response = HttpResponse(
                        message, status=429, content_type="text/plain; charset=utf-8"
                    )
                    response["Retry-After"] = str(seconds)
                    return response
        except Exception as error:
            if not is_cache_outage(error):
                raise
            logger.error("form login throttle: cache unavailable, let through: %s", error)
            windows = []
        response = view(request, *args, **kwargs)
        try:
            for window, ident, counting in windows:
                if not counting and response.status_code == 200:
                    window.hit(ident)  # the form came back: a failed login
                elif window.scope == "login_failures" and response.status_code in (301, 302):
                    window.reset(ident)
        except Exception as error:
            if not is_cache_outage(error):
                raise
        return response

    wrapped.__name__ = getattr(view, "__name__", "login")
    wrapped.__doc__ = view.__doc__
    return wrapped
