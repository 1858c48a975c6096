"""Staff screens for users: create staff, reset a password, (de)activate."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rest_framework_simplejwt.token_blacklist import admin as token_blacklist_admin
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from . import services
from .forms import UserAddForm, UserEditForm
from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
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
    search_fields = ("user__ds_user_email", "jti")
    ordering = ("-created_at",)


@admin.register(BlacklistedToken)
class BlacklistedTokenAdmin(token_blacklist_admin.BlacklistedTokenAdmin):
    search_fields = ("token__user__ds_user_email", "token__jti")
    ordering = ("-blacklisted_at",)
