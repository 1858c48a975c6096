"""``manage.py ledger_verify``: prove the ledger totals equal a full recomputation.

The balance and the cash-flow summary read totals per customer and per day that the database
keeps (triggers, docs/ledger.md "Totals"). This command recomputes both from every entry and
compares: it prints the differences and exits with status 1 when there is any. ``--rebuild``
recomputes the totals from the entries (writers wait meanwhile), then verifies again.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ...ledger.selectors import ledger_totals_differences
from ...ledger.services import ledger_totals_rebuild

SHOWN = 20


class Command(BaseCommand):
    help = (
        "Compara os totais do razão (por cliente e por dia) com um recálculo completo a partir "
        "dos lançamentos; termina com status 1 se houver diferença. --rebuild os recalcula."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rebuild",
            action="store_true",
            help="Recalcula os totais a partir dos lançamentos antes de verificar.",
        )

    def handle(self, *args, rebuild: bool, **options):
        if rebuild:
            customers, days = ledger_totals_rebuild()
            self.stdout.write(
                f"Totais reconstruídos: {customers} cliente(s), {days} dia(s) com lançamentos."
            )
        differences = ledger_totals_differences()
        for difference in differences[:SHOWN]:
            self.stderr.write(f"  {difference}")
        if len(differences) > SHOWN:
            self.stderr.write(f"  ... e mais {len(differences) - SHOWN}.")
        if differences:
            raise CommandError(
                f"Totais do razão divergem do recálculo: {len(differences)} diferença(s). "
                "Rode 'manage.py ledger_verify --rebuild' para recalculá-los."
            )
        self.stdout.write("Totais do razão conferem com o recálculo: 0 diferença(s).")
