"""Staff screens for users: create staff, reset a password, (de)activate."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rest_framework_simplejwt.token_blacklist import admin as token_blacklist_admin
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from . import services
from .forms import UserAddForm, UserEditForm
from .models import User

#: Django stores a permission's name once, in English ("Can add usuário"): shown translated.
PERMISSION_ACTIONS = {
    "add": _("Pode adicionar"),
    "change": _("Pode alterar"),
    "delete": _("Pode remover"),
    "view": _("Pode ver"),
}


def permission_label(permission) -> str:
    """``Clientes | cliente | Pode adicionar cliente`` in the page's language, custom
    permissions (``Pode estornar lançamentos``) included."""
    model = permission.content_type.model_class()
    if model is None:
        return str(permission)
    action = permission.codename.split("_", 1)[0]
    if action in PERMISSION_ACTIONS and permission.codename == f"{action}_{model._meta.model_name}":
        name = f"{PERMISSION_ACTIONS[action]} {model._meta.verbose_name}"
    else:
        # A custom permission: its name as the model declares it (a lazy, translatable string),
        # not the copy stored when it was created.
        declared = dict(model._meta.permissions)
        name = declared.get(permission.codename, permission.name)
    return f"{permission.content_type} | {name}"


class TranslatedPermissionsMixin:
    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and db_field.name in {"permissions", "user_permissions"}:
            field.label_from_instance = permission_label
        return field


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(TranslatedPermissionsMixin, DjangoGroupAdmin):
    pass


@admin.register(User)
class UserAdmin(TranslatedPermissionsMixin, DjangoUserAdmin):
    form = UserEditForm
    add_form = UserAddForm
    fieldsets = (
        (None, {"fields": ("ds_user_email", "password")}),
        (_("Dados pessoais"), {"fields": ("ds_user",)}),
        (
            _("Permissões"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ),
            },
        ),
        (_("Datas importantes"), {"fields": ("dt_created_at", "last_login")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("ds_user_email", "ds_user", "password1", "password2"),
            },
        ),
    )
    list_display = (
        "ds_user",
        "ds_user_email",
        "role",
        "is_active",
        "is_staff",
        "dt_created_at",
        "last_login",
    )
    list_display_links = ("ds_user", "ds_user_email")
    list_filter = ("is_active", "is_staff", "is_superuser", "groups")
    search_fields = ("ds_user", "ds_user_email")
    ordering = ("ds_user", "ds_user_email")
    date_hierarchy = "dt_created_at"
    readonly_fields = ("dt_created_at", "last_login")
    list_per_page = 50
    actions = ("deactivate_users", "activate_users")

    # Deleting users revokes their tokens at once (the cached token state is dropped).
    def delete_model(self, request, obj):
        services.user_delete(user_ids=[obj.pk])

    def delete_queryset(self, request, queryset):
        services.user_delete(user_ids=set(queryset.values_list("cd_user", flat=True)))

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")  # the role column

    @admin.display(description=_("papel"))
    def role(self, obj) -> str:
        return obj.ds_role or "—"

    @admin.action(description=_("Desativar usuários selecionados"), permissions=["change"])
    def deactivate_users(self, request, queryset):
        ids = set(queryset.values_list("cd_user", flat=True))
        if request.user.pk in ids:
            ids.discard(request.user.pk)
            self.message_user(
                request, _("Você não pode desativar a si mesmo."), level=messages.WARNING
            )
        changed = services.user_set_active(user_ids=ids, is_active=False)
        self.message_user(
            request,
            ngettext("%(count)d usuário desativado.", "%(count)d usuários desativados.", changed)
            % {"count": changed},
            level=messages.SUCCESS,
        )

    @admin.action(description=_("Ativar usuários selecionados"), permissions=["change"])
    def activate_users(self, request, queryset):
        ids = set(queryset.values_list("cd_user", flat=True))
        changed = services.user_set_active(user_ids=ids, is_active=True)
        self.message_user(
            request,
            ngettext("%(count)d usuário ativado.", "%(count)d usuários ativados.", changed)
            % {"count": changed},
            level=messages.SUCCESS,
        )


# simplejwt's token admins search on ``user__id``; our user's key is ``cd_user``, so a search
# there would crash. Importing its module registers them; we re-register them fitted.
admin.site.unregister(OutstandingToken)
admin.site.unregister(BlacklistedToken)


@admin.register(OutstandingToken)
class OutstandingTokenAdmin(token_blacklist_admin.OutstandingTokenAdmin):
    # simplejwt's columns are its field names ("created at"), outside gettext: ours are
    # translatable, so the page is in one language.
    list_display = ("token_jti", "token_user", "token_created_at", "token_expires_at")
    fields = ("token_user", "token_jti", "token", "token_created_at", "token_expires_at")
    search_fields = ("user__ds_user_email", "jti")
    ordering = ("-created_at",)

    def get_readonly_fields(self, *args, **kwargs):
        return self.fields

    @admin.display(description=_("identificador (jti)"), ordering="jti")
    def token_jti(self, obj):
        return obj.jti

    @admin.display(description=_("usuário"), ordering="user")
    def token_user(self, obj):
        return obj.user

    @admin.display(description=_("emitido em"), ordering="created_at")
    def token_created_at(self, obj):
        return obj.created_at

    @admin.display(description=_("expira em"), ordering="expires_at")
    def token_expires_at(self, obj):
        return obj.expires_at


@admin.register(BlacklistedToken)
class BlacklistedTokenAdmin(token_blacklist_admin.BlacklistedTokenAdmin):
    list_display = (
        "token_jti",
        "token_user",
        "token_created_at",
        "token_expires_at",
        "revoked_at",
    )
    search_fields = ("token__user__ds_user_email", "token__jti")
    ordering = ("-blacklisted_at",)

    @admin.display(description=_("revogado em"), ordering="blacklisted_at")
    def revoked_at(self, obj):
        return obj.blacklisted_at
