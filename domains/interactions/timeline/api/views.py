"""Interaction timeline API: ``/api/customers/<customer_id>/interactions[/<interaction_id>]``.

Thin views: parse the path and the body's shape, call a selector or service, render the seed's
envelopes. Whether the customer exists is the selectors' and services' question, not the views'.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from crm.api.authentication import acting_user_id
from crm.api.exceptions import parse_uuid
from crm.api.openapi import id_path_parameter
from crm.api.serializers import error_responses
from crm.api.views import EnvelopeListMixin

from .. import selectors, services
from ..models import Interaction, InteractionType
from .serializers import (
    InteractionEnvelopeSerializer,
    InteractionInputSerializer,
    InteractionListEnvelopeSerializer,
    InteractionMessageEnvelopeSerializer,
    InteractionOutputSerializer,
)

TAGS = [gettext_lazy("Interações")]
CUSTOMER_ID = id_path_parameter("customer_id", column="cd_customer")
INTERACTION_ID = id_path_parameter("interaction_id", column="cd_interaction")


def interaction_payload(interaction: Interaction, names: dict) -> dict:
    return InteractionOutputSerializer.representation(
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
    )


class InteractionListCreateView(EnvelopeListMixin, GenericAPIView):
    """A customer's timeline: list (newest first, seed envelope) and record."""

    # The browsable API's title and text (DRF's ``name``/``description`` hooks).
    name = gettext_lazy("Interações do cliente")
    description = gettext_lazy(
        "Linha do tempo do cliente: lista as interações (mais recentes primeiro) ou registra "
        "uma, com o usuário autenticado como autor."
    )

    required_permissions = {
        "GET": ["interactions.view_interaction"],
        "POST": ["interactions.add_interaction"],
    }
    envelope_key = "interactions"
    default_per_page = 15
    serializer_class = InteractionInputSerializer  # the browsable API's form
    queryset = Interaction.objects.none()  # for the schema generator only; reads go via selectors

    @extend_schema(
        tags=TAGS,
        operation_id="customer_interactions_list",
        summary=gettext_lazy("Lista as interações do cliente (mais recentes primeiro)"),
        parameters=[
            CUSTOMER_ID,
            OpenApiParameter("id_interaction_type", OpenApiTypes.STR, enum=InteractionType.values),
            OpenApiParameter(
                "date_from",
                OpenApiTypes.DATE,
                description=gettext_lazy("Desde este dia (inclusive)."),
            ),
            OpenApiParameter(
                "date_to", OpenApiTypes.DATE, description=gettext_lazy("Até este dia (inclusive).")
            ),
        ],
        responses={200: InteractionListEnvelopeSerializer, **error_responses(400, 401, 404)},
    )
    def get(self, request, customer_id: str):
        queryset = selectors.interaction_list(
            customer_id=parse_uuid(customer_id, name="customer_id"), filters=request.query_params
        )
        page = self.paginate_queryset(queryset)
        names = selectors.author_names(interactions=page)
        return self.get_paginated_response([interaction_payload(row, names) for row in page])

    @extend_schema(
        tags=TAGS,
        operation_id="customer_interactions_create",
        summary=gettext_lazy("Registra uma interação com o cliente (autor = usuário do token)"),
        parameters=[CUSTOMER_ID],
        request=InteractionInputSerializer,
        responses={
            201: InteractionMessageEnvelopeSerializer,
            **error_responses(400, 401, 404),
        },
    )
    def post(self, request, customer_id: str):
        cd_customer = parse_uuid(customer_id, name="customer_id")
        serializer = InteractionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        interaction = services.interaction_create(
            customer_id=cd_customer,
            user_id=acting_user_id(request),
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


class InteractionDetailView(GenericAPIView):
    """One interaction of that customer (beyond the seed)."""

    name = gettext_lazy("Interação do cliente")
    description = gettext_lazy("Uma interação deste cliente.")
    required_permissions = {"GET": ["interactions.view_interaction"]}

    serializer_class = InteractionOutputSerializer
    queryset = Interaction.objects.none()  # for the schema generator only

    @extend_schema(
        tags=TAGS,
        operation_id="customer_interactions_retrieve",
        summary=gettext_lazy("Detalhe de uma interação do cliente"),
        parameters=[CUSTOMER_ID, INTERACTION_ID],
        responses={200: InteractionEnvelopeSerializer, **error_responses(400, 401, 404)},
    )
    def get(self, request, customer_id: str, interaction_id: str):
        interaction = selectors.interaction_get(
            customer_id=parse_uuid(customer_id, name="customer_id"),
            interaction_id=parse_uuid(interaction_id, name="interaction_id"),
        )
        names = selectors.author_names(interactions=[interaction])
        return Response({"interaction": interaction_payload(interaction, names)})
