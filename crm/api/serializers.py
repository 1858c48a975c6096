"""Documentation shapes of the platform's envelopes, for drf-spectacular."""

from __future__ import annotations

from django.utils.text import capfirst
from rest_framework import serializers


class ListEnvelopeSerializer(serializers.Serializer):
    """The paging part of the seed's list envelope (``EnvelopePagination``). A domain
    subclasses it and adds its items field: ``customers = CustomerOutputSerializer(many=True)``.
    """

    total = serializers.IntegerField()
    pages = serializers.IntegerField()
    current_page = serializers.IntegerField()
    per_page = serializers.IntegerField()


class ModelLabelsMixin:
    """Labels (and help texts) of a plain input serializer taken from a model's verbose names,
    as ``ModelSerializer`` does: the browsable API's form then says "Nome" / "Name" (in the
    client's language) instead of DRF's guess from the field name ("Ds customer name").

    Set ``label_model`` to the model; fields named like a model field (or whose ``source``
    is one) get its ``verbose_name``; an explicit ``label=`` wins.
    """

    label_model = None

    def get_fields(self):
        fields = super().get_fields()
        model = self.label_model
        if model is None:
            return fields
        model_fields = {field.name: field for field in model._meta.get_fields()}
        model_fields.update(
            {getattr(field, "attname", field.name): field for field in model_fields.values()}
        )
        for name, field in fields.items():
            model_field = model_fields.get(field.source or name) or model_fields.get(name)
            if model_field is None or not hasattr(model_field, "verbose_name"):
                continue
            if field.label is None:
                field.label = capfirst(model_field.verbose_name)
            if field.help_text is None and getattr(model_field, "help_text", ""):
                field.help_text = model_field.help_text
        return fields
