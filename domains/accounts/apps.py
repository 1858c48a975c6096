from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "domains.accounts"
    label = "accounts"
    verbose_name = "Contas"
    default_auto_field = "django.db.models.BigAutoField"
