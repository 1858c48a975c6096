"""Abstract models the domains' audit trails share (no table here: each domain declares its own
concrete history model, so its history lives in its own schema and is written on its own
alias, in the same transaction as the change; docs/audit.md).

An audit row is **append-only**: ``AuditEvent`` refuses to be saved twice or deleted, and its
queryset refuses ``update()`` and ``delete()``, so no code path of the application (a service,
the admin, a shell session) can rewrite or remove history through the ORM. The admin shows it
read-only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .audit import current_actor


class AppendOnlyError(Exception):
    """Somebody tried to change or remove an audit row."""


class ChangeAction(models.TextChoices):
    """What happened to a customer or a product (``ds_action``)."""

    CRIADO = "criado", _("criado")
    ALTERADO = "alterado", _("alterado")
    DESATIVADO = "desativado", _("desativado")
    REATIVADO = "reativado", _("reativado")
    EXCLUIDO = "excluido", _("excluído definitivamente")

    @classmethod
    def for_update(cls, changes: Mapping[str, Any], *, active_field: str) -> ChangeAction:
        """An update that only switched the active flag is a deactivation or a reactivation;
        anything else is a change."""
        if set(changes) == {active_field}:
            return cls.REATIVADO if changes[active_field][1] else cls.DESATIVADO
        return cls.ALTERADO


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("O histórico é somente de inclusão: não pode ser alterado.")

    def delete(self):
        raise AppendOnlyError("O histórico é somente de inclusão: não pode ser excluído.")

    # As Django's own ``delete``: never offered on the manager (``Model.objects.delete()``).
    delete.queryset_only = True


class AuditEvent(models.Model):
    """Who (``cd_user``: an accounts id, never a foreign key), from where (``ds_ip``), when
    (``dt_event``) and what (``ds_action``). A concrete model adds what the event is about and
    the choices of ``ds_action``."""

    dt_event = models.DateTimeField(_("quando"), default=timezone.now)
    cd_user = models.UUIDField(_("usuário"), null=True, blank=True, db_index=True)
    ds_ip = models.GenericIPAddressField(_("IP"), null=True, blank=True)
    ds_action = models.CharField(_("ação"), max_length=20)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("O histórico é somente de inclusão: não pode ser alterado.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("O histórico é somente de inclusão: não pode ser excluído.")

    @classmethod
    def with_actor(cls, **fields: Any) -> AuditEvent:
        """An unsaved row; ``cd_user`` and ``ds_ip`` default to ``crm.audit.current_actor()``."""
        actor = current_actor()
        fields.setdefault("cd_user", actor.user_id)
        fields.setdefault("ds_ip", actor.ip)
        return cls(**fields)

    @classmethod
    def record(cls, *, using: str, **fields: Any) -> AuditEvent:
        """Insert one row (call it inside the change's ``transaction.atomic(using=...)``)."""
        event = cls.with_actor(**fields)
        event.save(using=using)
        return event

    @classmethod
    def record_many(cls, *, using: str, rows: Iterable[Mapping[str, Any]]) -> None:
        """Insert many rows at once, one actor and one timestamp for all (a bulk admin action)."""
        now = timezone.now()
        events = [cls.with_actor(dt_event=now, **row) for row in rows]
        cls.objects.using(using).bulk_create(events)


class ChangeEvent(AuditEvent):
    """An event that changed an entity's fields: ``ds_changes`` is ``{field: [old, new]}`` (a
    creation's olds and a removal's news are ``null``)."""

    ds_action = models.CharField(_("ação"), max_length=20, choices=ChangeAction.choices)
    ds_changes = models.JSONField(_("alterações"), default=dict, blank=True)

    class Meta:
        abstract = True
