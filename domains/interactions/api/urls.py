"""Mounted at ``api/``: the timeline under customers, the ledger under customers and on its own."""

from django.urls import include, path

urlpatterns = [
    path("", include("domains.interactions.timeline.api.urls")),
    path("", include("domains.interactions.ledger.api.urls")),
]
