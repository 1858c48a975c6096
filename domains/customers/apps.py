from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "domains.customers"
    label = "customers"
    verbose_name = "Clientes"
    default_auto_field = "django.db.models.BigAutoField"
