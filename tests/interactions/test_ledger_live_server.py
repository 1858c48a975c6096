"""Black box: the ledger against a real server (gunicorn, several processes and threads) started
from a copy of the source, on the embedded SQLite files and on PostgreSQL, exactly as a client
sees it: register, log in, create a customer and a product, post entries (8 concurrent replays of
one ``Idempotency-Key`` included), reverse, read balance and summary, try a hard delete.
"""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.platform.sandbox import (
    VENV_BIN,
    ScratchDatabase,
    copy_source,
    describe,
    manage,
    process_env,
)

SECRETS = {
    "DEBUG": "false",
    "SECRET_KEY": "ledger-live-test-secret-key-0123456789abcdefghijklmnop",
    "JWT_SECRET_KEY": "ledger-live-test-jwt-key-0123456789abcdefghijklmnopqr",
    "ALLOWED_HOSTS": "127.0.0.1",
    "LOG_LEVEL": "WARNING",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Api:
    def __init__(self, base: str) -> None:
        self.base = base
        self.token: str | None = None

    def call(self, method: str, path: str, body=None, headers=None) -> tuple[int, dict]:
        data = None if body is None else (body if isinstance(body, str) else json.dumps(body))
        request = urllib.request.Request(
            self.base + path,
            data=None if data is None else data.encode(),
            method=method,
            headers={"Content-Type": "application/json", **(headers or {})},
        )
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.needs("postgres"))]
)
def live_api(request, tmp_path_factory):
    root = copy_source(tmp_path_factory.mktemp("ledger-live"))
    data_dir: Path = root / "var"
    with contextlib.ExitStack() as stack:
        # The seed's behaviour (README "Security"): the client registers and manages the ledger.
        variables = {**SECRETS, "CRM_REGISTRATION": "open", "CRM_REGISTRATION_ROLE": "manager"}
        if request.param == "postgres":
            database = stack.enter_context(ScratchDatabase(prefix="crm_ledger_live"))
            variables["DATABASE_URL"] = database.url
        env = process_env(root, data_dir, **variables)
        migrated = manage("migrate", "--noinput", root=root, env=env)
        assert migrated.returncode == 0, describe(migrated)

        port = _free_port()
        server = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "3",
                "--threads",
                "4",
            ],
            cwd=root,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            api = Api(f"http://127.0.0.1:{port}")
            deadline = time.monotonic() + 30
            while True:
                try:
                    api.call("GET", "/api/transactions/summary")
                    break
                except (urllib.error.URLError, ConnectionError):
                    if time.monotonic() > deadline or server.poll() is not None:
                        server.kill()
                        pytest.fail(f"server did not start: {server.communicate()[1]}")
                    time.sleep(0.2)
            yield api
        finally:
            server.terminate()
            server.wait(timeout=15)


@pytest.mark.django_db(databases=[])
def test_a_client_sees_an_exact_idempotent_append_only_ledger(live_api):
    api = live_api
    # given: a user, a customer and a product created through the API
    status, _ = api.call(
        "POST",
        "/auth/register",
        {"ds_user": "Caixa", "ds_user_email": "caixa@example.com", "password": "s3nha-Forte-2026"},
    )
    assert status == 201
    status, login = api.call(
        "POST",
        "/auth/login",
        {"ds_user_email": "caixa@example.com", "password": "s3nha-Forte-2026"},
    )
    assert status == 200
    api.token = login["access_token"]
    status, created = api.call("POST", "/api/customers", {"ds_customer_name": "Padaria Central"})
    assert status == 201, created
    customer = created["customer"]["cd_customer"]
    status, created = api.call(
        "POST",
        "/api/products",
        {"ds_product_name": "Consultoria", "vr_price": "100.00", "id_product_type": "servico"},
    )
    assert status == 201, created
    product = created["product"]["cd_product"]
    entries = f"/api/customers/{customer}/transactions"

    # when: 8 clients replay one keyed entry at the same moment
    barrier = threading.Barrier(8)
    results: list = [None] * 8

    def replay(index: int) -> None:
        client = Api(api.base)
        client.token = api.token
        barrier.wait(timeout=10)
        results[index] = client.call(
            "POST",
            entries,
            f'{{"vr_transaction": 0.1, "id_transaction_type": 1, "cd_product": "{product}"}}',
            {"Idempotency-Key": "caixa-0001"},
        )

    threads = [threading.Thread(target=replay, args=(index,)) for index in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # then: one row, eight identical answers
    assert [status for status, _body in results] == [201] * 8, results
    assert len({json.dumps(body, sort_keys=True) for _status, body in results}) == 1
    status, listed = api.call("GET", entries)
    assert (status, listed["total"]) == (200, 1)

    # and: nine more entries of 0.10 without a key, then invalid ones that change nothing
    for _ in range(9):
        assert (
            api.call("POST", entries + "/", {"vr_transaction": "0.10", "id_transaction_type": 1})[0]
            == 201
        )
    for bad in (
        '{"vr_transaction": 0, "id_transaction_type": 1}',
        '{"vr_transaction": "1.001", "id_transaction_type": 1}',
        '{"vr_transaction": NaN, "id_transaction_type": 1}',
        '{"vr_transaction": "10", "id_transaction_type": 3}',
        '{"vr_transaction": "10", "id_transaction_type": 1, "dt_transaction": "2026-02-30"}',
        f'{{"vr_transaction": "10", "id_transaction_type": 1, "cd_product": "{customer}"}}',
    ):
        status, body = api.call("POST", entries, bad)
        assert status == 400, (bad, body)
    status, balance = api.call("GET", f"/api/customers/{customer}/balance")
    assert balance["balance"] == {
        "cd_customer": customer,
        "vr_total_entradas": "1.00",
        "vr_total_saidas": "0.00",
        "vr_saldo": "1.00",
        "qt_transactions": 10,
    }

    # a reversal, then a second one refused; no entry can be edited
    first = listed["transactions"][0]["cd_transaction"]
    assert api.call("POST", f"{entries}/{first}/reverse", {})[0] == 201
    assert api.call("POST", f"{entries}/{first}/reverse", {})[0] == 409
    assert api.call("PUT", f"{entries}/{first}", {"vr_transaction": "5"})[0] == 405
    assert api.call("DELETE", f"{entries}/{first}")[0] == 405
    status, balance = api.call("GET", f"/api/customers/{customer}/balance")
    assert balance["balance"]["vr_saldo"] == "0.90"

    status, summary = api.call("GET", "/api/transactions/summary")
    assert status == 200
    assert summary["totals"] == {
        "vr_total_entradas": "1.00",
        "vr_total_saidas": "0.10",
        "vr_saldo": "0.90",
        "qt_transactions": 11,
    }

    # the customer and the product cannot be hard-deleted while the ledger references them
    assert api.call("DELETE", f"/api/customers/{customer}?hard_delete=true")[0] == 409
    assert api.call("DELETE", f"/api/products/{product}?hard_delete=true")[0] == 409
