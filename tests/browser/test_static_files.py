"""Static files are served by the app itself (WhiteNoise) with DEBUG off, also under gunicorn.

Not browser tests: the test client checks the WhiteNoise wiring, and one subprocess test starts
a real gunicorn the way production and docker compose do.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings as django_settings

SWAGGER_BUNDLE = "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/static/admin/css/base.css", "text/css"),
        ("/static/admin/js/core.js", "text/javascript"),
        ("/static/rest_framework/css/bootstrap.min.css", "text/css"),
        (SWAGGER_BUNDLE, "text/javascript"),
        ("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css", "text/css"),
    ],
)
def test_static_files_are_served_by_the_app_with_debug_off(client, settings, path, content_type):
    settings.DEBUG = False

    response = client.get(path)

    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] == content_type
    assert int(response["Content-Length"]) > 1000
    assert b"".join(response.streaming_content)[:1] != b"<"  # the file, not an HTML error page


def test_an_unknown_static_file_is_a_404(client, settings):
    settings.DEBUG = False

    response = client.get("/static/admin/css/no-such-file.css")

    assert response.status_code == 404


# --- gunicorn ------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def production_env(tmp_path) -> dict[str, str]:
    """DEBUG off, real-looking secrets, the embedded SQLite in a throw-away data folder."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.endswith("DATABASE_URL") and key not in {"DJANGO_SETTINGS_MODULE", "DEBUG"}
    }
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        JWT_SECRET_KEY=secrets.token_urlsafe(50),
        CRM_DATA_DIR=str(tmp_path / "var"),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="config.settings.base",
        # An empty value still counts as set: a developer's .env cannot point us at Postgres.
        DATABASE_URL="",
        ACCOUNTS_DATABASE_URL="",
        CUSTOMERS_DATABASE_URL="",
        PRODUCTS_DATABASE_URL="",
        INTERACTIONS_DATABASE_URL="",
    )
    return env


def test_gunicorn_with_debug_off_serves_admin_static_files_and_json_errors(production_env):
    base_dir = Path(django_settings.BASE_DIR)
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=base_dir,
        env=production_env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    port = _free_port()
    server = subprocess.Popen(
        [
            str(bin_dir / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--timeout",
            "30",
        ],
        cwd=base_dir,
        env=production_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, _, _ = _get(f"{url}/admin/login/")
                break
            except (ConnectionError, urllib.error.URLError):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

        css_status, css_headers, css_body = _get(f"{url}/static/admin/css/base.css")
        login_status, login_headers, login_body = _get(f"{url}/admin/login/")
        api_status, api_headers, api_body = _get(f"{url}/api/customers")
        docs_status, _, _ = _get(f"{url}{SWAGGER_BUNDLE}")
    finally:
        server.terminate()
        try:
            output = server.communicate(timeout=10)[0].decode(errors="replace")
        except subprocess.TimeoutExpired:
            server.kill()
            output = server.communicate()[0].decode(errors="replace")

    assert status == 200, output
    assert css_status == 200
    assert css_headers["Content-Type"].startswith("text/css")
    assert b"--body-bg:" in css_body
    assert docs_status == 200
    assert login_status == 200
    assert login_headers["Content-Type"].startswith("text/html")
    assert b'href="/static/admin/css/base.css"' in login_body
    assert api_status == 401
    assert api_headers["Content-Type"].startswith("application/json")
    assert json.loads(api_body) == {
        "error": "Token de acesso ausente. Envie 'Authorization: Bearer <token>'."
    }
    assert "Traceback" not in output
