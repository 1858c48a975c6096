"""Building blocks for domain views, and the JSON answers for unknown URLs and crashes."""

from __future__ import annotations

import sys

from django.db import DatabaseError, connections
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .exceptions import (
    ServiceUnavailable,
    database_unavailable_headers,
    is_database_unavailable,
)
from .middleware import is_api_path, json_error
from .pagination import DEFAULT_PER_PAGE, EnvelopePagination


class EnvelopeListMixin:
    """Paginate a list view into the seed's envelope under ``envelope_key``."""

    envelope_key: str = "results"
    default_per_page: int = DEFAULT_PER_PAGE

    @property
    def paginator(self) -> EnvelopePagination:
        if not hasattr(self, "_envelope_paginator"):
            self._envelope_paginator = EnvelopePagination(
                envelope_key=self.envelope_key, default_per_page=self.default_per_page
            )
        return self._envelope_paginator


def _is_api(request) -> bool:
    return is_api_path(request.path_info)


def not_found(request, exception=None):
    """``handler404``: JSON for API paths, Django's page elsewhere (admin)."""
    if _is_api(request):
        return json_error(_("Recurso não encontrado."), 404)
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


def database_unavailable(request) -> HttpResponse:
    """503 with ``Retry-After``: JSON under the API, plain text elsewhere (admin)."""
    message = str(ServiceUnavailable.default_message)
    if _is_api(request):
        response = json_error(message, 503)
    else:
        response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
    for name, value in database_unavailable_headers().items():
        response[name] = value
    return response


def server_error(request):
    """``handler500``: never an HTML stack page for an API client.

    Django calls it while handling the exception, so ``sys.exc_info()`` tells what failed: a
    database outage met outside DRF's exception handler (a middleware loading the session, a
    plain Django view, the admin) is a 503 with ``Retry-After``, not a 500.
    """
    failure = sys.exc_info()[1]
    if is_database_unavailable(failure):
        return database_unavailable(request)
    if isinstance(failure, RecursionError):  # input nested too deeply: the request's fault
        return bad_request(request, failure)
    if _is_api(request):
        return json_error(_("Erro interno do servidor."), 500)
    from django.views.defaults import server_error as html_server_error

    return html_server_error(request)


def bad_request(request, exception=None):
    if _is_api(request):
        return json_error(_("Requisição inválida."), 400)
    from django.views.defaults import bad_request as html_bad_request

    return html_bad_request(request, exception)


@require_safe
def health(request):
    """Liveness/readiness for a load balancer or a container healthcheck (no authentication):
    200 when every database alias answers, 503 naming the ones that do not."""
    unavailable = []
    for alias in connections:
        if connections.settings[alias]["ENGINE"] == "django.db.backends.dummy":
            continue  # a process of a split that does not serve accounts: no "default" here
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError:
            unavailable.append(alias)
    if unavailable:
        return JsonResponse({"status": "unavailable", "databases": unavailable}, status=503)
    return JsonResponse({"status": "ok"})
