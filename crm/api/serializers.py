"""Documentation shapes of the platform's envelopes, for drf-spectacular."""

from __future__ import annotations

from rest_framework import serializers


class ListEnvelopeSerializer(serializers.Serializer):
    """The paging part of the seed's list envelope (``EnvelopePagination``). A domain
    subclasses it and adds its items field: ``customers = CustomerOutputSerializer(many=True)``.
    """

    total = serializers.IntegerField()
    pages = serializers.IntegerField()
    current_page = serializers.IntegerField()
    per_page = serializers.IntegerField()


class ForbiddenErrorSerializer(serializers.Serializer):
    """``{"error": "Você não tem permissão para executar esta ação."}`` (403)."""

    error = serializers.CharField()
