"""``manage.py import_seed``: move in from the seed (its microservices or its monolith).

A thin orchestrator. It reads the seed's databases (``config.management.seed_source``) and hands
the rows, streamed, to each domain's import function through that domain's ``interface``; each
domain validates with its own rules and writes only its own schema, all or nothing, in
batches. Order: users, customers, products, then the interactions domain (timeline + ledger),
whose rows need their customers. Then a summary per table and a CSV report of refused rows.

* ``--dry-run``: every domain does the whole work in a transaction it rolls back: the same
  summary and report, nothing written.
* ``--strict``: a dry run first; if any row would be refused, stop there (nothing written).
* Safe to repeat: rows already present (by UUID) are left alone and counted as such.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from uuid import UUID

import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from crm.bulk_import import ImportOutcome
from domains.accounts.interface import users_import
from domains.customers.interface import customers_import
from domains.interactions.interface import history_import
from domains.products.interface import products_import

from .. import seed_source
from ..seed_source import SeedTable, SeedUnavailable

REPORT_COLUMNS = ("table", "id", "field", "value", "reason")
DEFAULT_ROLE = "manager"
PROGRESS_STEP = 500


@dataclass
class Sources:
    """The seed tables to import, by kind (``None``: not given on the command line)."""

    users: SeedTable | None = None
    customers: SeedTable | None = None
    products: SeedTable | None = None
    interactions: SeedTable | None = None
    transactions: SeedTable | None = None
    #: The interaction service's database: (table, rows) found there; reported, not imported.
    interaction_service: list[tuple[str, int]] | None = None
    connections: list = field(default_factory=list)

    def close(self) -> None:
        for connection in self.connections:
            connection.close()


class Command(BaseCommand):
    help = (
        "Importa os bancos do seed (microsserviços ou monólito): usuários (com as senhas), "
        "clientes, produtos, interações e lançamentos, mantendo os UUIDs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        micro = parser.add_argument_group("seed em microsserviços")
        micro.add_argument("--auth-db", metavar="URL", help="banco do auth-service (user)")
        micro.add_argument("--customer-db", metavar="URL", help="banco do customer-service")
        micro.add_argument("--product-db", metavar="URL", help="banco do product-service")
        micro.add_argument(
            "--interaction-db",
            metavar="URL",
            help="banco do interaction-service: só é inspecionado e relatado (não importável)",
        )
        parser.add_argument(
            "--monolith-db", metavar="URL", help="banco único do monólito original do seed"
        )
        parser.add_argument(
            "--report",
            metavar="PATH",
            help="CSV das linhas recusadas (padrão: var/import_seed-<data>.csv)",
        )
        parser.add_argument(
            "--role",
            default=DEFAULT_ROLE,
            help='papel (grupo) dado aos usuários importados, se existir (padrão: "manager"; '
            '"" para nenhum)',
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="faz tudo e desfaz: nada é gravado"
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="se alguma linha seria recusada, não grava nada (verifica antes, tudo)",
        )

    # --- entry point ---------------------------------------------------------------------------

    def handle(self, *args, **options) -> None:
        self.verbosity = options["verbosity"]
        sources = self._open_sources(options)
        report_path = self._report_path(options["report"])
        try:
            if options["strict"] and not options["dry_run"]:
                outcomes = self._run(sources, role=options["role"], dry_run=True)
                refused = sum(outcome.refused_rows for outcome in outcomes)
                if refused:
                    self._write_report(report_path, outcomes)
                    self._print_summary(outcomes, sources, dry_run=True, report=report_path)
                    raise CommandError(
                        f"--strict: {refused} linha(s) seriam recusadas; nada foi gravado. "
                        f"Corrija-as no seed (relatório: {report_path}) e rode de novo."
                    )
            outcomes = self._run(sources, role=options["role"], dry_run=options["dry_run"])
        except (DatabaseError, psycopg.Error) as error:
            # A domain's transaction rolled back as a whole; the ones before it committed.
            done = ", ".join(outcome.table for outcome in self._done) or "nenhuma"
            raise CommandError(
                f"A importação parou em {self._step}: {error}. Nada dessa etapa foi gravado "
                f"(tabelas já concluídas: {done}). Corrija a causa e rode de novo: o que já "
                "foi importado é mantido."
            ) from error
        finally:
            sources.close()
        self._write_report(report_path, outcomes)
        self._print_summary(outcomes, sources, dry_run=options["dry_run"], report=report_path)
        refused = sum(outcome.refused_rows for outcome in outcomes)
        if options["strict"] and refused:  # --dry-run --strict: a check with an exit status
            raise CommandError(
                f"--strict: {refused} linha(s) seriam recusadas (relatório: {report_path})."
            )

    # --- sources -------------------------------------------------------------------------------

    def _open_sources(self, options: dict) -> Sources:
        micro = {
            name: options[name]
            for name in ("auth_db", "customer_db", "product_db", "interaction_db")
            if options[name]
        }
        monolith = options["monolith_db"]
        if monolith and micro:
            raise CommandError(
                "Use --monolith-db sozinho, ou as opções dos microsserviços (--auth-db, "
                "--customer-db, --product-db, --interaction-db), não os dois."
            )
        if not monolith and not micro:
            raise CommandError(
                "Informe os bancos do seed: --auth-db URL --customer-db URL --product-db URL "
                "[--interaction-db URL] (microsserviços) ou --monolith-db URL (monólito)."
            )
        sources = Sources()
        try:
            if monolith:
                connection = seed_source.connect(monolith, label="monolith")
                sources.connections.append(connection)
                sources.users = seed_source.users_table(connection, label="monolith")
                sources.customers = seed_source.customers_table(connection, label="monolith")
                sources.products = seed_source.products_table(connection, label="monolith")
                sources.interactions = seed_source.interactions_table(connection, label="monolith")
                sources.transactions = seed_source.transactions_table(connection, label="monolith")
                return sources
            readers: dict[str, tuple[str, Callable[..., SeedTable]]] = {
                "auth_db": ("users", seed_source.users_table),
                "customer_db": ("customers", seed_source.customers_table),
                "product_db": ("products", seed_source.products_table),
            }
            for option, url in micro.items():
                label = option.removesuffix("_db")
                connection = seed_source.connect(url, label=f"--{label}-db")
                sources.connections.append(connection)
                if option == "interaction_db":
                    sources.interaction_service = seed_source.describe_tables(connection)
                    continue
                kind, reader = readers[option]
                setattr(sources, kind, reader(connection, label=f"--{label}-db"))
        except SeedUnavailable as error:
            sources.close()
            raise CommandError(str(error)) from None
        return sources

    # --- the import ----------------------------------------------------------------------------

    def _progress(self, table: SeedTable) -> Iterator:
        """The table's rows behind a progress bar (on stderr: the summary owns stdout), opened
        when the domain starts reading. Advanced every ``PROGRESS_STEP`` rows, not per row."""
        progress = Progress(
            TextColumn(f"{table.table:<12}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            disable=self.verbosity == 0,
        )
        with progress:
            task = progress.add_task(table.table, total=table.count())
            pending = 0
            for row in table.rows():
                yield row
                pending += 1
                if pending == PROGRESS_STEP:
                    progress.advance(task, pending)
                    pending = 0
            progress.advance(task, pending)

    def _run(self, sources: Sources, *, role: str, dry_run: bool) -> list[ImportOutcome]:
        outcomes: list[ImportOutcome] = []
        # For the message when a step fails: where we were, what had committed.
        self._done, self._step = outcomes, "user"
        if sources.users:
            outcomes.append(
                users_import(rows=self._progress(sources.users), role=role or None, dry_run=dry_run)
            )
        arriving: set[UUID] = set()
        self._step = "customer"
        if sources.customers:
            rows: Iterable = self._progress(sources.customers)
            if dry_run:
                # Nothing stays written in a dry run, so the interactions domain is told which
                # customers this run brings (all the seed's but the refused ones).
                rows = _collect(rows, arriving, key=lambda row: row.cd_customer)
            customers = customers_import(rows=rows, dry_run=dry_run)
            arriving -= {UUID(refusal.key) for refusal in customers.refused}
            outcomes.append(customers)
        self._step = "product"
        if sources.products:
            outcomes.append(products_import(rows=self._progress(sources.products), dry_run=dry_run))
        self._step = "interaction/transaction"
        if sources.interactions or sources.transactions:
            history = history_import(
                interactions=self._progress(sources.interactions) if sources.interactions else (),
                transactions=self._progress(sources.transactions) if sources.transactions else (),
                customers_known=frozenset(arriving),
                dry_run=dry_run,
            )
            outcomes += [history.interactions, history.transactions]
        return outcomes

    # --- output --------------------------------------------------------------------------------

    def _report_path(self, given: str | None) -> Path:
        if given:
            return Path(given)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        return Path(settings.BASE_DIR) / "var" / f"import_seed-{stamp}.csv"

    def _write_report(self, path: Path, outcomes: list[ImportOutcome]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(REPORT_COLUMNS)
            for outcome in outcomes:
                for refusal in outcome.refused:
                    writer.writerow(
                        (refusal.table, refusal.key, refusal.field, refusal.value, refusal.reason)
                    )

    def _print_summary(
        self, outcomes: list[ImportOutcome], sources: Sources, *, dry_run: bool, report: Path
    ) -> None:
        write = self.stdout.write
        if dry_run:
            write(self.style.WARNING("SIMULAÇÃO (--dry-run): nada foi gravado."))
        header = ("tabela", "lidas", "importadas", "já presentes", "recusadas")
        lines = [header] + [
            (o.table, o.read, o.imported, o.already_present, o.refused_rows) for o in outcomes
        ]
        for index, (table, *numbers) in enumerate(lines):
            text = f"{table:<14}" + "".join(f"{number:>14}" for number in numbers)
            write(self.style.MIGRATE_HEADING(text) if index == 0 else text)
        for outcome in outcomes:
            for note in outcome.notes:
                write(f"{outcome.table}: {note}")
        if sources.interaction_service is not None:
            found = ", ".join(
                f"{name} ({rows} linha(s))" for name, rows in sources.interaction_service
            )
            write(
                f"interaction-service: {found or 'nenhuma tabela'}. Nada importado: o "
                "serviço de interações do seed usa ids inteiros que não referenciam os UUIDs "
                "dos outros serviços."
            )
        refused = sum(outcome.refused_rows for outcome in outcomes)
        if refused:
            write(self.style.WARNING(f"{refused} linha(s) recusada(s): veja {report}"))
        else:
            write(self.style.SUCCESS(f"Nenhuma linha recusada (relatório: {report})."))


def _collect(rows: Iterable, into: set, *, key: Callable) -> Iterator:
    for row in rows:
        into.add(key(row))
        yield row
