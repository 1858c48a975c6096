"""Admin for interactions (the timeline).

The customer's and the author's names live in other domains: the changelist fetches them
through ``gateways`` in ONE batch per page (``admin_base.NamedRowsChangeList``), never a
query per row. Interactions are history: staff read them here; they are recorded through the
API (``services.interaction_create``), so the admin offers no add/change/delete.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import admin
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from crm.admin import unless_unavailable

from .. import gateways
from ..admin_base import ReadOnlyNamedRowsAdmin
from .models import Interaction


class CustomerListFilter(admin.SimpleListFilter):
    """``?cd_customer=<uuid>`` (the customer panel's link), shown by the customer's name.

    Offers no choice list (thousands of customers); it appears only while filtering, so staff
    see whose timeline they are reading and can clear it. A malformed id matches nothing.
    """

    title = _("cliente")
    parameter_name = "cd_customer"

    def _customer_id(self) -> UUID | None:
        try:
            return UUID(str(self.value()))
        except ValueError:
            return None

    def lookups(self, request, model_admin):
        # No choices unless filtering: Django applies (and shows) a filter only with choices.
        if self.value() is None:
            return []
        customer_id = self._customer_id()
        if customer_id is None:
            return [(self.value(), _("identificador inválido"))]
        summary = unless_unavailable(
            lambda: gateways.customer_summaries(customer_ids=[customer_id])
        ).get(customer_id)
        return [(str(customer_id), summary.ds_customer_name if summary else str(customer_id))]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        customer_id = self._customer_id()
        if customer_id is None:
            return queryset.none()
        return queryset.filter(cd_customer=customer_id)


@admin.register(Interaction)
class InteractionAdmin(ReadOnlyNamedRowsAdmin):
    list_display = (
        "dt_interaction",
        "id_interaction_type",
        "customer",
        "author",
        "notes_excerpt",
    )
    list_display_links = ("dt_interaction",)
    list_filter = (CustomerListFilter, "id_interaction_type", "dt_interaction")
    date_hierarchy = "dt_interaction"
    search_fields = ("ds_notes",)
    ordering = ("-dt_interaction", "-dt_created_at")
    list_per_page = 100
    fields = (
        "cd_interaction",
        "cd_customer",
        "cd_user",
        "id_interaction_type",
        "dt_interaction",
        "ds_notes",
        "dt_created_at",
    )
    readonly_fields = fields

    @admin.display(description=_("anotações"))
    def notes_excerpt(self, obj: Interaction) -> str:
        return Truncator(obj.ds_notes).chars(80)
