"""The admin of a one-domain-per-process split, for real: the launcher of ``make split`` (on
this module's own ports, databases, cache prefix and event exchange), a staff user who logs in
once at the edge's ``/admin/login/`` (the accounts process) and then uses the customers,
products and interactions admin pages, each served by the process of its domain with the same
session (``crm.staff``, ``crm.sessions``), with the monolith's permissions, CSRF through the
edge, and a session that ends in every process when accounts deactivates the user or changes
their password. With the interactions process stopped, the customer page still answers and its
ledger panel says it is unavailable."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import psycopg
import pytest
import redis

from config.split.plan import DOMAINS
from tests.platform.live import redis_delete_prefix
from tests.platform.sandbox import LEAKY_VARIABLES, PROJECT_ROOT, admin_connection

pytestmark = [pytest.mark.split, pytest.mark.needs("postgres", "redis", "rabbitmq", "nginx")]

# This module's ports (8330-8339), databases (crm_i9admin_*) and exchange (crm.events.i9admin).
EDGE_PORT, HEALTH_PORT, BASE_PORT = 8330, 8331, 8332
EDGE = f"http://127.0.0.1:{EDGE_PORT}"
DATABASE_PREFIX = "crm_i9admin_"
PASSWORD = "s3nha-Forte-2026"


def environ(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes()
    return dict(item.split("=", 1) for item in raw.decode().split("\0") if "=" in item)


class Topology:
    """``python -m config.split`` in the background, and what a test needs of it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.env = {
            name: value
            for name, value in os.environ.items()
            if name not in LEAKY_VARIABLES - {"REDIS_URL"} and not name.endswith("DATABASE_URL")
        }
        self.env.update(
            SPLIT_PORT=str(EDGE_PORT),
            SPLIT_HEALTH_PORT=str(HEALTH_PORT),
            SPLIT_BASE_PORT=str(BASE_PORT),
            SPLIT_DATABASE_PREFIX=DATABASE_PREFIX,
            SPLIT_DIR=str(folder / "state"),
            # A page of one process asks another (a panel), which may ask back: 2 workers.
            SPLIT_WORKERS="2",
            SPLIT_PG="postgres://postgres@127.0.0.1:5432",
            SECRET_KEY="i9admin-test-secret-key-0123456789abcdef0123456789",
            JWT_SECRET_KEY="i9admin-test-jwt-key-0123456789abcdef0123456789",
            CRM_SERVICE_KEY="i9admin-test-service-key-0123456789abcdef01234567",
            CACHE_KEY_PREFIX=f"i9admin-{uuid.uuid4().hex[:8]}-",
            CRM_EVENTS_EXCHANGE="crm.events.i9admin",
            CRM_REGISTRATION="closed",
        )
        self.redis_url = self.env.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
        self.log = (folder / "launcher.log").open("w+")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "config.split"],
            cwd=PROJECT_ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def command(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "config.split", *args],
            cwd=PROJECT_ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def output(self) -> str:
        self.log.flush()
        return (self.folder / "launcher.log").read_text()[-5000:]

    def process_env(self, domain: str) -> dict[str, str]:
        health = httpx.get(f"{EDGE}/health", timeout=10).json()
        return environ(health["processes"][domain]["pid"])

    def manage(self, domain: str, *args: str, extra: dict[str, str] | None = None) -> str:
        """``manage.py`` with the environment of ``domain``'s web process."""
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=PROJECT_ROOT,
            env={**self.process_env(domain), **(extra or {})},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=60)


def drop_databases() -> None:
    with admin_connection() as connection:
        for domain in DOMAINS:
            connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE_PREFIX}{domain}" WITH (FORCE)')


@pytest.fixture(scope="module")
def topology(tmp_path_factory):
    drop_databases()  # a previous run killed before its teardown
    topology = Topology(tmp_path_factory.mktemp("admin-split"))
    try:
        ready = topology.command("wait", "--timeout", "240")
        assert ready.returncode == 0, topology.output()
        yield topology
    finally:
        topology.stop()
        drop_databases()
        redis_delete_prefix(topology.redis_url, topology.env["CACHE_KEY_PREFIX"])


def rows(sql: str, value) -> dict[str, bool]:
    """Whether ``sql`` (one ``%s``) finds a row in each domain's database."""
    found = {}
    for domain in DOMAINS:
        url = f"postgresql://postgres@127.0.0.1:5432/{DATABASE_PREFIX}{domain}"
        with psycopg.connect(url) as connection:
            try:
                found[domain] = bool(connection.execute(sql, [value]).fetchone())
            except psycopg.errors.UndefinedTable:
                found[domain] = False
    return found


def fetch(sql: str, *values, domain: str):
    url = f"postgresql://postgres@127.0.0.1:5432/{DATABASE_PREFIX}{domain}"
    with psycopg.connect(url) as connection:
        return connection.execute(sql, values).fetchall()


# --- the people and the data: created through accounts (its command and its API) -------------


def api(method: str, path: str, token: str, body: dict | None = None) -> tuple[int, dict]:
    response = httpx.request(
        method,
        EDGE + path,
        json=body,
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    return response.status_code, response.json()


@pytest.fixture(scope="module")
def people(topology):
    """An admin (``createsuperuser`` in the accounts process), then staff with roles created
    by that admin through the public API (``/auth/register`` + ``/api/users/<id>``)."""
    admin_email = "admin@i9admin.example.com"
    topology.manage(
        "accounts",
        "createsuperuser",
        "--noinput",
        "--ds_user_email",
        admin_email,
        "--ds_user",
        "Alice Admin",
        extra={"DJANGO_SUPERUSER_PASSWORD": PASSWORD},
    )
    login = httpx.post(
        f"{EDGE}/auth/login", json={"ds_user_email": admin_email, "password": PASSWORD}
    )
    assert login.status_code == 200, login.text
    token = login.json()["access_token"]
    people = {"admin": {"email": admin_email, "token": token}}
    for role in ("viewer", "sales", "manager"):
        email = f"{role}-{uuid.uuid4().hex[:6]}@i9admin.example.com"
        status, body = api(
            "POST",
            "/auth/register",
            token,
            {
                "ds_user": role.title(),
                "ds_user_email": email,
                "password": PASSWORD,
                "ds_role": role,
            },
        )
        assert status == 201, body
        user_id = body["user"]["cd_user"]
        status, body = api("PATCH", f"/api/users/{user_id}", token, {"is_staff": True})
        assert status == 200, body
        people[role] = {"email": email, "id": user_id}
    people["admin"]["id"] = api("GET", "/auth/me", token)[1]["user"]["cd_user"]
    return people


@pytest.fixture(scope="module")
def customer(people):
    status, body = api(
        "POST",
        "/api/customers",
        people["admin"]["token"],
        {
            "ds_customer_name": "Cliente do Painel",
            "ds_customer_email": "painel@i9admin.example.com",
            "ds_customer_city": "Recife",
        },
    )
    assert status == 201, body
    return body["customer"]


# --- a browser: cookies, CSRF ----------------------------------------------------------------

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def browser() -> httpx.Client:
    return httpx.Client(base_url=EDGE, follow_redirects=False, timeout=30)


def csrf_token(page: httpx.Response) -> str:
    found = CSRF_FIELD.search(page.text)
    assert found, page.text[:2000]
    return found[1]


def log_in(email: str) -> httpx.Client:
    client = browser()
    form = client.get("/admin/login/?next=/admin/customers/customer/")
    assert form.status_code == 200, form.text[:500]
    answer = client.post(
        "/admin/login/?next=/admin/customers/customer/",
        data={
            "username": email,
            "password": PASSWORD,
            "csrfmiddlewaretoken": csrf_token(form),
            "next": "/admin/customers/customer/",
        },
        headers={"Referer": f"{EDGE}/admin/login/", "Origin": EDGE},
    )
    assert answer.status_code == 302, answer.text[:2000]
    assert answer.headers["location"] == "/admin/customers/customer/"
    return client


def change_form(customer: dict, **changes) -> dict:
    fields = {
        "ds_customer_name": customer["ds_customer_name"],
        "ds_customer_email": customer["ds_customer_email"],
        "ds_customer_phone": customer.get("ds_customer_phone") or "",
        "ds_customer_cpf_cnpj": customer.get("ds_customer_cpf_cnpj") or "",
        "ds_customer_address": customer.get("ds_customer_address") or "",
        "ds_customer_city": customer.get("ds_customer_city") or "",
        "ds_customer_state": customer.get("ds_customer_state") or "",
        "ds_customer_zip_code": customer.get("ds_customer_zip_code") or "",
        "ds_customer_country": customer.get("ds_customer_country") or "Brasil",
        "_save": "Salvar",
    }
    fields.update(changes)
    return fields


def post_form(client: httpx.Client, path: str, data: dict) -> httpx.Response:
    page = client.get(path)
    assert page.status_code == 200, page.text[:2000]
    return client.post(
        path,
        data={**data, "csrfmiddlewaretoken": csrf_token(page)},
        headers={"Referer": EDGE + path, "Origin": EDGE},
    )


# --- the tests ------------------------------------------------------------------------------


def test_the_edge_routes_each_domain_admin_to_its_process_and_the_rest_to_accounts(topology):
    anonymous = browser()

    answers = {
        path: anonymous.get(path)
        for path in (
            "/admin/",
            "/admin/customers/customer/",
            "/admin/products/product/",
            "/admin/interactions/transaction/",
        )
    }

    # Each answers "log in first" (its own admin exists there), sending staff to accounts.
    for path, answer in answers.items():
        assert answer.status_code == 302, (path, answer.status_code, answer.text[:300])
        assert answer.headers["location"].startswith("/admin/login/?next="), path


def test_staff_log_in_once_at_accounts_and_edit_a_customer_in_the_customers_process(
    topology, people, customer
):
    client = log_in(people["admin"]["email"])
    path = f"/admin/customers/customer/{customer['cd_customer']}/change/"

    changelist = client.get("/admin/customers/customer/")
    page = client.get(path)
    saved = post_form(client, path, change_form(customer, ds_customer_name="Cliente Renomeado"))
    products = client.get("/admin/products/product/")
    ledger = client.get("/admin/interactions/transaction/")
    index = client.get("/admin/")

    assert changelist.status_code == 200, changelist.text[:2000]
    assert "Cliente do Painel" in changelist.text
    assert page.status_code == 200, page.text[:2000]
    assert "Interações e saldo" in page.text  # the interactions panel, from its process
    assert saved.status_code == 302, saved.text[:3000]
    assert saved.headers["location"] == "/admin/customers/customer/"
    assert rows(
        "select 1 from customers.customer where ds_customer_name = %s", "Cliente Renomeado"
    ) == {"accounts": False, "customers": True, "products": False, "interactions": False}
    # the domain's audit trail records the staff user of the session, as in the monolith
    assert fetch(
        "select cd_user::text, ds_action from customers.customer_history "
        "where cd_customer = %s order by dt_event desc limit 1",
        customer["cd_customer"],
        domain="customers",
    ) == [(people["admin"]["id"], "alterado")]
    assert (products.status_code, ledger.status_code, index.status_code) == (200, 200, 200)
    assert "Alice Admin" in index.text
    # accounts' index lists every domain's sections, each linking to its own process
    for link in (
        "/admin/accounts/user/",
        "/admin/customers/customer/",
        "/admin/products/product/",
        "/admin/interactions/transaction/",
    ):
        assert f'href="{link}"' in index.text, link


def test_the_index_lists_for_a_manager_what_a_manager_may_see(topology, people):
    client = log_in(people["manager"]["email"])

    index = client.get("/admin/")

    assert index.status_code == 200
    assert 'href="/admin/customers/customer/"' in index.text
    assert 'href="/admin/customers/customer/add/"' in index.text  # managers add customers
    assert 'href="/admin/accounts/user/"' not in index.text  # users are the admins' business


def test_a_viewer_sees_the_customer_but_may_not_change_it(topology, people, customer):
    client = log_in(people["viewer"]["email"])
    path = f"/admin/customers/customer/{customer['cd_customer']}/change/"

    page = client.get(path)
    refused = client.post(
        path,
        data={
            **change_form(customer, ds_customer_name="Do Visitante"),
            "csrfmiddlewaretoken": client.cookies["csrftoken"],
        },
        headers={"Referer": EDGE + path, "Origin": EDGE},
    )

    assert page.status_code == 200, page.text[:2000]
    assert 'name="_save"' not in page.text  # read-only for a viewer
    assert refused.status_code == 403
    assert rows("select 1 from customers.customer where ds_customer_name = %s", "Do Visitante") == {
        "accounts": False,
        "customers": False,
        "products": False,
        "interactions": False,
    }


def test_sales_may_not_hard_delete_a_customer_a_manager_may_see_the_page(
    topology, people, customer
):
    sales = log_in(people["sales"]["email"])
    manager = log_in(people["manager"]["email"])
    path = f"/admin/customers/customer/{customer['cd_customer']}/delete/"

    sales_page = sales.get(path)
    sales_post = sales.post(
        path,
        data={"post": "yes", "csrfmiddlewaretoken": sales.cookies["csrftoken"]},
        headers={"Referer": EDGE + path, "Origin": EDGE},
    )
    manager_page = manager.get(path)

    assert (sales_page.status_code, sales_post.status_code) == (403, 403)
    assert manager_page.status_code == 200, manager_page.text[:2000]
    assert rows("select 1 from customers.customer where cd_customer = %s", customer["cd_customer"])[
        "customers"
    ]


def test_a_csrf_less_post_is_refused_through_the_edge(topology, people, customer):
    client = log_in(people["admin"]["email"])
    path = f"/admin/customers/customer/{customer['cd_customer']}/change/"

    refused = client.post(path, data=change_form(customer, ds_customer_name="Sem CSRF"))

    assert refused.status_code == 403
    assert not rows("select 1 from customers.customer where ds_customer_name = %s", "Sem CSRF")[
        "customers"
    ]


def test_a_user_deactivated_by_accounts_is_logged_out_of_the_customers_process(topology, people):
    client = log_in(people["viewer"]["email"])
    before = client.get("/admin/customers/customer/")

    status, body = api(
        "PATCH",
        f"/api/users/{people['viewer']['id']}",
        people["admin"]["token"],
        {"is_active": False},
    )
    after = client.get("/admin/customers/customer/")

    assert before.status_code == 200
    assert status == 200, body
    assert after.status_code == 302
    assert after.headers["location"].startswith("/admin/login/")


def test_a_password_changed_in_accounts_ends_the_session_in_the_customers_process(topology, people):
    client = log_in(people["sales"]["email"])
    admin = log_in(people["admin"]["email"])
    before = client.get("/admin/customers/customer/")

    changed = post_form(
        admin,
        f"/admin/accounts/user/{people['sales']['id']}/password/",
        {
            "usable_password": "true",
            "password1": "0utra-Senha-Forte-2026",
            "password2": "0utra-Senha-Forte-2026",
        },
    )
    after = client.get("/admin/customers/customer/")
    other_process = client.get("/admin/products/product/")

    assert before.status_code == 200
    assert changed.status_code == 302, changed.text[:3000]
    assert after.status_code == 302
    assert after.headers["location"].startswith("/admin/login/")
    assert other_process.status_code == 302  # the session is gone everywhere


def test_with_interactions_down_the_customer_page_answers_and_its_panel_says_unavailable(
    topology, people, customer
):
    client = log_in(people["admin"]["email"])
    stopped = topology.command("ctl", "stop", "interactions")
    try:
        page = client.get(f"/admin/customers/customer/{customer['cd_customer']}/change/")
        ledger = client.get("/admin/interactions/transaction/")
        products = client.get("/admin/products/product/")
        index = client.get("/admin/")
    finally:
        started = topology.command("ctl", "start", "interactions")

    assert stopped.returncode == 0, stopped.stderr
    assert page.status_code == 200, page.text[:2000]
    assert "Indisponível" in page.text
    assert ledger.status_code == 503  # the edge's answer for a process that is down
    assert json.loads(ledger.text)["error"].startswith("Serviço temporariamente indisponível")
    assert products.status_code == 200
    assert index.status_code == 200  # accounts' index: its dashboard panel says unavailable
    assert "Indisponível: o serviço interactions não respondeu." in index.text
    assert 'href="/admin/customers/customer/"' in index.text  # the others are still listed
    assert started.returncode == 0, started.stderr


def test_with_accounts_down_a_known_session_works_and_an_unknown_one_is_a_503(topology, people):
    client = log_in(people["admin"]["email"])
    assert client.get("/admin/products/product/").status_code == 200  # the record is cached
    stopped = topology.command("ctl", "stop", "accounts")
    try:
        cached = client.get("/admin/products/product/")
        # Forget the cached record (as a Redis restart would): the owner must be asked.
        store = redis.Redis.from_url(topology.redis_url)
        store.delete(f"{topology.env['CACHE_KEY_PREFIX']}:1:crm:staff:user:{people['admin']['id']}")
        unknown = client.get("/admin/products/product/")
    finally:
        started = topology.command("ctl", "start", "accounts")
    back = client.get("/admin/products/product/")

    assert stopped.returncode == 0, stopped.stderr
    assert cached.status_code == 200
    assert unknown.status_code == 503
    assert json.loads(unknown.text)["error"].startswith("O serviço accounts está indisponível")
    assert started.returncode == 0, started.stderr
    assert back.status_code == 200  # the session outlived the outage
