"""Real servers for black-box tests: gunicorn processes on free local ports, talked to over HTTP."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path

from .sandbox import VENV_BIN


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def call(
    base: str,
    method: str,
    path: str,
    body: dict | str | None = None,
    token: str | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = 30,
):
    """``(status, headers, body bytes)``; never raises for an HTTP error status."""
    request = urllib.request.Request(base + path, method=method)
    if body is not None:
        request.data = (body if isinstance(body, str) else json.dumps(body)).encode()
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@contextlib.contextmanager
def gunicorn(
    root: Path, env: Mapping[str, str], *, log: Path, workers: int = 1, port: int | None = None
) -> Iterator[str]:
    """Serve the app at ``root`` with gunicorn; yields its base URL once ``/health`` answers
    (any status: the database may be down on purpose). Stopped (whole process group) after."""
    port = port or free_port()
    command = [
        str(VENV_BIN / "gunicorn"),
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "60",
    ]
    with log.open("w+") as output:
        process = subprocess.Popen(
            command,
            cwd=root,
            env=dict(env),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    call(base, "GET", "/health", timeout=5)
                    break
                except OSError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    output.seek(0)
                    raise AssertionError(f"gunicorn did not come up:\n{output.read()}")
                time.sleep(0.3)
            yield base
        finally:
            os.killpg(process.pid, signal.SIGTERM)  # gunicorn and its workers, started here
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def redis_delete_prefix(url: str, prefix: str) -> None:
    """Remove the keys a test's servers left under their own prefix (never FLUSHDB)."""
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()
