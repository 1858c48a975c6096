"""The money ledger's tables (``transaction``, ``idempotency_key``, ``transaction_history``).

``cd_customer``, ``cd_user`` and ``cd_product`` belong to other domains: plain indexed UUIDs,
never foreign keys, checked through those domains' interfaces (``..gateways``).
"""

import uuid
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.models import AuditEvent


class TransactionType(models.IntegerChoices):
    ENTRADA = 1, _("Entrada")
    SAIDA = 2, _("Saída")


class Transaction(models.Model):
    """One ledger entry. Append-only: corrected by a reversal entry, never edited."""

    cd_transaction = models.UUIDField(
        _("código"), primary_key=True, default=uuid.uuid4, editable=False
    )
    cd_customer = models.UUIDField(_("cliente"), db_index=True)
    cd_user = models.UUIDField(_("usuário"), db_index=True)
    cd_product = models.UUIDField(_("produto"), null=True, blank=True, db_index=True)
    vr_transaction = models.DecimalField(_("valor"), max_digits=12, decimal_places=2)
    id_transaction_type = models.PositiveSmallIntegerField(
        _("tipo"), choices=TransactionType.choices
    )
    dt_transaction = models.DateField(_("data"), default=timezone.localdate)
    ds_transaction = models.CharField(_("descrição"), max_length=255, null=True, blank=True)
    # Same domain, so a real FK is fine: the entry this one reverses (at most one reversal).
    reversal_of = models.OneToOneField(
        "self",
        verbose_name=_("estorno de"),
        db_column="cd_reversal_of",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    dt_created_at = models.DateTimeField(_("registrado em"), auto_now_add=True)

    class Meta:
        db_table = "transaction"
        verbose_name = _("lançamento")
        verbose_name_plural = _("lançamentos")
        ordering = ["-dt_transaction", "-dt_created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(vr_transaction__gt=Decimal("0")), name="transaction_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(id_transaction_type__in=[1, 2]), name="transaction_type_valid"
            ),
        ]
        indexes = [
            # A customer's ledger, newest first, in the list's exact order (keyset pages).
            models.Index(
                fields=["cd_customer", "-dt_transaction", "-dt_created_at", "-cd_transaction"],
                name="transaction_ledger_idx",
            ),
            # The cash-flow summary scans a date range across all customers.
            models.Index(fields=["dt_transaction"], name="transaction_date_idx"),
        ]
        # Rights beyond add/view: correcting an entry, and reading the company-wide cash flow.
        permissions = [
            ("reverse_transaction", _("Pode estornar lançamentos")),
            ("view_ledger_summary", _("Pode ver o resumo financeiro da empresa")),
        ]

    def __str__(self) -> str:
        return f"{self.get_id_transaction_type_display()} {self.vr_transaction}"


class IdempotencyKey(models.Model):
    """An ``Idempotency-Key`` a user sent with a ledger POST, and the entry it produced.

    Inserted in the same database transaction as the entry: a concurrent duplicate hits the
    unique (``cd_user``, ``ds_key``) constraint, rolls back its own entry and replays this one.
    Only successful requests are stored (a refused request leaves nothing, so a client may fix
    and retry under the same key). Kept ``services.IDEMPOTENCY_KEY_TTL`` (24 hours);
    ``manage.py purge_idempotency_keys`` deletes older rows, and an expired key may be reused.
    """

    cd_idempotency_key = models.BigAutoField(_("código"), primary_key=True)
    cd_user = models.UUIDField(_("usuário"))
    ds_key = models.CharField(_("chave"), max_length=255)
    # sha256 (hex) of the operation (method, canonical path) and the canonical JSON body.
    ds_fingerprint = models.CharField(_("impressão da requisição"), max_length=64)
    transaction = models.ForeignKey(
        Transaction,
        verbose_name=_("lançamento"),
        db_column="cd_transaction",
        on_delete=models.PROTECT,
        related_name="+",
    )
    dt_created_at = models.DateTimeField(_("registrada em"), default=timezone.now, db_index=True)

    class Meta:
        db_table = "idempotency_key"
        verbose_name = _("chave de idempotência")
        verbose_name_plural = _("chaves de idempotência")
        constraints = [
            models.UniqueConstraint(fields=["cd_user", "ds_key"], name="idempotency_key_unique")
        ]

    def __str__(self) -> str:
        return self.ds_key


class LedgerAction(models.TextChoices):
    """What a ledger write did (``TransactionHistory.ds_action``)."""

    LANCADO = "lancado", _("lançado")
    ESTORNADO = "estornado", _("estornado")


class TransactionHistory(AuditEvent):
    """The ledger's audit trail: who posted (``lancado``) or reversed (``estornado``) which
    entry, when and from which IP. The entries themselves are the ledger's history (append-only,
    never edited); this adds where each write came from, which the entry does not keep. For a
    reversal, ``transaction`` is the reversal entry, whose ``reversal_of`` is the entry reversed.
    Written by ``services`` in the same transaction as the entry; append-only
    (``crm.models.AuditEvent``)."""

    cd_transaction_history = models.BigAutoField(_("código"), primary_key=True)
    transaction = models.OneToOneField(
        Transaction,
        verbose_name=_("lançamento"),
        db_column="cd_transaction",
        # The trail outlives the row: a DBA's correction of the append-only ledger (raw SQL)
        # must not be blocked by, nor cascade into, the history.
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="history",
    )
    ds_action = models.CharField(_("ação"), max_length=20, choices=LedgerAction.choices)

    class Meta:
        db_table = "transaction_history"
        verbose_name = _("histórico de lançamento")
        verbose_name_plural = _("histórico de lançamentos")
        ordering = ["-dt_event", "-cd_transaction_history"]
        indexes = [models.Index(fields=["-dt_event"], name="transaction_history_date_idx")]

    def __str__(self) -> str:
        return f"{self.ds_action} {self.transaction_id}"


class LedgerTotalsBase(models.Model):
    """Running totals of ledger entries, in whole cents (exact on every database).

    Kept **by the database**: triggers on ``transaction`` (migration 0003; statement-level
    with transition tables on PostgreSQL, row triggers on SQLite) add every inserted,
    updated or deleted entry, so a bulk SQL load is counted like an API write. Never written by
    the application; ``manage.py ledger_verify`` compares them with a full recomputation.
    """

    vr_entradas_cents = models.BigIntegerField(_("entradas (centavos)"), default=0)
    vr_saidas_cents = models.BigIntegerField(_("saídas (centavos)"), default=0)
    qt_transactions = models.BigIntegerField(_("lançamentos"), default=0)

    class Meta:
        abstract = True


class LedgerCustomerTotals(LedgerTotalsBase):
    """One customer's totals: the balance is one primary-key read."""

    cd_customer = models.UUIDField(_("cliente"), primary_key=True)

    class Meta:
        db_table = "ledger_customer_totals"
        verbose_name = _("totais do cliente")
        verbose_name_plural = _("totais por cliente")

    def __str__(self) -> str:
        return str(self.cd_customer)


class LedgerDailyTotals(LedgerTotalsBase):
    """One day's totals across all customers: the cash-flow summary reads O(days) rows."""

    dt_transaction = models.DateField(_("data"), primary_key=True)

    class Meta:
        db_table = "ledger_daily_totals"
        verbose_name = _("totais do dia")
        verbose_name_plural = _("totais por dia")

    def __str__(self) -> str:
        return self.dt_transaction.isoformat()
