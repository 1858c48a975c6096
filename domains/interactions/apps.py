from django.apps import AppConfig


class InteractionsConfig(AppConfig):
    name = "domains.interactions"
    label = "interactions"
    verbose_name = "Interações e lançamentos"
    default_auto_field = "django.db.models.BigAutoField"
