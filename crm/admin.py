"""Admin conventions shared by the domains."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from .api.exceptions import ApplicationError


class ServiceErrorsAdminMixin:
    """Forms validate up front, but a service can still refuse at save time (two staff saving
    the same unique name at once: the database's constraint decides). Show that refusal as an
    error message on the same page instead of a 500; nothing was saved (the admin's atomic
    block rolled back)."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ApplicationError as refusal:
            self.message_user(request, str(refusal.message), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class AuditTrailChangeList(ChangeList):
    def get_results(self, request):
        super().get_results(request)
        # One batch per page for whatever the rows name in other domains, never a query per row.
        self.model_admin.annotate_rows(list(self.result_list))


class AuditTrailAdmin(admin.ModelAdmin):
    """A domain's audit trail (``crm.models.AuditEvent`` rows) in the admin: read-only (no add,
    change or delete, for anyone, superusers included), newest first, filtered by action and
    date. The domain gives the acting users' names through its gateways (``user_names``)."""

    list_filter = ("ds_action",)
    date_hierarchy = "dt_event"
    ordering = ("-dt_event",)
    list_per_page = 100
    show_full_result_count = False  # the history only grows: no second COUNT(*) per page

    def user_names(self, user_ids: set[UUID]) -> dict[UUID, str]:
        """Names of these users, in one call: the domain returns ``gateways.user_names(...)``."""
        raise NotImplementedError

    def annotate_rows(self, rows: Iterable) -> None:
        rows = list(rows)
        names = self.user_names({row.cd_user for row in rows if row.cd_user})
        for row in rows:
            row.actor_name = names.get(row.cd_user)

    def get_changelist(self, request, **kwargs):
        return AuditTrailChangeList

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("usuário"))
    def actor(self, obj) -> str:
        if obj.cd_user is None:
            return "—"
        if hasattr(obj, "actor_name"):  # a changelist row, named with its page
            name = obj.actor_name
        else:  # the detail page: one row
            name = self.user_names({obj.cd_user}).get(obj.cd_user)
        return name or str(obj.cd_user)

    @admin.display(description=_("alterações"))
    def changes(self, obj) -> str:
        changes = getattr(obj, "ds_changes", None) or {}
        if not changes:
            return "—"
        return format_html_join(
            "",
            "<div><code>{}</code>: {} &rarr; {}</div>",
            ((field, _shown(old), _shown(new)) for field, (old, new) in changes.items()),
        )


def _shown(value) -> str:
    return "—" if value is None else str(value)


def audit_trail_redirect(*, changelist: str, **filters) -> HttpResponseRedirect:
    """Django's per-object "Histórico" page only knows the admin's own log; a domain's admin
    sends it to the audit trail (every door: API, admin, commands) filtered to the object."""
    return HttpResponseRedirect(reverse(changelist) + "?" + urlencode(filters))


__all__ = [
    "AuditTrailAdmin",
    "ServiceErrorsAdminMixin",
    "audit_trail_redirect",
]
