"""Interaction timeline API: ``/api/customers/<customer_id>/interactions[/<cd_interaction>]``.

Thin views: parse, call a selector/service, render the seed's envelopes.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from crm.api.authentication import acting_user_id
from crm.api.exceptions import parse_uuid
from crm.api.views import EnvelopeListMixin

from .. import gateways, selectors, services
from ..models import Interaction, InteractionType
from .timeline_serializers import (
    InteractionCreatedSerializer,
    InteractionEnvelopeSerializer,
    InteractionInputSerializer,
    InteractionOutputSerializer,
    InteractionPageSerializer,
)

TAG = "Interações"
ERROR = inline_serializer("Erro", {"error": serializers.JSONField()})
CUSTOMER_ID = OpenApiParameter(
    "customer_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="cd_customer"
)
INTERACTION_ID = OpenApiParameter(
    "interaction_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="cd_interaction"
)


def interaction_payload(interaction: Interaction, names: dict) -> dict:
    return InteractionOutputSerializer(
        {
            "cd_interaction": interaction.cd_interaction,
            "cd_customer": interaction.cd_customer,
            "cd_user": interaction.cd_user,
            "ds_user": names.get(interaction.cd_user),
            "ds_notes": interaction.ds_notes,
            "id_interaction_type": interaction.id_interaction_type,
            "dt_interaction": interaction.dt_interaction,
            "dt_created_at": interaction.dt_created_at,
        }
    ).data


class InteractionListCreateApi(EnvelopeListMixin, GenericAPIView):
    """A customer's timeline: list (newest first, seed envelope) and record."""

    required_permissions = {
        "GET": ["interactions.view_interaction"],
        "POST": ["interactions.add_interaction"],
    }
    envelope_key = "interactions"
    default_per_page = 15
    serializer_class = InteractionInputSerializer  # the browsable API's form
    filter_backends: list = []  # filtering is the selector's job (InteractionFilter)

    def get_queryset(self):
        return Interaction.objects.none()

    @extend_schema(
        tags=[TAG],
        operation_id="customer_interactions_list",
        summary="Lista as interações do cliente (mais recentes primeiro)",
        parameters=[
            CUSTOMER_ID,
            OpenApiParameter("page", OpenApiTypes.INT, description="Página (a partir de 1)."),
            OpenApiParameter(
                "per_page", OpenApiTypes.INT, description="Itens por página (15; máximo 100)."
            ),
            OpenApiParameter("id_interaction_type", OpenApiTypes.STR, enum=InteractionType.values),
            OpenApiParameter(
                "date_from", OpenApiTypes.DATE, description="Desde este dia (inclusive)."
            ),
            OpenApiParameter("date_to", OpenApiTypes.DATE, description="Até este dia (inclusive)."),
        ],
        responses={
            200: InteractionPageSerializer,
            400: ERROR,
            401: ERROR,
            404: ERROR,
        },
    )
    def get(self, request, customer_id: str):
        cd_customer = parse_uuid(customer_id, name="customer_id")
        gateways.customer_get_summary(customer_id=cd_customer)  # 404 if unknown
        queryset = selectors.interaction_list(customer_id=cd_customer, filters=request.query_params)
        page = self.paginate_queryset(queryset)
        names = selectors.author_names(interactions=page)
        return self.get_paginated_response([interaction_payload(row, names) for row in page])

    @extend_schema(
        tags=[TAG],
        operation_id="customer_interactions_create",
        summary="Registra uma interação com o cliente (autor = usuário do token)",
        parameters=[CUSTOMER_ID],
        request=InteractionInputSerializer,
        responses={201: InteractionCreatedSerializer, 400: ERROR, 401: ERROR, 404: ERROR},
    )
    def post(self, request, customer_id: str):
        cd_customer = parse_uuid(customer_id, name="customer_id")
        serializer = InteractionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user_id = acting_user_id(request)
        interaction = services.interaction_create(
            customer_id=cd_customer,
            user_id=user_id,
            ds_notes=serializer.validated_data["ds_notes"],
            id_interaction_type=serializer.validated_data["id_interaction_type"],
            dt_interaction=serializer.validated_data.get("dt_interaction"),
        )
        names = selectors.author_names(interactions=[interaction])
        return Response(
            {
                "message": _("Interação registrada com sucesso."),
                "interaction": interaction_payload(interaction, names),
            },
            status=status.HTTP_201_CREATED,
        )


class InteractionDetailApi(GenericAPIView):
    """One interaction of that customer (beyond the seed)."""

    required_permissions = {"GET": ["interactions.view_interaction"]}

    serializer_class = InteractionOutputSerializer
    filter_backends: list = []

    def get_queryset(self):
        return Interaction.objects.none()

    @extend_schema(
        tags=[TAG],
        operation_id="customer_interactions_retrieve",
        summary="Detalhe de uma interação do cliente",
        parameters=[CUSTOMER_ID, INTERACTION_ID],
        responses={200: InteractionEnvelopeSerializer, 400: ERROR, 401: ERROR, 404: ERROR},
    )
    def get(self, request, customer_id: str, interaction_id: str):
        cd_customer = parse_uuid(customer_id, name="customer_id")
        cd_interaction = parse_uuid(interaction_id, name="interaction_id")
        gateways.customer_get_summary(customer_id=cd_customer)
        interaction = selectors.interaction_get(
            customer_id=cd_customer, interaction_id=cd_interaction
        )
        names = selectors.author_names(interactions=[interaction])
        return Response({"interaction": interaction_payload(interaction, names)})
