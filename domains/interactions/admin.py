"""Admin of the interactions domain: each sub-package registers its own screens (the timeline's
``InteractionAdmin``, the ledger's ``TransactionAdmin``); this module adds what shows both, the
panel on the customer change page (registered in ``apps.py``).
"""

from __future__ import annotations

from uuid import UUID

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from crm.hooks import Panel

from .dashboard import customer_balance_chart
from .interface import customer_activity
from .ledger import admin as ledger_admin  # noqa: F401  (registers TransactionAdmin)
from .timeline import admin as timeline_admin  # noqa: F401  (registers InteractionAdmin)
from .timeline.models import InteractionType

TYPE_LABELS = dict(InteractionType.choices)


def interactions_changelist_url(customer_id: UUID) -> str:
    return (
        reverse("admin:interactions_interaction_changelist")
        + "?"
        + urlencode({"cd_customer": str(customer_id)})
    )


def customer_activity_panel(customer_id: UUID) -> Panel:
    """Provider for the customer change page (``gateways.CHANGE_PAGE_PANELS``)."""
    activity = customer_activity(customer_id=customer_id, limit=10)
    html = render_to_string(
        "interactions/customer_activity_panel.html",
        {
            "activity": activity,
            "rows": [
                {"entry": entry, "type_label": TYPE_LABELS.get(entry.id_interaction_type, "")}
                for entry in activity.interactions
            ],
            "changelist_url": interactions_changelist_url(customer_id),
            "balance_chart": customer_balance_chart(customer_id=customer_id),
        },
    )
    return Panel(title=str(_("Interações e saldo")), html=html)
