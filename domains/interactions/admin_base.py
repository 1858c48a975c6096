"""What the timeline and ledger admins share: read-only history whose rows name people of
other domains.

``cd_customer`` and ``cd_user`` belong to the customers and accounts domains. The changelist
fetches their names through ``gateways`` in ONE batch per page (``NamedRowsChangeList``), never
a query per row, and links the customer to its admin page by URL name (no import).
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from crm.admin import unless_unavailable

from . import gateways


class NamedRowsChangeList(ChangeList):
    def get_results(self, request):
        super().get_results(request)
        rows = list(self.result_list)  # evaluates the page once; the template reuses the cache
        customers = unless_unavailable(
            lambda: gateways.customer_summaries(customer_ids={row.cd_customer for row in rows})
        )
        authors = unless_unavailable(
            lambda: gateways.user_names(user_ids={row.cd_user for row in rows})
        )
        for row in rows:
            summary = customers.get(row.cd_customer)
            row.customer_name = summary.ds_customer_name if summary else None
            row.author_name = authors.get(row.cd_user)


def customer_change_url(customer_id: UUID) -> str | None:
    # A URL name, not an import: the customers admin may be absent (then no link).
    try:
        return reverse("admin:customers_customer_change", args=[customer_id])
    except NoReverseMatch:
        return None


class ReadOnlyNamedRowsAdmin(admin.ModelAdmin):
    """History staff read but never edit by hand; ``customer`` and ``author`` columns."""

    def get_changelist(self, request, **kwargs):
        return NamedRowsChangeList

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("cliente"))
    def customer(self, obj):
        name = getattr(obj, "customer_name", None)
        if name is None:
            return format_html("<code>{}</code>", obj.cd_customer)
        url = customer_change_url(obj.cd_customer)
        return format_html('<a href="{}">{}</a>', url, name) if url else name

    @admin.display(description=_("autor"))
    def author(self, obj) -> str:
        return getattr(obj, "author_name", None) or str(obj.cd_user)
