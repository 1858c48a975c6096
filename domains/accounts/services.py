"""Writes of the accounts domain: registration, login, JWT issuing, rotation and revocation.

Tokens are djangorestframework-simplejwt's, with two claims of ours: ``ver`` (the user's token
version: bumped by deactivation, deletion, password and role changes, it revokes every token
issued before) and ``sid`` (the login session: one login's refresh token, its rotations and all
their access tokens share it, so a logout revokes them together). The platform
(``crm.api.authentication``) checks both on every request against the shared cache; refresh
tokens are also recorded (outstanding) and revoked through simplejwt's blacklist tables, which
live in this domain's schema.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group, update_last_login
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.utils import datetime_from_epoch

from crm.api.authentication import SESSION_CLAIM, VERSION_CLAIM
from crm.api.exceptions import InvalidInput
from crm.api.permissions import forget_user_permissions
from crm.db.router import alias_for_app

from . import selectors
from .errors import (
    AccountUnavailable,
    EmailAlreadyRegistered,
    InvalidCredentials,
    InvalidToken,
    UserNotFound,
)
from .models import RevokedSession, User, normalize_email
from .revocation import tokens_forget
from .roles import ROLES

ALIAS = alias_for_app("accounts")


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str


@dataclass(frozen=True)
class LoginResult:
    user: User
    tokens: TokenPair


def user_register(
    *, ds_user: str, ds_user_email: str, password: str, ds_role: str | None = None
) -> User:
    """Create an active, non-staff user with the role ``ds_role`` (default: the setting
    ``CRM_REGISTRATION_ROLE``). Who may choose the role is the caller's business (the view
    lets only an admin do it).

    Raises ``InvalidInput`` ({"password": [...]} from Django's password validators, or the
    model's field errors) and ``EmailAlreadyRegistered`` (e-mail taken, compared
    case-insensitively; also when a concurrent registration wins the race).
    """
    ds_user = ds_user.strip()
    ds_user_email = normalize_email(ds_user_email)
    candidate = User(ds_user=ds_user, ds_user_email=ds_user_email)
    try:
        validate_password(password, user=candidate)
    except ValidationError as error:
        raise InvalidInput({"password": list(error.messages)}) from None

    if selectors.user_email_taken(ds_user_email=ds_user_email):
        raise EmailAlreadyRegistered()
    try:
        with transaction.atomic(using=ALIAS):
            user = User.objects.db_manager(ALIAS).create_user(
                ds_user_email=ds_user_email, password=password, ds_user=ds_user
            )
            _role_set(user=user, ds_role=ds_role or settings.CRM_REGISTRATION_ROLE)
            return user
    except IntegrityError:
        # Lost a race against a registration with the same e-mail: Lower(email) is unique.
        raise EmailAlreadyRegistered() from None
    except ValidationError as error:
        if selectors.user_email_taken(ds_user_email=ds_user_email):
            raise EmailAlreadyRegistered() from None
        raise InvalidInput(error.message_dict) from None


def _role_set(*, user: User, ds_role: str) -> None:
    """Make ``ds_role`` the user's only role group (other, non-role groups are kept)."""
    if ds_role not in ROLES:
        raise InvalidInput(
            {"ds_role": [_("Papel inválido. Use: %(roles)s.") % {"roles": ", ".join(ROLES)}]}
        )
    groups = {group.name: group for group in Group.objects.using(ALIAS).filter(name__in=ROLES)}
    if ds_role not in groups:
        raise InvalidInput(
            {
                "ds_role": [
                    _("O papel '%(role)s' não existe mais; recrie-o com 'migrate'.")
                    % {"role": ds_role}
                ]
            }
        )
    user.groups.remove(*[group for name, group in groups.items() if name != ds_role])
    user.groups.add(groups[ds_role])


def user_update(
    *,
    user_id: uuid.UUID,
    acting_user_id: uuid.UUID,
    ds_user: str | None = None,
    ds_role: str | None = None,
    is_active: bool | None = None,
    is_staff: bool | None = None,
) -> User:
    """An admin changes a user's name, role, status or admin-site access (fields left ``None``
    stay as they are). Nobody demotes, deactivates or locks themselves out: an admin cannot
    leave the company without one by accident.

    Raises ``UserNotFound`` and ``InvalidInput``.
    """
    with transaction.atomic(using=ALIAS):
        user = User.objects.using(ALIAS).select_for_update().filter(cd_user=user_id).first()
        if user is None:
            raise UserNotFound()
        if user.pk == acting_user_id:
            errors = {}
            if ds_role is not None and ds_role != user.ds_role:
                errors["ds_role"] = [_("Você não pode alterar o seu próprio papel.")]
            if is_active is False:
                errors["is_active"] = [_("Você não pode desativar a si mesmo.")]
            if is_staff is False:
                errors["is_staff"] = [_("Você não pode retirar o seu próprio acesso ao painel.")]
            if errors:
                raise InvalidInput(errors)
        fields = []
        if ds_user is not None:
            user.ds_user = ds_user.strip()
            fields.append("ds_user")
        if is_active is not None and is_active != user.is_active:
            user.is_active = is_active
            fields.append("is_active")
        if is_staff is not None and is_staff != user.is_staff:
            user.is_staff = is_staff
            fields.append("is_staff")
        if fields:
            user.save(update_fields=fields)
        role_changed = ds_role is not None and ds_role != user.ds_role
        if ds_role is not None:
            _role_set(user=user, ds_role=ds_role)
    if role_changed:  # tokens issued under the old role go (issue #10: revocation that bites)
        user_tokens_revoke(user_ids=[user.pk])
    return selectors.user_get(user_id=user.pk)


def token_pair_issue(*, user: User, session_id: str | None = None) -> TokenPair:
    """A fresh access + refresh pair; the refresh token is recorded as outstanding.

    ``session_id``: the login session the pair continues (a refresh); a new one otherwise.
    The access token copies both claims from the refresh token.
    """
    refresh = RefreshToken.for_user(user)
    refresh[VERSION_CLAIM] = user.nr_token_version
    refresh[SESSION_CLAIM] = session_id or uuid.uuid4().hex
    return TokenPair(access_token=str(refresh.access_token), refresh_token=str(refresh))


def user_login(*, ds_user_email: str, password: str) -> LoginResult:
    """Check the credentials and issue tokens; updates ``last_login``.

    Unknown e-mail, wrong password and inactive account all raise the same
    ``InvalidCredentials`` (Django's ModelBackend also hashes for an unknown e-mail, so the
    timing does not tell them apart either).
    """
    user = authenticate(None, ds_user_email=normalize_email(ds_user_email), password=password)
    if user is None:
        raise InvalidCredentials()
    update_last_login(None, user)
    return LoginResult(user=user, tokens=token_pair_issue(user=user))


def _parse_refresh(refresh_token: str) -> RefreshToken:
    """Signature, expiry, type ``refresh`` and not revoked; anything else is ``InvalidToken``."""
    try:
        return RefreshToken(refresh_token)
    except TokenError:
        raise InvalidToken() from None


def _user_id_of(refresh: RefreshToken) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(refresh.payload.get(jwt_settings.USER_ID_CLAIM)))
    except ValueError:
        return None


def _active_user_of(refresh: RefreshToken) -> User:
    user_id = _user_id_of(refresh)
    if user_id is None:
        raise InvalidToken()
    try:
        return selectors.user_active_get(user_id=user_id)
    except AccountUnavailable:
        # A refresh token whose user is gone or inactive is simply not valid any more.
        raise InvalidToken() from None


def _revoke_once(refresh: RefreshToken) -> bool:
    """Blacklist ``refresh``; ``True`` only for the one caller that actually revoked it.

    ``BlacklistedToken.token`` is one-to-one, so when two requests present the same refresh
    token at once, the database lets exactly one of them create the row.
    """
    user_id = _user_id_of(refresh)
    outstanding, _created = OutstandingToken.objects.get_or_create(
        jti=refresh.payload[jwt_settings.JTI_CLAIM],
        defaults={
            "user": selectors.user_find(user_id=user_id) if user_id else None,
            "token": str(refresh),
            "created_at": refresh.current_time,
            "expires_at": datetime_from_epoch(refresh.payload["exp"]),
        },
    )
    _blacklisted, created = BlacklistedToken.objects.get_or_create(token=outstanding)
    return created


def token_refresh(*, refresh_token: str) -> TokenPair:
    """Rotate: revoke ``refresh_token`` and issue a new pair in the same login session.
    Reusing a rotated token fails, and so does a token older than the user's last
    revocation (its ``ver`` is behind) or of a logged-out session."""
    refresh = _parse_refresh(refresh_token)
    user = _active_user_of(refresh)
    if refresh.payload.get(VERSION_CLAIM) != user.nr_token_version:  # none: not one of ours
        raise InvalidToken()
    session_id = refresh.payload.get(SESSION_CLAIM)
    if session_id and RevokedSession.objects.filter(cd_session=session_id).exists():
        raise InvalidToken()
    with transaction.atomic(using=ALIAS):
        if not _revoke_once(refresh):
            raise InvalidToken()
        return token_pair_issue(user=user, session_id=session_id)


def token_revoke(*, refresh_token: str) -> None:
    """Logout: the refresh token, and every access token of its login session (also those
    issued before a rotation), are refused from the next request on, in every process."""
    refresh = _parse_refresh(refresh_token)
    user_id = _user_id_of(refresh)
    # Tokens from before sessions existed carry no ``sid``: revoke at least the refresh's id.
    revoked_id = refresh.payload.get(SESSION_CLAIM) or refresh.payload[jwt_settings.JTI_CLAIM]
    now = timezone.now()
    with transaction.atomic(using=ALIAS):
        if not _revoke_once(refresh):
            raise InvalidToken()
        if user_id is not None:
            # The session's access tokens live at most ACCESS_TOKEN_LIFETIME from now.
            RevokedSession.objects.filter(cd_user=user_id, dt_expires__lte=now).delete()
            RevokedSession.objects.update_or_create(
                cd_session=revoked_id,
                defaults={
                    "cd_user": user_id,
                    "dt_revoked": now,
                    "dt_expires": now + jwt_settings.ACCESS_TOKEN_LIFETIME,
                },
            )
    if user_id is not None:
        tokens_forget(user_ids=[user_id], using=ALIAS)


def user_tokens_revoke(*, user_ids: Iterable[uuid.UUID]) -> int:
    """Revoke every token already issued to these users (access and refresh), in every
    process, from their next request on; returns how many users exist. New logins work.

    For changes the model does not see by itself (a role change); deactivation, deletion and
    a password change already revoke.
    """
    ids = set(user_ids)
    if not ids:
        return 0
    with transaction.atomic(using=ALIAS):
        changed = User.objects.filter(cd_user__in=ids).update(
            nr_token_version=F("nr_token_version") + 1
        )
    tokens_forget(user_ids=ids, using=ALIAS)
    return changed


def user_set_active(*, user_ids: Iterable[uuid.UUID], is_active: bool) -> int:
    """Activate or deactivate many users; returns how many changed.

    A deactivated user can no longer log in or refresh, and every token already issued to
    them is refused from their next request on (the token version is bumped).
    """
    ids = set(user_ids)
    if not ids:
        return 0
    with transaction.atomic(using=ALIAS):
        changed_ids = list(
            User.objects.filter(cd_user__in=ids)
            .exclude(is_active=is_active)
            .values_list("cd_user", flat=True)
        )
        changed = User.objects.filter(cd_user__in=changed_ids).update(
            is_active=is_active, nr_token_version=F("nr_token_version") + 1
        )
    tokens_forget(user_ids=changed_ids, using=ALIAS)
    # ``update()`` sends no signal: the cached permission sets must go by hand.
    forget_user_permissions(changed_ids)
    return changed


def user_delete(*, user_ids: Iterable[uuid.UUID]) -> int:
    """Delete users; their tokens are refused from the next request on. Returns how many."""
    ids = set(user_ids)
    if not ids:
        return 0
    with transaction.atomic(using=ALIAS):
        deleted = User.objects.filter(cd_user__in=ids).count()
        User.objects.filter(cd_user__in=ids).delete()
    tokens_forget(user_ids=ids, using=ALIAS)
    return deleted
