"""The browsable API in the client's language.

DRF labels the raw-data form's fields "Media type" and "Content" outside gettext; the rest of
its page is ``crm/templates/rest_framework/base.html`` (translatable copy of DRF's template).
Page titles and descriptions come from each view's ``name`` and ``description`` (DRF's own
hooks), written in Portuguese and translated by ``locale/en``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.renderers import BrowsableAPIRenderer

RAW_DATA_LABELS = {"_content_type": _("Tipo de conteúdo"), "_content": _("Conteúdo")}


class TranslatedBrowsableAPIRenderer(BrowsableAPIRenderer):
    def get_raw_data_form(self, data, view, method, request):
        form = super().get_raw_data_form(data, view, method, request)
        if form is not None:
            for name, label in RAW_DATA_LABELS.items():
                if name in form.fields:
                    form.fields[name].label = label
        return form
