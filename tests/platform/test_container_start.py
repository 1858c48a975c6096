"""The container's start, without a container: the image's /app (rebuilt from the Dockerfile's
COPY lines, static files collected as the build does), the entrypoint, then the Dockerfile's CMD
(gunicorn, bound to a free local port instead of 0.0.0.0:8000), with DEBUG off and a fresh
PostgreSQL database. A client then talks HTTP to it like the seed's clients would."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest
import yaml

from .sandbox import VENV_BIN, ScratchDatabase, process_env
from .test_docker import ENTRYPOINT, dockerfile, image_tree

# The container's database: a scratch one on the machine's PostgreSQL.
pytestmark = pytest.mark.needs("postgres")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def call(base: str, method: str, path: str, body: dict | None = None, token: str | None = None):
    request = urllib.request.Request(base + path, method=method)
    if body is not None:
        request.data = json.dumps(body).encode()
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("container")
    root = image_tree(tmp / "app")
    (build_step,) = [run for run in dockerfile("RUN") if "collectstatic" in run]
    build_words = build_step.split("&&")[0].split()
    build_env = dict(w.split("=", 1) for w in build_words if re.fullmatch(r"\w+=\S*", w))
    build_env["CRM_DATA_DIR"] = str(tmp / "build-var")
    collected = subprocess.run(
        [str(VENV_BIN / "python"), "manage.py", "collectstatic", "--noinput"],
        cwd=root,
        env=process_env(root, tmp / "build-var", **build_env),
        capture_output=True,
        text=True,
        check=False,
    )
    assert collected.returncode == 0, collected.stderr

    port = free_port()
    command = yaml.safe_load(dockerfile("CMD")[-1])
    command[command.index("--bind") + 1] = f"127.0.0.1:{port}"
    with ScratchDatabase(prefix="crm_container") as database:
        env = process_env(
            root,
            tmp / "var",
            DEBUG="false",
            SECRET_KEY="container-test-secret-0123456789abcdef0123",
            JWT_SECRET_KEY="container-test-jwt-key-0123456789abcdef0123",
            DATABASE_URL=database.url,
            WEB_CONCURRENCY="2",
            # The seed's behaviour (README "Security"): anyone registers and manages.
            CRM_REGISTRATION="open",
            CRM_REGISTRATION_ROLE="manager",
        )
        env["PATH"] = f"{VENV_BIN}{os.pathsep}{env['PATH']}"
        log = (tmp / "server.log").open("w+")
        process = subprocess.Popen(
            [str(ENTRYPOINT), *command],
            cwd=root,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    if call(base, "GET", "/health")[0] == 200:
                        break
                except OSError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    pytest.fail(f"the server did not come up:\n{log.read()}")
                time.sleep(0.5)
            yield base
        finally:
            os.killpg(process.pid, signal.SIGTERM)  # gunicorn and its workers, started here
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            log.close()


def test_the_health_endpoint_answers(server):
    status, _headers, body = call(server, "GET", "/health/")

    assert (status, json.loads(body)) == (200, {"status": "ok"})


def test_a_seed_client_registers_logs_in_and_lists_customers(server):
    credentials = {"ds_user_email": "cliente@example.com", "password": "s3nha-Forte-2026"}

    registered = call(server, "POST", "/auth/register", {"ds_user": "Cliente", **credentials})
    logged_in = call(server, "POST", "/auth/login/", credentials)
    token = json.loads(logged_in[2])["access_token"]
    created = call(server, "POST", "/api/customers", {"ds_customer_name": "Loja Um"}, token)
    listed = call(server, "GET", "/api/customers/", token=token)

    assert registered[0] == 201
    assert logged_in[0] == 200
    assert created[0] == 201
    assert listed[0] == 200
    customers = json.loads(listed[2])
    assert [c["ds_customer_name"] for c in customers["customers"]] == ["Loja Um"]
    assert customers["total"] == 1


def test_errors_are_json_and_in_portuguese(server):
    status, headers, body = call(server, "GET", "/api/customers")
    missing = call(server, "GET", "/api/nothing-here")

    assert status == 401
    assert headers["Content-Type"].startswith("application/json")
    assert json.loads(body)["error"].startswith("Token de acesso ausente")
    assert (missing[0], json.loads(missing[2])) == (404, {"error": "Recurso não encontrado."})


def test_the_docs_and_their_assets_are_served_by_the_app_itself(server):
    status, _headers, body = call(server, "GET", "/api/docs/")
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', body.decode())

    assert status == 200
    assert any(asset.endswith("swagger-ui-bundle.js") for asset in assets)
    for asset in assets:
        asset_status, _asset_headers, _ = call(server, "GET", asset)
        assert asset_status == 200, asset
    schema = call(server, "GET", "/api/schema?format=json")
    assert schema[0] == 200
    assert "/api/customers/" in json.loads(schema[2])["paths"]


def test_the_admin_login_page_and_its_stylesheet_are_served(server):
    status, _, body = call(server, "GET", "/admin/login/")
    stylesheets = re.findall(r'<link[^>]+href="(/static/[^"]+\.css)"', body.decode())

    assert status == 200
    assert stylesheets
    assert all(call(server, "GET", sheet)[0] == 200 for sheet in stylesheets)
