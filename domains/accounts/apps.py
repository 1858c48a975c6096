from django.apps import AppConfig
from django.db import router
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_roles(sender, using, apps=None, **kwargs) -> None:
    """After every ``migrate`` and ``flush``: recreate a missing role group (a flushed test
    database, a role deleted by hand). Existing groups are left as they are."""
    from django.apps import apps as global_apps

    from .roles import roles_ensure

    registry = apps or global_apps
    group_model = registry.get_model("auth", "Group")
    if router.allow_migrate_model(using, group_model):
        roles_ensure(apps=registry, using=using)


class AccountsConfig(AppConfig):
    name = "domains.accounts"
    label = "accounts"
    verbose_name = _("Contas")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The platform refuses revoked tokens; the truth about revocation lives here.
        from crm.api.authentication import register_token_state_loader

        from .selectors import user_token_state

        register_token_state_loader(user_token_state)
        from crm.api.permissions import register_permissions_loader

        from .selectors import user_permissions

        register_permissions_loader(user_permissions)
        from . import permission_cache

        permission_cache.connect()
        post_migrate.connect(_ensure_roles, sender=self, dispatch_uid="accounts.ensure_roles")
