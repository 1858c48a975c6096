"""Documentation shapes of the platform's envelopes, for drf-spectacular."""

from __future__ import annotations

from rest_framework import serializers


class ListEnvelopeSerializer(serializers.Serializer):
    """The paging part of the seed's list envelope (``EnvelopePagination``). A domain
    subclasses it and adds its items field: ``customers = CustomerOutputSerializer(many=True)``.

    ``total`` and ``pages`` are left out in cursor mode (``?cursor=``), so they are optional.
    """

    total = serializers.IntegerField(
        required=False, help_text="Total de itens (omitido no modo cursor)."
    )
    pages = serializers.IntegerField(
        required=False, help_text="Total de páginas (omitido no modo cursor)."
    )
    current_page = serializers.IntegerField()
    per_page = serializers.IntegerField()
    next_cursor = serializers.CharField(
        allow_null=True,
        help_text="Passe em ?cursor= para ler a página seguinte; null na última página.",
    )
