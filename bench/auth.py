"""What authentication security costs, measured from outside.

Run: ``make bench-auth`` (or ``.venv/bin/python bench/auth.py``; add ``DATABASE_URL=postgres://...``
to use PostgreSQL, else SQLite files in a temporary folder). Needs Redis at ``REDIS_URL``
(default ``redis://127.0.0.1:6379/0``; keys under a throw-away prefix, removed afterwards).

1. **Revocation on the hot path**: the per-request check (one Redis read of the user's token
   state) against the same authentication without it (simplejwt's stateless check), in-process,
   median microseconds per request, and the database queries it makes once cached (must be 0).
2. **Login flood vs. authenticated traffic**: a real gunicorn (3 workers, production password
   hashing), an authenticated ``GET /api/customers`` timed alone, then while 4 clients hammer
   ``POST /auth/login`` with wrong passwords, first with the login throttles switched off (what
   the issue measured: 14 ms -> 641 ms), then with the defaults (refused before hashing).

Figures, not assertions.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = Path(sys.executable)
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
EMAIL, PASSWORD = "bench@example.com", "bench-Senha-Forte-1"
SAMPLES = 60
FLOOD_CLIENTS = 4


def http(base, method, path, body=None, token=None, timeout=60):
    request = urllib.request.Request(base + path, method=method)
    if body is not None:
        request.data = json.dumps(body).encode()
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


# --- 1. the hot path, in-process ---------------------------------------------------------------
def hot_path() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ["REDIS_URL"] = REDIS_URL
    os.environ["CACHE_KEY_PREFIX"] = f"crm-bench-{uuid.uuid4().hex[:8]}"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connections
    from django.test.utils import (
        CaptureQueriesContext,
        setup_databases,
        setup_test_environment,
        teardown_databases,
    )
    from rest_framework.test import APIRequestFactory
    from rest_framework_simplejwt.authentication import JWTStatelessUserAuthentication

    from crm.api.authentication import JWTAuthentication
    from domains.accounts import services
    from domains.accounts.models import User

    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False, aliases=set(settings.DATABASES))
    try:
        user = User.objects.create_user(ds_user_email=EMAIL, password=PASSWORD, ds_user="Bench")
        token = services.token_pair_issue(user=user).access_token
        request = APIRequestFactory().get("/api/customers", HTTP_AUTHORIZATION=f"Bearer {token}")
        ours, stateless = JWTAuthentication(), JWTStatelessUserAuthentication()
        ours.authenticate(request)  # fills the cache
        with CaptureQueriesContext(connections["default"]) as queries:
            ours.authenticate(request)

        def timed(authentication, rounds=3000):
            samples = []
            for _ in range(rounds):
                started = time.perf_counter()
                authentication.authenticate(request)
                samples.append((time.perf_counter() - started) * 1e6)
            return statistics.median(samples), percentile(samples, 0.95)

        base_median, base_p95 = timed(stateless)
        ours_median, ours_p95 = timed(ours)
        from django.core.cache import cache

        cache.set("bench-probe", 1)
        round_trips = []
        for _ in range(3000):
            started = time.perf_counter()
            cache.get("bench-probe")
            round_trips.append((time.perf_counter() - started) * 1e6)
        print("1. Token check per request (in-process, cache warm, Redis at", REDIS_URL + ")")
        print(
            f"   stateless (signature, exp, jti only): median {base_median:7.1f} us, "
            f"p95 {base_p95:7.1f} us"
        )
        print(
            f"   + revocation (one Redis read):        median {ours_median:7.1f} us, "
            f"p95 {ours_p95:7.1f} us"
        )
        print(
            f"   cost of revocation: {ours_median - base_median:+.1f} us per request; "
            f"database queries once cached: {len(queries)}"
        )
    finally:
        from django.core.cache import cache

        client = cache._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{os.environ['CACHE_KEY_PREFIX']}:*"))
        if keys:
            client.delete(*keys)
        teardown_databases(old, verbosity=0)


# --- 2. the flood, against gunicorn ------------------------------------------------------------
def serve(env, folder: Path):
    port = free_port()
    log = (folder / f"gunicorn-{port}.log").open("w")
    process = subprocess.Popen(
        [
            str(PYTHON.parent / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "3",
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if http(base, "GET", "/health", timeout=5)[0] == 200:
                return process, base
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"gunicorn did not start; see {log.name}")


def stop(process) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def list_timings(base, token, samples=SAMPLES):
    timings = []
    for _ in range(samples):
        started = time.perf_counter()
        status, _body = http(base, "GET", "/api/customers", token=token)
        assert status == 200, status
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), percentile(timings, 0.95)


def flood_scenario(env, folder: Path, label: str) -> None:
    process, base = serve(env, folder)
    try:
        status, body = http(
            base, "POST", "/auth/login", {"ds_user_email": EMAIL, "password": PASSWORD}
        )
        assert status == 200, body
        token = json.loads(body)["access_token"]
        quiet = list_timings(base, token)
        stop_flag, answered = threading.Event(), {}

        def flood(n):
            while not stop_flag.is_set():
                email = f"flood{n}-{secrets.token_hex(4)}@example.com"
                code, _ = http(
                    base,
                    "POST",
                    "/auth/login",
                    {"ds_user_email": email, "password": "errada-123456"},
                )
                answered[code] = answered.get(code, 0) + 1

        threads = [threading.Thread(target=flood, args=(n,)) for n in range(FLOOD_CLIENTS)]
        for thread in threads:
            thread.start()
        time.sleep(2)
        loaded = list_timings(base, token)  # the flood's first seconds (a throttle's burst)
        steady = list_timings(base, token)  # and once it has gone on for a while
        stop_flag.set()
        for thread in threads:
            thread.join()
        print(
            f"   {label}\n"
            f"     alone:            median {quiet[0]:7.1f} ms, p95 {quiet[1]:7.1f} ms\n"
            f"     flood, first {SAMPLES}: median {loaded[0]:7.1f} ms, p95 {loaded[1]:7.1f} ms\n"
            f"     flood, next {SAMPLES}:  median {steady[0]:7.1f} ms, p95 {steady[1]:7.1f} ms\n"
            f"     flood answers: {dict(sorted(answered.items()))}"
        )
    finally:
        stop(process)


def flood() -> None:
    folder = Path(tempfile.mkdtemp(prefix="crm-bench-auth-"))
    prefix = f"crm-bench-{uuid.uuid4().hex[:8]}"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "CACHE_KEY_PREFIX"}
    }
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        JWT_SECRET_KEY=secrets.token_urlsafe(50),
        REDIS_URL=REDIS_URL,
        CACHE_KEY_PREFIX=prefix,
        CRM_DATA_DIR=str(folder / "var"),
        DJANGO_SUPERUSER_DS_USER_EMAIL=EMAIL,
        DJANGO_SUPERUSER_DS_USER="Bench",
        DJANGO_SUPERUSER_PASSWORD=PASSWORD,
        LOG_LEVEL="ERROR",
    )
    try:
        for command in (["migrate", "-v", "0"], ["createsuperuser", "--noinput"]):
            subprocess.run(
                [str(PYTHON), "manage.py", *command],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
            )
        print(
            f"\n2. GET /api/customers (authenticated) while {FLOOD_CLIENTS} clients flood "
            "POST /auth/login (gunicorn, 3 workers, production password hashing)"
        )
        off = {
            f"CRM_THROTTLE_{scope}": "off"
            for scope in (
                "ANON",
                "LOGIN",
                "LOGIN_FAILURES",
                "LOGIN_ACCOUNT_FAILURES",
                "PASSWORD_GLOBAL",
            )
        }
        flood_scenario({**env, **off}, folder, "login throttles off:")
        _clear(prefix)
        flood_scenario(env, folder, "default throttles:")
    finally:
        _clear(prefix)
        shutil.rmtree(folder, ignore_errors=True)


def _clear(prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)


if __name__ == "__main__":
    parts = set(sys.argv[1:]) or {"hot-path", "flood"}
    if "hot-path" in parts:
        hot_path()
    if "flood" in parts:
        flood()
