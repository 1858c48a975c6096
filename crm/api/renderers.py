"""The browsable API in the client's language.

DRF labels the raw-data form's fields "Media type" and "Content" outside gettext; the rest of
its page is ``crm/templates/rest_framework/base.html`` (translatable copy of DRF's template).
Page titles and descriptions come from each view's ``name`` and ``description`` (DRF's own
hooks), written in Portuguese and translated by ``locale/en``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.renderers import BrowsableAPIRenderer

from .exceptions import ApplicationError

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
