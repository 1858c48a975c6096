from django.apps import AppConfig


class ProductsConfig(AppConfig):
    name = "domains.products"
    label = "products"
    verbose_name = "Produtos e serviços"
    default_auto_field = "django.db.models.BigAutoField"
