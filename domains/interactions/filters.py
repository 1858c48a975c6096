"""Query-string filters of the interaction timeline (used by ``selectors``)."""

from __future__ import annotations

import django_filters

from .models import Interaction, InteractionType


class InteractionFilter(django_filters.FilterSet):
    """``id_interaction_type``; ``date_from``/``date_to``: inclusive calendar days in the
    server's time zone (``TIME_ZONE``), compared with ``dt_interaction``'s local date."""

    id_interaction_type = django_filters.ChoiceFilter(choices=InteractionType.choices)
    date_from = django_filters.DateFilter(field_name="dt_interaction", lookup_expr="date__gte")
    date_to = django_filters.DateFilter(field_name="dt_interaction", lookup_expr="date__lte")

    class Meta:
        model = Interaction
        fields = ["id_interaction_type", "date_from", "date_to"]
