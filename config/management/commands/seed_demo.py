"""``manage.py seed_demo``: fill an empty database with realistic Brazilian demo data, fast.

Users, products, customers, interactions and ledger entries, each inserted by its own domain
(``<domain>.interface.*_demo_load``: bulk ``COPY`` on PostgreSQL, ``executemany`` on SQLite,
never one ORM save per row; one database transaction per table, with its indexes built once at
the end). This command only orchestrates: it sizes the load, shows a progress bar per table as
the domains stream back their chunks, decides which customers are active in the timeline and
the ledger (a long tail: a few customers have thousands of rows, most a handful, some none),
and passes the ids across as plain data.

Deterministic: the same ``--seed``, sizes and ``--end-date`` give the same rows. It refuses to
write into a database that already holds customers, products, interactions, ledger entries or
demo users, unless ``--force`` (which empties those tables first; real user accounts are kept).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.utils import timezone
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from crm import demo
from domains.accounts import interface as accounts
from domains.customers import interface as customers
from domains.interactions import interface as interactions
from domains.products import interface as products

#: Rows per chunk of customers handed to the timeline and the ledger (the domains' own chunk).
CHUNK = demo.CHUNK

#: The benchmark's data set (issue #8) on PostgreSQL; a laptop-sized one on SQLite.
DEFAULT_SIZES = {
    "postgresql": {
        "users": 50,
        "products": 2_000,
        "customers": 1_000_000,
        "interactions": 2_000_000,
        "transactions": 1_000_000,
    },
    "other": {
        "users": 20,
        "products": 200,
        "customers": 10_000,
        "interactions": 20_000,
        "transactions": 10_000,
    },
}
LABELS = {
    "users": "usuários",
    "products": "produtos",
    "customers": "clientes",
    "interactions": "interações",
    "transactions": "lançamentos",
}

TABLE_LABELS = {
    "user": "usuários de demonstração",
    "customer": "clientes",
    "product": "produtos",
    "interaction": "interações",
    "transaction": "lançamentos",
}


def thousands(number: int) -> str:
    """``1000000`` -> ``"1.000.000"`` (Brazilian digit grouping)."""
    return f"{number:,}".replace(",", ".")


def chunks(total: int) -> Iterator[tuple[int, int]]:
    """``(first, count)`` of each chunk of a load of ``total`` rows."""
    for first in range(0, total, CHUNK):
        yield first, min(CHUNK, total - first)


def long_tail_picks(*, seed: int, stream: str, first: int, count: int, population: int):
    """``count`` indexes into ``range(population)``, skewed (density ~ 1/sqrt(x)): the first
    customers get many rows, the last few or none. Reproducible per chunk."""
    rng = demo.demo_random(seed, stream, first)
    return [int(population * rng.random() ** 2) for _ in range(count)]


class Command(BaseCommand):
    help = (
        "Preenche o banco com dados de demonstração brasileiros (usuários, produtos, clientes, "
        "interações e lançamentos), rápido e determinístico."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sizes = DEFAULT_SIZES["postgresql"]
        small = DEFAULT_SIZES["other"]
        for name, label in LABELS.items():
            parser.add_argument(
                f"--{name}",
                type=int,
                default=None,
                metavar="N",
                help=f"Quantos {label} (padrão: {thousands(sizes[name])} no PostgreSQL, "
                f"{thousands(small[name])} no SQLite).",
            )
        parser.add_argument(
            "--seed", type=int, default=1, help="Semente: a mesma gera os mesmos dados."
        )
        parser.add_argument(
            "--end-date",
            type=dt.date.fromisoformat,
            default=None,
            metavar="AAAA-MM-DD",
            help="Último dia do histórico de dois anos (padrão: hoje).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Apaga antes clientes, produtos, interações, lançamentos e usuários de "
            "demonstração já existentes (contas reais são mantidas).",
        )
        parser.add_argument("--no-progress", action="store_true", help="Sem barras de progresso.")

    def handle(self, *args, **options) -> None:
        sizes = self._sizes(options)
        seed: int = options["seed"]
        end_date: dt.date = options["end_date"] or timezone.localdate()
        existing = self._existing()
        if any(existing.values()):
            if not options["force"]:
                found = ", ".join(
                    f"{thousands(count)} {TABLE_LABELS.get(table, table)}"
                    for table, count in existing.items()
                    if count
                )
                raise CommandError(
                    f"O banco já contém dados ({found}). Use --force para apagá-los e carregar "
                    "os dados de demonstração (contas reais de usuários são mantidas)."
                )
            self._clear()

        console = Console(file=self.stdout._out, stderr=False)
        progress = Progress(
            TextColumn("{task.description:<12}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
            disable=options["no_progress"] or options["verbosity"] == 0,
        )
        timings: dict[str, tuple[int, float]] = {}

        def run(name: str, step: Callable[[Callable[[int], None]], None]) -> None:
            task = progress.add_task(LABELS[name], total=sizes[name])
            started = time.perf_counter()
            step(lambda rows: progress.advance(task, rows))
            timings[name] = (sizes[name], time.perf_counter() - started)

        loaded: dict = {}
        with progress:
            run("users", lambda advance: self._users(sizes, seed, end_date, loaded, advance))
            run("products", lambda advance: self._products(sizes, seed, end_date, loaded, advance))
            run(
                "customers", lambda advance: self._customers(sizes, seed, end_date, loaded, advance)
            )
            run(
                "interactions",
                lambda advance: self._interactions(sizes, seed, end_date, loaded, advance),
            )
            run(
                "transactions",
                lambda advance: self._transactions(sizes, seed, end_date, loaded, advance),
            )

        if options["verbosity"] >= 1:
            total = sum(seconds for _rows, seconds in timings.values())
            for name, (rows, seconds) in timings.items():
                rate = f"{thousands(round(rows / seconds))}/s" if seconds > 0 and rows else "-"
                self.stdout.write(
                    f"{LABELS[name]:<12} {thousands(rows):>12} em {seconds:7.1f} s  ({rate})"
                )
            self.stdout.write(
                self.style.SUCCESS(
                    f"Dados de demonstração carregados em {total:.1f} s "
                    f"(semente {seed}, histórico até {end_date.isoformat()})."
                )
            )

    # --- steps ---------------------------------------------------------------------------------

    def _users(self, sizes, seed, end_date, loaded, advance) -> None:
        loaded["users"] = accounts.user_demo_load(
            seed=seed, count=sizes["users"], end_date=end_date
        )
        advance(sizes["users"])

    def _products(self, sizes, seed, end_date, loaded, advance) -> None:
        catalogue = []
        for rows in products.product_demo_load(
            seed=seed, count=sizes["products"], end_date=end_date
        ):
            catalogue += [
                (product_id, price)
                for product_id, price, active in zip(
                    rows.cd_products, rows.vr_prices, rows.is_active, strict=True
                )
                if active  # new ledger entries may only reference active products
            ]
            advance(len(rows.cd_products))
        loaded["products"] = catalogue

    def _customers(self, sizes, seed, end_date, loaded, advance) -> None:
        ids, created = [], []
        for rows in customers.customer_demo_load(
            seed=seed, count=sizes["customers"], end_date=end_date
        ):
            ids += rows.cd_customers
            created += rows.created_at
            advance(len(rows.cd_customers))
        loaded["customers"] = (ids, created)

    def _picked_customers(self, *, seed: int, stream: str, total: int, loaded):
        """Chunks of (customer id, arrival) for ``total`` rows, on a long tail."""
        ids, created = loaded["customers"]
        for first, count in chunks(total):
            picks = long_tail_picks(
                seed=seed, stream=stream, first=first, count=count, population=len(ids)
            )
            yield [(ids[k], created[k]) for k in picks]

    def _interactions(self, sizes, seed, end_date, loaded, advance) -> None:
        picked = self._picked_customers(
            seed=seed, stream="interaction-customers", total=sizes["interactions"], loaded=loaded
        )
        for added in interactions.interaction_demo_load(
            seed=seed, customers=picked, user_ids=loaded["users"], end_date=end_date
        ):
            advance(added)

    def _transactions(self, sizes, seed, end_date, loaded, advance) -> None:
        picked = self._picked_customers(
            seed=seed, stream="transaction-customers", total=sizes["transactions"], loaded=loaded
        )
        for added in interactions.transaction_demo_load(
            seed=seed,
            customers=picked,
            user_ids=loaded["users"],
            products=loaded["products"],
            end_date=end_date,
        ):
            advance(added)

    # --- checks --------------------------------------------------------------------------------

    def _sizes(self, options) -> dict[str, int]:
        vendor = connections[settings.CRM_DOMAIN_ALIASES["customers"]].vendor
        defaults = DEFAULT_SIZES["postgresql" if vendor == "postgresql" else "other"]
        sizes = {
            name: defaults[name] if options[name] is None else options[name] for name in LABELS
        }
        negative = [f"--{name}" for name, size in sizes.items() if size < 0]
        if negative:
            raise CommandError(f"Quantidade negativa: {', '.join(negative)}.")
        if sizes["interactions"] or sizes["transactions"]:
            if not sizes["customers"]:
                raise CommandError("Interações e lançamentos precisam de --customers maior que 0.")
            if not sizes["users"]:
                raise CommandError("Interações e lançamentos precisam de --users maior que 0.")
        return sizes

    def _existing(self) -> dict[str, int]:
        return {
            **accounts.user_demo_counts(),
            **customers.customer_demo_counts(),
            **products.product_demo_counts(),
            **interactions.interaction_demo_counts(),
        }

    def _clear(self) -> None:
        # History first (it points at customers, products and users), owners after.
        interactions.interaction_demo_clear()
        customers.customer_demo_clear()
        products.product_demo_clear()
        accounts.user_demo_clear()
