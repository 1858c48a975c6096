"""Root URLconf: the composition root wires every domain's API under the seed's paths.

Each path is declared once; ``OptionalTrailingSlashMiddleware`` serves it with and without
the trailing slash (no redirect). Only the domains this process serves (``CRM_DOMAINS``) are
wired, each with its internal API under ``/internal/<domain>/`` (``crm.remote``: service tokens
only, not in the OpenAPI schema, never routed by the edge).
"""

from importlib import import_module

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny

from crm import remote
from crm.api.throttling import throttle_form_login
from crm.api.views import health

SERVED = settings.CRM_DOMAINS

#: Public routes of each domain (order matters: the interactions URLconf, mounted at api/,
#: also answers /api/customers/<id>/interactions|transactions|balance).
DOMAIN_ROUTES = {
    "accounts": [
        ("auth/", "domains.accounts.api.urls"),
        ("api/users/", "domains.accounts.api.user_urls"),
    ],
    "customers": [("api/customers/", "domains.customers.api.urls")],
    "products": [("api/products/", "domains.products.api.urls")],
    "interactions": [("api/", "domains.interactions.api.urls")],
}

urlpatterns = [
    path(prefix, include(urlconf)) for domain in SERVED for prefix, urlconf in DOMAIN_ROUTES[domain]
]
urlpatterns += [
    path(
        f"internal/{domain}/",
        include(
            remote.internal_urls(domain, import_module(f"domains.{domain}.interface"))
            + remote.hooks_urls(domain)
        ),
    )
    for domain in SERVED
]
urlpatterns += [
    # Public, and deaf to credentials: a stale token pasted into the docs must not hide the schema.
    path(
        "api/schema",
        SpectacularAPIView.as_view(authentication_classes=[], permission_classes=[AllowAny]),
        name="schema",
    ),
    # Split: the page's init script is served as a file (/api/docs?script=), so the
    # Content-Security-Policy needs no inline script.
    path(
        "api/docs",
        SpectacularSwaggerSplitView.as_view(
            url_name="schema", authentication_classes=[], permission_classes=[AllowAny]
        ),
        name="docs",
    ),
    path("health", health, name="health"),  # load balancer / container healthcheck
]

# Staff screens: every process serves the admin of the domains it serves (and the browsable
# API its routes). Staff log in where users live (accounts: the edge routes /admin/login/ and
# /api-auth/ there) and the session is good in every process (crm.staff, crm.sessions); the
# login URLs exist everywhere so that every process's pages link to them.

# The browsable API's session login: staff only (the admin's form refuses anyone else),
# and absent altogether with BROWSABLE_API_LOGIN=false. Logout stays (it ends a session).
browsable_api_auth = [
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
if settings.BROWSABLE_API_LOGIN:
    browsable_api_auth.insert(
        0,
        path(
            "login/",
            throttle_form_login(
                auth_views.LoginView.as_view(
                    template_name="rest_framework/login.html",
                    authentication_form=AdminAuthenticationForm,
                )
            ),
            name="login",
        ),
    )
urlpatterns += [
    path("api-auth/", include((browsable_api_auth, "rest_framework"))),
    # The admin's login form hashes passwords too: the same limits as /auth/login.
    path("admin/login/", throttle_form_login(admin.site.login)),
    path("admin/", admin.site.urls),
]
# The admin's "Ver o site" leads to the API documentation: there is no public site (it
# was /, a 404).
admin.site.site_url = reverse_lazy("docs")
# The navigation sidebar takes 300 px of every page: without it, the changelists' columns
# fit a 1366 px screen (the breadcrumbs and the index still lead everywhere).
admin.site.enable_nav_sidebar = False

handler400 = "crm.api.views.bad_request"
handler404 = "crm.api.views.not_found"
handler500 = "crm.api.views.server_error"
