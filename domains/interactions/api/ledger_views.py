"""Ledger endpoints (thin: parse, call a service or selector, render the seed's envelopes).

Append-only: no PUT/PATCH/DELETE is routed for an entry (405 ``{"error": ...}``).
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from crm.api.authentication import acting_user_id
from crm.api.exceptions import InvalidInput, parse_uuid
from crm.api.views import EnvelopeListMixin

from .. import gateways, ledger_filters, ledger_selectors, ledger_services
from ..models import Transaction
from .ledger_serializers import (
    BalanceOutput,
    ErrorOutput,
    MonthOutput,
    TotalsOutput,
    TransactionCreateInput,
    TransactionListEnvelope,
    TransactionOutput,
    TransactionReverseInput,
)

IDEMPOTENCY_HEADER = "Idempotency-Key"
_PRINTABLE_ASCII = re.compile(r"[\x20-\x7e]{1,255}")

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    name=IDEMPOTENCY_HEADER,
    type=str,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "1 a 255 caracteres ASCII imprimíveis. Repetir a mesma requisição com a mesma chave "
        "(em até 24 horas) devolve a mesma resposta sem criar outro lançamento; a mesma chave "
        "com outra requisição responde 409."
    ),
)
CUSTOMER_PATH = OpenApiParameter(
    "customer_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="cd_customer."
)
TRANSACTION_PATH = OpenApiParameter(
    "transaction_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="cd_transaction."
)
PAGE_PARAMETERS = [
    OpenApiParameter("page", int, description="Página (a partir de 1)."),
    OpenApiParameter("per_page", int, description="Itens por página (padrão 20, máximo 100)."),
]
DATE_PARAMETERS = [
    OpenApiParameter("date_from", OpenApiTypes.DATE, description="Data inicial (AAAA-MM-DD)."),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="Data final (AAAA-MM-DD)."),
]


ERRORS = {400: ErrorOutput, 401: ErrorOutput, 404: ErrorOutput}
WRITE_ERRORS = {**ERRORS, 409: ErrorOutput}


def _transaction_envelope(name: str, message: str):
    return inline_serializer(
        name=name,
        fields={
            "message": serializers.CharField(default=message),
            "transaction": TransactionOutput(),
        },
    )


def _idempotency(request, *, operation: str) -> ledger_services.IdempotencyRequest | None:
    raw = request.headers.get(IDEMPOTENCY_HEADER)
    if raw is None:
        return None
    key = raw.strip()
    if not _PRINTABLE_ASCII.fullmatch(key):
        raise InvalidInput(
            _("Cabeçalho Idempotency-Key inválido: use de 1 a 255 caracteres ASCII imprimíveis.")
        )
    return ledger_services.IdempotencyRequest(
        key=key,
        fingerprint=ledger_services.request_fingerprint(operation=operation, body=request.data),
    )


def _written(result: ledger_services.LedgerWrite, message: str) -> Response:
    response = Response(
        {"message": message, "transaction": TransactionOutput(result.transaction).data},
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


class CustomerTransactionsView(EnvelopeListMixin, GenericAPIView):
    """``/api/customers/<id>/transactions``: list (GET) and record (POST)."""

    required_permissions = {
        "GET": ["interactions.view_transaction"],
        "POST": ["interactions.add_transaction"],
    }
    envelope_key = "transactions"
    default_per_page = 20
    serializer_class = TransactionOutput
    queryset = Transaction.objects.none()  # for the schema generator only

    def get_serializer_class(self):
        # The browsable API renders its POST form from this: offer the input fields.
        return TransactionCreateInput if self.request.method == "POST" else TransactionOutput

    @extend_schema(
        operation_id="customer_transactions_list",
        parameters=[
            CUSTOMER_PATH,
            *PAGE_PARAMETERS,
            *DATE_PARAMETERS,
            OpenApiParameter("id_transaction_type", int, enum=[1, 2], description="1 ou 2."),
        ],
        responses={200: TransactionListEnvelope, **ERRORS},
        tags=["ledger"],
    )
    def get(self, request, customer_id: str):
        cd_customer = parse_uuid(customer_id, name="cd_customer")
        filters = ledger_filters.validated(ledger_filters.TransactionFilter, request.query_params)
        gateways.customer_get_summary(customer_id=cd_customer)
        queryset = ledger_selectors.transaction_list(customer_id=cd_customer, filters=filters)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(TransactionOutput(page, many=True).data)

    @extend_schema(
        operation_id="customer_transactions_create",
        parameters=[CUSTOMER_PATH, IDEMPOTENCY_PARAMETER],
        request=TransactionCreateInput,
        responses={
            201: _transaction_envelope(
                "TransactionCreatedEnvelope", "Lançamento registrado com sucesso."
            )
        },
        tags=["ledger"],
    )
    def post(self, request, customer_id: str):
        cd_customer = parse_uuid(customer_id, name="cd_customer")
        user_id = acting_user_id(request)
        serializer = TransactionCreateInput(data=_body(request))
        serializer.is_valid(raise_exception=True)
        idempotency = _idempotency(
            request, operation=f"POST /api/customers/{cd_customer}/transactions"
        )
        result = ledger_services.transaction_create(
            customer_id=cd_customer,
            user_id=user_id,
            idempotency=idempotency,
            **serializer.validated_data,
        )
        return _written(result, _("Lançamento registrado com sucesso."))


class CustomerTransactionDetailView(APIView):
    """``/api/customers/<id>/transactions/<cd_transaction>``: one entry (read only)."""

    required_permissions = {"GET": ["interactions.view_transaction"]}

    @extend_schema(
        operation_id="customer_transactions_detail",
        parameters=[CUSTOMER_PATH, TRANSACTION_PATH],
        responses={
            200: inline_serializer(
                name="TransactionDetailEnvelope", fields={"transaction": TransactionOutput()}
            ),
            **ERRORS,
        },
        tags=["ledger"],
    )
    def get(self, request, customer_id: str, transaction_id: str):
        cd_customer = parse_uuid(customer_id, name="cd_customer")
        cd_transaction = parse_uuid(transaction_id, name="cd_transaction")
        gateways.customer_get_summary(customer_id=cd_customer)
        entry = ledger_selectors.transaction_get(
            customer_id=cd_customer, transaction_id=cd_transaction
        )
        if entry is None:
            raise ledger_services.TransactionNotFound()
        return Response({"transaction": TransactionOutput(entry).data})


class CustomerTransactionReverseView(APIView):
    """``POST /api/customers/<id>/transactions/<cd_transaction>/reverse``."""

    required_permissions = {"POST": ["interactions.reverse_transaction"]}

    @extend_schema(
        operation_id="customer_transactions_reverse",
        parameters=[CUSTOMER_PATH, TRANSACTION_PATH, IDEMPOTENCY_PARAMETER],
        request=TransactionReverseInput,
        responses={
            201: _transaction_envelope(
                "TransactionReversedEnvelope", "Lançamento estornado com sucesso."
            )
        },
        tags=["ledger"],
    )
    def post(self, request, customer_id: str, transaction_id: str):
        cd_customer = parse_uuid(customer_id, name="cd_customer")
        cd_transaction = parse_uuid(transaction_id, name="cd_transaction")
        user_id = acting_user_id(request)
        serializer = TransactionReverseInput(data=_body(request))
        serializer.is_valid(raise_exception=True)
        idempotency = _idempotency(
            request,
            operation=f"POST /api/customers/{cd_customer}/transactions/{cd_transaction}/reverse",
        )
        result = ledger_services.transaction_reverse(
            customer_id=cd_customer,
            transaction_id=cd_transaction,
            user_id=user_id,
            ds_transaction=serializer.validated_data.get("ds_transaction"),
            idempotency=idempotency,
        )
        return _written(result, _("Lançamento estornado com sucesso."))


class CustomerBalanceView(APIView):
    """``GET /api/customers/<id>/balance``: exact totals of the customer's entries."""

    required_permissions = {"GET": ["interactions.view_transaction"]}

    @extend_schema(
        operation_id="customer_balance",
        parameters=[CUSTOMER_PATH],
        responses={
            200: inline_serializer(name="BalanceEnvelope", fields={"balance": BalanceOutput()}),
            **ERRORS,
        },
        tags=["ledger"],
    )
    def get(self, request, customer_id: str):
        cd_customer = parse_uuid(customer_id, name="cd_customer")
        gateways.customer_get_summary(customer_id=cd_customer)
        totals = ledger_selectors.customer_balance(customer_id=cd_customer)
        return Response(
            {"balance": BalanceOutput({"cd_customer": cd_customer, **totals.__dict__}).data}
        )


class TransactionSummaryView(APIView):
    """``GET /api/transactions/summary``: cash flow per month across all customers."""

    required_permissions = {"GET": ["interactions.view_ledger_summary"]}

    @extend_schema(
        operation_id="transactions_summary",
        parameters=DATE_PARAMETERS,
        responses={
            200: inline_serializer(
                name="SummaryEnvelope",
                fields={
                    "summary": MonthOutput(many=True),
                    "totals": TotalsOutput(),
                    "date_from": serializers.DateField(allow_null=True),
                    "date_to": serializers.DateField(allow_null=True),
                },
            ),
            400: ErrorOutput,
            401: ErrorOutput,
        },
        tags=["ledger"],
    )
    def get(self, request):
        filters = ledger_filters.validated(ledger_filters.SummaryFilter, request.query_params)
        date_from, date_to = filters.get("date_from"), filters.get("date_to")
        months, totals = ledger_selectors.monthly_summary(date_from=date_from, date_to=date_to)
        return Response(
            {
                "summary": [
                    MonthOutput({"month": month.month, **month.totals.__dict__}).data
                    for month in months
                ],
                "totals": TotalsOutput(totals.__dict__).data,
                "date_from": date_from.isoformat() if date_from else None,
                "date_to": date_to.isoformat() if date_to else None,
            }
        )
