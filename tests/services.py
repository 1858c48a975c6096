"""What some tests need beyond Python, in one place: each outside service (or program), where the
tests find it (the very variables they read), how it is probed and how to start it.

A test declares what it needs with ``@pytest.mark.needs("redis", "nginx")`` (or a module's
``pytestmark``). ``tests/conftest.py`` probes every service the collected tests need once per
session, before any test runs (a PING, a connection or a binary lookup, with a short timeout):

- on a developer machine a missing service skips the tests that need it, with one line naming
  the service and how to start it (``make test`` on a laptop needs nothing but Python: SQLite,
  and the local-memory cache in place of a missing Redis, as ``make run`` uses);
- in CI (``CI=true``, or ``CRM_TEST_SERVICES=required``: ``.ci/run`` sets both) a missing
  service ends the session at its start with the list of what is missing: never a silent skip.
"""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

#: The tests' Redis: what the test settings resolved (``TEST_REDIS_URL``, default below).
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
#: The machine's PostgreSQL server (no database in the path): scratch databases, the split
#: topology's and the seed's live there, whatever ``DATABASE_URL`` says.
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432"
DEFAULT_BROKER_URL = "amqp://guest:guest@127.0.0.1:5672//"
#: Debian's Chromium (``.ci/browser-deps``); Playwright never downloads a browser here.
CHROMIUM = Path("/usr/bin/chromium")
PROBE_TIMEOUT_SECONDS = 2
TRUE = {"1", "true", "yes", "on"}


def redis_url() -> str:
    """The Redis of the tests and of the servers they start: ``TEST_REDIS_URL``, else
    ``REDIS_URL``, else the default (what ``config/settings/test.py`` resolved)."""
    return (
        os.environ.get("TEST_REDIS_URL", "").strip()
        or os.environ.get("REDIS_URL", "").strip()
        or DEFAULT_REDIS_URL
    )


def postgres_url(database: str = "postgres") -> str:
    """``TEST_POSTGRES_URL`` (the server), with ``database`` as its path."""
    server = urlsplit(os.environ.get("TEST_POSTGRES_URL", "").strip() or DEFAULT_POSTGRES_URL)
    return urlunsplit(("postgresql", server.netloc, f"/{database}", server.query, ""))


def postgres_when_database_url() -> tuple[str, ...]:
    """``("postgres",)`` when ``DATABASE_URL`` is set: tests that start servers of their own
    then give them a scratch database on the machine's PostgreSQL (``TEST_POSTGRES_URL``)."""
    return ("postgres",) if os.environ.get("DATABASE_URL", "").strip() else ()


def broker_url() -> str:
    return os.environ.get("BROKER_URL", "").strip() or DEFAULT_BROKER_URL


def nginx() -> str | None:
    """The nginx the split tests run: as ``make split`` finds it (``SPLIT_NGINX``, PATH,
    ``/usr/sbin/nginx``)."""
    from config.split.plan import PlanError
    from config.split.supervisor import nginx_binary

    try:
        return nginx_binary(dict(os.environ))
    except PlanError:
        return None


def postgres_tool(name: str) -> str | None:
    """A PostgreSQL server program (``initdb``, ``pg_ctl``): on PATH or Debian's folder."""
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    return None


def _safe(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{parts.username}@{host}" if parts.username else host
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


# --- probes: None when the service answers, else what went wrong --------------------------------
def _probe_redis() -> str | None:
    import redis

    client = redis.Redis.from_url(
        redis_url(),
        socket_connect_timeout=PROBE_TIMEOUT_SECONDS,
        socket_timeout=PROBE_TIMEOUT_SECONDS,
    )
    try:
        client.ping()
    except redis.RedisError as error:
        return f"no PONG from {_safe(redis_url())} ({error})"
    finally:
        client.close()
    return None


def _probe_rabbitmq() -> str | None:
    url = urlsplit(broker_url())
    try:
        with socket.create_connection(
            (url.hostname or "127.0.0.1", url.port or 5672), timeout=PROBE_TIMEOUT_SECONDS
        ) as connection:
            # AMQP 0-9-1: the broker answers a protocol header with its Connection.Start frame.
            connection.sendall(b"AMQP\x00\x00\x09\x01")
            if connection.recv(1) != b"\x01":
                return f"no AMQP answer at {_safe(broker_url())}"
    except OSError as error:
        return f"no AMQP broker at {_safe(broker_url())} ({error})"
    return None


def _probe_postgres() -> str | None:
    import psycopg

    try:
        psycopg.connect(postgres_url(), connect_timeout=PROBE_TIMEOUT_SECONDS).close()
    except psycopg.Error as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        return f"no connection to {_safe(postgres_url())} ({first_line})"
    return None


def _probe_nginx() -> str | None:
    return None if nginx() else "no nginx binary (SPLIT_NGINX, PATH, /usr/sbin/nginx)"


def _probe_postgres_tools() -> str | None:
    missing = [name for name in ("initdb", "pg_ctl") if postgres_tool(name) is None]
    if shutil.which("psql") is None:  # the plain-SQL load (bench/plain_sql.py) runs it by name
        missing.append("psql")
    if missing:
        return f"{' and '.join(missing)} not found (PATH, /usr/lib/postgresql/*/bin)"
    return None


def _probe_chromium() -> str | None:
    return None if os.access(CHROMIUM, os.X_OK) else f"{CHROMIUM} not found"


def _probe_wrk() -> str | None:
    return None if shutil.which("wrk") else "wrk not on PATH"


@dataclass(frozen=True)
class Service:
    name: str
    probe: Callable[[], str | None]
    #: How to get it on a Debian development machine (one line, in the skip reason).
    start: str


SERVICES = {
    service.name: service
    for service in (
        Service(
            "redis",
            _probe_redis,
            'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no'
            " (or TEST_REDIS_URL)",
        ),
        Service("rabbitmq", _probe_rabbitmq, "rabbitmq-server -detached (or BROKER_URL)"),
        Service(
            "postgres",
            _probe_postgres,
            "pg_ctlcluster <version> main start (or TEST_POSTGRES_URL)",
        ),
        Service("nginx", _probe_nginx, "bash .ci/split-deps (or SPLIT_NGINX)"),
        Service(
            "postgres-tools",
            _probe_postgres_tools,
            "apt-get install postgresql (initdb, pg_ctl, psql)",
        ),
        Service("chromium", _probe_chromium, "bash .ci/browser-deps"),
        Service("wrk", _probe_wrk, "bash .ci/bench-deps"),
    )
}


def required() -> bool:
    """Whether a missing service fails the session (CI) rather than skipping tests."""
    mode = os.environ.get("CRM_TEST_SERVICES", "").strip().lower()
    if mode == "required":
        return True
    if mode not in {"", "optional"}:
        raise ValueError(f"CRM_TEST_SERVICES={mode!r}: expected 'required' or 'optional'")
    return os.environ.get("CI", "").strip().lower() in TRUE


_probed: dict[str, str | None] = {}


def missing(name: str) -> str | None:
    """Why ``name`` is not usable, or None; probed once per session."""
    if name not in _probed:
        _probed[name] = SERVICES[name].probe()
    return _probed[name]


def skip_reason(name: str) -> str:
    return f"needs {name}: {missing(name)}; start it: {SERVICES[name].start}"
