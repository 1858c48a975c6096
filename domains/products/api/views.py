"""Products API (seed: ``/api/products``). Thin views: parse, call a service or selector, render."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from crm.api.exceptions import InvalidInput, parse_uuid
from crm.api.pagination import MAX_PER_PAGE
from crm.api.views import EnvelopeListMixin

from .. import selectors, services
from ..filters import ORDERING_FIELDS
from ..models import ProductType
from .serializers import ProductInput, ProductOutput

TAGS = ["Produtos"]


def _envelope(name: str, *, with_message: bool):
    fields = {"product": ProductOutput()}
    if with_message:
        fields = {"message": serializers.CharField(), **fields}
    return inline_serializer(name=name, fields=fields)


LIST_ENVELOPE = inline_serializer(
    name="ProductListEnvelope",
    fields={
        "products": ProductOutput(many=True),
        "total": serializers.IntegerField(),
        "pages": serializers.IntegerField(),
        "current_page": serializers.IntegerField(),
        "per_page": serializers.IntegerField(),
    },
)


MESSAGE_ONLY = inline_serializer(name="ProductMessage", fields={"message": serializers.CharField()})
ERROR = inline_serializer(name="ProductError", fields={"error": serializers.JSONField()})
CREATE_ERRORS = {400: ERROR, 401: ERROR, 409: ERROR}
DETAIL_ERRORS = {400: ERROR, 401: ERROR, 404: ERROR}
UPDATE_ERRORS = {**DETAIL_ERRORS, 409: ERROR}
PRODUCT_ID = OpenApiParameter(
    "product_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="cd_product"
)


def _parse_bool(raw: str | None, *, name: str, default: bool) -> bool:
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"true", "false"}:
        return value == "true"
    raise InvalidInput({name: [_("Use 'true' ou 'false'.")]})


def _product_body(*, message: str | None = None, product) -> dict:
    body = {"product": ProductOutput(product).data}
    if message is not None:
        body = {"message": message, **body}
    return body


LIST_PARAMETERS = [
    OpenApiParameter("page", OpenApiTypes.INT, description="Página, a partir de 1."),
    OpenApiParameter(
        "per_page",
        OpenApiTypes.INT,
        description=f"Itens por página (padrão 20, máximo {MAX_PER_PAGE}).",
    ),
    OpenApiParameter(
        "active_only", OpenApiTypes.BOOL, description="Só ativos (padrão true).", default=True
    ),
    OpenApiParameter("search", OpenApiTypes.STR, description="Nome ou descrição contém."),
    OpenApiParameter("id_product_type", OpenApiTypes.STR, enum=ProductType.values),
    OpenApiParameter("min_price", OpenApiTypes.STR, description="Preço mínimo, inclusive (10.50)."),
    OpenApiParameter("max_price", OpenApiTypes.STR, description="Preço máximo, inclusive (10.50)."),
    OpenApiParameter(
        "ordering",
        OpenApiTypes.STR,
        description="Separados por vírgula, '-' para decrescente: " + ", ".join(ORDERING_FIELDS),
    ),
]


class ProductListCreateView(EnvelopeListMixin, GenericAPIView):
    """List products (active only unless ``active_only=false``) or create one."""

    required_permissions = {"GET": ["products.view_product"], "POST": ["products.add_product"]}
    envelope_key = "products"
    serializer_class = ProductInput  # the browsable API builds its forms from it
    filter_backends: list = []  # ProductFilter runs in the selector, validated

    @extend_schema(
        tags=TAGS,
        operation_id="api_products_list",
        summary="Lista produtos (paginado)",
        parameters=LIST_PARAMETERS,
        responses={200: LIST_ENVELOPE, 400: ERROR, 401: ERROR},
    )
    def get(self, request):
        queryset = selectors.product_list(filters=request.query_params)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(ProductOutput(page, many=True).data)

    @extend_schema(
        tags=TAGS,
        operation_id="api_products_create",
        summary="Cria um produto/serviço",
        request=ProductInput,
        responses={201: _envelope("ProductCreated", with_message=True), **CREATE_ERRORS},
    )
    def post(self, request):
        serializer = ProductInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        product = services.product_create(**serializer.validated_data)
        return Response(
            _product_body(message=_("Produto criado com sucesso."), product=product),
            status=status.HTTP_201_CREATED,
        )


class ProductDetailView(APIView):
    """One product, active or not: read, partial update, soft or hard delete."""

    required_permissions = {
        "GET": ["products.view_product"],
        "PUT": ["products.change_product"],
        "PATCH": ["products.change_product"],
        "DELETE": ["products.change_product"],  # deactivates
        "DELETE?hard_delete=true": ["products.hard_delete_product"],
    }
    serializer_class = ProductInput  # the browsable API builds its forms from it

    @extend_schema(
        tags=TAGS,
        operation_id="api_products_retrieve",
        summary="Detalhe de um produto (ativo ou não)",
        parameters=[PRODUCT_ID],
        responses={200: _envelope("ProductDetail", with_message=False), **DETAIL_ERRORS},
    )
    def get(self, request, product_id: str):
        product = selectors.product_get(product_id=parse_uuid(product_id, name="product_id"))
        return Response(_product_body(product=product))

    def _update(self, request, product_id: str):
        cd_product = parse_uuid(product_id, name="product_id")
        serializer = ProductInput(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        product = services.product_update(product_id=cd_product, **serializer.validated_data)
        return Response(
            _product_body(message=_("Produto atualizado com sucesso."), product=product)
        )

    @extend_schema(
        tags=TAGS,
        operation_id="api_products_update",
        summary="Atualiza um produto (parcial, como no seed)",
        request=ProductInput(partial=True),
        parameters=[PRODUCT_ID],
        responses={200: _envelope("ProductUpdated", with_message=True), **UPDATE_ERRORS},
    )
    def put(self, request, product_id: str):
        return self._update(request, product_id)

    @extend_schema(
        tags=TAGS,
        operation_id="api_products_partial_update",
        summary="Atualiza um produto (parcial)",
        request=ProductInput(partial=True),
        parameters=[PRODUCT_ID],
        responses={200: _envelope("ProductPatched", with_message=True), **UPDATE_ERRORS},
    )
    def patch(self, request, product_id: str):
        return self._update(request, product_id)

    @extend_schema(
        tags=TAGS,
        operation_id="api_products_destroy",
        summary="Desativa (padrão) ou remove permanentemente um produto",
        parameters=[
            PRODUCT_ID,
            OpenApiParameter(
                "hard_delete",
                OpenApiTypes.BOOL,
                description="true remove permanentemente; padrão false (desativa).",
                default=False,
            ),
        ],
        responses={200: MESSAGE_ONLY, **UPDATE_ERRORS},
    )
    def delete(self, request, product_id: str):
        cd_product = parse_uuid(product_id, name="product_id")
        hard_delete = _parse_bool(
            request.query_params.get("hard_delete"), name="hard_delete", default=False
        )
        if hard_delete:
            services.product_hard_delete(product_id=cd_product)
            return Response({"message": _("Produto removido permanentemente.")})
        services.product_deactivate(product_id=cd_product)
        return Response({"message": _("Produto desativado com sucesso.")})


class ProductActivateView(APIView):
    """Reactivate a product that was soft deleted."""

    required_permissions = {"PATCH": ["products.change_product"]}

    @extend_schema(
        tags=TAGS,
        operation_id="api_products_activate",
        summary="Reativa um produto",
        request=None,
        parameters=[PRODUCT_ID],
        responses={200: _envelope("ProductActivated", with_message=True), **DETAIL_ERRORS},
    )
    def patch(self, request, product_id: str):
        product = services.product_activate(product_id=parse_uuid(product_id, name="product_id"))
        return Response(_product_body(message=_("Produto ativado com sucesso."), product=product))
