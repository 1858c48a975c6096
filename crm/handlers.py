"""The WSGI entry point's handler: Django's, resolving each request's URL once.

``OptionalTrailingSlashMiddleware`` resolves the path to decide whether to toggle its trailing
slash; Django's handler then resolves the same path again before calling the view. The
middleware keeps what it resolved on the request, and this handler uses it when nothing
changed since (the same ``path_info``, no per-request ``urlconf``): the same ``ResolverMatch``
Django would build. Anything else (another handler, such as the test client's; a path or a
URLconf changed by a middleware) resolves as Django does.
"""

from __future__ import annotations

from django.core.handlers.wsgi import WSGIHandler as DjangoWSGIHandler

#: Where OptionalTrailingSlashMiddleware leaves ``(path_info, ResolverMatch)``.
RESOLVED = "_crm_resolved"


class WSGIHandler(DjangoWSGIHandler):
    def resolve_request(self, request):
        kept = request.__dict__.pop(RESOLVED, None)
        if kept is not None and not hasattr(request, "urlconf"):
            path, match = kept
            if path == request.path_info:
                request.resolver_match = match
                return match
        return super().resolve_request(request)
