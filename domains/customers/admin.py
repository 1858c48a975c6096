"""Staff screens for the customer register.

The form applies the same rules as the API (``validators``; uniqueness through the services'
check), saving and the activate/deactivate actions go through ``services``. The change page
renders the panels other domains registered under ``interface.CHANGE_PAGE_PANELS`` (the
interactions domain shows the timeline and balance there) without customers importing them.
"""

from __future__ import annotations

from contextlib import suppress
from uuid import UUID

from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from crm import hooks
from crm.admin import (
    AuditTrailAdmin,
    ServiceErrorsAdminMixin,
    SpreadsheetAdminMixin,
    audit_trail_redirect,
)
from crm.api.exceptions import ApplicationError
from crm.formatting import short_datetime

from . import gateways, selectors, services
from .errors import CPF_CNPJ_TAKEN, EMAIL_TAKEN, CustomerNotFound
from .formatting import format_cpf_cnpj, format_phone, format_zip_code
from .interface import CHANGE_PAGE_PANELS
from .models import Customer, CustomerHistory
from .selectors import customer_cpf_cnpj_taken, customer_email_taken, customer_summary_rows
from .validators import (
    WRITABLE_FIELDS,
    clean_address,
    clean_city,
    clean_country,
    clean_cpf_cnpj,
    clean_email,
    clean_name,
    clean_phone,
    clean_state,
    clean_zip_code,
    document_digits,
)


def _uuid_or_none(value) -> UUID | None:
    try:
        return UUID(str(value))
    except ValueError:
        return None


class CustomerAdminForm(forms.ModelForm):
    # Wider than the stored column: punctuated input ("11.222.333/0001-81", " sp ") is accepted
    # and normalised by the shared validators before the model sees it.
    ds_customer_cpf_cnpj = forms.CharField(
        label=_("CPF/CNPJ"), required=False, max_length=32, empty_value=None
    )
    ds_customer_state = forms.CharField(
        label=_("UF"), required=False, max_length=4, empty_value=None
    )
    ds_customer_zip_code = forms.CharField(
        label=_("CEP"), required=False, max_length=12, empty_value=None
    )
    ds_customer_country = forms.CharField(label=_("País"), required=False, max_length=100)

    class Meta:
        model = Customer
        fields = WRITABLE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Shown formatted; the cleaners store digits / 00000-000 whatever the punctuation.
        instance = self.instance
        if instance.pk is not None:
            self.initial["ds_customer_cpf_cnpj"] = format_cpf_cnpj(instance.ds_customer_cpf_cnpj)
            self.initial["ds_customer_zip_code"] = format_zip_code(instance.ds_customer_zip_code)
            self.initial["ds_customer_phone"] = format_phone(instance.ds_customer_phone)

    def clean_ds_customer_name(self):
        return clean_name(self.cleaned_data.get("ds_customer_name"))

    def clean_ds_customer_email(self):
        return clean_email(self.cleaned_data.get("ds_customer_email"))

    def clean_ds_customer_phone(self):
        phone = clean_phone(self.cleaned_data.get("ds_customer_phone"))
        stored = self.instance.ds_customer_phone
        # The phone is stored as typed: an untouched (formatted) phone keeps its stored form.
        if stored and phone == format_phone(stored):
            return stored
        return phone

    def clean_ds_customer_cpf_cnpj(self):
        return clean_cpf_cnpj(self.cleaned_data.get("ds_customer_cpf_cnpj"))

    def clean_ds_customer_address(self):
        return clean_address(self.cleaned_data.get("ds_customer_address"))

    def clean_ds_customer_city(self):
        return clean_city(self.cleaned_data.get("ds_customer_city"))

    def clean_ds_customer_state(self):
        return clean_state(self.cleaned_data.get("ds_customer_state"))

    def clean_ds_customer_zip_code(self):
        return clean_zip_code(self.cleaned_data.get("ds_customer_zip_code"))

    def clean_ds_customer_country(self):
        return clean_country(self.cleaned_data.get("ds_customer_country"))

    def clean(self):
        cleaned = super().clean()
        exclude_customer_id = self.instance.pk if not self.instance._state.adding else None
        email = cleaned.get("ds_customer_email")
        if email and customer_email_taken(email=email, exclude_customer_id=exclude_customer_id):
            self.add_error("ds_customer_email", EMAIL_TAKEN)
        cpf_cnpj = cleaned.get("ds_customer_cpf_cnpj")
        if cpf_cnpj and customer_cpf_cnpj_taken(
            cpf_cnpj=cpf_cnpj, exclude_customer_id=exclude_customer_id
        ):
            self.add_error("ds_customer_cpf_cnpj", CPF_CNPJ_TAKEN)
        return cleaned


@admin.register(Customer)
class CustomerAdmin(SpreadsheetAdminMixin, ServiceErrorsAdminMixin, admin.ModelAdmin):
    form = CustomerAdminForm
    # Import/export (crm.admin.SpreadsheetAdminMixin): the rules are the services'.
    spreadsheet_basename = "clientes"
    spreadsheet_columns = selectors.EXPORT_COLUMNS
    spreadsheet_import_columns = (services.IMPORT_KEY, *WRITABLE_FIELDS)
    list_display = (
        "ds_customer_name",
        "ds_customer_email",
        "cpf_cnpj",
        "phone",
        "ds_customer_city",
        "ds_customer_state",
        "is_customer_active",
        "created_at",
    )
    list_display_links = ("ds_customer_name",)
    # Name and e-mail through the lookups their trigram indexes serve (``crm.db.trigram``).
    search_fields = (
        "ds_customer_name__phrase_icontains",
        "ds_customer_email__address_icontains",
        "ds_customer_cpf_cnpj",
    )
    search_help_text = _("Nome, e-mail ou CPF/CNPJ (com ou sem pontuação).")
    list_filter = ("is_customer_active", "ds_customer_state", "dt_customer_created_at")
    date_hierarchy = "dt_customer_created_at"
    ordering = ("ds_customer_name", "cd_customer")
    readonly_fields = (
        "cd_customer",
        "is_customer_active",
        "dt_customer_created_at",
        "dt_customer_updated_at",
    )
    fieldsets = (
        (None, {"fields": ("ds_customer_name", "ds_customer_email", "ds_customer_phone")}),
        (_("Documento"), {"fields": ("ds_customer_cpf_cnpj",)}),
        (
            _("Endereço"),
            {
                "fields": (
                    "ds_customer_address",
                    "ds_customer_city",
                    "ds_customer_state",
                    "ds_customer_zip_code",
                    "ds_customer_country",
                )
            },
        ),
        (
            _("Registro"),
            {
                "fields": (
                    "cd_customer",
                    "is_customer_active",
                    "dt_customer_created_at",
                    "dt_customer_updated_at",
                )
            },
        ),
    )
    actions = ("activate_customers", "deactivate_customers")
    list_per_page = 50

    class Media:
        css = {"all": ("customers/admin_list.css",)}

    @admin.display(description=_("CPF/CNPJ"), ordering="ds_customer_cpf_cnpj")
    def cpf_cnpj(self, obj: Customer) -> str:
        return format_cpf_cnpj(obj.ds_customer_cpf_cnpj) or "-"

    @admin.display(description=_("telefone"), ordering="ds_customer_phone")
    def phone(self, obj: Customer) -> str:
        return format_phone(obj.ds_customer_phone) or "-"

    @admin.display(description=_("criado em"), ordering="dt_customer_created_at")
    def created_at(self, obj: Customer) -> str:
        # Short form (03/12/2026 14:05): the long one pushed the column off a 1366 px screen.
        return short_datetime(obj.dt_customer_created_at)

    def spreadsheet_rows(self, queryset):
        return selectors.customer_export_rows(customers=queryset)

    def spreadsheet_preview(self, table):
        return services.customer_import_preview(table=table)

    def spreadsheet_apply(self, table):
        return services.customer_import_apply(table=table)

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # CPF/CNPJ is stored as digits: "529.982" must find "52998224725". ``queryset`` is the
        # changelist's (already filtered) queryset, so the filters still apply.
        digits = document_digits(search_term)
        if digits and digits != search_term.strip():
            results |= queryset.filter(Q(ds_customer_cpf_cnpj__contains=digits))
        return results, may_have_duplicates

    def save_model(self, request, obj, form, change):
        data = {field: form.cleaned_data.get(field) for field in WRITABLE_FIELDS}
        if change:
            saved = services.customer_update(customer_id=obj.pk, data=data)
        else:
            saved = services.customer_create(data=data)
        # The admin keeps using ``obj`` (redirect, log entry): give it what was stored.
        obj.__dict__.update(
            {f.attname: getattr(saved, f.attname) for f in Customer._meta.concrete_fields}
        )
        obj._state.adding = False
        obj._state.db = saved._state.db

    def get_actions(self, request):
        # Bulk hard delete would bypass the per-customer guard messages; delete one at a time
        # from the change page (guards may refuse, e.g. a customer with ledger entries).
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        # Ask the guards before Django's view runs: it writes the deletion log entry (in
        # another database) before calling delete_model, so a refusal there would leave a
        # log saying the customer was deleted.
        customer_id = _uuid_or_none(object_id)
        try:
            if request.method == "POST" and customer_id is not None:
                # An unknown customer is left to Django's view, which answers it itself.
                with suppress(CustomerNotFound):
                    services.customer_check_hard_delete(customer_id=customer_id)
            return super().delete_view(request, object_id, extra_context)
        except ApplicationError as refusal:
            self.message_user(request, str(refusal.message), messages.ERROR)
            return HttpResponseRedirect(request.path.rsplit("delete/", 1)[0] + "change/")

    def delete_model(self, request, obj):
        services.customer_hard_delete(customer_id=obj.pk)

    def has_delete_permission(self, request, obj=None):
        # The admin's delete removes the row for good: the API's hard delete, same permission.
        return request.user.has_perm("customers.hard_delete_customer")

    @admin.action(description=_("Ativar clientes selecionados"), permissions=["change"])
    def activate_customers(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        changed = services.customer_set_active(customer_ids=ids, active=True)
        self.message_user(
            request,
            ngettext("%d cliente ativado.", "%d clientes ativados.", changed) % changed,
            messages.SUCCESS,
        )

    @admin.action(description=_("Desativar clientes selecionados"), permissions=["change"])
    def deactivate_customers(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        changed = services.customer_set_active(customer_ids=ids, active=False)
        self.message_user(
            request,
            ngettext("%d cliente desativado.", "%d clientes desativados.", changed) % changed,
            messages.SUCCESS,
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        customer_id = _uuid_or_none(object_id)
        if customer_id is not None:
            extra_context["crm_panels"] = hooks.panels_for(CHANGE_PAGE_PANELS, customer_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        # The change page's "Histórico" button: the audit trail, whichever door changed it.
        customer_id = _uuid_or_none(object_id)
        if customer_id is None:
            return super().history_view(request, object_id, extra_context)
        return audit_trail_redirect(
            changelist="admin:customers_customerhistory_changelist", cd_customer=customer_id
        )


@admin.register(CustomerHistory)
class CustomerHistoryAdmin(AuditTrailAdmin):
    """Who created, changed, deactivated, reactivated or deleted which customer (read-only).
    ``?cd_customer=<id>`` narrows it to one customer (the change page's "Histórico" button)."""

    list_display = ("dt_event", "ds_action", "customer", "actor", "ds_ip", "changes")
    list_display_links = ("dt_event",)
    fields = ("dt_event", "ds_action", "cd_customer", "actor", "ds_ip", "changes")
    readonly_fields = fields

    def user_names(self, user_ids):
        return gateways.user_names(user_ids=user_ids)

    def annotate_rows(self, rows):
        super().annotate_rows(rows)
        names = {
            customer_id: name
            for customer_id, name, _active in customer_summary_rows(
                customer_ids={row.cd_customer for row in rows}
            )
        }
        for row in rows:
            row.customer_name = names.get(row.cd_customer)

    @admin.display(description=_("cliente"))
    def customer(self, obj) -> str:
        name = getattr(obj, "customer_name", None)
        if name is None:  # removed for good: its id (the history keeps the values it had)
            return format_html("<code>{}</code>", obj.cd_customer)
        url = reverse("admin:customers_customer_change", args=[obj.cd_customer])
        return format_html('<a href="{}">{}</a>', url, name)
