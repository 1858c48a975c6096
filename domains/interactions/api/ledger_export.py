"""``GET /api/transactions/export``: the ledger as a CSV or XLSX file (export only: entries are
never imported; they are recorded one by one through the API, with idempotency keys)."""

from __future__ import annotations

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema

from crm.api.exceptions import parse_uuid
from crm.api.exports import FORMAT_PARAMETER, ExportView, export_format, spreadsheet_response

from .. import ledger_filters, ledger_selectors
from .ledger_serializers import ErrorOutput
from .ledger_views import DATE_PARAMETERS


class TransactionExportView(ExportView):
    """Every customer's entries (or one customer's with ``cd_customer``), newest first, with
    the ledger list's filters; streamed from a database cursor."""

    @extend_schema(
        operation_id="transactions_export",
        summary="Exporta lançamentos (CSV ou XLSX)",
        parameters=[
            FORMAT_PARAMETER,
            *DATE_PARAMETERS,
            OpenApiParameter("id_transaction_type", int, enum=[1, 2], description="1 ou 2."),
            OpenApiParameter(
                "cd_customer", OpenApiTypes.UUID, description="Só os lançamentos deste cliente."
            ),
        ],
        responses={(200, "text/csv"): OpenApiTypes.BINARY, 400: ErrorOutput, 401: ErrorOutput},
        tags=["ledger"],
    )
    def get(self, request) -> StreamingHttpResponse:
        file_format = export_format(request)
        filters = ledger_filters.validated(ledger_filters.TransactionFilter, request.query_params)
        raw_customer = request.query_params.get("cd_customer")
        customer_id = parse_uuid(raw_customer, name="cd_customer") if raw_customer else None
        transactions = ledger_selectors.transaction_list_all(
            filters=filters, customer_id=customer_id
        )
        return spreadsheet_response(
            file_format=file_format,
            basename="lancamentos",
            header=ledger_selectors.EXPORT_COLUMNS,
            rows=ledger_selectors.transaction_export_rows(transactions=transactions),
        )
