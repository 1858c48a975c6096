"""Ledger routes (mounted at ``api/``). Each path declared once: the platform middleware serves
it with and without the trailing slash. No route updates or deletes an entry (append-only)."""

from django.urls import path

from . import views

urlpatterns = [
    path(
        "customers/<str:customer_id>/transactions",
        views.TransactionListCreateView.as_view(),
        name="customer-transactions",
    ),
    path(
        "customers/<str:customer_id>/transactions/<str:transaction_id>",
        views.TransactionDetailView.as_view(),
        name="customer-transaction-detail",
    ),
    path(
        "customers/<str:customer_id>/transactions/<str:transaction_id>/reverse",
        views.TransactionReverseView.as_view(),
        name="customer-transaction-reverse",
    ),
    path(
        "customers/<str:customer_id>/balance",
        views.CustomerBalanceView.as_view(),
        name="customer-balance",
    ),
    path(
        "transactions/export",
        views.TransactionExportView.as_view(),
        name="transactions-export",
    ),
    path(
        "transactions/summary",
        views.CashFlowSummaryView.as_view(),
        name="transactions-summary",
    ),
]
