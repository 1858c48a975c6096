"""Mounted at ``api/customers/`` by the composition root; each path answers with and without
a trailing slash (``crm.api.middleware.OptionalTrailingSlashMiddleware``)."""

from django.urls import path

from .views import (
    CustomerActivateView,
    CustomerDetailView,
    CustomerExportView,
    CustomerHistoryView,
    CustomerListCreateView,
)

app_name = "customers"

urlpatterns = [
    path("", CustomerListCreateView.as_view(), name="list"),
    # Before the detail route: "export" would otherwise be read as a (malformed) customer id.
    path("export", CustomerExportView.as_view(), name="export"),
    path("<str:customer_id>", CustomerDetailView.as_view(), name="detail"),
    path("<str:customer_id>/activate", CustomerActivateView.as_view(), name="activate"),
    path("<str:customer_id>/history", CustomerHistoryView.as_view(), name="history"),
]
