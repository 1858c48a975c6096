"""Products and services catalogue (seed table ``product``)."""

import uuid
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from crm.db.counts import RowCountQuerySet
from crm.events import OutboxEvent
from crm.models import ChangeEvent


class ProductType(models.TextChoices):
    PRODUTO = "produto", _("Produto")
    SERVICO = "servico", _("Serviço")


class ProductQuerySet(RowCountQuerySet):
    # The catalogue and its active part are counted by the database (migration 0002).
    row_count_flag = "is_active"


class Product(models.Model):
    cd_product = models.UUIDField(_("código"), primary_key=True, default=uuid.uuid4, editable=False)
    ds_product_name = models.CharField(_("nome"), max_length=255)
    ds_product_description = models.TextField(_("descrição"), null=True, blank=True)
    vr_price = models.DecimalField(_("preço"), max_digits=12, decimal_places=2)
    id_product_type = models.CharField(
        _("tipo"), max_length=10, choices=ProductType.choices, default=ProductType.PRODUTO
    )
    is_active = models.BooleanField(_("ativo"), default=True, db_index=True)
    dt_product_created_at = models.DateTimeField(_("criado em"), auto_now_add=True)
    dt_product_updated_at = models.DateTimeField(_("atualizado em"), auto_now=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        db_table = "product"
        verbose_name = _("produto/serviço")
        verbose_name_plural = _("produtos e serviços")
        ordering = ["ds_product_name", "cd_product"]
        constraints = [
            models.UniqueConstraint(Lower("ds_product_name"), name="product_name_ci_unique"),
            models.CheckConstraint(
                condition=Q(vr_price__gte=Decimal("0")), name="product_price_not_negative"
            ),
        ]
        # The default list (active, by name case-insensitively) walks this index in order; the
        # search fields' trigram indexes are PostgreSQL-only, in the migrations.
        indexes = [
            models.Index(
                "is_active", Lower("ds_product_name"), "cd_product", name="product_active_name_idx"
            ),
        ]
        permissions = [("hard_delete_product", _("Pode remover produtos definitivamente"))]

    def __str__(self) -> str:
        return self.ds_product_name


class ProductHistory(ChangeEvent):
    """The catalogue's audit trail: one row per create, change, deactivation, reactivation and
    hard delete, written by ``services`` in the same transaction as the change. ``cd_product``
    is a plain column, not a foreign key: a hard-deleted product's history stays. Append-only
    (``crm.models.AuditEvent``)."""

    cd_product_history = models.BigAutoField(_("código"), primary_key=True)
    cd_product = models.UUIDField(_("produto"))

    class Meta:
        db_table = "product_history"
        verbose_name = _("histórico de produto")
        verbose_name_plural = _("histórico de produtos")
        ordering = ["-dt_event", "-cd_product_history"]
        indexes = [
            models.Index(
                fields=["cd_product", "-dt_event", "-cd_product_history"],
                name="product_history_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.ds_action} {self.cd_product}"


class ProductOutbox(OutboxEvent):
    """Events this domain published (``product.hard_deleted``), written in the transaction of
    the change and kept until delivered (``crm.events``)."""

    class Meta(OutboxEvent.Meta):
        db_table = "product_outbox"
        verbose_name = _("evento publicado")
        verbose_name_plural = _("eventos publicados")
