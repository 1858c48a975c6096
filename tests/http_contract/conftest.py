"""The HTTP contract suite: the seed's API (and what our README adds) seen by a client that
knows only a base URL.

``CRM_CONTRACT_URL`` names the deployment to test (``make split`` behind its edge:
``http://127.0.0.1:8080``). Unset, the suite starts its own: the monolith under gunicorn with
``DEBUG`` off and the seed's registration (``CRM_REGISTRATION=open
CRM_REGISTRATION_ROLE=manager``), on a scratch PostgreSQL database when ``DATABASE_URL`` is set,
on SQLite files otherwise. A deployment under test must register like the seed too: the suite
signs up its own manager (one registration and a handful of logins per run, well inside the
default throttles) and names everything it creates with a fragment of its own, so it runs on a
deployment that already holds data, and again.

Nothing here imports the application, and no test reads a database, except the split storage
checks (``CRM_CONTRACT_SPLIT_PG``, see ``test_split_storage.py``).
"""

from __future__ import annotations

import os
import socket
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests import services
from tests.platform.live import gunicorn, redis_delete_prefix
from tests.platform.sandbox import ScratchDatabase, copy_source, describe, manage, process_env

from .client import cpf, expect, new_client, tag

REDIS_URL = services.redis_url()
PASSWORD = "s3nha-Forte-2026"
#: The monolith the suite starts on its own listens in this range (the suite's ports).
PORTS = range(8400, 8500)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    # Black-box tests get no test database: marked here, before the root conftest's hook (which
    # gives every other test all the databases) reads the marker.
    for item in items:
        if Path(__file__).parent in Path(item.path).parents:
            item.add_marker(pytest.mark.black_box)
            if not os.environ.get("CRM_CONTRACT_URL", "").strip():
                # The suite starts its own gunicorn: two workers sharing Redis.
                item.add_marker(pytest.mark.needs("redis", *services.postgres_when_database_url()))


def _free_port_in_range() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise AssertionError(f"no free port in {PORTS.start}-{PORTS.stop - 1} for the contract server")


def wait_until_healthy(base_url: str, timeout: float = 60) -> None:
    """``/health`` answers 200 (a split topology may be restarting one of its processes)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            health = httpx.get(f"{base_url}/health", timeout=10)
            if health.status_code == 200:
                return
            seen = f"{health.status_code} {health.text[:2000]}"
        except httpx.HTTPError as error:
            seen = repr(error)
        if time.monotonic() > deadline:
            pytest.exit(
                f"CRM_CONTRACT_URL={base_url}: /health not 200 after {timeout:.0f}s: {seen}", 3
            )
        time.sleep(1)


@pytest.fixture(scope="session")
def contract_url(tmp_path_factory) -> Iterator[str]:
    """Base URL of the deployment under test (started here when ``CRM_CONTRACT_URL`` is unset)."""
    configured = os.environ.get("CRM_CONTRACT_URL", "").strip().rstrip("/")
    if configured:
        wait_until_healthy(configured)
        yield configured
        return

    tmp = tmp_path_factory.mktemp("http-contract")
    root = copy_source(tmp / "app")
    prefix = f"crm-test-contract-{uuid.uuid4().hex[:12]}"
    env = process_env(
        root,
        tmp / "var",
        DEBUG="false",
        SECRET_KEY="http-contract-test-secret-0123456789abcdefghij",
        JWT_SECRET_KEY="http-contract-test-jwt-key-0123456789abcdefgh",
        CRM_REGISTRATION="open",
        CRM_REGISTRATION_ROLE="manager",
        REDIS_URL=REDIS_URL,
        CACHE_KEY_PREFIX=prefix,
    )
    database = (
        ScratchDatabase(prefix="crm_http_contract") if os.environ.get("DATABASE_URL") else None
    )
    try:
        if database:
            database.__enter__()
            env["DATABASE_URL"] = database.url
        result = manage("migrate", root=root, env=env, timeout=300)
        assert result.returncode == 0, describe(result)
        with gunicorn(
            root, env, log=tmp / "gunicorn.log", workers=2, port=_free_port_in_range()
        ) as base:
            yield base
    finally:
        if database:
            database.__exit__(None, None, None)
        redis_delete_prefix(REDIS_URL, prefix)


@dataclass(frozen=True)
class Account:
    """A user the suite registered itself, logged in."""

    email: str
    password: str
    cd_user: str
    ds_user: str
    access_token: str
    refresh_token: str


def register_and_login(base_url: str, *, name: str) -> Account:
    email = f"{tag()}@contrato.example.com"
    with new_client(base_url) as client:
        registered = expect(
            client.post(
                "/auth/register",
                json={"ds_user": name, "ds_user_email": email, "password": PASSWORD},
            ),
            201,
        )
        logged_in = expect(
            client.post("/auth/login", json={"ds_user_email": email, "password": PASSWORD}), 200
        )
    assert logged_in["user"]["cd_user"] == registered["user"]["cd_user"]
    return Account(
        email=email,
        password=PASSWORD,
        cd_user=registered["user"]["cd_user"],
        ds_user=name,
        access_token=logged_in["access_token"],
        refresh_token=logged_in["refresh_token"],
    )


@pytest.fixture(scope="session")
def manager(contract_url: str) -> Account:
    """The suite's own user, registered as the seed's clients do (the seed's role: manager)."""
    return register_and_login(contract_url, name="Gerente Contrato")


@pytest.fixture(scope="session")
def api(contract_url: str, manager: Account) -> Iterator[httpx.Client]:
    """A client carrying the manager's access token."""
    with new_client(contract_url, manager.access_token) as client:
        yield client


@pytest.fixture(scope="session")
def anonymous(contract_url: str) -> Iterator[httpx.Client]:
    with new_client(contract_url) as client:
        yield client


@pytest.fixture
def make_customer(api: httpx.Client) -> Callable[..., dict]:
    """Creates a customer through the API (a unique name and CPF unless given) and returns it."""

    def create(**fields) -> dict:
        body = {"ds_customer_name": f"Cliente {tag()}", "ds_customer_cpf_cnpj": cpf(), **fields}
        return expect(api.post("/api/customers", json=body), 201)["customer"]

    return create


@pytest.fixture
def make_product(api: httpx.Client) -> Callable[..., dict]:
    def create(**fields) -> dict:
        body = {"ds_product_name": f"Produto {tag()}", "vr_price": "10.00", **fields}
        return expect(api.post("/api/products", json=body), 201)["product"]

    return create
