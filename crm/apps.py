from django.apps import AppConfig


class CrmConfig(AppConfig):
    """The platform: database routing, API conventions, cross-domain machinery.

    It knows no domain (import-linter enforces it); domains plug into it at start-up.
    """

    name = "crm"
    verbose_name = "CRM platform"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the architecture system checks)
        from .api import openapi  # noqa: F401  (registers the Bearer JWT scheme for the schema)
