"""Root URLconf: the composition root wires every domain's API under the seed's paths.

Each path is declared once; ``OptionalTrailingSlashMiddleware`` serves it with and without
the trailing slash (no redirect).
"""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny

from crm.api.views import health

urlpatterns = [
    path("auth/", include("domains.accounts.api.urls")),
    path("api/customers/", include("domains.customers.api.urls")),
    path("api/products/", include("domains.products.api.urls")),
    path("api/users/", include("domains.accounts.api.user_urls")),
    path("api/", include("domains.interactions.api.urls")),
    # Public, and deaf to credentials: a stale token pasted into the docs must not hide the schema.
    path(
        "api/schema",
        SpectacularAPIView.as_view(authentication_classes=[], permission_classes=[AllowAny]),
        name="schema",
    ),
    path(
        "api/docs",
        SpectacularSwaggerView.as_view(
            url_name="schema", authentication_classes=[], permission_classes=[AllowAny]
        ),
        name="docs",
    ),
    path("api-auth/", include("rest_framework.urls")),
    path("admin/", admin.site.urls),
    path("health", health, name="health"),  # load balancer / container healthcheck
]

handler400 = "crm.api.views.bad_request"
handler404 = "crm.api.views.not_found"
handler500 = "crm.api.views.server_error"
