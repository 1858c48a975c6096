"""One code base, any cut: three gunicorn processes serving different ``CRM_DOMAINS``, each on
its own PostgreSQL database, talking over real HTTP through each other's internal API.

Cut: ``accounts,customers`` (users, customers and the admin) | ``products`` | ``interactions``.
"""

from __future__ import annotations

import contextlib
import json
import re
import uuid
from pathlib import Path

import httpx
import psycopg
import pytest
from django.conf import settings

from crm import remote
from tests import services

from .live import call, gunicorn, redis_delete_prefix
from .sandbox import ScratchDatabase, describe, manage, process_env

pytestmark = pytest.mark.needs("redis", "postgres")

REDIS_URL = services.redis_url()
EMAIL = "ana@example.com"
PASSWORD = "s3nha-Forte-2026"
#: i9core's ports (docs: tests use fixed ports of their own range so the URLs are known before
#: the processes start: each process needs the others' addresses).
PORTS = {"people": 8151, "products": 8152, "interactions": 8153}
CUTS = {"people": "accounts,customers", "products": "products", "interactions": "interactions"}


class Process:
    """A gunicorn serving one cut, which a test may stop and start again."""

    def __init__(self, name: str, root: Path, env: dict, log: Path) -> None:
        self.name, self.root, self.env, self.log = name, root, env, log
        self.base = f"http://127.0.0.1:{PORTS[name]}"
        self._stack: contextlib.ExitStack | None = None

    def start(self) -> None:
        self._stack = contextlib.ExitStack()
        self._stack.enter_context(
            # two workers: a call may come back to the process that made it (a panel asks
            # accounts for names while the page asking for the panel waits)
            gunicorn(self.root, self.env, log=self.log, port=PORTS[self.name], workers=2)
        )

    def stop(self) -> None:
        if self._stack is not None:
            self._stack.close()
            self._stack = None


@pytest.fixture(scope="module")
def split(app_copy: Path, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("split")
    prefix = f"crm-test-split-{uuid.uuid4().hex[:12]}"
    remotes = {
        "CRM_REMOTE_ACCOUNTS_URL": f"http://127.0.0.1:{PORTS['people']}",
        "CRM_REMOTE_CUSTOMERS_URL": f"http://127.0.0.1:{PORTS['people']}",
        "CRM_REMOTE_PRODUCTS_URL": f"http://127.0.0.1:{PORTS['products']}",
        "CRM_REMOTE_INTERACTIONS_URL": f"http://127.0.0.1:{PORTS['interactions']}",
    }
    databases = {name: ScratchDatabase(prefix=f"crm_i9core_{name}") for name in CUTS}
    processes: dict[str, Process] = {}
    with contextlib.ExitStack() as stack:
        for database in databases.values():
            stack.enter_context(database)
        for name, domains in CUTS.items():
            env = process_env(
                app_copy,
                tmp / name,
                DEBUG="false",
                SECRET_KEY="split-test-secret-0123456789abcdef0123456789",
                JWT_SECRET_KEY="split-test-jwt-key-0123456789abcdef0123456789",
                CRM_SERVICE_KEY=settings.CRM_SERVICE_KEY,
                CRM_DOMAINS=domains,
                DATABASE_URL=databases[name].url,
                REDIS_URL=REDIS_URL,
                CACHE_KEY_PREFIX=prefix,
                CRM_REMOTE_RETRIES="1",
                DJANGO_SUPERUSER_DS_USER_EMAIL=EMAIL,
                DJANGO_SUPERUSER_DS_USER="Ana",
                DJANGO_SUPERUSER_PASSWORD=PASSWORD,
                **remotes,
            )
            result = manage("migrate", root=app_copy, env=env)
            assert result.returncode == 0, describe(result)
            if name == "people":
                result = manage("createsuperuser", "--noinput", root=app_copy, env=env)
                assert result.returncode == 0, describe(result)
            processes[name] = Process(name, app_copy, env, tmp / f"{name}.log")
        try:
            for process in processes.values():
                process.start()
            yield processes, databases
        finally:
            for process in processes.values():
                process.stop()
            redis_delete_prefix(REDIS_URL, prefix)


def body(answer) -> dict:
    return json.loads(answer[2])


@pytest.fixture(scope="module")
def token(split) -> str:
    processes, _databases = split
    status, _headers, content = call(
        processes["people"].base,
        "POST",
        "/auth/login",
        {"ds_user_email": EMAIL, "password": PASSWORD},
    )
    assert status == 200, content
    return json.loads(content)["access_token"]


@pytest.fixture(scope="module")
def customer(split, token) -> dict:
    processes, _databases = split
    status, _headers, content = call(
        processes["people"].base,
        "POST",
        "/api/customers",
        {"ds_customer_name": "Cliente Dividido", "ds_customer_email": "dividido@example.com"},
        token=token,
    )
    assert status == 201, content
    return json.loads(content)["customer"]


def rows(database: ScratchDatabase, sql: str) -> list[tuple]:
    with database.connect() as connection:
        return connection.execute(sql).fetchall()


def tables(database: ScratchDatabase) -> set[tuple[str, str]]:
    return set(
        rows(
            database,
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')",
        )
    )


def test_each_process_migrates_and_serves_only_its_domains(split, token):
    processes, databases = split
    schemas = {name: {schema for schema, _table in tables(db)} for name, db in databases.items()}
    assert schemas == {
        "people": {"accounts", "customers"},
        "products": {"products"},
        "interactions": {"interactions"},
    }
    # the products process does not serve customers' routes, nor accounts'
    for path in ("/api/customers", "/auth/login"):
        assert call(processes["products"].base, "GET", path, token=token)[0] == 404
    # its admin (products only) sends staff to log in where users are (crm.staff)
    admin = httpx.get(f"{processes['products'].base}/admin/products/product/", timeout=30)
    assert admin.status_code == 302
    assert admin.headers["location"] == "/admin/login/?next=/admin/products/product/"


def test_a_customer_created_in_one_process_gets_a_ledger_entry_in_another(split, token, customer):
    processes, databases = split

    status, _headers, content = call(
        processes["interactions"].base,
        "POST",
        f"/api/customers/{customer['cd_customer']}/transactions",
        {"vr_transaction": "150.00", "id_transaction_type": 1, "dt_transaction": "2026-11-02"},
        token=token,
    )

    assert status == 201, content
    stored = rows(databases["interactions"], "SELECT cd_customer FROM interactions.transaction")
    assert stored == [(uuid.UUID(customer["cd_customer"]),)]
    # the customer's row lives only in the customers' database
    with pytest.raises(psycopg.errors.UndefinedTable):
        rows(databases["interactions"], "SELECT 1 FROM customers.customer")


def test_an_unknown_customer_is_refused_by_the_remote_check(split, token):
    processes, databases = split

    status, _headers, content = call(
        processes["interactions"].base,
        "POST",
        f"/api/customers/{uuid.uuid4()}/interactions",
        {"ds_notes": "Ligação", "id_interaction_type": "ligacao"},
        token=token,
    )

    assert status == 404, content
    assert json.loads(content) == {"error": "Cliente não encontrado."}  # CustomerNotFound crossed
    assert rows(databases["interactions"], "SELECT count(*) FROM interactions.interaction") == [
        (0,)
    ]


def test_a_domain_error_crosses_as_its_own_class(split, token, customer):
    processes, _databases = split

    # the ledger catches products' ProductNotFound (raised in the products process)
    status, _headers, content = call(
        processes["interactions"].base,
        "POST",
        f"/api/customers/{customer['cd_customer']}/transactions",
        {
            "vr_transaction": "10.00",
            "id_transaction_type": 1,
            "dt_transaction": "2026-11-02",
            "cd_product": str(uuid.uuid4()),
        },
        token=token,
    )

    assert status == 400, content
    assert json.loads(content) == {"error": "Produto não encontrado."}


def test_the_hard_delete_guard_of_another_process_refuses_with_409(split, token, customer):
    processes, databases = split

    status, _headers, content = call(
        processes["people"].base,
        "DELETE",
        f"/api/customers/{customer['cd_customer']}?hard_delete=true",
        token=token,
    )

    assert status == 409, content
    assert "lançamentos" in json.loads(content)["error"]
    assert rows(databases["people"], "SELECT count(*) FROM customers.customer") == [(1,)]


def test_a_product_with_ledger_entries_is_not_hard_deleted_either(split, token, customer):
    processes, databases = split
    status, _headers, content = call(
        processes["products"].base,
        "POST",
        "/api/products",
        {"ds_product_name": "Consultoria", "vr_price": "99.90", "id_product_type": "servico"},
        token=token,
    )
    assert status == 201, content
    product_id = json.loads(content)["product"]["cd_product"]
    status, _headers, content = call(
        processes["interactions"].base,
        "POST",
        f"/api/customers/{customer['cd_customer']}/transactions",
        {
            "vr_transaction": "99.90",
            "id_transaction_type": 1,
            "dt_transaction": "2026-11-03",
            "cd_product": product_id,
        },
        token=token,
    )
    assert status == 201, content

    status, _headers, content = call(
        processes["products"].base,
        "DELETE",
        f"/api/products/{product_id}?hard_delete=true",
        token=token,
    )

    assert status == 409, content
    assert rows(databases["products"], "SELECT count(*) FROM products.product") == [(1,)]


def test_a_user_token_is_refused_on_the_internal_api(split, token, customer):
    processes, _databases = split

    status, _headers, content = call(
        processes["people"].base,
        "POST",
        "/internal/customers/customer_summaries",
        {"customer_ids": [customer["cd_customer"]]},
        token=token,
    )

    assert status in {401, 403}
    assert set(json.loads(content)) == {"error"}


def test_a_service_token_reads_the_internal_api_and_is_refused_on_the_public_one(split, customer):
    processes, _databases = split
    service_token = remote.service_token_issue()

    internal = call(
        processes["people"].base,
        "POST",
        "/internal/customers/customer_summaries",
        {"customer_ids": [customer["cd_customer"]]},
        token=service_token,
    )
    public = call(processes["people"].base, "GET", "/api/customers", token=service_token)

    assert internal[0] == 200, internal[2]
    assert body(internal)["result"][customer["cd_customer"]]["ds_customer_name"] == (
        "Cliente Dividido"
    )
    assert public[0] == 401
    assert set(body(public)) == {"error"}


def test_users_are_checked_through_the_accounts_process_and_a_logout_holds_everywhere(
    split, customer
):
    processes, _databases = split
    status, _headers, content = call(
        processes["people"].base,
        "POST",
        "/auth/login",
        {"ds_user_email": EMAIL, "password": PASSWORD},
    )
    assert status == 200, content
    login = json.loads(content)
    balance = f"/api/customers/{customer['cd_customer']}/balance"
    # nothing cached in the shared Redis: the interactions process asks accounts over HTTP
    redis_delete_prefix(REDIS_URL, split_prefix(processes))

    before = call(processes["interactions"].base, "GET", balance, token=login["access_token"])
    logout = call(
        processes["people"].base,
        "POST",
        "/auth/logout",
        {"refresh_token": login["refresh_token"]},
        token=login["access_token"],
    )
    after = call(processes["interactions"].base, "GET", balance, token=login["access_token"])

    assert before[0] == 200, before[2]
    assert body(before)["balance"]["vr_saldo"] == "249.90"
    assert logout[0] == 200, logout[2]
    assert after[0] == 401, after[2]
    assert set(body(after)) == {"error"}


def split_prefix(processes: dict[str, Process]) -> str:
    return processes["people"].env["CACHE_KEY_PREFIX"]


def admin_session(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30)
    page = client.get("/admin/login/")
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = client.post(
        "/admin/login/?next=/admin/",
        data={"username": EMAIL, "password": PASSWORD, "csrfmiddlewaretoken": csrf},
        headers={"Referer": base + "/admin/login/"},
    )
    assert answer.status_code == 302, answer.text[:500]
    return client


def test_the_customer_page_shows_the_remote_panel_and_says_when_it_is_unavailable(
    split, token, customer
):
    processes, databases = split
    client = admin_session(processes["people"].base)
    page = f"/admin/customers/customer/{customer['cd_customer']}/change/"

    up = client.get(page)
    processes["interactions"].stop()
    try:
        down = client.get(page)
        index = client.get("/admin/")
        hard_delete = call(
            processes["people"].base,
            "DELETE",
            f"/api/customers/{customer['cd_customer']}?hard_delete=true",
            token=token,
        )
    finally:
        processes["interactions"].start()

    assert up.status_code == 200
    assert "Interações e saldo" in up.text, re.findall(r"crm-panel.{0,600}", up.text, re.S)
    assert "249,90" in up.text  # the balance, computed by the interactions process
    assert down.status_code == 200
    assert "Indisponível" in down.text
    assert index.status_code == 200
    assert "Indisponível" in index.text
    # the guard cannot be asked: refused (503), nothing deleted
    assert hard_delete[0] == 503, hard_delete[2]
    assert set(body(hard_delete)) == {"error"}
    assert rows(databases["people"], "SELECT count(*) FROM customers.customer") == [(1,)]


def test_interactions_answers_503_when_the_customers_process_is_down(split, token, customer):
    processes, databases = split
    # the token was checked before: its state is in the shared cache (Redis)
    balance = f"/api/customers/{customer['cd_customer']}/balance"
    assert call(processes["interactions"].base, "GET", balance, token=token)[0] == 200
    processes["people"].stop()
    try:
        answer = call(
            processes["interactions"].base,
            "POST",
            f"/api/customers/{customer['cd_customer']}/interactions",
            {"ds_notes": "Ligação", "id_interaction_type": "ligacao"},
            token=token,
        )
    finally:
        processes["people"].start()

    assert answer[0] == 503, answer[2]
    assert "indisponível" in body(answer)["error"]
    assert rows(databases["interactions"], "SELECT count(*) FROM interactions.interaction") == [
        (0,)
    ]
