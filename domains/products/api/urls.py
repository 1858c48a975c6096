"""Mounted at ``api/products/`` by ``config.urls``. Each path declared once: the platform's
middleware serves it with and without the trailing slash."""

from django.urls import path

from .views import (
    ProductActivateView,
    ProductDetailView,
    ProductExportView,
    ProductHistoryView,
    ProductListCreateView,
)

app_name = "products"

urlpatterns = [
    path("", ProductListCreateView.as_view(), name="list"),
    # Before the detail route: "export" would otherwise be read as a (malformed) product id.
    path("export", ProductExportView.as_view(), name="export"),
    path("<str:product_id>", ProductDetailView.as_view(), name="detail"),
    path("<str:product_id>/activate", ProductActivateView.as_view(), name="activate"),
    path("<str:product_id>/history", ProductHistoryView.as_view(), name="history"),
]
