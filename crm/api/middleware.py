"""Every API path answers with and without a trailing slash, for every method, no redirect.

Each URL is declared once. A request that resolves to nothing is served by the same path with
the trailing slash toggled, when that resolves: a redirect (Django's ``APPEND_SLASH``) would make
clients lose a POST body, which the seed's gateway clients would not survive.
"""

from __future__ import annotations

from django.urls import is_valid_path


class OptionalTrailingSlashMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if len(path) > 1:
            urlconf = getattr(request, "urlconf", None)
            if not is_valid_path(path, urlconf):
                toggled = path[:-1] if path.endswith("/") else path + "/"
                if is_valid_path(toggled, urlconf):
                    prefix = request.path[: len(request.path) - len(path)]
                    request.path_info = toggled
                    request.path = prefix + toggled
        return self.get_response(request)
