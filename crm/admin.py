"""Admin conventions shared by the domains."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from uuid import UUID

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from .api.exceptions import ApplicationError, ServiceUnavailable
from .db.router import domain_for_app

logger = logging.getLogger(__name__)


def unless_unavailable(lookup: Callable[[], dict]) -> dict:
    """A lookup in another domain for an admin column or panel (names of customers, users...):
    nothing, when the process serving that domain does not answer, so the page shows ids
    instead of failing (``crm.remote``). In the monolith it never fails this way."""
    try:
        return lookup()
    except ServiceUnavailable:
        logger.warning("admin lookup unavailable; showing ids", exc_info=True)
        return {}


def admin_log_available() -> bool:
    """Whether Django's admin log (``LogEntry``, "Ações recentes") has its table here: where
    the users' domain is served (its schema holds it). In the other processes of a split the
    domains' audit trails are the record of admin writes (every write goes through a service,
    which records the staff user, the IP and the changes)."""
    return domain_for_app("admin") in settings.CRM_DOMAINS


class DomainAuditLogAdminMixin:
    """Write Django's admin log only where it has a table (``admin_log_available``); elsewhere
    the change is already in the domain's audit trail, written by the service the admin
    called, in the same transaction."""

    def log_addition(self, request, obj, message):
        if admin_log_available():
            return super().log_addition(request, obj, message)
        return None

    def log_change(self, request, obj, message):
        if admin_log_available():
            return super().log_change(request, obj, message)
        return None

    def log_deletions(self, request, queryset):
        if admin_log_available():
            return super().log_deletions(request, queryset)
        return None


class ServiceErrorsAdminMixin(DomainAuditLogAdminMixin):
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
        names = unless_unavailable(
            lambda: self.user_names({row.cd_user for row in rows if row.cd_user})
        )
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
    "DomainAuditLogAdminMixin",
    "ServiceErrorsAdminMixin",
    "admin_log_available",
    "audit_trail_redirect",
]


__all__ = ["ServiceErrorsAdminMixin"]


class SpreadsheetAdminMixin:
    """Import (CSV/XLSX, preview then all-or-nothing apply) and export for a model admin.

    The domain's admin declares what a file means; the rules stay in its services:

    * ``spreadsheet_basename`` (file name), ``spreadsheet_columns`` (export header),
      ``spreadsheet_import_columns`` (what an import reads, listed on the upload page),
    * ``spreadsheet_rows(queryset)`` -> the export's rows (lazily, from a cursor),
    * ``spreadsheet_preview(table)`` / ``spreadsheet_apply(table)`` -> ``ImportReport`` (the
      domain's services: the same validation as the API; apply raises ``ImportRefused``).

    The uploaded file and its preview wait in the cache (``CRM_IMPORT_CACHE``, the shared Redis
    cache in production) under a random token bound to the staff user, for
    ``CRM_IMPORT_TTL_SECONDS``; applying reads the same bytes again and re-checks every row.
    Export honours the changelist's filters and search. Import needs the add and change
    permissions, export the view permission.
    """

    spreadsheet_basename = "dados"
    spreadsheet_columns: tuple[str, ...] = ()
    #: The columns an import reads (shown on the upload page); others are ignored.
    spreadsheet_import_columns: tuple[str, ...] = ()
    #: Rows listed on the preview page besides every row in error.
    preview_rows_shown = 50

    def spreadsheet_rows(self, queryset):  # pragma: no cover - each admin defines it
        raise NotImplementedError

    def spreadsheet_preview(self, table):  # pragma: no cover
        raise NotImplementedError

    def spreadsheet_apply(self, table):  # pragma: no cover
        raise NotImplementedError

    # --- URLs ---------------------------------------------------------------------------------

    def _spreadsheet_url_name(self, action: str) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}_{action}"

    def get_urls(self):
        from django.urls import path

        wrap = self.admin_site.admin_view
        return [
            path(
                "import/",
                wrap(self.spreadsheet_import_view),
                name=self._spreadsheet_url_name("import"),
            ),
            path(
                "import/<str:token>/",
                wrap(self.spreadsheet_preview_view),
                name=self._spreadsheet_url_name("import_preview"),
            ),
            path(
                "export/",
                wrap(self.spreadsheet_export_view),
                name=self._spreadsheet_url_name("export"),
            ),
            *super().get_urls(),
        ]

    def has_import_permission(self, request) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def changelist_view(self, request, extra_context=None):
        from django.urls import reverse

        extra_context = dict(extra_context or {})
        export_urls = []
        if self.has_view_permission(request):
            base = reverse(f"admin:{self._spreadsheet_url_name('export')}")
            for file_format in ("csv", "xlsx"):
                query = request.GET.copy()
                query["format"] = file_format
                export_urls.append((file_format.upper(), f"{base}?{query.urlencode()}"))
        extra_context["spreadsheet_export_urls"] = export_urls
        if self.has_import_permission(request):
            extra_context["spreadsheet_import_url"] = reverse(
                f"admin:{self._spreadsheet_url_name('import')}"
            )
        return super().changelist_view(request, extra_context)

    # --- Export -------------------------------------------------------------------------------

    def spreadsheet_export_view(self, request):
        from django.core.exceptions import PermissionDenied

        from .api.exports import spreadsheet_response
        from .spreadsheets import CSV, FORMATS

        if not self.has_view_permission(request):
            raise PermissionDenied
        query = request.GET.copy()
        file_format = (query.pop("format", [CSV])[-1] or CSV).lower()
        if file_format not in FORMATS:
            file_format = CSV
        # The changelist reads its filters and search from request.GET; ours is not one of them.
        request.GET = query
        changelist = self.get_changelist_instance(request)
        return spreadsheet_response(
            file_format=file_format,
            basename=self.spreadsheet_basename,
            header=self.spreadsheet_columns,
            rows=self.spreadsheet_rows(changelist.get_queryset(request)),
        )

    # --- Import -------------------------------------------------------------------------------

    def _cache(self):
        from django.conf import settings
        from django.core.cache import caches

        return caches[getattr(settings, "CRM_IMPORT_CACHE", "default")]

    def _cache_key(self, token: str) -> str:
        return f"crm:spreadsheet-import:{self.opts.label_lower}:{token}"

    def _pending(self, request, token: str) -> dict | None:
        pending = self._cache().get(self._cache_key(token))
        if not pending or pending.get("user") != str(request.user.pk):
            return None
        return pending

    def _context(self, request, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": extra.pop("title"),
            **extra,
        }

    def spreadsheet_import_view(self, request):
        import secrets

        from django.conf import settings
        from django.core.exceptions import PermissionDenied
        from django.http import JsonResponse
        from django.template.response import TemplateResponse
        from django.urls import reverse
        from django.utils.translation import gettext as _

        from .spreadsheets import read_table

        if not self.has_import_permission(request):
            raise PermissionDenied
        error = None
        if request.method == "POST":
            upload = request.FILES.get("file")
            max_bytes = settings.CRM_IMPORT_MAX_BYTES
            try:
                if upload is None:
                    raise ApplicationError(_("Escolha um arquivo .csv ou .xlsx."))
                if upload.size > max_bytes:
                    raise ApplicationError(
                        _("Arquivo grande demais: o limite é %(size)d MB.")
                        % {"size": max_bytes // (1024 * 1024)}
                    )
                data = upload.read()
                table = read_table(
                    data=data, filename=upload.name, max_rows=settings.CRM_IMPORT_MAX_ROWS
                )
                report = self.spreadsheet_preview(table)
            except ApplicationError as refusal:
                error = str(refusal.message)
            else:
                token = secrets.token_urlsafe(16)
                self._cache().set(
                    self._cache_key(token),
                    {
                        "user": str(request.user.pk),
                        "filename": upload.name,
                        "data": data,
                        "report": report,
                    },
                    settings.CRM_IMPORT_TTL_SECONDS,
                )
                url = reverse(f"admin:{self._spreadsheet_url_name('import_preview')}", args=[token])
                if request.headers.get("x-requested-with") == "XMLHttpRequest":
                    return JsonResponse({"redirect": url})
                return HttpResponseRedirect(url)
            if request.headers.get("x-requested-with") == "XMLHttpRequest":
                return JsonResponse({"error": error}, status=400)
        return TemplateResponse(
            request,
            "admin/crm/spreadsheet_import.html",
            self._context(
                request,
                title=_("Importar %(name)s") % {"name": self.opts.verbose_name_plural},
                error=error,
                columns=self.spreadsheet_import_columns,
                max_rows=settings.CRM_IMPORT_MAX_ROWS,
                max_megabytes=settings.CRM_IMPORT_MAX_BYTES // (1024 * 1024),
            ),
            status=400 if error else 200,
        )

    def spreadsheet_preview_view(self, request, token: str):
        from django.core.exceptions import PermissionDenied
        from django.template.response import TemplateResponse
        from django.urls import reverse
        from django.utils.translation import gettext as _

        from .spreadsheets import ERROR, ImportRefused, read_table

        if not self.has_import_permission(request):
            raise PermissionDenied
        pending = self._pending(request, token)
        import_url = reverse(f"admin:{self._spreadsheet_url_name('import')}")
        if pending is None:
            self.message_user(
                request,
                _("Esta prévia expirou ou não existe; envie o arquivo de novo."),
                messages.WARNING,
            )
            return HttpResponseRedirect(import_url)
        report = pending["report"]
        if request.method == "POST":
            from django.conf import settings

            try:
                table = read_table(
                    data=pending["data"],
                    filename=pending["filename"],
                    max_rows=settings.CRM_IMPORT_MAX_ROWS,
                )
                applied = self.spreadsheet_apply(table)
            except ImportRefused as refusal:
                # The data changed since the preview: show the fresh verdict, nothing written.
                report = refusal.report
                pending["report"] = report
                self._cache().set(self._cache_key(token), pending, settings.CRM_IMPORT_TTL_SECONDS)
                self.message_user(request, str(refusal.message), messages.ERROR)
            except ApplicationError as refusal:
                self.message_user(request, str(refusal.message), messages.ERROR)
                return HttpResponseRedirect(request.path)
            else:
                self._cache().delete(self._cache_key(token))
                counts = applied.counts
                self.message_user(
                    request,
                    _(
                        "Importação concluída: %(new)d novo(s), %(updated)d atualizado(s), "
                        "%(unchanged)d sem alteração."
                    )
                    % counts,
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
                )
        errors = [row for row in report.rows if row.fate == ERROR]
        others = [row for row in report.rows if row.fate != ERROR][: self.preview_rows_shown]
        return TemplateResponse(
            request,
            "admin/crm/spreadsheet_preview.html",
            self._context(
                request,
                title=_("Prévia da importação: %(file)s") % {"file": pending["filename"]},
                report=report,
                counts=report.counts,
                error_rows=errors,
                other_rows=others,
                hidden_rows=len(report.rows) - len(errors) - len(others),
                import_url=import_url,
            ),
        )


__all__ += ["SpreadsheetAdminMixin"]
