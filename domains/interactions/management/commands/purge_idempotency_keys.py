"""``manage.py purge_idempotency_keys``: delete ledger idempotency keys older than 24 hours.

Run it daily (cron, a scheduled job). Keys are only needed while a client may retry; an expired
key is ignored (and may be reused) even before it is purged.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand

from ...ledger.services import IDEMPOTENCY_KEY_TTL, idempotency_keys_purge


class Command(BaseCommand):
    help = "Apaga chaves de idempotência do razão mais antigas que o prazo (padrão: 24 horas)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours",
            type=int,
            default=int(IDEMPOTENCY_KEY_TTL.total_seconds() // 3600),
            help="Idade mínima, em horas, das chaves apagadas (padrão: 24).",
        )

    def handle(self, *args, hours: int, **options):
        deleted = idempotency_keys_purge(older_than=dt.timedelta(hours=max(hours, 1)))
        self.stdout.write(f"{deleted} chave(s) de idempotência apagada(s).")
