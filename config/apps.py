"""The composition root as an app: a home for commands that orchestrate several domains.

Such a command (e.g. ``seed_demo``, ``import_seed``) may import every domain's ``interface``
and nothing else of it: each domain still writes only its own schema through its own code.
``config`` owns no models and no tables.
"""

from django.apps import AppConfig
from django.conf import settings


class CompositionRootConfig(AppConfig):
    name = "config"
    label = "config"
    verbose_name = "CRM Finance"

    def ready(self) -> None:
        if "accounts" in settings.CRM_DOMAINS:
            return  # accounts registers its own loaders (its AppConfig.ready)
        # Users live in another process: the platform checks tokens, permissions and staff
        # sessions through the accounts interface over HTTP, on a miss of the shared cache
        # (Redis) only.
        from crm import remote
        from crm.api.authentication import register_token_state_loader
        from crm.api.permissions import register_permissions_loader
        from crm.staff import register_staff_user_loader
        from domains.accounts import interface

        accounts = remote.gateway("accounts", interface)
        register_token_state_loader(accounts.user_token_state)
        register_permissions_loader(accounts.user_permissions)
        # Staff sessions (the admin, the browsable API): the session's user, asked of accounts.
        register_staff_user_loader(accounts.staff_user)
