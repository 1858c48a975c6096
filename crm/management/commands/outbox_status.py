"""``manage.py outbox_status``: the events of this process's domains, per topic.

Pending, failed and sent counts and the age of the oldest pending event, per publishing domain
and topic. Exit status 1 when any event is ``failed`` (its handler kept failing: see
``ds_last_error`` in the outbox table, fix the cause, then ``outbox_relay --retry-failed``), so a
monitoring check can run it as is; 0 otherwise (pending events are normal in transit).
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand
from django.utils import timezone

from crm import events


class Command(BaseCommand):
    help = (
        "Eventos pendentes, com falha e entregues por tópico; termina com status 1 se houver "
        "evento com falha."
    )

    def handle(self, *args, **options):
        rows = events.outbox_status()
        now = timezone.now()
        self.stdout.write(
            f"{'domínio':<14} {'tópico':<28} {'pendentes':>9} {'falhas':>7} {'entregues':>9}"
            "  pendente mais antigo"
        )
        for row in rows:
            oldest = (
                f"{(now - row.oldest_pending).total_seconds():.0f} s" if row.oldest_pending else "-"
            )
            self.stdout.write(
                f"{row.domain:<14} {row.topic:<28} {row.pending:>9} {row.failed:>7} "
                f"{row.sent:>9}  {oldest}"
            )
        if not rows:
            self.stdout.write("Nenhum evento publicado.")
        failed = sum(row.failed for row in rows)
        if failed:
            self.stderr.write(f"{failed} evento(s) com falha: veja ds_last_error na outbox.")
            sys.exit(1)
