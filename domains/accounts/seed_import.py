"""Writes of the accounts domain for ``import_seed``: the seed's users, in batches.

Kept apart from ``services.py`` (everyday writes) because it is a one-off migration path, and
because the interface re-exports its DTO and function: ``services`` need not know about it.

Rules (the registration's, applied to rows that already exist):
* ``ds_user``: trimmed, 1..150 characters, no NUL.
* ``ds_user_email``: trimmed, lower-cased, a valid address of at most 254 characters, unique
  case-insensitively. Rows come oldest first, so when two seed users' e-mails differ only by
  case the first one keeps it and the later one is refused, as our ``/auth/register`` would
  have answered the second one 409.
* ``password_hash``: a werkzeug ``scrypt:`` or ``pbkdf2:`` hash, stored as ``werkzeug$<hash>``
  (``hashers.WerkzeugPasswordHasher``) and upgraded on the user's first login.
* A user whose ``cd_user`` is already here is left alone ("already present").
Imported users are active, not staff, and join the Group named ``role`` when it exists.
"""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower

from crm.bulk_import import ImportOutcome, OutcomeCounter, batched, insert_as_given
from crm.db.router import alias_for_app

from .hashers import WerkzeugPasswordHasher, is_werkzeug_hash
from .models import User, normalize_email
from .records import SeedUser

TABLE = "user"
NAME_MAX_LENGTH = 150
EMAIL_MAX_LENGTH = 254


def _clean_name(value: str | None) -> str:
    name = (value or "").strip()
    if not name:
        raise ValidationError("O nome é obrigatório.")
    if "\x00" in name:
        raise ValidationError("Caracteres nulos não são permitidos.")
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(f"O nome deve ter no máximo {NAME_MAX_LENGTH} caracteres.")
    return name


def _clean_email(value: str | None) -> str:
    email = normalize_email(value or "")
    if not email:
        raise ValidationError("O e-mail é obrigatório.")
    if len(email) > EMAIL_MAX_LENGTH:
        raise ValidationError(f"O e-mail deve ter no máximo {EMAIL_MAX_LENGTH} caracteres.")
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError("Informe um endereço de e-mail válido.") from None
    return email


def _email_owners(emails: set[str]) -> dict[str, UUID]:
    """Lower-cased e-mail -> owner, for those already taken (served by the Lower() index)."""
    if not emails:
        return {}
    return dict(
        User.objects.annotate(email_lower=Lower("ds_user_email"))
        .filter(email_lower__in=emails)
        .values_list("email_lower", "cd_user")
    )


def _email_taken(email: str, owner: UUID) -> str:
    return f"E-mail já cadastrado para outro usuário ({owner})."


def users_import(
    *, rows: Iterable[SeedUser], role: str | None, dry_run: bool = False
) -> ImportOutcome:
    """Bring the seed's users over; all or nothing (one transaction on the accounts alias).

    ``dry_run``: the same work, rolled back at the end, so the outcome is exactly what a real
    run would report. ``role``: name of the auth Group imported users join (none when empty);
    a missing Group is a note in the outcome, not an error.
    """
    counter = OutcomeCounter(TABLE)
    alias = alias_for_app("accounts")
    hasher_prefix = WerkzeugPasswordHasher.algorithm + "$"
    with transaction.atomic(using=alias):
        group = Group.objects.using(alias).filter(name=role).first() if role else None
        imported_ids: list[UUID] = []
        for batch in batched(rows):
            counter.read += len(batch)
            present = set(
                User.objects.using(alias)
                .filter(cd_user__in=[row.cd_user for row in batch])
                .values_list("cd_user", flat=True)
            )
            candidates: list[tuple[SeedUser, str, str]] = []
            for row in batch:
                if row.cd_user in present:
                    counter.already_present += 1
                    continue
                try:
                    name = _clean_name(row.ds_user)
                except ValidationError as error:
                    counter.refuse(row.cd_user, error.messages[0], field="ds_user")
                    continue
                try:
                    email = _clean_email(row.ds_user_email)
                except ValidationError as error:
                    counter.refuse(
                        row.cd_user,
                        error.messages[0],
                        field="ds_user_email",
                        value=row.ds_user_email,
                    )
                    continue
                if not is_werkzeug_hash(row.password_hash or ""):
                    counter.refuse(
                        row.cd_user,
                        "Hash de senha em formato não reconhecido (esperado werkzeug "
                        "scrypt:... ou pbkdf2:...).",
                        field="password_hash",
                    )
                    continue
                candidates.append((row, name, email))

            owners = _email_owners({email for _row, _name, email in candidates})
            new_users: list[User] = []
            for row, name, email in candidates:
                owner = owners.get(email)
                if owner is not None:
                    counter.refuse(
                        row.cd_user,
                        _email_taken(email, owner),
                        field="ds_user_email",
                        value=row.ds_user_email,
                    )
                    continue
                owners[email] = row.cd_user  # a later row of this batch collides with it
                new_users.append(
                    User(
                        cd_user=row.cd_user,
                        ds_user=name,
                        ds_user_email=email,
                        password=hasher_prefix + row.password_hash,
                        dt_created_at=row.dt_created_at,
                        last_login=row.last_login,
                        is_active=True,
                        is_staff=False,
                        is_superuser=False,
                    )
                )
            insert_as_given(User, new_users, using=alias)
            counter.imported += len(new_users)
            imported_ids.extend(user.cd_user for user in new_users)

        if role and group is None:
            counter.notes.append(
                f'Papel "{role}" não existe (grupo não encontrado): usuários importados '
                "ficaram sem papel; atribua-o no admin quando os papéis existirem."
            )
        elif group is not None and imported_ids:
            membership = User.groups.through
            for ids in batched(imported_ids):
                membership.objects.using(alias).bulk_create(
                    [membership(user_id=user_id, group_id=group.pk) for user_id in ids]
                )
            counter.notes.append(f'{len(imported_ids)} usuário(s) com o papel "{role}".')
        if dry_run:
            transaction.set_rollback(True, using=alias)
    return counter.outcome()
