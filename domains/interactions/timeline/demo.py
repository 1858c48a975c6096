"""Demo timeline for ``manage.py seed_demo`` (through ``interface.interaction_demo_load``).

Which customer each interaction belongs to and who wrote it are given by the caller (plain ids
from the other domains); this module only invents the content, valid under the timeline's
rules: one of the five types, notes of 5+ characters, dated between the customer's arrival and
the end of ``end_date``; recorded (``dt_created_at``) minutes to a day after.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from uuid import UUID

from crm import demo
from crm.db.bulk import bulk_insert, bulk_loading, table_truncate

from .models import Interaction, InteractionType

FIELDS = (
    "cd_interaction",
    "cd_customer",
    "cd_user",
    "ds_notes",
    "id_interaction_type",
    "dt_interaction",
    "dt_created_at",
)
INTERACTION_TYPES = demo.WeightedChoice(
    [
        InteractionType.LIGACAO.value,
        InteractionType.EMAIL.value,
        InteractionType.CONTATO.value,
        InteractionType.REUNIAO.value,
        InteractionType.VENDA.value,
    ],
    [32, 28, 18, 12, 10],
)
NOTES = {
    "ligacao": (
        "Cliente ligou pedindo orçamento",
        "Retorno de ligação sobre proposta enviada",
        "Ligação para confirmar dados cadastrais",
        "Cliente ligou com dúvida sobre a fatura",
        "Ligação de pós-venda",
    ),
    "email": (
        "Enviada proposta comercial por e-mail",
        "Cliente respondeu e-mail aceitando condições",
        "E-mail com segunda via do boleto",
        "Envio de contrato para assinatura",
        "Cliente pediu catálogo atualizado por e-mail",
    ),
    "contato": (
        "Contato pelo WhatsApp",
        "Cliente visitou a loja",
        "Contato pelo formulário do site",
        "Indicação de outro cliente",
        "Contato em feira do setor",
    ),
    "reuniao": (
        "Reunião de apresentação da empresa",
        "Reunião para alinhamento do projeto",
        "Reunião de renovação de contrato",
        "Visita técnica agendada",
        "Reunião on-line com o financeiro do cliente",
    ),
    "venda": (
        "Venda fechada",
        "Pedido confirmado",
        "Renovação de contrato assinada",
        "Venda de serviço adicional",
        "Pedido de reposição",
    ),
}
FOLLOW_UPS = (
    "",
    ".",
    "; retornar na próxima semana.",
    "; aguardando aprovação da diretoria.",
    "; enviar nova proposta com desconto.",
    "; cliente satisfeito com o atendimento.",
    "; agendar visita.",
    "; prazo de entrega combinado.",
)


def _dates(rng, since: dt.datetime, end: dt.datetime) -> dt.datetime:
    return demo.moment_between(rng, max(since, end - dt.timedelta(days=demo.HISTORY_DAYS)), end)


def interaction_rows(
    *,
    seed: int,
    first: int,
    customers: Sequence[tuple[UUID, dt.datetime]],
    user_ids: Sequence[UUID],
    end_date: dt.date,
):
    rng = demo.demo_random(seed, "interactions", first)
    end = demo.history_end(end_date)
    for customer_id, since in customers:
        kind = INTERACTION_TYPES(rng)
        when = _dates(rng, since, end)
        recorded = min(when + dt.timedelta(minutes=demo.below(rng, 1440, 1)), end)
        notes = f"{demo.pick(rng, NOTES[kind])}{demo.pick(rng, FOLLOW_UPS)}"
        yield (
            demo.demo_uuid(rng),
            customer_id,
            demo.pick(rng, user_ids),
            notes,
            kind,
            when,
            recorded,
        )


def interaction_demo_load(
    *,
    seed: int,
    customers: Iterable[Sequence[tuple[UUID, dt.datetime]]],
    user_ids: Sequence[UUID],
    end_date: dt.date,
) -> Iterator[int]:
    with bulk_loading(models=[Interaction]):
        first = 0
        for chunk in customers:
            rows = interaction_rows(
                seed=seed, first=first, customers=chunk, user_ids=user_ids, end_date=end_date
            )
            yield bulk_insert(model=Interaction, fields=FIELDS, rows=rows)
            first += len(chunk)


def interaction_demo_counts() -> dict[str, int]:
    return {"interaction": Interaction.objects.count()}


def interaction_demo_clear() -> None:
    table_truncate(models=[Interaction])
