from __future__ import annotations

from collections.abc import Iterable, Mapping
from uuid import UUID

from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from crm.api.authentication import TokenState
from crm.api.query import filter_queryset
from crm.db.queries import rows_by_keys
from crm.staff import StaffUserRecord

from .errors import AccountUnavailable, UserNotFound
from .filters import UserFilter
from .models import RevokedSession, User, normalize_email


def user_names(*, user_ids: Iterable[UUID]) -> dict[UUID, str]:
    ids = set(user_ids)
    if not ids:
        return {}
    # A dict: no order wanted (the model's ordering would sort for nothing); the SQL compiled
    # once per number of ids (a page's authors).
    return dict(rows_by_keys(User, "cd_user", ids, values=("cd_user", "ds_user")))


def user_find(*, user_id: UUID) -> User | None:
    """The user, or ``None``: for a caller to whom a deleted user is normal (revoking the
    token of a user who is gone)."""
    return User.objects.filter(cd_user=user_id).first()


def user_get(*, user_id: UUID) -> User:
    """The user, active or not, with its groups (``ds_role``). Raises ``UserNotFound``."""
    user = User.objects.prefetch_related("groups").filter(cd_user=user_id).first()
    if user is None:
        raise UserNotFound()
    return user


def user_active_get(*, user_id: UUID) -> User:
    """The user, when it exists and may still use the API. Raises ``AccountUnavailable``."""
    user = User.objects.prefetch_related("groups").filter(cd_user=user_id, is_active=True).first()
    if user is None:
        raise AccountUnavailable()
    return user


def user_list(*, filters: Mapping[str, str] | None = None) -> QuerySet[User]:
    """Users matching the list filters (see ``filters.UserFilter``), by name, with their
    groups (``ds_role``) in one more query. Raises ``InvalidInput`` for a parameter it cannot
    use."""
    users = User.objects.prefetch_related("groups").order_by("ds_user", "cd_user")
    return filter_queryset(UserFilter, data=filters, queryset=users)


def user_email_taken(*, ds_user_email: str, exclude_user_id: UUID | None = None) -> bool:
    """Case-insensitive, like (and served by the index of) the ``Lower(ds_user_email)``
    unique constraint; ``__iexact`` would compare ``UPPER()`` and scan the table."""
    taken = User.objects.alias(email_lower=Lower("ds_user_email")).filter(
        email_lower=normalize_email(ds_user_email)
    )
    if exclude_user_id is not None:
        taken = taken.exclude(cd_user=exclude_user_id)
    return taken.exists()


def user_permissions(*, user_id: UUID) -> frozenset[str]:
    user = User.objects.filter(pk=user_id).first()
    if user is None or not user.is_active:
        return frozenset()
    return frozenset(user.get_all_permissions())


def user_token_state(*, user_id: UUID) -> TokenState | None:
    """What decides whether the user's tokens are accepted (``crm.api.authentication`` reads
    it on a cache miss); ``None`` when there is no such user."""
    row = User.objects.filter(cd_user=user_id).values_list("is_active", "nr_token_version").first()
    if row is None:
        return None
    revoked = RevokedSession.objects.filter(
        cd_user=user_id, dt_expires__gt=timezone.now()
    ).values_list("cd_session", flat=True)
    return TokenState(is_active=row[0], token_version=row[1], revoked=frozenset(revoked))


def staff_user(*, user_id: UUID) -> StaffUserRecord | None:
    user = User.objects.filter(cd_user=user_id).first()
    if user is None:
        return None
    return StaffUserRecord(
        cd_user=user.cd_user,
        ds_user=user.ds_user,
        ds_user_email=user.ds_user_email,
        is_active=user.is_active,
        is_staff=user.is_staff,
        is_superuser=user.is_superuser,
        session_auth_hash=user.get_session_auth_hash(),
        session_auth_fallback_hashes=tuple(user.get_session_auth_fallback_hash()),
        permissions=frozenset(user.get_all_permissions()) if user.is_active else frozenset(),
    )
