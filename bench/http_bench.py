"""``make bench-http``: the API's reads at a million customers, side by side with the reference.

One run, from a fresh clone:

1. a PostgreSQL database (``BENCH_DATABASE_URL``, default ``crm_bench`` on 127.0.0.1:5432) is
   created if missing and migrated; ``seed_demo`` fills it at the issue's size (1,000,000
   customers, 2,000 products, 2,000,000 interactions, 1,000,000 ledger entries) unless it
   already holds exactly that; with ``BENCH_LOADER=sql`` the rows come instead from plain SQL
   (``bench/plain_sql_load.sql`` through ``psql``: an external load, no app code), into an
   empty database, after which the kept counts are verified from outside
   (``rowcounts_verify``, ``ledger_verify``, the API's ``total`` against ``COUNT(*)``); then
   ``VACUUM ANALYZE`` of the big tables (README's step after a bulk load);
2. the real server (gunicorn, ``config.wsgi``, ``BENCH_WORKERS`` sync workers, ``DEBUG`` off,
   secrets generated for the run) and the reference server (the same, with
   ``bench.reference_settings``: the smallest ORM views, no middleware) start on their ports;
3. a bench user logs in through ``/auth/login``; real ids and search fragments are sampled
   from the database;
4. for each row of the issue's table, wrk drives the API with ``BENCH_CONNECTIONS``
   connections for ``BENCH_DURATION`` seconds (after a ``BENCH_WARMUP`` run), rotating over the
   sampled paths; a row with a reference view alternates the two in ``BENCH_ROUNDS`` slices
   (reference, API, reference, API...; ``BENCH_DURATION`` seconds in all for each), so a
   change in the machine's load during the row weighs on both sides of its ratio alike;
5. it prints rps, p50, p99, the ratio to the reference, the target and whether it is met, and
   writes everything to ``bench/results/<timestamp>.json``.

It prints figures; it never fails on them (exit status 0 unless the harness itself breaks).
Environment knobs: see ``Settings`` below and README "Performance".
"""

from __future__ import annotations

import json
import os
import platform
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

if __package__ in (None, ""):  # run as a script (make bench-http): the repository on the path
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.plain_sql import plain_sql_load, psql_available

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
WRK_SCRIPT = ROOT / "bench" / "wrk.lua"
BENCH_USER_EMAIL = "bench@crm-bench.example"

#: The data set of issue #8 (seed_demo option -> rows).
ISSUE_SIZES = {
    "customers": 1_000_000,
    "products": 2_000,
    "interactions": 2_000_000,
    "transactions": 1_000_000,
}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, "").strip() or default)


@dataclass(frozen=True)
class Settings:
    database_url: str = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/crm_bench"
    )
    # How the rows get there: "seed_demo" (COPY through our code) or "sql" (plain SQL, psql).
    loader: str = os.environ.get("BENCH_LOADER", "").strip() or "seed_demo"
    duration: int = env_int("BENCH_DURATION", 20)  # seconds of measurement per endpoint
    warmup: int = env_int("BENCH_WARMUP", 3)  # seconds of unmeasured load before each
    # A row with a reference view: the API and its reference are measured in this many
    # alternating slices (reference, API, reference, API...) of duration/rounds seconds each, so
    # a change in the machine's load during the row weighs on both sides alike.
    rounds: int = env_int("BENCH_ROUNDS", 4)
    connections: int = env_int("BENCH_CONNECTIONS", 8)
    threads: int = env_int("BENCH_THREADS", 2)
    workers: int = env_int("BENCH_WORKERS", 2)
    port: int = env_int("BENCH_PORT", 8701)
    reference_port: int = env_int("BENCH_REFERENCE_PORT", 8702)
    samples: int = env_int("BENCH_SAMPLES", 1000)  # distinct ids rotated per endpoint
    # Comma-separated endpoint keys to run (default all), e.g. "customer_by_id,balance".
    only: tuple[str, ...] = tuple(
        key.strip() for key in os.environ.get("BENCH_ONLY", "").split(",") if key.strip()
    )
    sizes: dict = field(
        default_factory=lambda: {
            name: env_int(f"BENCH_{name.upper()}", size) for name, size in ISSUE_SIZES.items()
        }
    )


# --- targets -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """What the issue asks of a row: a p99 ceiling (ms) or a floor for the ratio of its
    requests per second to the reference's, measured in the same run."""

    p99_ms: float | None = None
    min_ratio: float | None = None

    def describe(self) -> str:
        if self.min_ratio is not None:
            return f">= {self.min_ratio:g}x ref"
        return f"p99 <= {self.p99_ms:g} ms"

    def met(self, result: dict, reference: dict | None) -> bool | None:
        """True/False, or None when it cannot be judged (no reference, error responses)."""
        if result.get("non_2xx") or result.get("socket_errors"):
            return None
        if not result.get("requests"):
            return False  # not one request finished within the run: far beyond any target
        if self.min_ratio is not None:
            ratio = ratio_to(result, reference)
            return None if ratio is None else ratio >= self.min_ratio
        return result["p99_ms"] <= self.p99_ms


def ratio_to(result: dict, reference: dict | None) -> float | None:
    if not reference or not reference.get("rps") or reference.get("non_2xx"):
        return None
    return result["rps"] / reference["rps"]


@dataclass
class Endpoint:
    key: str
    label: str
    paths: list[str]
    target: Target
    reference_paths: list[str] = field(default_factory=list)


# --- wrk -----------------------------------------------------------------------------------------

_WRK_JSON = re.compile(r"^BENCH_JSON (\{.*\})$", re.MULTILINE)


def parse_wrk(stdout: str) -> dict:
    """The figures of one wrk run (printed by ``bench/wrk.lua``) as rps and milliseconds."""
    match = _WRK_JSON.search(stdout)
    if match is None:
        raise ValueError(f"no BENCH_JSON line in wrk output:\n{stdout[-2000:]}")
    raw = json.loads(match.group(1))
    seconds = raw["duration_us"] / 1e6
    latency = raw["latency_us"]
    errors = raw["errors"]
    return {
        "requests": raw["requests"],
        "seconds": round(seconds, 2),
        "rps": round(raw["requests"] / seconds, 1) if seconds else 0.0,
        "p50_ms": round(latency["p50"] / 1000, 2),
        "p90_ms": round(latency["p90"] / 1000, 2),
        "p99_ms": round(latency["p99"] / 1000, 2),
        "max_ms": round(latency["max"] / 1000, 2),
        "non_2xx": errors["status"],
        "socket_errors": errors["connect"] + errors["read"] + errors["write"] + errors["timeout"],
    }


def run_wrk(
    settings: Settings, *, base_url: str, paths: list[str], token: str, seconds: int
) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".paths", delete=False) as handle:
        handle.write("\n".join(paths) + "\n")
        paths_file = handle.name
    try:
        command = [
            "wrk",
            f"-t{settings.threads}",
            f"-c{settings.connections}",
            f"-d{seconds}s",
            "--timeout",
            "30s",
            "-s",
            str(WRK_SCRIPT),
            base_url,
            "--",
            paths_file,
            token,
        ]
        completed = subprocess.run(
            command, capture_output=True, text=True, timeout=seconds + 120, check=True
        )
        return parse_wrk(completed.stdout)
    finally:
        os.unlink(paths_file)


# --- loading and verifying the data set ----------------------------------------------------------

LOADERS = ("seed_demo", "sql")


def load(settings: Settings, env: dict[str, str]) -> dict | None:
    """Fill the database at ``settings.sizes`` with the chosen loader unless it already holds
    exactly that. Returns what to record (loader, seconds per table or ``None`` when reused),
    or ``None`` when it cannot load (the plain-SQL load needs an empty database)."""
    sizes = table_sizes(settings)
    record: dict = {"name": settings.loader, "load_seconds": None}
    if sizes == settings.sizes:
        print(f"database already loaded at {sizes} (loader {settings.loader}: not reloaded)")
        return record
    if settings.loader == "seed_demo":
        print(f"database holds {sizes}; seeding {settings.sizes} (seed_demo --seed 1 --force)")
        options = [f"--{name}={size}" for name, size in settings.sizes.items()]
        started = time.monotonic()
        manage("seed_demo", "--seed", "1", "--force", *options, env=env)
        record["load_seconds"] = {"total": round(time.monotonic() - started, 1)}
        return record
    if any(sizes.values()):
        print(
            f"database holds {sizes}: the plain-SQL load needs an empty, migrated database "
            "(drop it, or point BENCH_DATABASE_URL at a new one)."
        )
        return None
    print(f"loading {settings.sizes} by plain SQL (psql -f bench/plain_sql_load.sql)")
    record["load_seconds"] = plain_sql_load(settings.database_url, sizes=settings.sizes, echo=True)
    print(f"plain-SQL load: {record['load_seconds']} seconds")
    return record


def verify_counts(settings: Settings, env: dict[str, str], api: str, token: str) -> dict:
    """From outside, after an external load: the database-kept counts must equal real counts.
    ``rowcounts_verify`` and ``ledger_verify`` exit 1 on any difference (the run stops); the
    API's ``total`` of every customer and of the active ones must equal ``COUNT(*)``."""
    print("verifying the kept counts after the plain-SQL load")
    outputs = {
        command: manage(command, env=env, quiet=True).strip()
        for command in ("rowcounts_verify", "ledger_verify")
    }
    for command, output in outputs.items():
        print(f"manage.py {command}:\n  " + output.replace("\n", "\n  "))
    totals = {}
    for label, path, where in (
        ("all", "/api/customers?active_only=false", ""),
        ("active", "/api/customers", " WHERE is_customer_active"),
    ):
        api_total = http_json(api + path, token=token)["total"]
        real = query(settings, f"SELECT count(*) FROM customers.customer{where}")[0][0]
        totals[label] = {"path": path, "api_total": api_total, "count": real}
        verdict = "equal" if api_total == real else "DIFFERENT"
        print(f"GET {path}: total {api_total}; SELECT count(*): {real} ({verdict})")
        if api_total != real:
            raise RuntimeError(f"{path}: total {api_total} != COUNT(*) {real}")
    return {"commands": outputs, "customer_totals": totals}


# --- servers and database ------------------------------------------------------------------------


def app_environment(settings: Settings) -> dict[str, str]:
    """The servers' environment: the bench database, DEBUG off, secrets made for this run."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.endswith("DATABASE_URL") and name not in {"DJANGO_SETTINGS_MODULE", "DEBUG"}
    }
    env.update(
        DATABASE_URL=settings.database_url,
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        JWT_SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        JWT_ACCESS_MINUTES="720",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    # As deployed: several workers share token revocation and permissions through Redis (one
    # round trip per request); without it each worker would keep its own (README, REDIS_URL).
    env["REDIS_URL"] = os.environ.get("REDIS_URL", "").strip() or "redis://127.0.0.1:6379/0"
    return env


def manage(*args: str, env: dict[str, str], quiet: bool = False) -> str:
    completed = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if quiet else None,
    )
    return completed.stdout or ""


def database_ensure(settings: Settings) -> None:
    import psycopg

    url = urlsplit(settings.database_url)
    name = url.path.lstrip("/")
    admin_url = settings.database_url.replace(url.path, "/postgres", 1)
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            print(f"creating database {name}")
            connection.execute(f'CREATE DATABASE "{name}"')


def query(settings: Settings, sql: str, params: list | None = None) -> list[tuple]:
    import psycopg

    with psycopg.connect(settings.database_url) as connection:
        return connection.execute(sql, params or []).fetchall()


def table_sizes(settings: Settings) -> dict[str, int]:
    tables = {
        "customers": "customers.customer",
        "products": "products.product",
        "interactions": "interactions.interaction",
        "transactions": 'interactions."transaction"',
    }
    return {
        name: query(settings, f"SELECT count(*) FROM {table}")[0][0]
        for name, table in tables.items()
    }


def vacuum_analyze(settings: Settings) -> None:
    """What README asks after a bulk load, before measuring: ``VACUUM ANALYZE`` of the big
    tables. Right after ``seed_demo`` (or a DBA's ``COPY``) no page is marked all-visible yet,
    so every index-only scan still visits the heap (a deep ``OFFSET`` page fetched 40,000 heap
    rows), and the trigram indexes hold their pending entries; autovacuum gets there later, on
    its own schedule. On a table already vacuumed it costs little (all-visible pages are
    skipped)."""
    import psycopg

    print("VACUUM ANALYZE of the loaded tables")
    with psycopg.connect(settings.database_url, autocommit=True) as connection:
        for table in (
            "customers.customer",
            "products.product",
            "interactions.interaction",
            'interactions."transaction"',
        ):
            connection.execute(f"VACUUM (ANALYZE) {table}")


@contextmanager
def server(
    settings: Settings, *, port: int, env: dict[str, str], health: str, label: str
) -> Iterator[str]:
    """A gunicorn serving ``config.wsgi`` on ``port`` until the block ends."""
    base_url = f"http://127.0.0.1:{port}"
    with tempfile.NamedTemporaryFile(
        "w+", prefix=f"bench-{label}-", suffix=".log", delete=False
    ) as log:
        process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(settings.workers),
                "--worker-class",
                "sync",
                "--timeout",
                "120",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_until_up(process, base_url + health, log=log, label=label)
            print(f"{label} server on {base_url} (pid {process.pid}, log {log.name})")
            yield base_url
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def wait_until_up(process: subprocess.Popen, url: str, *, log, label: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"{label} server exited:\n{log.read()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{label} server did not answer {url} within 60 s")
        time.sleep(0.5)


def http_json(url: str, *, token: str | None = None, body: dict | None = None) -> dict:
    headers = {"Accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=data, headers=headers)
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read())


def bench_user_token(base_url: str, env: dict[str, str]) -> str:
    """A real access token: the bench user (a superuser, created once, new password each run)
    logs in through ``/auth/login``."""
    password = secrets.token_urlsafe(24)
    manage(
        "shell",
        "--verbosity",
        "0",
        "-c",
        "from django.contrib.auth import get_user_model\n"
        "User = get_user_model()\n"
        f"user = User.objects.filter(ds_user_email={BENCH_USER_EMAIL!r}).first()\n"
        "if user is None:\n"
        f"    user = User.objects.create_superuser(ds_user_email={BENCH_USER_EMAIL!r},"
        f" password={password!r}, ds_user='Bench')\n"
        f"user.set_password({password!r})\n"
        "user.save()\n",
        env=env,
    )
    answer = http_json(
        f"{base_url}/auth/login", body={"ds_user_email": BENCH_USER_EMAIL, "password": password}
    )
    return answer["access_token"]


# --- the endpoints of the issue's table ----------------------------------------------------------


def sample_paths(settings: Settings, base_url: str, token: str) -> list[Endpoint]:
    n = settings.samples
    active = [
        str(row[0])
        for row in query(
            settings,
            "SELECT cd_customer FROM customers.customer WHERE is_customer_active "
            "ORDER BY random() LIMIT %s",
            [n],
        )
    ]
    # Per-customer reads: customers that have rows, drawn in proportion to their activity.
    with_interactions = [
        str(row[0])
        for row in query(
            settings,
            "SELECT cd_customer FROM interactions.interaction TABLESAMPLE SYSTEM (5) LIMIT %s",
            [n],
        )
    ]
    with_entries = [
        str(row[0])
        for row in query(
            settings,
            'SELECT cd_customer FROM interactions."transaction" TABLESAMPLE SYSTEM (5) LIMIT %s',
            [n],
        )
    ]
    people = query(
        settings,
        "SELECT ds_customer_name, ds_customer_email, ds_customer_cpf_cnpj "
        "FROM customers.customer WHERE is_customer_active AND ds_customer_email IS NOT NULL "
        "AND length(ds_customer_cpf_cnpj) = 11 ORDER BY random() LIMIT %s",
        [min(n, 300)],
    )
    name_fragments, email_fragments, cpf_fragments = [], [], []
    for name, email, cpf in people:
        words = name.split()
        # What a person types: a first name and the start of a surname ("Mariana Sou").
        name_fragments.append(f"{words[0]} {words[-1][:3]}")
        email_fragments.append(email.split("@")[0][1:-2])  # a piece of the local part
        cpf_fragments.append(cpf[2:9])  # seven digits from the middle
    last_day = query(settings, 'SELECT max(dt_transaction) FROM interactions."transaction"')[0][0]
    last_day = last_day or date.today()
    years = [
        (last_day - timedelta(days=30 * shift + 364), last_day - timedelta(days=30 * shift))
        for shift in range(12)
    ]

    def search(fragments: list[str]) -> list[str]:
        return [f"/api/customers?{urlencode({'search': fragment})}" for fragment in fragments]

    endpoints = [
        Endpoint(
            "customer_by_id",
            "GET /api/customers/<id>",
            [f"/api/customers/{cd}" for cd in active],
            Target(min_ratio=0.9),
            [f"/ref/customers/{cd}" for cd in active],
        ),
        Endpoint(
            "customers_page_3",
            "GET /api/customers?page=3",
            ["/api/customers?page=3"],
            Target(p99_ms=50),
        ),
        Endpoint(
            "customers_page_2000",
            "GET /api/customers?page=2000",
            ["/api/customers?page=2000"],
            Target(p99_ms=100),
        ),
    ]
    cursors = deep_cursors(base_url, token)
    if cursors:
        endpoints.append(
            Endpoint(
                "customers_deep_cursor",
                "GET /api/customers?cursor=<deep>",
                [f"/api/customers?{urlencode({'cursor': cursor})}" for cursor in cursors],
                Target(p99_ms=100),
            )
        )
    endpoints += [
        Endpoint(
            "search_name",
            "GET /api/customers?search=<name part>",
            search(name_fragments),
            Target(p99_ms=50),
        ),
        Endpoint(
            "search_email",
            "GET /api/customers?search=<e-mail part>",
            search(email_fragments),
            Target(p99_ms=50),
        ),
        Endpoint(
            "search_cpf",
            "GET /api/customers?search=<CPF part>",
            search(cpf_fragments),
            Target(p99_ms=50),
        ),
        Endpoint(
            "summary_year",
            "GET /api/transactions/summary (1 year)",
            [f"/api/transactions/summary?date_from={start}&date_to={end}" for start, end in years],
            Target(p99_ms=50),
        ),
        Endpoint(
            "interactions",
            "GET /api/customers/<id>/interactions",
            [f"/api/customers/{cd}/interactions" for cd in with_interactions],
            Target(min_ratio=0.6),
            [f"/ref/customers/{cd}/interactions" for cd in with_interactions],
        ),
        Endpoint(
            "transactions",
            "GET /api/customers/<id>/transactions",
            [f"/api/customers/{cd}/transactions" for cd in with_entries],
            Target(min_ratio=0.6),
            [f"/ref/customers/{cd}/transactions" for cd in with_entries],
        ),
        Endpoint(
            "balance",
            "GET /api/customers/<id>/balance",
            [f"/api/customers/{cd}/balance" for cd in with_entries],
            Target(min_ratio=0.6),
            [f"/ref/customers/{cd}/balance" for cd in with_entries],
        ),
    ]
    if settings.only:
        endpoints = [endpoint for endpoint in endpoints if endpoint.key in settings.only]
    return endpoints


def deep_cursors(base_url: str, token: str, pages: tuple[int, ...] = (1999, 1500, 2500)) -> list:
    """``next_cursor`` of a few deep pages, when the list responses carry one (cursor
    pagination); an empty list otherwise (the cursor row is then left out)."""
    cursors = []
    for page in pages:
        try:
            answer = http_json(f"{base_url}/api/customers?page={page}", token=token)
        except (urllib.error.URLError, TimeoutError):
            return []
        cursor = answer.get("next_cursor")
        if not cursor:
            return []
        cursors.append(cursor)
    return cursors


# --- report --------------------------------------------------------------------------------------


def verdict_text(met: bool | None) -> str:
    return {True: "yes", False: "NO", None: "n/a"}[met]


def report_lines(rows: list[dict]) -> list[str]:
    header = (
        f"{'endpoint':40} {'rps':>8} {'p50 ms':>8} {'p99 ms':>8} {'ref rps':>8} "
        f"{'ratio':>6}  {'target':<16} {'met':<4} {'1 req ms':>8}"
    )
    lines = [header, "-" * len(header)]
    for row in rows:
        result, reference = row["result"], row.get("reference")
        ratio = row.get("ratio")
        reference_rps = f"{reference['rps']:.1f}" if reference else "-"
        ratio_text = f"{ratio:.2f}" if ratio is not None else "-"
        single = result.get("single_request_ms")
        single = "-" if single is None else f"{single:.0f}"
        errors = ""
        if result.get("non_2xx") or result.get("socket_errors"):
            errors = f"  ({result['non_2xx']} non-2xx, {result['socket_errors']} socket errors)"
        lines.append(
            f"{row['label']:40} {result['rps']:>8.1f} {result['p50_ms']:>8.1f} "
            f"{result['p99_ms']:>8.1f} "
            f"{reference_rps:>8} {ratio_text:>6}  "
            f"{row['target']:<16} {verdict_text(row['met']):<4} {single:>8}{errors}"
        )
    return lines


def git_commit() -> str | None:
    try:
        return subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def main() -> int:
    settings = Settings()
    if shutil.which("wrk") is None:
        print("wrk is not installed: run `bash .ci/bench-deps` (or `make bench-http`).")
        return 1
    if settings.loader not in LOADERS:
        print(f"BENCH_LOADER must be one of {', '.join(LOADERS)}, got {settings.loader!r}.")
        return 1
    if settings.loader == "sql" and not psql_available():
        print("BENCH_LOADER=sql needs psql (PostgreSQL's client) on the PATH.")
        return 1
    env = app_environment(settings)
    database_ensure(settings)
    print("migrating every domain")
    manage("migrate", "-v0", env=env)
    loaded = load(settings, env)
    if loaded is None:
        return 1
    vacuum_analyze(settings)

    reference_env = {**env, "DJANGO_SETTINGS_MODULE": "bench.reference_settings"}
    rows: list[dict] = []
    started = datetime.now(UTC)
    with (
        server(settings, port=settings.port, env=env, health="/health", label="api") as api,
        server(
            settings,
            port=settings.reference_port,
            env=reference_env,
            health="/ref/health",
            label="reference",
        ) as reference,
    ):
        token = bench_user_token(api, env)
        if settings.loader == "sql":
            loaded["verification"] = verify_counts(settings, env, api, token)
        endpoints = sample_paths(settings, api, token)
        print(
            f"\nwrk: {settings.connections} connections, {settings.threads} threads, "
            f"{settings.duration} s per run after {settings.warmup} s of warm-up; "
            f"{settings.workers} gunicorn sync workers each\n"
        )
        for endpoint in endpoints:
            reference_result = None
            if endpoint.reference_paths:
                result, reference_result = measure_side_by_side(
                    settings,
                    api=Side(base_url=api, paths=endpoint.paths, token=token, health="/health"),
                    reference=Side(
                        base_url=reference,
                        paths=endpoint.reference_paths,
                        token="",
                        health="/ref/health",
                    ),
                )
            else:
                result = measure(
                    settings, base_url=api, paths=endpoint.paths, token=token, health="/health"
                )
            met = endpoint.target.met(result, reference_result)
            row = {
                "key": endpoint.key,
                "label": endpoint.label,
                "target": endpoint.target.describe(),
                "target_spec": asdict(endpoint.target),
                "result": result,
                "reference": reference_result,
                "ratio": ratio_to(result, reference_result),
                "met": met,
                "sample_paths": endpoint.paths[:3],
                "distinct_paths": len(endpoint.paths),
            }
            rows.append(row)
            print(report_lines([row])[-1], flush=True)

    print("\n" + "\n".join(report_lines(rows)))
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    output = RESULTS / f"{stamp}.json"
    output.write_text(
        json.dumps(
            {
                "started_at": started.isoformat(),
                "finished_at": datetime.now(UTC).isoformat(),
                "git_commit": git_commit(),
                "machine": {
                    "cpus": os.cpu_count(),
                    "load_average": os.getloadavg(),
                    "python": platform.python_version(),
                    "platform": platform.platform(),
                },
                "database": {
                    "url": re.sub(r"//[^@/]*@", "//", settings.database_url),
                    "rows": table_sizes(settings),
                    "loader": loaded,
                },
                "load": {
                    "tool": "wrk",
                    "connections": settings.connections,
                    "threads": settings.threads,
                    "duration_s": settings.duration,
                    "warmup_s": settings.warmup,
                    "rounds_with_reference": settings.rounds,
                    "gunicorn_workers": settings.workers,
                },
                "endpoints": rows,
            },
            indent=2,
            default=str,
        )
        + "\n"
    )
    print(f"\nfigures written to {output.relative_to(ROOT)}")
    return 0


def wait_idle(base_url: str, health: str, *, limit_s: float = 600) -> float:
    """Wait until the server answers its health check at once: sync workers finish requests
    whose clients already left (a slow row's backlog), which would otherwise be charged to the
    next row. Returns the seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < limit_s:
        probe = time.monotonic()
        try:
            with urllib.request.urlopen(base_url + health, timeout=limit_s) as response:
                response.read()
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() - probe < 0.5:
            break
    return round(time.monotonic() - started, 1)


def probe_ms(base_url: str, path: str, token: str) -> float | None:
    """Milliseconds of one request alone (no concurrent load): the cost of the query itself."""
    started = time.monotonic()
    try:
        http_json(base_url + path, token=token or None)
    except (urllib.error.URLError, TimeoutError, ValueError):
        return None
    return round((time.monotonic() - started) * 1000, 1)


def measure(
    settings: Settings, *, base_url: str, paths: list[str], token: str, health: str
) -> dict:
    drained = wait_idle(base_url, health)
    single = probe_ms(base_url, paths[0], token)
    if settings.warmup:
        run_wrk(settings, base_url=base_url, paths=paths, token=token, seconds=settings.warmup)
        wait_idle(base_url, health)
    result = run_wrk(
        settings, base_url=base_url, paths=paths, token=token, seconds=settings.duration
    )
    return {**result, "single_request_ms": single, "waited_idle_s": drained}


@dataclass(frozen=True, eq=False)  # compared (and hashed) by identity: one per server
class Side:
    """One server of a side-by-side row: where it is and what to ask it."""

    base_url: str
    paths: list[str]
    token: str
    health: str


def measure_side_by_side(settings: Settings, *, api: Side, reference: Side) -> tuple[dict, dict]:
    """The API and its reference view, measured in ``settings.rounds`` alternating slices
    (reference first) after a warm-up of each; each side's figures are its slices combined
    (``combine_slices``), so both saw the same minutes of the machine."""
    sides = (reference, api)
    drained = {side: wait_idle(side.base_url, side.health) for side in sides}
    single = {side: probe_ms(side.base_url, side.paths[0], side.token) for side in sides}
    if settings.warmup:
        for side in sides:
            run_wrk(
                settings,
                base_url=side.base_url,
                paths=side.paths,
                token=side.token,
                seconds=settings.warmup,
            )
            wait_idle(side.base_url, side.health)
    rounds = max(settings.rounds, 1)
    seconds = max(settings.duration // rounds, 1)
    slices: dict[Side, list[dict]] = {side: [] for side in sides}
    for _round in range(rounds):
        for side in sides:
            wait_idle(side.base_url, side.health)
            slices[side].append(
                run_wrk(
                    settings,
                    base_url=side.base_url,
                    paths=side.paths,
                    token=side.token,
                    seconds=seconds,
                )
            )
    results = {
        side: {
            **combine_slices(slices[side]),
            "single_request_ms": single[side],
            "waited_idle_s": drained[side],
        }
        for side in sides
    }
    return results[api], results[reference]


def combine_slices(slices: list[dict]) -> dict:
    """Several wrk runs of one server as one: requests, seconds and errors added up, rps over
    the whole time, p50 the median of the slices' p50s, p90/p99/max the worst slice's (wrk's
    percentiles cannot be merged exactly; the worst is the honest bound). Each slice's rps is
    kept under ``slices_rps``."""
    requests = sum(part["requests"] for part in slices)
    seconds = sum(part["seconds"] for part in slices)
    return {
        "requests": requests,
        "seconds": round(seconds, 2),
        "rps": round(requests / seconds, 1) if seconds else 0.0,
        "p50_ms": statistics.median(part["p50_ms"] for part in slices),
        "p90_ms": max(part["p90_ms"] for part in slices),
        "p99_ms": max(part["p99_ms"] for part in slices),
        "max_ms": max(part["max_ms"] for part in slices),
        "non_2xx": sum(part["non_2xx"] for part in slices),
        "socket_errors": sum(part["socket_errors"] for part in slices),
        "slices_rps": [part["rps"] for part in slices],
    }


if __name__ == "__main__":
    sys.exit(main())
