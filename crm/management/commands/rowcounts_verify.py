"""``manage.py rowcounts_verify``: prove the database-kept row counts equal real counts.

The unfiltered lists' ``total`` comes from counters kept by triggers (``crm.db.counts``). They
stay right however rows arrive, unless triggers were switched off (``ALTER TABLE ... DISABLE
TRIGGER``, ``session_replication_role = replica`` during a restore). This compares every
counter with a real ``COUNT(*)``, exits with status 1 on a difference, and ``--rebuild``
recounts (writers of that table wait meanwhile). PostgreSQL only; on SQLite every count is
already a real count.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import connections, router

from crm.db.counts import counted_models, row_count_check, row_count_rebuild


class Command(BaseCommand):
    help = (
        "Compara as contagens mantidas pelo banco (total das listas) com COUNT(*) real; "
        "termina com status 1 se houver diferença. --rebuild as recalcula."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rebuild", action="store_true", help="Recalcula as contagens antes de verificar."
        )

    def handle(self, *args, rebuild: bool, **options):
        differences = 0
        for model in counted_models():
            table = model._meta.db_table
            if connections[router.db_for_read(model)].vendor != "postgresql":
                self.stdout.write(f"{table}: contagem real (SQLite), nada a verificar.")
                continue
            if rebuild:
                rows, flagged = row_count_rebuild(model)
                self.stdout.write(f"{table}: contagem recalculada ({rows} linhas, {flagged}).")
            kept, real = row_count_check(model)
            if kept != real:
                differences += 1
                self.stderr.write(f"{table}: mantida {kept}, real {real} (linhas, marcadas).")
            else:
                self.stdout.write(f"{table}: {real[0]} linha(s), confere.")
        if differences:
            raise CommandError(
                f"{differences} contagem(ns) divergem. Rode 'manage.py rowcounts_verify "
                "--rebuild' para recalculá-las."
            )
