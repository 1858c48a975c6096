"""DRF pieces every domain's API shares: the strict text field, the documentation shapes of
the platform's envelopes (the error, the list) for drf-spectacular, and the shape of an audit
trail's event (the customers' and products' ``/history``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from decimal import Decimal
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.fields import SkipField, is_simple_callable
from rest_framework.relations import PKOnlyObject
from rest_framework.settings import api_settings

from ..models import ChangeAction

#: DRF's pt-BR catalogue says "Este campo pode não ser nulo." (sic).
NOT_NULL = _("Este campo não pode ser nulo.")


class CachedRepresentationMixin:
    """An output serializer that builds its fields once per class, not once per object.

    DRF builds a serializer's fields on every instance: a ``ModelSerializer`` maps each model
    field again (and translates its verbose name for a label nobody reads in a JSON answer), a
    plain ``Serializer`` deep-copies its declared fields. On a one-object read that was about
    40% of the request. Here ``to_representation`` walks a field list built once per class (by
    a template instance) with DRF's own ``get_attribute``/``to_representation``, so the output
    is exactly DRF's.

    Each field also gets a *plan* once: a field read from one plain attribute or key (``source``
    without dots) is read directly, a text or UUID field whose ``to_representation`` is DRF's
    own ``str(value)`` is converted with ``str``, and DRF's date and date-time fields get an
    inline of their ISO 8601 path (the active time zone looked up once per object); anything
    else (a dotted source, a callable, a missing attribute, decimals, other formats, a subclass
    that overrides ``to_representation``) takes DRF's path. Same answers, a third of the calls
    on a 20-row page.

    Only the *output* is served from the cache: ``serializer.fields`` is DRF's as before, built
    per instance in the active language, so the browsable API's forms and the OpenAPI schema
    keep their labels in the client's language. For read-only serializers whose fields need
    neither the request nor the serializer's context (plain, model and custom value fields);
    a field that does (a method or a related field) is refused when the list is built.
    """

    @classmethod
    def representation_fields(cls) -> tuple:
        cached = cls.__dict__.get("_cached_representation_fields")
        if cached is None:
            template = cls()
            cached = tuple((field.field_name, field) for field in template._readable_fields)
            for name, field in cached:
                if isinstance(field, _CONTEXT_FIELDS):
                    raise TypeError(
                        f"{cls.__name__}.{name} ({type(field).__name__}) needs the serializer's "
                        "context: CachedRepresentationMixin cannot share it"
                    )
            # On the class itself: a subclass builds (and caches) its own list.
            cls._cached_representation_fields = cached
            cls._cached_representation_plan = tuple(
                (name, field, _plain_attribute(field), *_plain_conversion(field))
                for name, field in cached
            )
        return cached

    @classmethod
    def representation_plan(cls) -> tuple:
        cls.representation_fields()
        return cls.__dict__["_cached_representation_plan"]

    @classmethod
    def representation(cls, instance) -> dict:
        """``cls(instance).data`` without a serializer per object (a page's rows): the same
        dict, written by one template instance of the class (``to_representation`` reads
        nothing of the instance but the class's plan)."""
        template = cls.__dict__.get("_representation_template")
        if template is None:
            template = cls._representation_template = cls()
        return template.to_representation(instance)

    def to_representation(self, instance):
        ret = {}
        mapping = isinstance(instance, Mapping)
        zone = _MISSING  # the active time zone, looked up once per object if a field needs it
        for name, field, attribute_name, convert, needs_zone in self.representation_plan():
            attribute = _MISSING
            if attribute_name is not None:
                try:
                    if mapping:
                        attribute = instance.get(attribute_name, _MISSING)
                    else:
                        attribute = getattr(instance, attribute_name, _MISSING)
                except ObjectDoesNotExist:
                    attribute = _MISSING  # DRF answers None for it
                if type(attribute) not in _PLAIN_VALUES and (
                    attribute is _MISSING or is_simple_callable(attribute)
                ):
                    attribute = _MISSING  # DRF calls it (and words its errors)
            if attribute is _MISSING:
                try:
                    attribute = field.get_attribute(instance)
                except SkipField:
                    continue
            if attribute is None or (
                type(attribute) not in _PLAIN_VALUES
                and isinstance(attribute, PKOnlyObject)
                and attribute.pk is None
            ):
                ret[name] = None
            elif needs_zone:
                if zone is _MISSING:
                    zone = _current_timezone()
                ret[name] = convert(attribute, zone)
            elif convert is not None:
                ret[name] = convert(attribute)
            else:
                ret[name] = field.to_representation(attribute)
        return ret


_MISSING = object()
#: Types of the values a row holds that are never callable (nor a related field's
#: ``PKOnlyObject``): read as they are, without DRF's callable check.
_PLAIN_VALUES = frozenset({str, int, float, bool, Decimal, UUID, datetime, date, time, type(None)})


def _plain_attribute(field) -> str | None:
    """The one attribute (or key) ``field`` reads, or ``None`` when DRF must find it."""
    attrs = field.source_attrs
    return attrs[0] if len(attrs) == 1 and field.source != "*" else None


def _plain_conversion(field) -> tuple:
    """``(convert, needs_zone)``: a conversion equal to ``field``'s ``to_representation``, or
    ``(None, False)`` when DRF's own must run.

    ``str`` for text and UUID fields whose ``to_representation`` is DRF's ``str(value)``; for
    DRF's date and date-time fields an inline of DRF's ISO 8601 path (``needs_zone``: called
    with the active time zone, looked up once per object, not once per field), which hands
    every value or setting it does not cover back to the field itself.
    """
    method = type(field).to_representation
    if method is serializers.CharField.to_representation:
        return str, False
    if method is serializers.UUIDField.to_representation and field.uuid_format == "hex_verbose":
        return str, False
    if method is serializers.DateTimeField.to_representation:
        return _datetime_conversion(field)
    if method is serializers.DateField.to_representation:
        return _date_conversion(field), False
    return None, False


def _current_timezone():
    """DRF's ``DateTimeField.default_timezone``."""
    return timezone.get_current_timezone() if settings.USE_TZ else None


def _datetime_conversion(field) -> tuple:
    """DRF's ``DateTimeField.to_representation`` for an aware ``datetime`` in ISO 8601 output:
    ``astimezone`` to the field's (or the active) zone, ``isoformat``, ``+00:00`` written ``Z``.

    A subclass that overrides ``enforce_timezone`` only to refuse some years first declares them
    as ``representation_years = (first, last)``; values outside go to the field (which refuses
    them in its own words). Any other override keeps DRF's path. Naive values, other types, a
    non-ISO format, ``USE_TZ = False`` and an overflowing conversion go to the field as well.
    """
    cls = type(field)
    if cls.default_timezone is not serializers.DateTimeField.default_timezone:
        return None, False
    years = None
    if cls.enforce_timezone is not serializers.DateTimeField.enforce_timezone:
        years = cls.__dict__.get("representation_years")
        if years is None:
            return None, False
    first, last = years or (None, None)
    drf = field.to_representation

    def convert(value, zone):
        output_format = getattr(field, "format", api_settings.DATETIME_FORMAT)
        if (
            zone is None
            or type(value) is not datetime
            or value.utcoffset() is None
            or output_format is None
            or (output_format != "iso-8601" and output_format.lower() != "iso-8601")
            or (years is not None and not first <= value.year <= last)
        ):
            return drf(value)
        try:
            text = value.astimezone(zone).isoformat()
        except OverflowError:
            return drf(value)  # DRF's "overflow" error
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    if hasattr(field, "timezone"):  # DRF's default_timezone= argument: fixed per field
        fixed = field.timezone
        return (lambda value: convert(value, fixed)), False
    return convert, True


def _date_conversion(field):
    """DRF's ``DateField.to_representation`` for a ``date`` in ISO 8601 output."""
    drf = field.to_representation

    def convert(value):
        output_format = getattr(field, "format", api_settings.DATE_FORMAT)
        if (
            type(value) is not date
            or output_format is None
            or (output_format != "iso-8601" and output_format.lower() != "iso-8601")
        ):
            return drf(value)
        return value.isoformat()

    return convert


_CONTEXT_FIELDS = (
    serializers.SerializerMethodField,
    serializers.RelatedField,
    serializers.ManyRelatedField,
    serializers.HiddenField,
    serializers.BaseSerializer,
)


class StrictCharField(serializers.CharField):
    """A JSON string, nothing else: DRF's ``CharField`` would turn ``123`` or ``true`` into
    text. Use it for every text field of an input serializer."""

    default_error_messages = {"invalid": _("Informe um texto."), "null": NOT_NULL}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class ErrorSerializer(serializers.Serializer):
    """``{"error": "<mensagem>"}`` or ``{"error": {"<campo>": ["<mensagem>"]}}``: every error the
    API answers (``crm.api.exceptions.exception_handler``). One schema, ``Erro``, for all."""

    error = serializers.JSONField(help_text=_("Mensagem, ou {campo: [mensagens]}."))

    class Meta:
        ref_name = "Erro"


def error_responses(*status_codes: int) -> dict[int, type[ErrorSerializer]]:
    """``responses={200: ..., **error_responses(400, 401, 404)}`` in ``extend_schema``."""
    return dict.fromkeys(status_codes, ErrorSerializer)


class MessageSerializer(serializers.Serializer):
    """``{"message": "..."}``: the answer of a delete (and of logout)."""

    message = serializers.CharField()


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


class ChangeEventOutputSerializer(CachedRepresentationMixin, serializers.Serializer):
    """One event of a customer's or a product's audit trail (``crm.models.ChangeEvent``)."""

    dt_event = serializers.DateTimeField(help_text="Quando.")
    cd_user = serializers.UUIDField(
        allow_null=True, help_text="Quem (null: nenhum usuário, p.ex. um comando)."
    )
    ds_user = serializers.CharField(
        allow_null=True, help_text="Nome de quem agiu; null se desconhecido ou removido."
    )
    ds_action = serializers.ChoiceField(choices=ChangeAction.choices)
    ds_ip = serializers.IPAddressField(
        allow_null=True, help_text="IP do cliente; null fora de uma requisição (p.ex. um comando)."
    )
    changes = serializers.DictField(
        child=serializers.ListField(child=serializers.JSONField(), min_length=2, max_length=2),
        help_text="{campo: [valor antigo, valor novo]}; null onde não havia valor.",
    )


def change_event_payload(event, names: dict) -> dict:
    """An audit row (``ChangeEvent``) as the history endpoints show it."""
    return ChangeEventOutputSerializer.representation(
        {
            "dt_event": event.dt_event,
            "cd_user": event.cd_user,
            "ds_user": names.get(event.cd_user),
            "ds_action": event.ds_action,
            "ds_ip": event.ds_ip,
            "changes": event.ds_changes,
        }
    )


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
