"""A database outage is a 503 with ``Retry-After``, never a 500, and the server recovers by
itself: a live gunicorn on a private, throw-away PostgreSQL cluster (initdb + pg_ctl on a free
port; the machine's shared server is never touched) that the test stops and starts."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from tests import services

from .live import call, free_port, gunicorn, redis_delete_prefix
from .sandbox import describe, manage, process_env

# Its own cluster (initdb, pg_ctl), and Redis shared by the two gunicorn workers.
pytestmark = pytest.mark.needs("redis", "postgres-tools")

REDIS_URL = services.redis_url()
EMAIL = "ana@example.com"
PASSWORD = "s3nha-Forte-2026"
UNAVAILABLE = "Serviço temporariamente indisponível. Tente novamente em instantes."


def _pg_tool(name: str) -> str:
    found = services.postgres_tool(name)
    assert found, f"{name} not found: the PostgreSQL server binaries are needed here"
    return found


class PrivateCluster:
    """``initdb`` + ``pg_ctl`` in a temporary folder, on its own port and socket folder.
    PostgreSQL refuses to run as root, so as root (CI) it runs as the ``postgres`` user."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.data = folder / "data"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str, timeout: int = 120) -> subprocess.CompletedProcess[str]:
        command = list(args)
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)

    def create(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, user="postgres")
        result = self._run(
            _pg_tool("initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8"
        )
        assert result.returncode == 0, describe(result)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        result = self._run(
            _pg_tool("pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.folder / "server.log"),
            "-w",
            "start",
        )
        assert result.returncode == 0, describe(result)

    def stop(self) -> None:
        result = self._run(_pg_tool("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
        assert result.returncode == 0, describe(result)


@pytest.fixture(scope="module")
def outage(app_copy: Path, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("outage")
    cluster = PrivateCluster(Path(f"/tmp/crm-outage-{uuid.uuid4().hex[:10]}"))
    cluster.create()
    cluster.start()
    prefix = f"crm-test-outage-{uuid.uuid4().hex[:12]}"
    env = process_env(
        app_copy,
        tmp / "var",
        DEBUG="false",
        SECRET_KEY="outage-test-secret-0123456789abcdef0123456",
        JWT_SECRET_KEY="outage-test-jwt-key-0123456789abcdef012345",
        DATABASE_URL=cluster.url,
        REDIS_URL=REDIS_URL,
        CACHE_KEY_PREFIX=prefix,
        CRM_REGISTRATION="open",  # the seed's behaviour: the outage is the subject here
        DJANGO_SUPERUSER_DS_USER_EMAIL=EMAIL,
        DJANGO_SUPERUSER_DS_USER="Ana",
        DJANGO_SUPERUSER_PASSWORD=PASSWORD,
    )
    try:
        for command in (["migrate"], ["createsuperuser", "--noinput"]):
            result = manage(*command, root=app_copy, env=env)
            assert result.returncode == 0, describe(result)
        with gunicorn(app_copy, env, log=tmp / "server.log", workers=2) as base:
            yield base, cluster
    finally:
        with contextlib.suppress(AssertionError):  # already stopped
            cluster.stop()
        shutil.rmtree(cluster.folder, ignore_errors=True)
        redis_delete_prefix(REDIS_URL, prefix)


def assert_unavailable(answer) -> None:
    status, headers, body = answer
    assert status == 503, body
    assert json.loads(body) == {"error": UNAVAILABLE}
    assert headers["Content-Type"].startswith("application/json")
    assert int(headers["Retry-After"]) >= 1


def test_a_database_outage_is_503_with_retry_after_and_then_recovers(outage):
    base, cluster = outage
    status, _headers, body = call(
        base, "POST", "/auth/login", {"ds_user_email": EMAIL, "password": PASSWORD}
    )
    assert status == 200, body
    token = json.loads(body)["access_token"]
    assert call(base, "GET", "/api/customers", token=token)[0] == 200  # its state is cached
    # a second login whose token has never been used: its revocation state is not cached
    status, _headers, body = call(
        base, "POST", "/auth/login", {"ds_user_email": EMAIL, "password": PASSWORD}
    )
    uncached_token = json.loads(body)["access_token"]

    # when: the database goes away
    cluster.stop()

    # then: every kind of API call is a 503 with Retry-After, never a 500
    for _attempt in range(2):  # also once the pooled connections are known to be dead
        assert_unavailable(call(base, "GET", "/api/customers", token=token))
        assert_unavailable(
            call(base, "POST", "/api/customers", {"ds_customer_name": "Padaria"}, token)
        )
        assert_unavailable(call(base, "GET", "/api/products", token=token))
        assert_unavailable(
            call(base, "POST", "/auth/login", {"ds_user_email": EMAIL, "password": PASSWORD})
        )
        assert_unavailable(
            call(
                base,
                "POST",
                "/auth/register",
                {
                    "ds_user": "Bruno",
                    "ds_user_email": "bruno@example.com",
                    "password": PASSWORD,
                },
            )
        )
    assert_unavailable(call(base, "GET", "/auth/me", token=token))
    # ... also where the revocation check itself needs the database (a cache miss)
    assert_unavailable(call(base, "GET", "/api/customers", token=uncached_token))
    assert call(base, "GET", "/health")[0] == 503

    # when: the database is back
    cluster.start()

    # then: the server recovers by itself, no restart
    deadline = time.monotonic() + 20
    while call(base, "GET", "/api/customers", token=token)[0] != 200:
        assert time.monotonic() < deadline, "the server did not recover"
        time.sleep(0.5)
    created = call(base, "POST", "/api/customers", {"ds_customer_name": "Padaria"}, token)
    assert created[0] == 201, created[2]
