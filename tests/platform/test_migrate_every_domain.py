"""One ``migrate`` migrates every domain, each into its own schema (PostgreSQL) or file (SQLite),
and nothing lands anywhere else (docs/architecture.md §2).

Run as a separate process against a freshly created database, exactly as an operator would.
The PostgreSQL tests always use the machine's server (127.0.0.1:5432): they fail loudly when it
is unreachable, whatever database the rest of the suite runs on.
"""

from __future__ import annotations

import re
import sqlite3

import pytest

from .sandbox import ScratchDatabase, describe, manage, process_env

DOMAIN_SCHEMAS = {"accounts", "customers", "products", "interactions"}
DOMAIN_TABLES = {
    "accounts": {"user", "auth_group", "auth_permission", "django_admin_log", "django_session"},
    "customers": {"customer", "customer_history", "customer_outbox"},
    "products": {"product", "product_history", "product_outbox"},
    "interactions": {
        "interaction",
        "transaction",
        "transaction_history",
        "interactions_event_inbox",
    },
}
SYSTEM_SCHEMAS = ("pg_catalog", "information_schema", "pg_toast")


@pytest.fixture
def scratch_database():
    with ScratchDatabase() as database:
        yield database


def relations_by_schema(database: ScratchDatabase) -> dict[str, set[str]]:
    """Every relation (table, sequence, index, view...) outside the system schemas."""
    with database.connect() as connection:
        rows = connection.execute(
            """
            select n.nspname, c.relname
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname <> all(%s) and n.nspname not like 'pg_temp%%'
              and n.nspname not like 'pg_toast%%'
            """,
            [list(SYSTEM_SCHEMAS)],
        ).fetchall()
    found: dict[str, set[str]] = {}
    for schema, relation in rows:
        found.setdefault(schema, set()).add(relation)
    return found


def tables_by_schema(database: ScratchDatabase) -> dict[str, set[str]]:
    with database.connect() as connection:
        rows = connection.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema <> all(%s)",
            [list(SYSTEM_SCHEMAS)],
        ).fetchall()
    found: dict[str, set[str]] = {}
    for schema, table in rows:
        found.setdefault(schema, set()).add(table)
    return found


def schemas(database: ScratchDatabase) -> set[str]:
    with database.connect() as connection:
        rows = connection.execute("select nspname from pg_namespace").fetchall()
    return {name for (name,) in rows if not name.startswith("pg_")} - {"information_schema"}


def applied_apps(database: ScratchDatabase, schema: str) -> set[str]:
    with database.connect() as connection:
        rows = connection.execute(f'select distinct app from "{schema}".django_migrations')
        return {app for (app,) in rows.fetchall()}


@pytest.mark.needs("postgres")
def test_migrate_on_a_fresh_postgres_database_fills_exactly_the_four_domain_schemas(
    app_copy, tmp_path, scratch_database
):
    env = process_env(app_copy, tmp_path / "var", DEBUG="true", DATABASE_URL=scratch_database.url)

    result = manage("migrate", "--noinput", root=app_copy, env=env)

    assert result.returncode == 0, describe(result)
    tables = tables_by_schema(scratch_database)
    assert set(tables) == DOMAIN_SCHEMAS, "tables outside the four domain schemas"
    for domain, expected in DOMAIN_TABLES.items():
        assert expected | {"django_migrations"} <= tables[domain], domain
    # Each table lives in its domain's schema only.
    for domain, owned in DOMAIN_TABLES.items():
        for other in DOMAIN_SCHEMAS - {domain}:
            assert not owned & tables[other], f"{domain} tables found in schema {other}"
    # public exists (PostgreSQL creates it) but holds nothing at all.
    assert "public" not in relations_by_schema(scratch_database)
    assert not (tmp_path / "var").exists(), "nothing written to SQLite"
    # Each schema keeps its own migration history, with its own apps' migrations in it.
    assert {"accounts", "auth", "admin", "contenttypes", "sessions"} <= applied_apps(
        scratch_database, "accounts"
    )
    for domain in ("customers", "products", "interactions"):
        assert domain in applied_apps(scratch_database, domain)


@pytest.mark.needs("postgres")
def test_migrate_again_is_a_no_op(app_copy, tmp_path, scratch_database):
    env = process_env(app_copy, tmp_path / "var", DEBUG="true", DATABASE_URL=scratch_database.url)
    first = manage("migrate", "--noinput", root=app_copy, env=env)
    before = relations_by_schema(scratch_database)

    again = manage("migrate", "--noinput", root=app_copy, env=env)

    assert first.returncode == 0, describe(first)
    assert again.returncode == 0, describe(again)
    assert again.stdout.count("No migrations to apply.") == len(DOMAIN_SCHEMAS), describe(again)
    assert relations_by_schema(scratch_database) == before


@pytest.mark.needs("postgres")
def test_migrate_with_database_migrates_only_that_domain(app_copy, tmp_path, scratch_database):
    env = process_env(app_copy, tmp_path / "var", DEBUG="true", DATABASE_URL=scratch_database.url)

    result = manage("migrate", "--noinput", "--database", "customers", root=app_copy, env=env)

    assert result.returncode == 0, describe(result)
    # customer_row_count: the register's exact count, kept by triggers (crm.db.counts).
    assert tables_by_schema(scratch_database) == {
        "customers": DOMAIN_TABLES["customers"] | {"django_migrations", "customer_row_count"}
    }
    # "extensions" holds pg_trgm (crm.db.trigram), shared by every domain of the database; it
    # has no tables.
    assert schemas(scratch_database) == {"public", "customers", "extensions"}


def test_migrate_on_sqlite_leaves_one_file_per_domain(app_copy, tmp_path):
    data_dir = tmp_path / "var"
    env = process_env(app_copy, data_dir, DEBUG="true")

    result = manage("migrate", "--noinput", root=app_copy, env=env)

    assert result.returncode == 0, describe(result)
    assert sorted(path.name for path in data_dir.iterdir()) == [
        "accounts.sqlite3",
        "customers.sqlite3",
        "interactions.sqlite3",
        "products.sqlite3",
    ]
    for domain, owned in DOMAIN_TABLES.items():
        with sqlite3.connect(data_dir / f"{domain}.sqlite3") as connection:
            rows = connection.execute("select name from sqlite_master where type = 'table'")
            tables = {name for (name,) in rows.fetchall()}
        assert owned | {"django_migrations"} <= tables, domain
        others = set().union(*(DOMAIN_TABLES[d] for d in DOMAIN_TABLES if d != domain))
        assert not owned.isdisjoint(tables)
        assert tables.isdisjoint(others), f"another domain's tables in {domain}.sqlite3"


def test_migrate_prints_one_line_per_domain_and_the_details_with_verbosity_2(app_copy, tmp_path):
    env = process_env(app_copy, tmp_path / "var", DEBUG="true")

    first = manage("migrate", "--noinput", root=app_copy, env=env)
    again = manage("migrate", "--noinput", root=app_copy, env=env)
    verbose = manage("migrate", "--noinput", "-v", "2", root=app_copy, env=env)

    assert first.returncode == 0, describe(first)
    lines = first.stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "accounts",
        "customers",
        "products",
        "interactions",
    ], describe(first)
    # Each domain counts only its own migrations (Django records the others as no-ops).
    counts = [int(re.fullmatch(r"\w+: (\d+) migrations? applied\.", line)[1]) for line in lines]
    customers_own = len(list((app_copy / "domains/customers/migrations").glob("0*.py")))
    assert counts[1] == customers_own, describe(first)
    assert "Applying" not in first.stdout
    assert again.stdout.splitlines() == [
        f"{domain}: No migrations to apply."
        for domain in ("accounts", "customers", "products", "interactions")
    ]
    assert verbose.stdout.count("== database alias") == 4, describe(verbose)
