"""Query-string filters for the user list (``GET /api/users``, admins).

* ``search``: name or e-mail contains the text, case-insensitively.
* ``ds_role``: ``admin``, ``manager``, ``sales`` or ``viewer``, as ``ds_role`` shows it (a
  superuser is an admin; a user in several role groups counts as the most powerful one).
* ``is_active``: ``true`` / ``false``.
"""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.functional import lazy
from django.utils.translation import gettext

from crm.api.query import BooleanQueryFilter, FilterSet

from .models import User
from .roles import ADMIN, ROLES

#: Translated when shown (the request's language), not at import.
INVALID_ROLE = lazy(
    lambda: gettext("Papel inválido. Use: %(roles)s.") % {"roles": ", ".join(ROLES)}, str
)()


class UserFilter(FilterSet):
    search = django_filters.CharFilter(method="filter_search")
    ds_role = django_filters.ChoiceFilter(
        choices=[(role, role) for role in ROLES],
        method="filter_role",
        error_messages={"invalid_choice": INVALID_ROLE},
    )
    is_active = BooleanQueryFilter(field_name="is_active")

    class Meta:
        model = User
        fields: list[str] = []

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(ds_user__icontains=value) | Q(ds_user_email__icontains=value))

    def filter_role(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == ADMIN:
            return queryset.filter(Q(groups__name=ADMIN) | Q(is_superuser=True)).distinct()
        stronger = ROLES[: ROLES.index(value)]
        return (
            queryset.filter(groups__name=value)
            .exclude(is_superuser=True)
            .exclude(groups__name__in=stronger)
        )
