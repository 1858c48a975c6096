"""Query-string filters of the interaction timeline (run by ``selectors.interaction_list``)."""

from __future__ import annotations

import django_filters

from crm.api.query import DateRangeForm, FilterSet, date_filter

from .models import Interaction, InteractionType


class InteractionFilter(FilterSet):
    """``id_interaction_type``; ``date_from``/``date_to``: inclusive calendar days in the
    server's time zone (``TIME_ZONE``), compared with ``dt_interaction``'s local date."""

    id_interaction_type = django_filters.ChoiceFilter(choices=InteractionType.choices)
    date_from = date_filter("dt_interaction", "date__gte")
    date_to = date_filter("dt_interaction", "date__lte")

    class Meta:
        model = Interaction
        fields = ["id_interaction_type", "date_from", "date_to"]
        form = DateRangeForm
