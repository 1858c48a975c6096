from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from .models import User


def user_names(*, user_ids: Iterable[UUID]) -> dict[UUID, str]:
    ids = set(user_ids)
    if not ids:
        return {}
    return dict(User.objects.filter(cd_user__in=ids).values_list("cd_user", "ds_user"))
