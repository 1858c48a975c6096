"""Ledger endpoints (thin: parse the path and the body's shape, call a service or selector,
render the seed's envelopes). Whether the customer exists is the selectors' and services'
question, not the views'.

Append-only: no PUT/PATCH/DELETE is routed for an entry (405 ``{"error": ...}``).
"""

from __future__ import annotations

import dataclasses
import re

from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from crm.api.authentication import acting_user_id
from crm.api.exceptions import InvalidInput, parse_uuid
from crm.api.exports import FORMAT_PARAMETER, ExportView, export_format, spreadsheet_response
from crm.api.openapi import id_path_parameter
from crm.api.serializers import error_responses
from crm.api.views import EnvelopeListMixin
from crm.spreadsheets import XLSX_MEDIA_TYPE

from .. import selectors, services
from ..models import Transaction
from .serializers import (
    BalanceEnvelopeSerializer,
    BalanceOutputSerializer,
    CashFlowEnvelopeSerializer,
    MonthOutputSerializer,
    TotalsOutputSerializer,
    TransactionCreateInputSerializer,
    TransactionEnvelopeSerializer,
    TransactionListEnvelopeSerializer,
    TransactionMessageEnvelopeSerializer,
    TransactionOutputSerializer,
    TransactionReverseInputSerializer,
)

TAGS = [gettext_lazy("Lançamentos")]
IDEMPOTENCY_HEADER = "Idempotency-Key"
_PRINTABLE_ASCII = re.compile(r"[\x20-\x7e]{1,255}")

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    name=IDEMPOTENCY_HEADER,
    type=str,
    location=OpenApiParameter.HEADER,
    required=False,
    description=gettext_lazy(
        "1 a 255 caracteres ASCII imprimíveis. Repetir a mesma requisição com a mesma chave "
        "(em até 24 horas) devolve a mesma resposta sem criar outro lançamento; a mesma chave "
        "com outra requisição responde 409."
    ),
)
CUSTOMER_ID = id_path_parameter("customer_id", column="cd_customer")
TRANSACTION_ID = id_path_parameter("transaction_id", column="cd_transaction")
DATE_PARAMETERS = [
    OpenApiParameter(
        "date_from", OpenApiTypes.DATE, description=gettext_lazy("Data inicial (AAAA-MM-DD).")
    ),
    OpenApiParameter(
        "date_to", OpenApiTypes.DATE, description=gettext_lazy("Data final (AAAA-MM-DD).")
    ),
]


def _idempotency(request, *, operation: str) -> services.IdempotencyRequest | None:
    raw = request.headers.get(IDEMPOTENCY_HEADER)
    if raw is None:
        return None
    key = raw.strip()
    if not _PRINTABLE_ASCII.fullmatch(key):
        raise InvalidInput(
            _("Cabeçalho Idempotency-Key inválido: use de 1 a 255 caracteres ASCII imprimíveis.")
        )
    return services.IdempotencyRequest(
        key=key,
        fingerprint=services.request_fingerprint(operation=operation, body=request.data),
    )


def _written(result: services.LedgerWrite, message: str) -> Response:
    response = Response(
        {"message": message, "transaction": TransactionOutputSerializer(result.transaction).data},
        status=status.HTTP_201_CREATED,
    )
    if result.replayed:
        response["Idempotent-Replayed"] = "true"
    return response


def _body(request) -> dict:
    # A JSON array or scalar is not an object of fields: 400, never a 500.
    if not hasattr(request.data, "get"):
        raise InvalidInput(_("O corpo da requisição deve ser um objeto JSON."))
    return request.data


class TransactionListCreateView(EnvelopeListMixin, GenericAPIView):
    """``/api/customers/<customer_id>/transactions``: list (GET) and record (POST)."""

    # The browsable API's title and text (DRF's ``name``/``description`` hooks).
    name = gettext_lazy("Lançamentos do cliente")
    description = gettext_lazy(
        "Extrato do cliente: lista os lançamentos (entradas e saídas) ou registra um. "
        "Lançamentos não são editados nem apagados: corrija com um estorno."
    )

    required_permissions = {
        "GET": ["interactions.view_transaction"],
        "POST": ["interactions.add_transaction"],
    }
    envelope_key = "transactions"
    default_per_page = 20
    serializer_class = TransactionOutputSerializer
    queryset = Transaction.objects.none()  # for the schema generator only

    def get_serializer_class(self):
        # The browsable API renders its POST form from this: offer the input fields.
        if self.request.method == "POST":
            return TransactionCreateInputSerializer
        return TransactionOutputSerializer

    @extend_schema(
        tags=TAGS,
        operation_id="customer_transactions_list",
        summary=gettext_lazy("Lista os lançamentos do cliente"),
        parameters=[
            CUSTOMER_ID,
            *DATE_PARAMETERS,
            OpenApiParameter(
                "id_transaction_type",
                int,
                enum=[1, 2],
                description=gettext_lazy("1 = entrada, 2 = saída."),
            ),
        ],
        responses={200: TransactionListEnvelopeSerializer, **error_responses(400, 401, 404)},
    )
    def get(self, request, customer_id: str):
        queryset = selectors.transaction_list(
            customer_id=parse_uuid(customer_id, name="customer_id"), filters=request.query_params
        )
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(
            [TransactionOutputSerializer.representation(row) for row in page]
        )

    @extend_schema(
        tags=TAGS,
        operation_id="customer_transactions_create",
        summary=gettext_lazy("Registra um lançamento (entrada ou saída)"),
        parameters=[CUSTOMER_ID, IDEMPOTENCY_PARAMETER],
        request=TransactionCreateInputSerializer,
        responses={
            201: TransactionMessageEnvelopeSerializer,
            **error_responses(400, 401, 404, 409),
        },
    )
    def post(self, request, customer_id: str):
        cd_customer = parse_uuid(customer_id, name="customer_id")
        user_id = acting_user_id(request)
        serializer = TransactionCreateInputSerializer(data=_body(request))
        serializer.is_valid(raise_exception=True)
        idempotency = _idempotency(
            request, operation=f"POST /api/customers/{cd_customer}/transactions"
        )
        result = services.transaction_create(
            customer_id=cd_customer,
            user_id=user_id,
            idempotency=idempotency,
            **serializer.validated_data,
        )
        return _written(result, _("Lançamento registrado com sucesso."))


class TransactionDetailView(APIView):
    """``/api/customers/<customer_id>/transactions/<transaction_id>``: one entry (read only)."""

    name = gettext_lazy("Lançamento")
    description = gettext_lazy("Um lançamento do cliente (somente leitura).")
    required_permissions = {"GET": ["interactions.view_transaction"]}

    @extend_schema(
        tags=TAGS,
        operation_id="customer_transactions_detail",
        summary=gettext_lazy("Detalhe de um lançamento do cliente"),
        parameters=[CUSTOMER_ID, TRANSACTION_ID],
        responses={200: TransactionEnvelopeSerializer, **error_responses(400, 401, 404)},
    )
    def get(self, request, customer_id: str, transaction_id: str):
        entry = selectors.transaction_get(
            customer_id=parse_uuid(customer_id, name="customer_id"),
            transaction_id=parse_uuid(transaction_id, name="transaction_id"),
        )
        return Response({"transaction": TransactionOutputSerializer(entry).data})


class TransactionReverseView(APIView):
    """``POST /api/customers/<customer_id>/transactions/<transaction_id>/reverse``."""

    name = gettext_lazy("Estornar lançamento")
    description = gettext_lazy(
        "Registra o estorno de um lançamento: um novo lançamento de mesmo valor e tipo oposto."
    )
    required_permissions = {"POST": ["interactions.reverse_transaction"]}

    @extend_schema(
        tags=TAGS,
        operation_id="customer_transactions_reverse",
        summary=gettext_lazy("Estorna um lançamento"),
        parameters=[CUSTOMER_ID, TRANSACTION_ID, IDEMPOTENCY_PARAMETER],
        request=TransactionReverseInputSerializer,
        responses={
            201: TransactionMessageEnvelopeSerializer,
            **error_responses(400, 401, 404, 409),
        },
    )
    def post(self, request, customer_id: str, transaction_id: str):
        cd_customer = parse_uuid(customer_id, name="customer_id")
        cd_transaction = parse_uuid(transaction_id, name="transaction_id")
        user_id = acting_user_id(request)
        serializer = TransactionReverseInputSerializer(data=_body(request))
        serializer.is_valid(raise_exception=True)
        idempotency = _idempotency(
            request,
            operation=f"POST /api/customers/{cd_customer}/transactions/{cd_transaction}/reverse",
        )
        result = services.transaction_reverse(
            customer_id=cd_customer,
            transaction_id=cd_transaction,
            user_id=user_id,
            ds_transaction=serializer.validated_data.get("ds_transaction"),
            idempotency=idempotency,
        )
        return _written(result, _("Lançamento estornado com sucesso."))


class CustomerBalanceView(APIView):
    """``GET /api/customers/<customer_id>/balance``: exact totals of the customer's entries."""

    name = gettext_lazy("Saldo do cliente")
    description = gettext_lazy("Totais exatos de entradas, saídas e saldo do cliente.")
    required_permissions = {"GET": ["interactions.view_transaction"]}

    @extend_schema(
        tags=TAGS,
        operation_id="customer_balance",
        summary=gettext_lazy("Saldo do cliente"),
        parameters=[CUSTOMER_ID],
        responses={200: BalanceEnvelopeSerializer, **error_responses(400, 401, 404)},
    )
    def get(self, request, customer_id: str):
        cd_customer = parse_uuid(customer_id, name="customer_id")
        totals = selectors.customer_balance_get(customer_id=cd_customer)
        balance = {"cd_customer": cd_customer, **dataclasses.asdict(totals)}
        return Response({"balance": BalanceOutputSerializer(balance).data})


class CashFlowSummaryView(APIView):
    """``GET /api/transactions/summary``: cash flow per month across all customers."""

    name = gettext_lazy("Fluxo de caixa")
    description = gettext_lazy(
        "Entradas, saídas e saldo por mês, de todos os clientes, com os totais do período."
    )
    required_permissions = {"GET": ["interactions.view_ledger_summary"]}

    @extend_schema(
        tags=TAGS,
        operation_id="transactions_summary",
        summary=gettext_lazy("Fluxo de caixa mensal de todos os clientes"),
        parameters=DATE_PARAMETERS,
        responses={200: CashFlowEnvelopeSerializer, **error_responses(400, 401)},
    )
    def get(self, request):
        summary = selectors.cash_flow_summary(filters=request.query_params)
        return Response(
            {
                "summary": [
                    MonthOutputSerializer.representation(
                        {"month": month.month, **dataclasses.asdict(month.totals)}
                    )
                    for month in summary.months
                ],
                "totals": TotalsOutputSerializer(dataclasses.asdict(summary.totals)).data,
                "date_from": summary.date_from.isoformat() if summary.date_from else None,
                "date_to": summary.date_to.isoformat() if summary.date_to else None,
            }
        )


class TransactionExportView(ExportView):
    """``GET /api/transactions/export``: every customer's entries (or one customer's with
    ``cd_customer``), newest first, with the ledger list's filters, as a CSV or XLSX file
    streamed from a database cursor. Export only: entries are never imported (they are
    recorded one by one through the API, with idempotency keys)."""

    name = gettext_lazy("Exportar lançamentos")  # the browsable API's title
    description = gettext_lazy("Lançamentos em CSV ou XLSX, com os mesmos filtros da listagem.")
    required_permissions = {"GET": ["interactions.view_transaction"]}

    @extend_schema(
        tags=TAGS,
        operation_id="transactions_export",
        summary=gettext_lazy("Exporta lançamentos (CSV ou XLSX)"),
        parameters=[
            FORMAT_PARAMETER,
            *DATE_PARAMETERS,
            OpenApiParameter("id_transaction_type", int, enum=[1, 2], description="1 ou 2."),
            OpenApiParameter(
                "cd_customer", OpenApiTypes.UUID, description="Só os lançamentos deste cliente."
            ),
        ],
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, XLSX_MEDIA_TYPE): OpenApiTypes.BINARY,
            **error_responses(400, 401),
        },
    )
    def get(self, request) -> StreamingHttpResponse:
        file_format = export_format(request)
        raw_customer = request.query_params.get("cd_customer")
        customer_id = parse_uuid(raw_customer, name="cd_customer") if raw_customer else None
        transactions = selectors.transaction_list_all(
            filters=request.query_params, customer_id=customer_id
        )
        return spreadsheet_response(
            file_format=file_format,
            basename="lancamentos",
            header=selectors.EXPORT_COLUMNS,
            rows=selectors.transaction_export_rows(transactions=transactions),
        )
