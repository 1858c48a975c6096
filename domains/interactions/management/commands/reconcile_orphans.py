"""``manage.py reconcile_orphans``: remove interactions whose customer no longer exists.

The safety net behind the ``customer.hard_deleted`` event (durable since the outbox: it covers
what an event cannot, such as rows removed by hand or an event left ``failed``): run it on a
schedule, or after an incident. Ledger entries are never deleted; customers that
still have some are listed for a person to look at. ``--dry-run`` only counts.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from ...ledger.selectors import customers_with_entries
from ...timeline.services import orphans_reconcile


class Command(BaseCommand):
    help = "Remove interações de clientes que não existem mais (lançamentos nunca são apagados)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Só conta, não apaga.")

    def handle(self, *args, dry_run: bool, **options):
        removed, missing_customers = orphans_reconcile(dry_run=dry_run)
        verb = "seriam removida(s)" if dry_run else "removida(s)"
        self.stdout.write(f"{removed} interação(ões) órfã(s) {verb}.")
        orphan_ledgers = customers_with_entries(customer_ids=missing_customers)
        for customer_id in sorted(orphan_ledgers, key=str):
            self.stderr.write(f"ATENÇÃO: cliente inexistente com lançamentos: {customer_id}")
