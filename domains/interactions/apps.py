from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteractionsConfig(AppConfig):
    """One app (label ``interactions``, one schema) holding two independent sub-packages: the
    ``timeline`` and the ``ledger``."""

    name = "domains.interactions"
    label = "interactions"
    verbose_name = _("Interações e lançamentos")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # How interactions reacts to other domains without them importing it (crm.hooks):
        # the ledger's guards before a customer's or a product's hard delete, the timeline's
        # subscriber after a customer's, and a panel on the customer's admin page.
        from crm import hooks

        from . import gateways, panels
        from .ledger import services as ledger
        from .timeline import services as timeline

        hooks.register_guard(
            gateways.CUSTOMER_HARD_DELETE_GUARD, ledger.customer_hard_delete_refusal
        )
        hooks.register_guard(gateways.PRODUCT_HARD_DELETE_GUARD, ledger.product_hard_delete_refusal)
        hooks.subscribe(
            gateways.CUSTOMER_HARD_DELETED_EVENT,
            timeline.remove_interactions_of_hard_deleted_customers,
        )
        hooks.register_panel(gateways.CHANGE_PAGE_PANELS, panels.customer_activity_panel)

        # The staff landing page's dashboard (admin index): cash flow, top customers, activity.
        from . import dashboard

        for panel in (
            dashboard.cash_flow_panel,
            dashboard.top_customers_panel,
            dashboard.interactions_panel,
        ):
            hooks.register_panel(hooks.ADMIN_INDEX_PANELS, panel)
