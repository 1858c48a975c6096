"""Who is acting, and from where: the acting user and client IP that the domains' audit trails
record with every change (README "Audit trail", docs/audit.md).

Services are the one place writes happen, and the API, the admin and management commands all
call them. Rather than thread a user id and an IP through every service signature (and every
caller), ``RequestActorMiddleware`` remembers the request being served in a context variable
(per thread and per asyncio task, so concurrent requests never see each other's), and a
service asks ``current_actor()`` at the moment it records an event:

* the **user** is read then, not when the request arrives: DRF authenticates the JWT inside the
  view, after every middleware, and stores the user on the underlying Django request, which is
  the one remembered here. Staff in the admin or the browsable API are session users. Nobody
  authenticated: ``user_id`` is ``None``.
* the **IP** is the client's address as the throttles see it (``client_ip``).

Outside a request (a management command, a shell, a test calling a service) nobody is known
unless the caller says who acts: ``with acting_as(user_id=..., ip=...): ...``.

The module also turns model values into what an audit row stores (``audit_value``,
``field_changes``): JSON-safe, and the same text the API shows (money as ``"10.50"``).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from rest_framework.settings import api_settings


@dataclass(frozen=True)
class Actor:
    """The acting user's ``cd_user`` and the client's IP; either may be unknown (``None``)."""

    user_id: UUID | None = None
    ip: str | None = None


_request: ContextVar[HttpRequest | None] = ContextVar("crm_audit_request", default=None)
_explicit: ContextVar[Actor | None] = ContextVar("crm_audit_actor", default=None)


def client_ip(request: HttpRequest) -> str | None:
    """The client's IP address, as DRF's throttles identify it (``REST_FRAMEWORK["NUM_PROXIES"]``,
    set from ``TRUSTED_PROXY_COUNT`` where configured): with N trusted proxies, the address the
    outermost of them saw (N-th from the right of ``X-Forwarded-For``); otherwise
    ``REMOTE_ADDR``. A client's own ``X-Forwarded-For`` is never believed without a trusted
    proxy, or anyone could write any address into the audit trail. ``None`` when the result is
    not an IP address."""
    num_proxies = api_settings.NUM_PROXIES or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    address = request.META.get("REMOTE_ADDR")
    if num_proxies > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        address = hops[-min(num_proxies, len(hops))]
    try:
        return str(ipaddress.ip_address((address or "").strip()))
    except ValueError:
        return None


def _request_user_id(request: HttpRequest) -> UUID | None:
    # ``request.user`` is Django's lazy session user, or what DRF authenticated (a JWT's
    # ``TokenUser``); DRF leaves ``None`` for an anonymous API call (UNAUTHENTICATED_USER).
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return UUID(str(user.pk))


def current_actor() -> Actor:
    """Who is acting now: ``acting_as``'s actor, else the current request's user and IP, else
    nobody (``Actor()``)."""
    explicit = _explicit.get()
    if explicit is not None:
        return explicit
    request = _request.get()
    if request is None:
        return Actor()
    return Actor(user_id=_request_user_id(request), ip=client_ip(request))


@contextmanager
def acting_as(*, user_id: UUID | None, ip: str | None = None) -> Iterator[Actor]:
    """Record the changes made inside the block as ``user_id``'s (from ``ip``): for commands and
    scripts that act for someone, where no request says who."""
    actor = Actor(user_id=user_id, ip=ip)
    token = _explicit.set(actor)
    try:
        yield actor
    finally:
        _explicit.reset(token)


class RequestActorMiddleware:
    """Remember the request being served, for ``current_actor``. Any position in ``MIDDLEWARE``
    works (the user is read when a service asks); the variable is reset when the response
    leaves, so nothing leaks into the next request a worker serves."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


# --- values as an audit row stores them ---------------------------------------------------------


def audit_value(value: Any) -> Any:
    """A model value as JSON: text, numbers and booleans as they are; money (``Decimal``) as its
    text (``"10.50"``, never a float); ids and dates as their ISO text."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return str(value)


def snapshot(instance: Any, fields: Iterable[str]) -> dict[str, Any]:
    """``{field: audit_value}`` of an instance's fields."""
    return {name: audit_value(getattr(instance, name)) for name in fields}


def field_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for every field whose value differs (a missing key is ``None``):
    ``field_changes({}, new)`` describes a creation, ``field_changes(old, {})`` a removal."""
    changes = {}
    for name in [*before, *(name for name in after if name not in before)]:
        old, new = before.get(name), after.get(name)
        if old != new:
            changes[name] = [old, new]
    return changes
