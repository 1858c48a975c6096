"""Customer endpoints (seed table "Clientes"): thin views over services and selectors."""

from __future__ import annotations

from django.http import StreamingHttpResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from crm.api.exceptions import parse_uuid
from crm.api.exports import FORMAT_PARAMETER, ExportView, export_format, spreadsheet_response
from crm.api.openapi import id_path_parameter
from crm.api.query import query_bool
from crm.api.serializers import MessageSerializer, change_event_payload, error_responses
from crm.api.views import EnvelopeListMixin
from crm.spreadsheets import XLSX_MEDIA_TYPE

from .. import selectors, services
from ..filters import ORDERING_CHOICES
from ..models import Customer, CustomerHistory
from .serializers import (
    CustomerEnvelopeSerializer,
    CustomerHistoryListEnvelopeSerializer,
    CustomerInputSerializer,
    CustomerListEnvelopeSerializer,
    CustomerMessageEnvelopeSerializer,
    CustomerOutputSerializer,
)

TAGS = [_("Clientes")]
CUSTOMER_ID = id_path_parameter("customer_id", column="cd_customer")


def _customer_id(raw: str):
    return parse_uuid(raw, name="customer_id")


def _input(request: Request, *, partial: bool) -> dict:
    serializer = CustomerInputSerializer(data=request.data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


LIST_PARAMETERS = [
    OpenApiParameter("active_only", OpenApiTypes.BOOL, description=_("Padrão: true.")),
    OpenApiParameter(
        "search",
        OpenApiTypes.STR,
        description=_("Nome, e-mail ou CPF/CNPJ (com ou sem pontuação)."),
    ),
    OpenApiParameter(
        "ordering",
        OpenApiTypes.STR,
        enum=[name for name, _ in ORDERING_CHOICES],
        description=_("Padrão: ds_customer_name."),
    ),
    OpenApiParameter("ds_customer_state", OpenApiTypes.STR, description=_("UF (alias: state).")),
    OpenApiParameter("state", OpenApiTypes.STR, description=_("UF.")),
    OpenApiParameter(
        "ds_customer_city",
        OpenApiTypes.STR,
        description=_("Cidade, sem diferenciar maiúsculas."),
    ),
    OpenApiParameter("city", OpenApiTypes.STR, description=_("Cidade (alias).")),
]


class CustomerListCreateView(EnvelopeListMixin, GenericAPIView):
    """List customers (active only unless ``active_only=false``) or create one."""

    # The browsable API's title and text (DRF's ``name``/``description`` hooks).
    name = _("Clientes")
    description = _(
        "Lista os clientes (só os ativos, a menos que active_only=false) ou cadastra um cliente."
    )

    required_permissions = {"GET": ["customers.view_customer"], "POST": ["customers.add_customer"]}
    envelope_key = "customers"
    default_per_page = 20
    queryset = Customer.objects.none()  # only for schema generation; reads go via selectors
    serializer_class = CustomerInputSerializer

    @extend_schema(
        tags=TAGS,
        operation_id="api_customers_list",
        summary=_("Lista clientes"),
        parameters=LIST_PARAMETERS,
        responses={200: CustomerListEnvelopeSerializer, **error_responses(400, 401)},
    )
    def get(self, request: Request) -> Response:
        customers = selectors.customer_list(filters=request.query_params)
        page = self.paginate_queryset(customers)
        return self.get_paginated_response(
            [CustomerOutputSerializer.representation(row) for row in page]
        )

    @extend_schema(
        tags=TAGS,
        operation_id="api_customers_create",
        summary=_("Cria um cliente"),
        request=CustomerInputSerializer,
        responses={201: CustomerMessageEnvelopeSerializer, **error_responses(400, 401, 409)},
    )
    def post(self, request: Request) -> Response:
        customer = services.customer_create(data=_input(request, partial=False))
        return Response(
            {
                "message": gettext("Cliente criado com sucesso."),
                "customer": CustomerOutputSerializer(customer).data,
            },
            status=status.HTTP_201_CREATED,
        )


class CustomerDetailView(APIView):
    """One customer, active or not: read, partial update, soft or hard delete."""

    name = _("Cliente")
    description = _(
        "Um cliente, ativo ou não: consulta, atualização parcial, desativação ou remoção."
    )

    required_permissions = {
        "GET": ["customers.view_customer"],
        "PUT": ["customers.change_customer"],
        "PATCH": ["customers.change_customer"],
        "DELETE": ["customers.change_customer"],  # deactivates
        "DELETE?hard_delete=true": ["customers.hard_delete_customer"],
    }
    serializer_class = CustomerInputSerializer

    def get_form_instance(self):
        """The browsable API's PUT/PATCH forms start from the customer's current values."""
        return selectors.customer_get(customer_id=_customer_id(self.kwargs["customer_id"]))

    @extend_schema(
        tags=TAGS,
        operation_id="api_customers_retrieve",
        summary=_("Detalhe de um cliente (ativo ou não)"),
        parameters=[CUSTOMER_ID],
        responses={200: CustomerEnvelopeSerializer, **error_responses(400, 401, 404)},
    )
    def get(self, request: Request, customer_id: str) -> Response:
        customer = selectors.customer_get(customer_id=_customer_id(customer_id))
        return Response({"customer": CustomerOutputSerializer(customer).data})

    @extend_schema(
        tags=TAGS,
        operation_id="api_customers_update",
        summary=_("Atualiza um cliente (parcial)"),
        request=CustomerInputSerializer(partial=True),
        parameters=[CUSTOMER_ID],
        responses={
            200: CustomerMessageEnvelopeSerializer,
            **error_responses(400, 401, 404, 409),
        },
    )
    def put(self, request: Request, customer_id: str) -> Response:
        cd_customer = _customer_id(customer_id)
        customer = services.customer_update(
            customer_id=cd_customer, data=_input(request, partial=True)
        )
        return Response(
            {
                "message": gettext("Cliente atualizado com sucesso."),
                "customer": CustomerOutputSerializer(customer).data,
            }
        )

    @extend_schema(
        tags=TAGS,
        operation_id="api_customers_partial_update",
        summary=_("Atualiza um cliente (parcial)"),
        request=CustomerInputSerializer(partial=True),
        parameters=[CUSTOMER_ID],
        responses={
            200: CustomerMessageEnvelopeSerializer,
            **error_responses(400, 401, 404, 409),
        },
    )
    def patch(self, request: Request, customer_id: str) -> Response:
        return self.put(request, customer_id)

    @extend_schema(
        tags=TAGS,
        operation_id="api_customers_destroy",
        summary=_("Desativa (padrão) ou remove um cliente"),
        parameters=[
            CUSTOMER_ID,
            OpenApiParameter(
                "hard_delete",
                OpenApiTypes.BOOL,
                description=_(
                    "true remove o cliente definitivamente (409 se outro domínio "
                    "guarda dados dele, p.ex. lançamentos)."
                ),
            ),
        ],
        responses={200: MessageSerializer, **error_responses(400, 401, 404, 409)},
    )
    def delete(self, request: Request, customer_id: str) -> Response:
        cd_customer = _customer_id(customer_id)
        if query_bool(request.query_params, "hard_delete", default=False):
            services.customer_hard_delete(customer_id=cd_customer)
            return Response({"message": gettext("Cliente removido permanentemente.")})
        services.customer_deactivate(customer_id=cd_customer)
        return Response({"message": gettext("Cliente desativado com sucesso.")})


class CustomerActivateView(APIView):
    """Reactivate a customer deactivated by ``DELETE``."""

    name = _("Reativar cliente")
    description = _("Reativa um cliente desativado por DELETE.")
    required_permissions = {"PATCH": ["customers.change_customer"]}

    @extend_schema(
        tags=TAGS,
        operation_id="api_customers_activate",
        summary=_("Reativa um cliente"),
        request=None,
        parameters=[CUSTOMER_ID],
        responses={200: CustomerMessageEnvelopeSerializer, **error_responses(400, 401, 404)},
    )
    def patch(self, request: Request, customer_id: str) -> Response:
        customer = services.customer_activate(customer_id=_customer_id(customer_id))
        return Response(
            {
                "message": gettext("Cliente ativado com sucesso."),
                "customer": CustomerOutputSerializer(customer).data,
            }
        )


class CustomerHistoryView(EnvelopeListMixin, GenericAPIView):
    """The customer's audit trail: who created, changed, deactivated, reactivated or deleted it,
    when and with which values (newest first, seed envelope). A hard-deleted customer's history
    stays readable."""

    # The browsable API's title and text (DRF's ``name``/``description`` hooks).
    name = _("Histórico do cliente")
    description = _(
        "Quem criou, alterou, desativou, reativou ou removeu o cliente, quando e com quais valores."
    )

    # Managers and admins: their roles hold the history's view permission.
    required_permissions = {"GET": ["customers.view_customerhistory"]}
    envelope_key = "history"
    default_per_page = 20
    queryset = CustomerHistory.objects.none()  # for the schema generator only
    serializer_class = CustomerHistoryListEnvelopeSerializer

    @extend_schema(
        tags=TAGS,
        operation_id="api_customers_history",
        summary="Histórico de alterações de um cliente (auditoria, mais recentes primeiro)",
        parameters=[CUSTOMER_ID],
        responses={200: CustomerHistoryListEnvelopeSerializer, **error_responses(400, 401, 404)},
    )
    def get(self, request: Request, customer_id: str) -> Response:
        history = selectors.customer_history_list(customer_id=_customer_id(customer_id))
        page = self.paginate_queryset(history)
        names = selectors.history_user_names(events=page)
        return self.get_paginated_response([change_event_payload(row, names) for row in page])


class CustomerExportView(ExportView):
    """The customer list as a CSV or XLSX file: the same filters, search and ordering as
    ``GET /api/customers``, every page, streamed (rows are read from a database cursor as the
    client downloads)."""

    name = _("Exportar clientes")  # the browsable API's title
    description = _("Lista de clientes em CSV ou XLSX, com os mesmos filtros da listagem.")
    required_permissions = {"GET": ["customers.view_customer"]}

    @extend_schema(
        tags=TAGS,
        operation_id="api_customers_export",
        summary=_("Exporta clientes (CSV ou XLSX) com os filtros da lista"),
        parameters=[FORMAT_PARAMETER, *LIST_PARAMETERS],
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, XLSX_MEDIA_TYPE): OpenApiTypes.BINARY,
            **error_responses(400, 401),
        },
    )
    def get(self, request: Request) -> StreamingHttpResponse:
        file_format = export_format(request)
        customers = selectors.customer_list(filters=request.query_params)
        return spreadsheet_response(
            file_format=file_format,
            basename="clientes",
            header=selectors.EXPORT_COLUMNS,
            rows=selectors.customer_export_rows(customers=customers),
        )
