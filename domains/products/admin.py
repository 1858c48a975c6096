"""Staff screens for the catalogue. Every write goes through ``services``: the form validates
with ``services.product_clean`` (the API's rules and messages), saves with
``product_create``/``product_update``, the actions call ``product_activate_many`` /
``product_deactivate_many``, and deleting asks the other domains' guards first
(``product_hard_delete_refusal``), then removes through ``product_hard_delete_many`` so the
``product.hard_deleted`` event is published.
"""

from __future__ import annotations

from uuid import UUID

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from crm.admin import (
    AuditTrailAdmin,
    ServiceErrorsAdminMixin,
    SpreadsheetAdminMixin,
    audit_trail_redirect,
)
from crm.api.exceptions import Conflict, InvalidInput
from crm.formatting import format_money, short_datetime

from . import gateways, selectors, services
from .models import Product, ProductHistory
from .selectors import product_summary_rows

EDITABLE_FIELDS = (
    "ds_product_name",
    "ds_product_description",
    "vr_price",
    "id_product_type",
    "is_active",
)


class ProductAdminForm(forms.ModelForm):
    # Bounds are checked by the service (same messages as the API), not by the form field.
    ds_product_name = forms.CharField(label=_("nome"), strip=True)
    vr_price = forms.DecimalField(label=_("preço"), localize=True)  # "10,50" and "10.50"

    class Meta:
        model = Product
        fields = EDITABLE_FIELDS

    def clean(self):
        cleaned_data = super().clean()
        given = {field: cleaned_data[field] for field in EDITABLE_FIELDS if field in cleaned_data}
        product_id = None if self.instance._state.adding else self.instance.pk
        try:
            normalised = services.product_clean(product_id=product_id, **given)
        except InvalidInput as exc:
            for field, field_messages in exc.message.items():
                if field not in self.errors:  # the form already said it (e.g. "obrigatório")
                    self.add_error(field, field_messages)
        except Conflict as exc:
            self.add_error("ds_product_name", str(exc.message))
        else:
            cleaned_data.update(normalised)
        return cleaned_data


@admin.register(Product)
class ProductAdmin(SpreadsheetAdminMixin, ServiceErrorsAdminMixin, admin.ModelAdmin):
    form = ProductAdminForm
    # Import/export (crm.admin.SpreadsheetAdminMixin): the rules are the services'.
    spreadsheet_basename = "produtos"
    spreadsheet_columns = selectors.EXPORT_COLUMNS
    spreadsheet_import_columns = (services.IMPORT_KEY, *EDITABLE_FIELDS)
    list_display = (
        "ds_product_name",
        "id_product_type",
        "price",
        "is_active",
        "created_at",
    )
    list_display_links = ("ds_product_name",)
    search_fields = ("ds_product_name", "ds_product_description")
    list_filter = ("is_active", "id_product_type", "dt_product_created_at")
    date_hierarchy = "dt_product_created_at"
    ordering = ("ds_product_name", "cd_product")
    readonly_fields = ("cd_product", "dt_product_created_at", "dt_product_updated_at")
    fieldsets = (
        (None, {"fields": EDITABLE_FIELDS}),
        (_("Auditoria"), {"fields": readonly_fields}),
    )
    actions = ("activate_selected", "deactivate_selected")

    @admin.display(description=_("preço"), ordering="vr_price")
    def price(self, obj: Product) -> str:
        return format_money(obj.vr_price)

    @admin.display(description=_("criado em"), ordering="dt_product_created_at")
    def created_at(self, obj: Product) -> str:
        return short_datetime(obj.dt_product_created_at)

    def save_model(self, request, obj, form, change):
        data = {field: form.cleaned_data[field] for field in EDITABLE_FIELDS}
        if change:
            changed = {field: data[field] for field in form.changed_data if field in data}
            saved = services.product_update(product_id=obj.pk, **changed)
        else:
            saved = services.product_create(**data)
        # The admin carries on with ``obj`` (history entry, redirect): make it the saved row.
        for field in Product._meta.concrete_fields:
            setattr(obj, field.attname, getattr(saved, field.attname))
        obj._state.adding = False
        obj._state.db = saved._state.db

    def spreadsheet_rows(self, queryset):
        return selectors.product_export_rows(products=queryset)

    def spreadsheet_preview(self, table):
        return services.product_import_preview(table=table)

    def spreadsheet_apply(self, table):
        return services.product_import_apply(table=table)

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        refusal = services.product_hard_delete_refusal(product_ids=[obj.pk for obj in objs])
        if refusal:
            # Shown by Django's confirmation page as the reason the delete cannot happen.
            protected = [*protected, refusal]
        return deleted, model_count, perms_needed, protected

    def delete_model(self, request, obj):
        services.product_hard_delete_many(product_ids=[obj.pk])

    def has_delete_permission(self, request, obj=None):
        # The admin's delete removes the row for good: the API's hard delete, same permission.
        return request.user.has_perm("products.hard_delete_product")

    def delete_queryset(self, request, queryset):
        services.product_hard_delete_many(product_ids=list(queryset.values_list("pk", flat=True)))

    @admin.action(description=_("Ativar produtos selecionados"), permissions=["change"])
    def activate_selected(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        count = services.product_activate_many(product_ids=ids)
        self.message_user(
            request,
            ngettext("%(count)d produto ativado.", "%(count)d produtos ativados.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Desativar produtos selecionados"), permissions=["change"])
    def deactivate_selected(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        count = services.product_deactivate_many(product_ids=ids)
        self.message_user(
            request,
            ngettext("%(count)d produto desativado.", "%(count)d produtos desativados.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    def history_view(self, request, object_id, extra_context=None):
        # The change page's "Histórico" button: the audit trail, whichever door changed it.
        try:
            product_id = UUID(str(object_id))
        except ValueError:
            return super().history_view(request, object_id, extra_context)
        return audit_trail_redirect(
            changelist="admin:products_producthistory_changelist", cd_product=product_id
        )


@admin.register(ProductHistory)
class ProductHistoryAdmin(AuditTrailAdmin):
    """Who created, changed, deactivated, reactivated or deleted which product (read-only).
    ``?cd_product=<id>`` narrows it to one product (the change page's "Histórico" button)."""

    list_display = ("dt_event", "ds_action", "product", "actor", "ds_ip", "changes")
    list_display_links = ("dt_event",)
    fields = ("dt_event", "ds_action", "cd_product", "actor", "ds_ip", "changes")
    readonly_fields = fields

    def user_names(self, user_ids):
        return gateways.user_names(user_ids=user_ids)

    def annotate_rows(self, rows):
        super().annotate_rows(rows)
        names = {
            row["cd_product"]: row["ds_product_name"]
            for row in product_summary_rows(product_ids={row.cd_product for row in rows})
        }
        for row in rows:
            row.product_name = names.get(row.cd_product)

    @admin.display(description=_("produto"))
    def product(self, obj) -> str:
        name = getattr(obj, "product_name", None)
        if name is None:  # removed for good: its id (the history keeps the values it had)
            return format_html("<code>{}</code>", obj.cd_product)
        url = reverse("admin:products_product_change", args=[obj.cd_product])
        return format_html('<a href="{}">{}</a>', url, name)
