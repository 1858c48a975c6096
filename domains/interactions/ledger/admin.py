"""Admin for transactions (the ledger): read-only, reversal as an action; and the ledger's audit
trail (who posted or reversed which entry, when, from which IP), read-only too.

A ledger is not edited by hand: staff see entries (no add, change or delete) and correct a
mistake with the action "Estornar lançamentos selecionados", which calls the same service as the
API (``services.transaction_reverse``), authored by the staff user. Customer and author
names come from other domains in ONE batch per page (the timeline's changelist does exactly
that for any row with ``cd_customer``/``cd_user``: ``..admin_base``).
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from crm.admin import (
    AuditTrailAdmin,
    SpreadsheetAdminMixin,
    audit_trail_redirect,
    unless_unavailable,
)
from crm.api.exceptions import ApplicationError
from crm.formatting import format_money, short_datetime

from .. import gateways
from ..admin_base import ReadOnlyNamedRowsAdmin, customer_change_url
from . import selectors, services
from .models import Transaction, TransactionHistory


@admin.register(Transaction)
class TransactionAdmin(SpreadsheetAdminMixin, ReadOnlyNamedRowsAdmin):
    # Export only (CSV/XLSX of what the changelist shows): no add permission, so no import.
    spreadsheet_basename = "lancamentos"
    spreadsheet_columns = selectors.EXPORT_COLUMNS
    list_display = (
        "entry_date",
        "id_transaction_type",
        "amount",
        "customer",
        "author",
        "ds_transaction",
        "reversal",
        "recorded_at",
    )
    list_display_links = ("entry_date",)
    list_filter = ("id_transaction_type", "dt_transaction")
    date_hierarchy = "dt_transaction"
    search_fields = ("ds_transaction",)
    ordering = ("-dt_transaction", "-dt_created_at")
    list_per_page = 100
    list_select_related = ()
    fields = (
        "cd_transaction",
        "cd_customer",
        "cd_user",
        "cd_product",
        "amount",
        "id_transaction_type",
        "dt_transaction",
        "ds_transaction",
        "reversal_of",
        "dt_created_at",
    )
    readonly_fields = fields
    actions = ("reverse_selected",)

    def spreadsheet_rows(self, queryset):
        return selectors.transaction_export_rows(transactions=queryset)

    def has_reverse_permission(self, request) -> bool:
        # The same right as the API's /reverse (managers and admins).
        return request.user.has_perm("interactions.reverse_transaction")

    @admin.display(description=_("valor"), ordering="vr_transaction")
    def amount(self, obj: Transaction) -> str:
        return format_money(obj.vr_transaction)

    @admin.display(description=_("registrado em"), ordering="dt_created_at")
    def recorded_at(self, obj: Transaction) -> str:
        return short_datetime(obj.dt_created_at)

    @admin.display(description=_("data"), ordering="dt_transaction")
    def entry_date(self, obj: Transaction) -> str:
        # 03/12/2026 rather than "3 de Dezembro de 2026": the columns fit a 1366 px screen.
        return date_format(obj.dt_transaction, "SHORT_DATE_FORMAT", use_l10n=True)

    @admin.display(description=_("estorno de"))
    def reversal(self, obj: Transaction) -> str:
        # The id column, not the related row: no query per line. Its first 8 characters (the
        # full id on hover) keep the column narrow.
        if not obj.reversal_of_id:
            return "—"
        full = str(obj.reversal_of_id)
        return format_html('<span title="{}">{}…</span>', full, full[:8])

    @admin.action(description=_("Estornar lançamentos selecionados"), permissions=("reverse",))
    def reverse_selected(self, request, queryset):
        reversed_count = 0
        for entry in queryset.order_by("dt_created_at"):
            try:
                services.transaction_reverse(
                    customer_id=entry.cd_customer,
                    transaction_id=entry.cd_transaction,
                    user_id=request.user.pk,
                )
            except ApplicationError as refusal:
                self.message_user(
                    request,
                    _("Lançamento %(id)s: %(reason)s")
                    % {"id": entry.cd_transaction, "reason": refusal.message},
                    level=messages.WARNING,
                )
            else:
                reversed_count += 1
        if reversed_count:
            self.message_user(
                request,
                ngettext(
                    "%(count)d lançamento estornado.",
                    "%(count)d lançamentos estornados.",
                    reversed_count,
                )
                % {"count": reversed_count},
                level=messages.SUCCESS,
            )

    def history_view(self, request, object_id, extra_context=None):
        # The entry page's "Histórico" button: who wrote it, when and from which IP.
        try:
            transaction_id = UUID(str(object_id))
        except ValueError:
            return super().history_view(request, object_id, extra_context)
        return audit_trail_redirect(
            changelist="admin:interactions_transactionhistory_changelist",
            transaction=transaction_id,
        )


@admin.register(TransactionHistory)
class TransactionHistoryAdmin(AuditTrailAdmin):
    """Who posted (``lancado``) or reversed (``estornado``) which entry, when and from which IP.
    For a reversal the entry is the reversal; "estorno de" names the entry it reversed."""

    list_display = (
        "dt_event",
        "ds_action",
        "entry",
        "reversed_entry",
        "amount",
        "customer",
        "actor",
        "ds_ip",
    )
    list_display_links = ("dt_event",)
    list_select_related = ("transaction",)
    fields = ("dt_event", "ds_action", "transaction", "reversed_entry", "actor", "ds_ip")
    readonly_fields = fields

    def user_names(self, user_ids):
        return gateways.user_names(user_ids=user_ids)

    def annotate_rows(self, rows):
        super().annotate_rows(rows)
        customers = unless_unavailable(
            lambda: gateways.customer_summaries(
                customer_ids={row.transaction.cd_customer for row in rows}
            )
        )
        for row in rows:
            summary = customers.get(row.transaction.cd_customer)
            row.customer_name = summary.ds_customer_name if summary else None

    @admin.display(description=_("lançamento"))
    def entry(self, obj: TransactionHistory) -> str:
        url = reverse("admin:interactions_transaction_change", args=[obj.transaction_id])
        return format_html('<a href="{}">{}</a>', url, obj.transaction)

    @admin.display(description=_("estorno de"))
    def reversed_entry(self, obj: TransactionHistory) -> str:
        original = obj.transaction.reversal_of_id
        if original is None:
            return "—"
        url = reverse("admin:interactions_transaction_change", args=[original])
        return format_html('<a href="{}"><code>{}</code></a>', url, original)

    @admin.display(description=_("valor"))
    def amount(self, obj: TransactionHistory) -> str:
        return f"{obj.transaction.vr_transaction:.2f}"

    @admin.display(description=_("cliente"))
    def customer(self, obj: TransactionHistory) -> str:
        customer_id = obj.transaction.cd_customer
        name = getattr(obj, "customer_name", None)
        if name is None:
            return format_html("<code>{}</code>", customer_id)
        url = customer_change_url(customer_id)
        return format_html('<a href="{}">{}</a>', url, name) if url else name
