"""Products API (seed: ``/api/products``). Thin views: parse, call a service or selector, render."""

from __future__ import annotations

from django.http import StreamingHttpResponse
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
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
from ..filters import ORDERING_FIELDS
from ..models import Product, ProductHistory, ProductType
from .serializers import (
    ProductEnvelopeSerializer,
    ProductHistoryListEnvelopeSerializer,
    ProductInputSerializer,
    ProductListEnvelopeSerializer,
    ProductMessageEnvelopeSerializer,
    ProductOutputSerializer,
)

TAGS = [gettext_lazy("Produtos")]
PRODUCT_ID = id_path_parameter("product_id", column="cd_product")


def _product_body(*, message: str | None = None, product: Product) -> dict:
    body = {"product": ProductOutputSerializer(product).data}
    if message is not None:
        body = {"message": message, **body}
    return body


LIST_PARAMETERS = [
    OpenApiParameter(
        "active_only",
        OpenApiTypes.BOOL,
        description=gettext_lazy("Só ativos (padrão true)."),
        default=True,
    ),
    OpenApiParameter(
        "search", OpenApiTypes.STR, description=gettext_lazy("Nome ou descrição contém.")
    ),
    OpenApiParameter("id_product_type", OpenApiTypes.STR, enum=ProductType.values),
    OpenApiParameter(
        "min_price", OpenApiTypes.STR, description=gettext_lazy("Preço mínimo, inclusive (10.50).")
    ),
    OpenApiParameter(
        "max_price", OpenApiTypes.STR, description=gettext_lazy("Preço máximo, inclusive (10.50).")
    ),
    OpenApiParameter(
        "ordering",
        OpenApiTypes.STR,
        description=format_lazy(
            "{}: {}",
            gettext_lazy("Separados por vírgula, '-' para decrescente"),
            ", ".join(ORDERING_FIELDS),
        ),
    ),
]


class ProductListCreateView(EnvelopeListMixin, GenericAPIView):
    """List products (active only unless ``active_only=false``) or create one."""

    # The browsable API's title and text (DRF's ``name``/``description`` hooks).
    name = gettext_lazy("Produtos e serviços")
    description = gettext_lazy(
        "Lista os produtos e serviços (só os ativos, a menos que active_only=false) ou cadastra um."
    )

    required_permissions = {"GET": ["products.view_product"], "POST": ["products.add_product"]}
    envelope_key = "products"
    serializer_class = ProductInputSerializer  # the browsable API builds its forms from it
    queryset = Product.objects.none()  # for the schema generator only; reads go via selectors

    @extend_schema(
        tags=TAGS,
        operation_id="api_products_list",
        summary=gettext_lazy("Lista produtos (paginado)"),
        parameters=LIST_PARAMETERS,
        responses={200: ProductListEnvelopeSerializer, **error_responses(400, 401)},
    )
    def get(self, request):
        queryset = selectors.product_list(filters=request.query_params)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(
            [ProductOutputSerializer.representation(row) for row in page]
        )

    @extend_schema(
        tags=TAGS,
        operation_id="api_products_create",
        summary=gettext_lazy("Cria um produto/serviço"),
        request=ProductInputSerializer,
        responses={201: ProductMessageEnvelopeSerializer, **error_responses(400, 401, 409)},
    )
    def post(self, request):
        serializer = ProductInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        product = services.product_create(**serializer.validated_data)
        return Response(
            _product_body(message=_("Produto criado com sucesso."), product=product),
            status=status.HTTP_201_CREATED,
        )


class ProductDetailView(APIView):
    """One product, active or not: read, partial update, soft or hard delete."""

    name = gettext_lazy("Produto/serviço")
    description = gettext_lazy(
        "Um produto ou serviço, ativo ou não: consulta, atualização parcial, desativação ou "
        "remoção."
    )

    required_permissions = {
        "GET": ["products.view_product"],
        "PUT": ["products.change_product"],
        "PATCH": ["products.change_product"],
        "DELETE": ["products.change_product"],  # deactivates
        "DELETE?hard_delete=true": ["products.hard_delete_product"],
    }
    serializer_class = ProductInputSerializer  # the browsable API builds its forms from it

    def get_form_instance(self):
        """The browsable API's PUT/PATCH forms start from the product's current values."""
        return selectors.product_get(
            product_id=parse_uuid(self.kwargs["product_id"], name="product_id")
        )

    @extend_schema(
        tags=TAGS,
        operation_id="api_products_retrieve",
        summary=gettext_lazy("Detalhe de um produto (ativo ou não)"),
        parameters=[PRODUCT_ID],
        responses={200: ProductEnvelopeSerializer, **error_responses(400, 401, 404)},
    )
    def get(self, request, product_id: str):
        product = selectors.product_get(product_id=parse_uuid(product_id, name="product_id"))
        return Response(_product_body(product=product))

    def _update(self, request, product_id: str):
        cd_product = parse_uuid(product_id, name="product_id")
        serializer = ProductInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        product = services.product_update(product_id=cd_product, **serializer.validated_data)
        return Response(
            _product_body(message=_("Produto atualizado com sucesso."), product=product)
        )

    @extend_schema(
        tags=TAGS,
        operation_id="api_products_update",
        summary=gettext_lazy("Atualiza um produto (parcial, como no seed)"),
        request=ProductInputSerializer(partial=True),
        parameters=[PRODUCT_ID],
        responses={
            200: ProductMessageEnvelopeSerializer,
            **error_responses(400, 401, 404, 409),
        },
    )
    def put(self, request, product_id: str):
        return self._update(request, product_id)

    @extend_schema(
        tags=TAGS,
        operation_id="api_products_partial_update",
        summary=gettext_lazy("Atualiza um produto (parcial)"),
        request=ProductInputSerializer(partial=True),
        parameters=[PRODUCT_ID],
        responses={
            200: ProductMessageEnvelopeSerializer,
            **error_responses(400, 401, 404, 409),
        },
    )
    def patch(self, request, product_id: str):
        return self._update(request, product_id)

    @extend_schema(
        tags=TAGS,
        operation_id="api_products_destroy",
        summary=gettext_lazy("Desativa (padrão) ou remove permanentemente um produto"),
        parameters=[
            PRODUCT_ID,
            OpenApiParameter(
                "hard_delete",
                OpenApiTypes.BOOL,
                description=gettext_lazy("true remove permanentemente; padrão false (desativa)."),
                default=False,
            ),
        ],
        responses={200: MessageSerializer, **error_responses(400, 401, 404, 409)},
    )
    def delete(self, request, product_id: str):
        cd_product = parse_uuid(product_id, name="product_id")
        if query_bool(request.query_params, "hard_delete", default=False):
            services.product_hard_delete(product_id=cd_product)
            return Response({"message": _("Produto removido permanentemente.")})
        services.product_deactivate(product_id=cd_product)
        return Response({"message": _("Produto desativado com sucesso.")})


class ProductActivateView(APIView):
    """Reactivate a product that was soft deleted."""

    name = gettext_lazy("Reativar produto")
    description = gettext_lazy("Reativa um produto desativado por DELETE.")
    required_permissions = {"PATCH": ["products.change_product"]}

    @extend_schema(
        tags=TAGS,
        operation_id="api_products_activate",
        summary=gettext_lazy("Reativa um produto"),
        request=None,
        parameters=[PRODUCT_ID],
        responses={200: ProductMessageEnvelopeSerializer, **error_responses(400, 401, 404)},
    )
    def patch(self, request, product_id: str):
        product = services.product_activate(product_id=parse_uuid(product_id, name="product_id"))
        return Response(_product_body(message=_("Produto ativado com sucesso."), product=product))


class ProductHistoryView(EnvelopeListMixin, GenericAPIView):
    """The product's audit trail: who created, changed, deactivated, reactivated or deleted it,
    when and with which values (newest first, seed envelope). A hard-deleted product's history
    stays readable."""

    # The browsable API's title and text (DRF's ``name``/``description`` hooks).
    name = gettext_lazy("Histórico do produto")
    description = gettext_lazy(
        "Quem criou, alterou, desativou, reativou ou removeu o produto, quando e com quais valores."
    )

    # Managers and admins: their roles hold the history's view permission.
    required_permissions = {"GET": ["products.view_producthistory"]}
    envelope_key = "history"
    default_per_page = 20
    queryset = ProductHistory.objects.none()  # for the schema generator only
    serializer_class = ProductHistoryListEnvelopeSerializer

    @extend_schema(
        tags=TAGS,
        operation_id="api_products_history",
        summary="Histórico de alterações de um produto (auditoria, mais recentes primeiro)",
        parameters=[PRODUCT_ID],
        responses={200: ProductHistoryListEnvelopeSerializer, **error_responses(400, 401, 404)},
    )
    def get(self, request, product_id: str):
        history = selectors.product_history_list(
            product_id=parse_uuid(product_id, name="product_id")
        )
        page = self.paginate_queryset(history)
        names = selectors.history_user_names(events=page)
        return self.get_paginated_response([change_event_payload(row, names) for row in page])


class ProductExportView(ExportView):
    """The product list as a CSV or XLSX file: the same filters, search and ordering as
    ``GET /api/products``, every page, streamed from a database cursor."""

    name = gettext_lazy("Exportar produtos")  # the browsable API's title
    description = gettext_lazy(
        "Lista de produtos e serviços em CSV ou XLSX, com os mesmos filtros da listagem."
    )
    required_permissions = {"GET": ["products.view_product"]}

    @extend_schema(
        tags=TAGS,
        operation_id="api_products_export",
        summary=gettext_lazy("Exporta produtos (CSV ou XLSX) com os filtros da lista"),
        parameters=[FORMAT_PARAMETER, *LIST_PARAMETERS],
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, XLSX_MEDIA_TYPE): OpenApiTypes.BINARY,
            **error_responses(400, 401),
        },
    )
    def get(self, request) -> StreamingHttpResponse:
        file_format = export_format(request)
        products = selectors.product_list(filters=request.query_params)
        return spreadsheet_response(
            file_format=file_format,
            basename="produtos",
            header=selectors.EXPORT_COLUMNS,
            rows=selectors.product_export_rows(products=products),
        )
