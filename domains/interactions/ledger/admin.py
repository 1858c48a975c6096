"""Admin for transactions (the ledger): read-only, reversal as an action.

A ledger is not edited by hand: staff see entries (no add, change or delete) and correct a
mistake with the action "Estornar lançamentos selecionados", which calls the same service as the
API (``services.transaction_reverse``), authored by the staff user. Customer and author
names come from other domains in ONE batch per page (the timeline's changelist does exactly
that for any row with ``cd_customer``/``cd_user``: ``..admin_base``).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from crm.admin import SpreadsheetAdminMixin
from crm.api.exceptions import ApplicationError
from crm.formatting import format_money, short_datetime

from ..admin_base import ReadOnlyNamedRowsAdmin
from . import selectors, services
from .models import Transaction


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
