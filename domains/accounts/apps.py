from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


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
