"""The panel the interactions domain contributes to the customer's admin change page
(``crm.hooks``, registered in ``apps.py``): served in-process, or over the internal API to the
process that renders the page (``crm.remote``). No admin registration here: a process without
the admin still serves the panel.
"""

from __future__ import annotations

from uuid import UUID

from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from crm.hooks import Panel

from .dashboard import customer_balance_chart
from .interface import customer_activity
from .timeline.models import InteractionType

TYPE_LABELS = dict(InteractionType.choices)


def interactions_changelist_url(customer_id: UUID) -> str | None:
    """The customer's interactions in this process's admin; ``None`` where no admin serves
    them (a process of a split without accounts)."""
    try:
        changelist = reverse("admin:interactions_interaction_changelist")
    except NoReverseMatch:
        return None
    return changelist + "?" + urlencode({"cd_customer": str(customer_id)})


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
