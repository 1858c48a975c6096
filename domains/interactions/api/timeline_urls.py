"""Mounted at ``api/``; each path answers with and without a trailing slash (middleware)."""

from django.urls import path

from .timeline_views import InteractionDetailApi, InteractionListCreateApi

urlpatterns = [
    path(
        "customers/<str:customer_id>/interactions",
        InteractionListCreateApi.as_view(),
        name="customer-interactions",
    ),
    path(
        "customers/<str:customer_id>/interactions/<str:interaction_id>",
        InteractionDetailApi.as_view(),
        name="customer-interaction-detail",
    ),
]
