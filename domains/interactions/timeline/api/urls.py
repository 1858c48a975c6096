"""Timeline routes (mounted at ``api/``); each path answers with and without a trailing slash
(``crm.api.middleware.OptionalTrailingSlashMiddleware``)."""

from django.urls import path

from .views import InteractionDetailView, InteractionListCreateView

urlpatterns = [
    path(
        "customers/<str:customer_id>/interactions",
        InteractionListCreateView.as_view(),
        name="customer-interactions",
    ),
    path(
        "customers/<str:customer_id>/interactions/<str:interaction_id>",
        InteractionDetailView.as_view(),
        name="customer-interaction-detail",
    ),
]
