"""Admin for interactions (the timeline), and its panel on the customer change page.

The customer's and the author's names live in other domains: the changelist fetches them
through ``gateways`` in ONE batch per page (``InteractionChangeList.get_results``), never a
query per row. Interactions are history: staff read them here; they are recorded through the
API (``services.interaction_create``), so the admin offers no add/change/delete.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from crm.hooks import Panel

from . import gateways
from .interface import customer_activity
from .models import Interaction, InteractionType

TYPE_LABELS = dict(InteractionType.choices)


class InteractionChangeList(ChangeList):
    def get_results(self, request):
        super().get_results(request)
        rows = list(self.result_list)  # evaluates the page once; the template reuses the cache
        customers = gateways.customer_summaries(customer_ids={row.cd_customer for row in rows})
        authors = gateways.user_names(user_ids={row.cd_user for row in rows})
        for row in rows:
            summary = customers.get(row.cd_customer)
            row.customer_name = summary.ds_customer_name if summary else None
            row.author_name = authors.get(row.cd_user)


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
        summary = gateways.customer_summaries(customer_ids=[customer_id]).get(customer_id)
        return [(str(customer_id), summary.ds_customer_name if summary else str(customer_id))]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        customer_id = self._customer_id()
        if customer_id is None:
            return queryset.none()
        return queryset.filter(cd_customer=customer_id)


@admin.register(Interaction)
class InteractionAdmin(admin.ModelAdmin):
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

    def get_changelist(self, request, **kwargs):
        return InteractionChangeList

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("cliente"))
    def customer(self, obj: Interaction):
        name = getattr(obj, "customer_name", None)
        if name is None:
            return format_html("<code>{}</code>", obj.cd_customer)
        url = _customer_change_url(obj.cd_customer)
        return format_html('<a href="{}">{}</a>', url, name) if url else name

    @admin.display(description=_("autor"))
    def author(self, obj: Interaction):
        return getattr(obj, "author_name", None) or str(obj.cd_user)

    @admin.display(description=_("anotações"))
    def notes_excerpt(self, obj: Interaction) -> str:
        return Truncator(obj.ds_notes).chars(80)


def _customer_change_url(customer_id: UUID) -> str | None:
    # A URL name, not an import: the customers admin may be absent (then no link).
    try:
        return reverse("admin:customers_customer_change", args=[customer_id])
    except NoReverseMatch:
        return None


def interactions_changelist_url(customer_id: UUID) -> str:
    return (
        reverse("admin:interactions_interaction_changelist")
        + "?"
        + urlencode({"cd_customer": str(customer_id)})
    )


def customer_activity_panel(customer_id: UUID) -> Panel:
    """Provider for the customer change page (``gateways.CHANGE_PAGE_PANELS``)."""
    activity = customer_activity(customer_id=customer_id, limit=10)
    html = render_to_string(
        "interactions/customer_activity_panel.html",
        {
            "activity": activity,
            "rows": [
                {"entry": entry, "type_label": TYPE_LABELS.get(entry.id_interaction_type, "")}
                for entry in activity.interactions
            ],
            "changelist_url": interactions_changelist_url(customer_id),
        },
    )
    return Panel(title="Interações e saldo", html=html)
