"""Mounted at ``api/``: the timeline under customers, the ledger under customers and on its own."""

from django.urls import include, path

urlpatterns = [
    path("", include("domains.interactions.api.timeline_urls")),
    path("", include("domains.interactions.api.ledger_urls")),
]
