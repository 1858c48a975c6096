from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from django.db.models import Q, QuerySet
from django.db.models.functions import Lower

from .models import User, normalize_email
from .roles import ADMIN, ROLES


def user_names(*, user_ids: Iterable[UUID]) -> dict[UUID, str]:
    ids = set(user_ids)
    if not ids:
        return {}
    return dict(User.objects.filter(cd_user__in=ids).values_list("cd_user", "ds_user"))


def user_get(*, user_id: UUID) -> User | None:
    return User.objects.prefetch_related("groups").filter(cd_user=user_id).first()


def user_active_get(*, user_id: UUID) -> User | None:
    """The user, when it exists and may still use the API."""
    return User.objects.prefetch_related("groups").filter(cd_user=user_id, is_active=True).first()


def user_list(
    *, search: str | None = None, ds_role: str | None = None, is_active: bool | None = None
) -> QuerySet[User]:
    """Users by name, for the admins' user list; ``search`` matches name or e-mail.

    ``ds_role`` filters by role group (``admin`` also finds superusers, who are admins)."""
    users = User.objects.prefetch_related("groups").order_by("ds_user", "cd_user")
    if search:
        users = users.filter(Q(ds_user__icontains=search) | Q(ds_user_email__icontains=search))
    if ds_role == ADMIN:
        users = users.filter(Q(groups__name=ADMIN) | Q(is_superuser=True)).distinct()
    elif ds_role is not None:
        users = users.filter(groups__name=ds_role).exclude(is_superuser=True)
        # A user in several role groups shows the most powerful one: filter the same way.
        stronger = ROLES[: ROLES.index(ds_role)]
        users = users.exclude(groups__name__in=stronger)
    if is_active is not None:
        users = users.filter(is_active=is_active)
    return users


def user_email_taken(*, ds_user_email: str, except_user_id: UUID | None = None) -> bool:
    """Case-insensitive, like (and served by the index of) the ``Lower(ds_user_email)``
    unique constraint; ``__iexact`` would compare ``UPPER()`` and scan the table."""
    taken = User.objects.alias(email_lower=Lower("ds_user_email")).filter(
        email_lower=normalize_email(ds_user_email)
    )
    if except_user_id is not None:
        taken = taken.exclude(cd_user=except_user_id)
    return taken.exists()
