"""Writes of the timeline for ``import_seed``: the seed monolith's ``interaction`` rows, in
batches, through the timeline's own ``validators`` (the API's rules).

* the seed's upper-case enum labels mapped to ours (``VENDA`` -> ``venda``, ...);
* ``ds_notes`` trimmed, 5..5000 characters; dates in 1900..2999;
* the customer must exist (asked through the customers interface, in batches); the author
  (``cd_user``) is kept as it is even when that user was not imported: it is a reference, and
  importing the user later (same UUID) makes it whole again;
* an interaction whose ``cd_interaction`` is already here is left alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from django.db import transaction

from crm.api.exceptions import InvalidInput
from crm.bulk_import import ImportOutcome, OutcomeCounter, batched, insert_as_given

from .. import gateways
from .models import Interaction
from .records import SeedInteraction
from .services import ALIAS
from .validators import interaction_clean

TABLE = "interaction"
CUSTOMER_MISSING = "Cliente não encontrado (ausente ou recusado na importação de clientes)."


def _customers_missing(customer_ids: set[UUID], *, known: frozenset[UUID]) -> set[UUID]:
    """Those of ``customer_ids`` neither known to this run nor held by the customers domain
    (one call through its interface, as the API asks)."""
    asked = customer_ids - known
    return asked - set(gateways.customer_summaries(customer_ids=asked)) if asked else set()


def interactions_import(
    *,
    rows: Iterable[SeedInteraction],
    customers_known: frozenset[UUID] = frozenset(),
    dry_run: bool = False,
) -> ImportOutcome:
    """Bring the seed's interactions over; all or nothing (one transaction on the domain's
    alias). ``customers_known``: customers to count as existing although the customers domain
    does not hold them (a dry run of the whole import brings them in the same run).
    ``dry_run``: the same work, rolled back at the end."""
    counter = OutcomeCounter(TABLE)
    with transaction.atomic(using=ALIAS):
        for batch in batched(rows):
            counter.read += len(batch)
            present = set(
                Interaction.objects.filter(
                    cd_interaction__in=[row.cd_interaction for row in batch]
                ).values_list("cd_interaction", flat=True)
            )
            fresh = [row for row in batch if row.cd_interaction not in present]
            counter.already_present += len(batch) - len(fresh)
            missing = _customers_missing({row.cd_customer for row in fresh}, known=customers_known)
            objects = []
            for row in fresh:
                if row.cd_customer in missing:
                    counter.refuse(
                        row.cd_interaction,
                        CUSTOMER_MISSING,
                        field="cd_customer",
                        value=row.cd_customer,
                    )
                    continue
                raw = {
                    "ds_notes": row.ds_notes,
                    "id_interaction_type": (row.id_interaction_type or "").strip().lower(),
                    "dt_interaction": row.dt_interaction,
                }
                try:
                    fields = interaction_clean(**raw)
                except InvalidInput as error:
                    for field, messages in error.message.items():
                        value = row.id_interaction_type if field == "id_interaction_type" else ""
                        counter.refuse(row.cd_interaction, messages[0], field=field, value=value)
                    continue
                objects.append(
                    Interaction(
                        cd_interaction=row.cd_interaction,
                        cd_customer=row.cd_customer,
                        cd_user=row.cd_user,
                        dt_created_at=row.dt_created_at,
                        **fields,
                    )
                )
            insert_as_given(Interaction, objects, using=ALIAS)
            counter.imported += len(objects)
        if dry_run:
            transaction.set_rollback(True, using=ALIAS)
    return counter.outcome()
