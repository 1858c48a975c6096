from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteractionsConfig(AppConfig):
    name = "domains.interactions"
    label = "interactions"
    verbose_name = _("Interações e lançamentos")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # How interactions reacts to the customers domain without customers importing it
        # (DESIGN.md §1.5): a guard before a hard delete, a subscriber after it, and a panel
        # on the customer's admin page.
        from crm import hooks

        from . import gateways, services, timeline_admin

        hooks.register_guard(
            gateways.HARD_DELETE_GUARD, services.refuse_hard_delete_with_ledger_entries
        )
        hooks.subscribe(
            gateways.HARD_DELETED_EVENT, services.remove_interactions_of_hard_deleted_customers
        )
        hooks.register_panel(gateways.CHANGE_PAGE_PANELS, timeline_admin.customer_activity_panel)
        from .ledger_services import register_hooks as register_ledger_hooks  # ledger guards

        register_ledger_hooks()

        # The staff landing page's dashboard (admin index): cash flow, top customers, activity.
        from . import dashboard

        for panel in (
            dashboard.cash_flow_panel,
            dashboard.top_customers_panel,
            dashboard.interactions_panel,
        ):
            hooks.register_panel(hooks.ADMIN_INDEX_PANELS, panel)
