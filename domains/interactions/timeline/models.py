"""The interaction timeline's table (``interaction``).

``cd_customer`` and ``cd_user`` belong to other domains: plain indexed UUIDs, never foreign
keys, checked through those domains' interfaces (``..gateways``).
"""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class InteractionType(models.TextChoices):
    VENDA = "venda", _("Venda")
    LIGACAO = "ligacao", _("Ligação")
    EMAIL = "email", _("E-mail")
    REUNIAO = "reuniao", _("Reunião")
    CONTATO = "contato", _("Contato")


class Interaction(models.Model):
    cd_interaction = models.UUIDField(
        _("código"), primary_key=True, default=uuid.uuid4, editable=False
    )
    cd_customer = models.UUIDField(_("cliente"), db_index=True)
    cd_user = models.UUIDField(_("usuário"), db_index=True)
    ds_notes = models.TextField(_("anotações"))
    id_interaction_type = models.CharField(
        _("tipo"), max_length=10, choices=InteractionType.choices
    )
    dt_interaction = models.DateTimeField(_("data da interação"), default=timezone.now)
    dt_created_at = models.DateTimeField(_("registrado em"), auto_now_add=True)

    class Meta:
        db_table = "interaction"
        verbose_name = _("interação")
        verbose_name_plural = _("interações")
        ordering = ["-dt_interaction", "-cd_interaction"]
        # A customer's timeline, newest first, in the list's exact order (keyset pages).
        indexes = [
            models.Index(
                fields=["cd_customer", "-dt_interaction", "-dt_created_at", "-cd_interaction"],
                name="interaction_timeline_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_id_interaction_type_display()} {self.dt_interaction:%Y-%m-%d}"
