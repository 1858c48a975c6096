"""Ledger routes (mounted at ``api/``). Each path declared once: the platform middleware serves
it with and without the trailing slash. No route updates or deletes an entry (append-only)."""

from django.urls import path

from . import ledger_export, ledger_views

urlpatterns = [
    path(
        "customers/<str:customer_id>/transactions",
        ledger_views.CustomerTransactionsView.as_view(),
        name="customer-transactions",
    ),
    path(
        "customers/<str:customer_id>/transactions/<str:transaction_id>",
        ledger_views.CustomerTransactionDetailView.as_view(),
        name="customer-transaction-detail",
    ),
    path(
        "customers/<str:customer_id>/transactions/<str:transaction_id>/reverse",
        ledger_views.CustomerTransactionReverseView.as_view(),
        name="customer-transaction-reverse",
    ),
    path(
        "customers/<str:customer_id>/balance",
        ledger_views.CustomerBalanceView.as_view(),
        name="customer-balance",
    ),
    path(
        "transactions/export",
        ledger_export.TransactionExportView.as_view(),
        name="transactions-export",
    ),
    path(
        "transactions/summary",
        ledger_views.TransactionSummaryView.as_view(),
        name="transactions-summary",
    ),
]
