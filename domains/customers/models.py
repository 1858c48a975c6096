"""Customer register (seed table ``customer``)."""

import uuid

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower, Upper
from django.utils.translation import gettext_lazy as _

from crm.db.counts import RowCountQuerySet
from crm.db.trigram import AddressIContains, PhraseIContains
from crm.events import OutboxEvent
from crm.models import ChangeEvent


class CustomerQuerySet(RowCountQuerySet):
    # The whole register and its active part are counted by the database (migration 0002):
    # the default list's exact ``total`` without a COUNT over a million rows.
    row_count_flag = "is_customer_active"


class Customer(models.Model):
    cd_customer = models.UUIDField(
        _("código"), primary_key=True, default=uuid.uuid4, editable=False
    )
    ds_customer_name = models.CharField(_("nome"), max_length=255)
    ds_customer_email = models.EmailField(_("e-mail"), max_length=255, null=True, blank=True)
    ds_customer_phone = models.CharField(_("telefone"), max_length=20, null=True, blank=True)
    # Digits only (11 = CPF, 14 = CNPJ); validated with check digits by the services.
    ds_customer_cpf_cnpj = models.CharField(
        _("CPF/CNPJ"), max_length=14, null=True, blank=True, unique=True
    )
    ds_customer_address = models.CharField(_("endereço"), max_length=255, null=True, blank=True)
    ds_customer_city = models.CharField(_("cidade"), max_length=100, null=True, blank=True)
    ds_customer_state = models.CharField(_("UF"), max_length=2, null=True, blank=True)
    ds_customer_zip_code = models.CharField(_("CEP"), max_length=9, null=True, blank=True)
    ds_customer_country = models.CharField(_("país"), max_length=100, default="Brasil")
    dt_customer_created_at = models.DateTimeField(_("criado em"), auto_now_add=True)
    dt_customer_updated_at = models.DateTimeField(_("atualizado em"), auto_now=True)
    is_customer_active = models.BooleanField(_("ativo"), default=True, db_index=True)

    objects = CustomerQuerySet.as_manager()

    class Meta:
        db_table = "customer"
        verbose_name = _("cliente")
        verbose_name_plural = _("clientes")
        ordering = ["ds_customer_name", "cd_customer"]
        constraints = [
            models.UniqueConstraint(
                Lower("ds_customer_email"),
                condition=Q(ds_customer_email__isnull=False),
                name="customer_email_ci_unique",
            ),
        ]
        # Each list ordering/filter walks an index in order, LIMIT stops after a page, deep
        # pages and filtered counts are index-only (docs/database-at-scale.md). The search fields'
        # trigram indexes are PostgreSQL-only and live in the migrations (crm.db.trigram).
        indexes = [
            models.Index(fields=["ds_customer_name", "cd_customer"], name="customer_name_idx"),
            models.Index(
                fields=["is_customer_active", "ds_customer_name", "cd_customer"],
                name="customer_active_name_idx",
            ),
            models.Index(
                fields=["is_customer_active", "dt_customer_created_at", "cd_customer"],
                name="customer_active_created_idx",
            ),
            models.Index(
                fields=[
                    "ds_customer_state",
                    "is_customer_active",
                    "ds_customer_name",
                    "cd_customer",
                ],
                name="customer_state_name_idx",
            ),
            models.Index(
                Upper("ds_customer_city"),
                "is_customer_active",
                "ds_customer_name",
                "cd_customer",
                name="customer_city_name_idx",
            ),
        ]
        # DELETE deactivates (change_customer); removing the row for good is a right of its own.
        permissions = [("hard_delete_customer", _("Pode remover clientes definitivamente"))]

    def __str__(self) -> str:
        return self.ds_customer_name


# ``ds_customer_name__phrase_icontains`` and ``ds_customer_email__address_icontains``: what the
# list's search and the admin's use, served by the trigram indexes that read a name or an
# address across its words (migrations 0006 and 0007, ``crm.db.trigram``).
Customer._meta.get_field("ds_customer_name").register_lookup(PhraseIContains)
Customer._meta.get_field("ds_customer_email").register_lookup(AddressIContains)


class CustomerHistory(ChangeEvent):
    """The customer register's audit trail: one row per create, change, deactivation,
    reactivation and hard delete, written by ``services`` in the same transaction as the change.
    ``cd_customer`` is a plain column, not a foreign key: a hard-deleted customer's history stays.
    Append-only (``crm.models.AuditEvent``)."""

    cd_customer_history = models.BigAutoField(_("código"), primary_key=True)
    cd_customer = models.UUIDField(_("cliente"))

    class Meta:
        db_table = "customer_history"
        verbose_name = _("histórico de cliente")
        verbose_name_plural = _("histórico de clientes")
        ordering = ["-dt_event", "-cd_customer_history"]
        indexes = [
            models.Index(
                fields=["cd_customer", "-dt_event", "-cd_customer_history"],
                name="customer_history_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.ds_action} {self.cd_customer}"


class CustomerOutbox(OutboxEvent):
    """Events this domain published (``customer.hard_deleted``), written in the transaction of
    the change and kept until delivered (``crm.events``)."""

    class Meta(OutboxEvent.Meta):
        db_table = "customer_outbox"
        verbose_name = _("evento publicado")
        verbose_name_plural = _("eventos publicados")
