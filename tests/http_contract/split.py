"""What the suite may look at beyond HTTP when it runs against ``make split``
(``CRM_CONTRACT_SPLIT=true``): the topology's databases (read only) and its launcher's state
file and control endpoints (to kill and bring back processes).

The same variables ``make split`` reads say where they are, with the same defaults:
``SPLIT_PG`` (the PostgreSQL server), ``SPLIT_DATABASE_PREFIX`` (``crm_``: ``crm_customers``...),
``SPLIT_DIR`` (``var/split``, relative to the project: ``state.json`` is there).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg
import pytest
from psycopg import sql

from tests.platform.sandbox import PROJECT_ROOT

DOMAINS = ("accounts", "customers", "products", "interactions")


def enabled() -> bool:
    return os.environ.get("CRM_CONTRACT_SPLIT", "").strip().lower() in {"1", "true", "yes"}


#: Tests that only mean something against ``make split``. Elsewhere they are skipped, with the
#: reason in the report (CI runs them: ``.ci/split-contract``).
only_against_split = pytest.mark.skipif(
    not enabled(), reason="needs the split topology (CRM_CONTRACT_SPLIT=true, .ci/split-contract)"
)


def _setting(name: str, default: str) -> str:
    return os.environ.get(name, "").strip() or default


def database_url(domain: str) -> str:
    server = urlsplit(_setting("SPLIT_PG", "postgres://postgres@127.0.0.1:5432"))
    name = _setting("SPLIT_DATABASE_PREFIX", "crm_") + domain
    return urlunsplit(("postgresql", server.netloc, f"/{name}", server.query, ""))


def _tables_with(connection: psycopg.Connection, column: str) -> list[tuple[str, str]]:
    return connection.execute(
        """
        SELECT c.table_schema, c.table_name
          FROM information_schema.columns c
          JOIN information_schema.tables t
            ON t.table_schema = c.table_schema AND t.table_name = c.table_name
         WHERE c.column_name = %s AND t.table_type = 'BASE TABLE'
           AND c.table_schema NOT IN ('pg_catalog', 'information_schema')
        """,
        (column,),
    ).fetchall()


def rows_holding(column: str, values: list[str], *, table_with: str | None = None) -> dict:
    """``{domain: {"schema.table": rows}}``: in every domain's database, the rows of every table
    that has ``column`` (and ``table_with``, when given) whose ``column`` is one of ``values``.
    A table that exists but holds none of them is listed with 0."""
    found: dict[str, dict[str, int]] = {}
    for domain in DOMAINS:
        found[domain] = {}
        with psycopg.connect(
            database_url(domain), autocommit=True, connect_timeout=5
        ) as connection:
            tables = _tables_with(connection, column)
            if table_with:
                wanted = set(_tables_with(connection, table_with))
                tables = [table for table in tables if table in wanted]
            for schema, table in tables:
                query = sql.SQL("SELECT count(*) FROM {}.{} WHERE {}::text = ANY(%s)").format(
                    sql.Identifier(schema), sql.Identifier(table), sql.Identifier(column)
                )
                count = connection.execute(query, (values,)).fetchone()[0]
                found[domain][f"{schema}.{table}"] = count
    return found


def state() -> dict:
    """``make split``'s ``state.json``: pids of its processes, the control URL."""
    directory = Path(_setting("SPLIT_DIR", "var/split"))
    path = directory if directory.is_absolute() else PROJECT_ROOT / directory
    state_file = path / "state.json"
    assert state_file.exists(), f"{state_file} is missing: is `make split` running (SPLIT_DIR)?"
    return json.loads(state_file.read_text())


def processes_of(group: str) -> dict[str, dict]:
    """The supervised processes serving ``group`` (its web process, relay and consumer)."""
    processes = state()["processes"]
    return {
        name: process
        for name, process in processes.items()
        if name == group or name.startswith(f"{group}-")
    }


def control(action: str, name: str) -> None:
    """``stop`` (and keep stopped) or ``start`` (and wait until healthy) one process."""
    response = httpx.post(f"{state()['control_url']}/processes/{name}/{action}", timeout=240)
    assert response.status_code == 200, f"{action} {name}: {response.status_code} {response.text}"


def wait_until(predicate, *, timeout: float, interval: float = 0.5, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"after {timeout:.0f}s, still not: {what}"
        time.sleep(interval)
