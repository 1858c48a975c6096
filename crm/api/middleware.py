"""Every API path answers with and without a trailing slash, for every method, no redirect.

Each URL is declared once. A request that resolves to nothing is served by the same path with
the trailing slash toggled, when that resolves: a redirect (Django's ``APPEND_SLASH``) would make
clients lose a POST body, which the seed's gateway clients would not survive.
"""

from __future__ import annotations

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.contrib.messages.middleware import MessageMiddleware
from django.http import JsonResponse
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext

from ..handlers import RESOLVED

# /internal/: the service-to-service API of a split (crm.remote), JSON as well.
API_PREFIXES = ("/api/", "/auth/", "/internal/")


def is_api_path(path: str) -> bool:
    return path.startswith(API_PREFIXES) or path in {"/api", "/auth"}


def json_error(message: str, status: int) -> JsonResponse:
    """``{"error": message}`` outside DRF (URL resolution, crashes), UTF-8 like DRF's answers."""
    return JsonResponse(
        {"error": message}, status=status, json_dumps_params={"ensure_ascii": False}
    )


class OptionalTrailingSlashMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if len(path) > 1:
            urlconf = getattr(request, "urlconf", None)
            match = _resolved(path, urlconf)
            if match is None:
                toggled = path[:-1] if path.endswith("/") else path + "/"
                match = _resolved(toggled, urlconf)
                if match is not None:
                    prefix = request.path[: len(request.path) - len(path)]
                    request.path_info = path = toggled
                    request.path = prefix + toggled
            if match is not None and urlconf is None:
                # The handler (crm.handlers) calls the view without resolving it again.
                setattr(request, RESOLVED, (path, match))
        return self.get_response(request)


def _resolved(path: str, urlconf):
    """``resolve(path)``'s match, or ``None`` where ``is_valid_path`` says no."""
    try:
        return resolve(path, urlconf)
    except Resolver404:
        return None


class JSONNotFoundMiddleware:
    """An unknown URL under ``/api`` or ``/auth`` is a JSON 404, also with ``DEBUG`` on.

    ``handler404`` covers production; with ``DEBUG`` Django renders its technical HTML page
    instead, which a seed client cannot parse.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 404
            and response.get("Content-Type", "").startswith("text/html")
            and is_api_path(request.path_info)
        ):
            return json_error(gettext("Recurso não encontrado."), 404)
        return response


class BackOfficeMessageMiddleware(MessageMiddleware):
    """Django's messages (the admin's "saved" banners), set up only where a page can show
    them: an API answer is JSON and never carries a message, so API paths skip building the
    cookie-and-session message storage per request."""

    def process_request(self, request):
        if not is_api_path(request.path_info):
            super().process_request(request)


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's ``LocaleMiddleware`` without its language-in-the-path work where no URL has a
    language prefix (``i18n_patterns``, which this project does not use): the language still
    comes from the ``Accept-Language`` header (or the language cookie, or ``LANGUAGE_CODE``),
    and every response still says ``Vary: Accept-Language`` and ``Content-Language``. With
    ``i18n_patterns`` in a URLconf it is Django's, unchanged."""

    def process_request(self, request):
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        if is_language_prefix_patterns_used(urlconf)[0]:
            return super().process_request(request)
        translation.activate(translation.get_language_from_request(request, check_path=False))
        request.LANGUAGE_CODE = translation.get_language()
        return None

    def process_response(self, request, response):
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        if is_language_prefix_patterns_used(urlconf)[0]:
            return super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
