"""Run ``bench/plain_sql_load.sql`` with ``psql``: an external load, no app code involved.

``plain_sql_load`` fills a migrated, empty database at the given sizes through plain
``INSERT ... SELECT`` (what a DBA would write) and returns the seconds each table took, as the
SQL file prints them (``LOAD_TIME <table> <seconds>``). Used by ``bench/http_bench.py``
(``BENCH_LOADER=sql``) and by the test that checks what the API sees after such a load.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

SQL_FILE = Path(__file__).resolve().parent / "plain_sql_load.sql"
_LOAD_TIME = re.compile(r"^LOAD_TIME (\w+) ([0-9.]+)$", re.MULTILINE)


def psql_available() -> bool:
    return shutil.which("psql") is not None


def plain_sql_load(
    database_url: str, *, sizes: dict[str, int], end_date: str | None = None, echo: bool = False
) -> dict[str, float]:
    """Load ``sizes`` (customers, products, interactions, transactions) into ``database_url``.

    Returns seconds per table plus ``total`` (wall-clock of the whole psql run). Raises
    ``subprocess.CalledProcessError`` (with psql's output) when the load fails, e.g. on a
    database that already holds rows.
    """
    variables = [f"{name}={int(size)}" for name, size in sizes.items()]
    if end_date:
        variables.append(f"end_date={end_date}")
    command = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1"]
    for variable in variables:
        command += ["-v", variable]
    command += ["-f", str(SQL_FILE), database_url]
    started = time.monotonic()
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if echo:
        print(completed.stdout, end="", flush=True)
    if completed.returncode != 0:
        raise subprocess.CalledProcessError(
            completed.returncode, command, completed.stdout, completed.stderr
        )
    seconds = {table: float(value) for table, value in _LOAD_TIME.findall(completed.stdout)}
    seconds["total"] = round(time.monotonic() - started, 1)
    return seconds
