"""A domain served by another process: its interface over HTTP, derived from the interface.

``CRM_DOMAINS`` says which domains this process serves; every other domain is reached at
``CRM_REMOTE_<DOMAIN>_URL``. A domain's ``interface`` module stays the one description of what
crosses its boundary: it lists the functions other processes may call (``INTERNAL_API``), and
from their signatures and type hints this module builds both sides, so nothing is written twice:

* **the server:** ``internal_urls(domain, interface)`` gives one view per listed function,
  ``POST /internal/<domain>/<function>`` with the keyword arguments as a JSON object, answering
  ``{"result": ...}``; a domain error answers its status with ``{"error", "exception"}``.
* **the client:** ``gateway(domain, interface)`` is what a domain's ``gateways.py`` binds its
  names from: the interface module itself when the domain is served here (no HTTP, no cost),
  otherwise a ``RemoteInterface`` whose listed functions call that internal API (one pooled
  ``httpx.Client`` per domain, timeouts, bounded retries: every listed function is a read or
  idempotent) and whose other names (dataclasses, errors, topic constants) are the interface's.
  A domain error comes back as the same exception class; a process that does not answer
  becomes ``ServiceUnavailable`` (503), never a 500.

JSON is plain: dataclasses as objects, UUIDs, Decimals (as strings, never floats) and dates in
ISO format, sets and tuples as lists; the type hints turn them back.

The internal API is authenticated service to service: a JWT signed with ``CRM_SERVICE_KEY``
(not the users' key), audience ``crm-internal``, valid ``SERVICE_TOKEN_SECONDS``. A user's
token is refused there and a service token is refused on the public API (its signature does
not verify with the users' key).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import inspect
import logging
import threading
import time
import types
import typing
import uuid
from collections import abc
from decimal import Decimal
from typing import Any

import httpx
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import path
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions as drf_exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from .api.exceptions import (
    ApplicationError,
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    ServiceUnavailable,
)

logger = logging.getLogger(__name__)

SERVICE_AUDIENCE = "crm-internal"
SERVICE_TOKEN_SECONDS = 60
#: Statuses worth another try: the other process is restarting or overloaded.
RETRY_STATUSES = {502, 503, 504}
INTERNAL_PREFIX = "internal/"


# --- JSON of the interfaces' plain data ---------------------------------------------------------


def dump(value: Any) -> Any:
    """Plain data -> JSON-ready values (see the module docstring)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.time):  # datetime is a date
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return dump(value.value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: dump(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, abc.Mapping):
        return {str(dump(key)): dump(item) for key, item in value.items()}
    if isinstance(value, float):
        return value
    if isinstance(value, abc.Iterable):
        return [dump(item) for item in value]
    raise TypeError(f"{type(value).__name__} is not plain data")


_SEQUENCES = {list, abc.Sequence, abc.Iterable, abc.Iterator, abc.Collection}
_SETS = {set, frozenset, abc.Set}


def load(value: Any, hint: Any) -> Any:
    """JSON values -> the plain data ``hint`` describes (the inverse of ``dump``)."""
    if hint is Any or hint is None or hint is type(None):
        return value
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        options = [arg for arg in args if arg is not type(None)]
        return load(value, options[0])
    if value is None:
        return None
    if origin is None:
        if hint in (uuid.UUID, Decimal):
            return hint(value)
        if hint is dt.datetime:
            return dt.datetime.fromisoformat(value)
        if hint is dt.date:
            return dt.date.fromisoformat(value)
        if isinstance(hint, type) and dataclasses.is_dataclass(hint):
            hints = typing.get_type_hints(hint)
            return hint(**{f.name: load(value[f.name], hints[f.name]) for f in _fields(hint)})
        if isinstance(hint, type) and issubclass(hint, enum.Enum):
            return hint(value)
        if hint in _SETS:
            return frozenset(value)
        if hint in (tuple,):
            return tuple(value)
        return value
    if origin in (dict, abc.Mapping):
        key_hint, item_hint = args or (Any, Any)
        return {load(key, key_hint): load(item, item_hint) for key, item in value.items()}
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(load(item, args[0]) for item in value)
        return tuple(load(item, arg) for item, arg in zip(value, args, strict=True))
    if origin in _SETS:
        return (set if origin is set else frozenset)(load(item, args[0]) for item in value)
    if origin in _SEQUENCES:
        return [load(item, args[0] if args else Any) for item in value]
    return value


def _fields(cls: type) -> list[dataclasses.Field]:
    return [field for field in dataclasses.fields(cls) if field.init]


# --- Service tokens -----------------------------------------------------------------------------


def _token_backend():
    # Imported here: simplejwt's backends import its settings, which need Django configured.
    from rest_framework_simplejwt.backends import TokenBackend

    if not settings.CRM_SERVICE_KEY:
        raise ImproperlyConfigured("CRM_SERVICE_KEY is not set (needed by /internal/ calls).")
    return TokenBackend(
        algorithm="HS256", signing_key=settings.CRM_SERVICE_KEY, audience=SERVICE_AUDIENCE
    )


def service_token_issue() -> str:
    """A fresh service token of this process (what ``RemoteClient`` sends)."""
    now = int(time.time())
    return _token_backend().encode(
        {
            "aud": SERVICE_AUDIENCE,
            "iat": now,
            "exp": now + SERVICE_TOKEN_SECONDS,
            "token_type": "service",
            "sub": "+".join(settings.CRM_DOMAINS),
        }
    )


class ServiceCaller:
    """``request.user`` on the internal API: another process of this system, not a person."""

    is_authenticated = True
    is_active = True
    pk = None

    def __init__(self, domains: str) -> None:
        self.domains = domains


class ServiceTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer <service token>``; anything else (a user's token) is refused."""

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        kind, _space, token = header.partition(" ")
        if kind != "Bearer" or not token:
            return None
        from rest_framework_simplejwt.exceptions import TokenBackendError

        if not settings.CRM_SERVICE_KEY:
            # No key, no service token can be valid (a monolith without CRM_SERVICE_KEY):
            # refused like any bad token, never a configuration error (500) for the caller.
            raise drf_exceptions.AuthenticationFailed(_("Token de serviço inválido ou expirado."))
        try:
            claims = _token_backend().decode(token.strip(), verify=True)
        except TokenBackendError:
            raise drf_exceptions.AuthenticationFailed(
                _("Token de serviço inválido ou expirado.")
            ) from None
        if claims.get("token_type") != "service" or "exp" not in claims:
            raise drf_exceptions.AuthenticationFailed(_("Token de serviço inválido ou expirado."))
        return ServiceCaller(str(claims.get("sub", ""))), claims

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="internal"'


class ServiceOnly(BasePermission):
    """The permission rule of every /internal/ route: a valid service token, nobody else."""

    message = Forbidden.default_message

    def has_permission(self, request, view) -> bool:
        return isinstance(getattr(request, "user", None), ServiceCaller)


class InternalView(APIView):
    """Base of the internal API's views: service tokens only, plain JSON, no throttling."""

    authentication_classes = [ServiceTokenAuthentication]
    permission_classes = [ServiceOnly]
    parser_classes = [JSONParser]
    renderer_classes = [JSONRenderer]
    throttle_classes: list = []
    schema = None  # never in the public OpenAPI schema

    def handle_exception(self, exc):
        if isinstance(exc, ApplicationError):
            return Response(
                {"error": str(exc.message), "exception": type(exc).__name__},
                status=exc.status_code,
            )
        return super().handle_exception(exc)


class InternalCallView(InternalView):
    """``POST /internal/<domain>/<function>``: call one interface function here."""

    function: abc.Callable[..., Any] | None = None

    def post(self, request):
        function = type(self).function
        hints = _hints(function)
        body = request.data if isinstance(request.data, dict) else {}
        kwargs = {}
        for name, parameter in inspect.signature(function).parameters.items():
            if name in body:
                kwargs[name] = load(body[name], hints.get(name, Any))
            elif parameter.default is inspect.Parameter.empty:
                raise InvalidInput({name: [_("Este campo é obrigatório.")]})
        return Response({"result": dump(function(**kwargs))})


@functools.cache
def _hints(function: abc.Callable) -> dict[str, Any]:
    return typing.get_type_hints(function)


def internal_urls(domain: str, interface: types.ModuleType) -> list:
    """URL patterns of ``domain``'s internal API: one per function in ``INTERNAL_API``."""
    patterns = []
    for name in interface.INTERNAL_API:
        function = getattr(interface, name)
        view = type(f"Internal_{domain}_{name}", (InternalCallView,), {"function": function})
        patterns.append(path(name, view.as_view(), name=f"internal-{domain}-{name}"))
    return patterns


# --- The client -------------------------------------------------------------------------------


def unavailable(domain: str) -> ServiceUnavailable:
    return ServiceUnavailable(
        _("O serviço %(domain)s está indisponível no momento. Tente novamente em instantes.")
        % {"domain": domain}
    )


class RemoteClient:
    """HTTP to one domain's process: pooled connections, timeouts, bounded retries."""

    def __init__(self, domain: str, base_url: str) -> None:
        self.domain = domain
        self.base_url = base_url.rstrip("/")
        self._client: httpx.Client | None = None
        self._lock = threading.Lock()

    @property
    def client(self) -> httpx.Client:
        # Created on first use: after gunicorn forked its workers, one pool per worker.
        if self._client is None:
            with self._lock:
                if self._client is None:
                    timeout = settings.CRM_REMOTE_TIMEOUT_SECONDS
                    self._client = httpx.Client(
                        base_url=self.base_url,
                        timeout=httpx.Timeout(timeout, connect=min(timeout, 2.0)),
                        limits=httpx.Limits(max_connections=32, max_keepalive_connections=16),
                    )
        return self._client

    def post(self, path: str, payload: dict, *, errors: types.ModuleType | None = None) -> Any:
        """POST ``payload`` to ``/internal/<domain>/<path>``; the answer's JSON.

        Retries (idempotent calls only reach here) when the connection fails or the process
        answers 502/503/504; then raises ``ServiceUnavailable``. A domain error is raised as
        the class of the same name in ``errors`` (the interface module) when it has one.
        """
        url = f"/{INTERNAL_PREFIX}{self.domain}/{path}"
        attempts = 1 + max(settings.CRM_REMOTE_RETRIES, 0)
        response = None
        for attempt in range(attempts):
            if attempt:
                time.sleep(0.05 * 2 ** (attempt - 1))
            try:
                response = self.client.post(
                    url,
                    json=payload,
                    headers={"Authorization": f"Bearer {service_token_issue()}"},
                )
            except httpx.TransportError as error:
                logger.warning("%s %s: %s (attempt %d)", self.domain, url, error, attempt + 1)
                response = None
                continue
            if response.status_code not in RETRY_STATUSES:
                break
        if response is None or response.status_code in RETRY_STATUSES:
            raise unavailable(self.domain)
        if response.status_code >= 400:
            raise self._error(response, errors)
        return response.json()

    def _error(self, response: httpx.Response, errors: types.ModuleType | None) -> Exception:
        try:
            body = response.json()
        except ValueError:
            body = {}
        message = body.get("error") if isinstance(body, dict) else None
        cls = getattr(errors, str(body.get("exception", "")), None) if errors else None
        if isinstance(cls, type) and issubclass(cls, ApplicationError):
            return cls(message)
        if response.status_code in (401, 403):
            # Our own service token refused: a misconfiguration (CRM_SERVICE_KEY differs).
            logger.error("%s refused this process's service token: %s", self.domain, message)
            return unavailable(self.domain)
        by_status = {400: InvalidInput, 404: NotFound, 409: Conflict}
        if response.status_code in by_status:
            return by_status[response.status_code](message)
        logger.error("%s answered %s: %s", self.domain, response.status_code, message)
        return unavailable(self.domain)


_clients: dict[str, RemoteClient] = {}
_clients_lock = threading.Lock()


def client_for(domain: str) -> RemoteClient:
    """This process's client of ``domain`` (which it must not serve)."""
    client = _clients.get(domain)
    if client is None:
        url = settings.CRM_REMOTE_URLS.get(domain)
        if not url:
            raise ImproperlyConfigured(f"CRM_REMOTE_{domain.upper()}_URL is not set.")
        with _clients_lock:
            client = _clients.setdefault(domain, RemoteClient(domain, url))
    return client


def is_served(domain: str) -> bool:
    return domain in settings.CRM_DOMAINS


def remote_function(domain: str, interface: types.ModuleType, name: str) -> abc.Callable:
    """A stand-in for ``interface.<name>`` calling ``domain``'s process instead."""
    function = getattr(interface, name)
    signature = inspect.signature(function)

    @functools.wraps(function)
    def call(*args: Any, **kwargs: Any) -> Any:
        bound = signature.bind(*args, **kwargs)
        payload = {key: dump(value) for key, value in bound.arguments.items()}
        answer = client_for(domain).post(name, payload, errors=interface)
        return load(answer["result"], _hints(function).get("return", Any))

    return call


class RemoteInterface:
    """A domain's interface served by another process: the functions of its ``INTERNAL_API``
    call that process; every other name (dataclasses, errors, constants) is the module's."""

    def __init__(self, domain: str, interface: types.ModuleType) -> None:
        self._domain = domain
        self._interface = interface
        self._exported = frozenset(interface.INTERNAL_API)

    def __getattr__(self, name: str) -> Any:
        if name in self._exported:
            function = remote_function(self._domain, self._interface, name)
            setattr(self, name, function)
            return function
        value = getattr(self._interface, name)
        if inspect.isfunction(value):
            raise ImproperlyConfigured(
                f"{self._interface.__name__}.{name} is not in its INTERNAL_API: it cannot be "
                f"called while {self._domain} is served by another process."
            )
        return value


def gateway(domain: str, interface: types.ModuleType) -> types.ModuleType | RemoteInterface:
    """What a ``gateways.py`` binds its names from: the interface itself when ``domain`` is
    served here, its remote stand-in otherwise."""
    if is_served(domain):
        return interface
    return RemoteInterface(domain, interface)


# --- crm.hooks across processes: the owner's guards and panels ---------------------------------


class InternalGuardView(InternalView):
    """``POST /internal/<owner>/guards/<topic>`` ``{"ids": [...]}`` -> ``{"reason": str|null}``."""

    owner = ""

    def post(self, request, topic: str):
        from . import hooks

        ids = load((request.data or {}).get("ids", []), frozenset[uuid.UUID])
        return Response(
            {"reason": hooks.registry.guard_refusal(topic, ids=ids, owner=type(self).owner)}
        )


class InternalPanelsView(InternalView):
    """``POST /internal/<owner>/panels/<topic>`` ``{"object_id": uuid|null}`` -> ``{"panels"}``."""

    owner = ""

    def post(self, request, topic: str):
        from . import hooks

        object_id = load((request.data or {}).get("object_id"), uuid.UUID | None)
        panels = hooks.registry.owned_panels(topic, object_id, owner=type(self).owner)
        return Response({"panels": [{"title": str(p.title), "html": str(p.html)} for p in panels]})


class InternalAdminAppsView(InternalView):
    """``POST /internal/<owner>/admin/apps`` ``{"user_id", "language"}`` -> ``{"apps": [...]}``:
    the owner's sections of the admin index as that staff user may see them here (the
    ModelAdmins' own permission rules), for the index another process renders."""

    owner = ""

    def post(self, request):
        from django.contrib import admin
        from django.contrib.auth import load_backend
        from django.http import HttpRequest
        from django.utils import translation

        from .db.router import domain_for_app

        body = request.data if isinstance(request.data, dict) else {}
        if not body.get("user_id"):
            raise InvalidInput({"user_id": [_("Este campo é obrigatório.")]})
        try:
            user_id = load(str(body["user_id"]), uuid.UUID)
        except ValueError:
            raise InvalidInput({"user_id": [_("Identificador inválido.")]}) from None
        user = load_backend(settings.AUTHENTICATION_BACKENDS[0]).get_user(user_id)
        if user is None or not user.is_active or not user.is_staff:
            return Response({"apps": []})
        page = HttpRequest()
        page.user = user
        language = str(body.get("language") or settings.LANGUAGE_CODE)
        with translation.override(language):
            apps = [
                {
                    "name": str(app["name"]),
                    "app_label": app["app_label"],
                    "app_url": app["app_url"],
                    "models": [
                        {
                            "name": str(model["name"]),
                            "object_name": model["object_name"],
                            "admin_url": model["admin_url"],
                            "add_url": model["add_url"],
                            "view_only": model.get("view_only", True),
                        }
                        for model in app["models"]
                    ],
                }
                for app in admin.site.get_app_list(page)
                if domain_for_app(app["app_label"]) == type(self).owner
            ]
        return Response({"apps": apps})


def remote_admin_apps(*, user_id: uuid.UUID, language: str) -> tuple[list[dict], list[str]]:
    """The admin index's sections of every domain served by another process, as ``user_id``
    may see them there (``InternalAdminAppsView``), and the domains that did not answer."""
    apps: list[dict] = []
    unavailable: list[str] = []
    for domain in settings.CRM_REMOTE_URLS:
        try:
            answer = client_for(domain).post(
                "admin/apps", {"user_id": str(user_id), "language": language}
            )
        except ApplicationError:
            logger.warning("admin sections of %s unavailable", domain, exc_info=True)
            unavailable.append(domain)
            continue
        apps.extend(answer.get("apps", ()))
    return apps, unavailable


def hooks_urls(domain: str) -> list:
    """The owner's side of ``crm.hooks`` across processes (and of the admin index's sections),
    for a domain served here."""
    guard = type(f"InternalGuard_{domain}", (InternalGuardView,), {"owner": domain})
    panels = type(f"InternalPanels_{domain}", (InternalPanelsView,), {"owner": domain})
    admin_apps = type(f"InternalAdminApps_{domain}", (InternalAdminAppsView,), {"owner": domain})
    return [
        path("guards/<str:topic>", guard.as_view(), name=f"internal-{domain}-guards"),
        path("panels/<str:topic>", panels.as_view(), name=f"internal-{domain}-panels"),
        path("admin/apps", admin_apps.as_view(), name=f"internal-{domain}-admin-apps"),
    ]
