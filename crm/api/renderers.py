"""The JSON renderer (orjson, byte for byte DRF's output) and the browsable API in the
client's language.

DRF labels the raw-data form's fields "Media type" and "Content" outside gettext; the rest of
its page is ``crm/templates/rest_framework/base.html`` (translatable copy of DRF's template).
Page titles and descriptions come from each view's ``name`` and ``description`` (DRF's own
hooks), written in Portuguese and translated by ``locale/en``.
"""

from __future__ import annotations

import orjson
from django.utils.translation import gettext_lazy as _
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

from .exceptions import ApplicationError

_ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
_LINE_SEPARATORS = ((b"\xe2\x80\xa8", b"\\u2028"), (b"\xe2\x80\xa9", b"\\u2029"))


class FastJSONRenderer(JSONRenderer):
    """DRF's ``JSONRenderer`` output, written by orjson (several times faster than ``json``).

    The bytes are DRF's: compact separators, non-ASCII as UTF-8, the same string escapes,
    ``\u2028``/``\u2029`` escaped. Every type orjson does not write the way DRF does goes
    through DRF's own encoder (``JSONEncoder.default``): dates and times (``Z`` for UTC),
    ``Decimal``, lazy translations, querysets. Money never reaches it as a number: the
    serializers turn amounts into strings (``"10.50"``). What orjson refuses (an integer
    beyond 64 bits, a non-string dict key, a lone surrogate) and an ``indent`` requested in
    ``Accept`` are rendered by DRF's renderer itself. The one difference left would be floats
    (``1e+16`` vs ``1e16``, NaN), and no API answer carries a float."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if (
            self.ensure_ascii
            or not self.compact
            or self.get_indent(accepted_media_type, renderer_context or {}) is not None
        ):
            return super().render(data, accepted_media_type, renderer_context)
        try:
            rendered = orjson.dumps(data, default=_drf_default, option=_ORJSON_OPTIONS)
        except (orjson.JSONEncodeError, TypeError):
            return super().render(data, accepted_media_type, renderer_context)
        for raw, escaped in _LINE_SEPARATORS:
            if raw in rendered:
                rendered = rendered.replace(raw, escaped)
        return rendered


_drf_default = JSONEncoder().default


RAW_DATA_LABELS = {"_content_type": _("Tipo de conteúdo"), "_content": _("Conteúdo")}


class _FormSource:
    """Stands for the serializer DRF looks for on the response data (``data.serializer``) to
    fill its PUT/PATCH forms with the object's current values."""

    many = False

    def __init__(self, instance) -> None:
        self.instance = instance


class _DataWithFormSource(dict):
    def __init__(self, data, instance) -> None:
        super().__init__(data)
        self.serializer = _FormSource(instance)


class TranslatedBrowsableAPIRenderer(BrowsableAPIRenderer):
    """Also: the PUT/PATCH forms of a detail view start from the object's current values when
    the view offers ``get_form_instance()`` (our detail views answer an envelope, not a
    serializer's data, so DRF would start them empty or at the fields' initial values, and an
    untouched form would overwrite the object, e.g. reactivate an inactive product)."""

    def _with_form_source(self, data, view, method):
        if (
            method not in ("PUT", "PATCH")
            or getattr(data, "serializer", None) is not None
            or not isinstance(data, dict)
            or not hasattr(view, "get_form_instance")
        ):
            return data
        try:
            instance = view.get_form_instance()
        except ApplicationError:
            return data
        return _DataWithFormSource(data, instance) if instance is not None else data

    def get_rendered_html_form(self, data, view, method, request):
        data = self._with_form_source(data, view, method)
        return super().get_rendered_html_form(data, view, method, request)

    def get_raw_data_form(self, data, view, method, request):
        data = self._with_form_source(data, view, method)
        form = super().get_raw_data_form(data, view, method, request)
        if form is not None:
            for name, label in RAW_DATA_LABELS.items():
                if name in form.fields:
                    form.fields[name].label = label
        return form
