"""``make split`` for real: the launcher (``python -m config.split``, what the make target runs)
started as a separate process with its own ports, databases and state folder; a client talks to
its nginx edge over HTTP. Then a domain process is killed and comes back, one is stopped and
started on request, and SIGTERM stops everything the launcher started."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import psycopg
import pytest

from config.split.plan import DOMAINS, EVENT_COMMANDS, management_command_exists
from config.split.supervisor import port_free
from tests import services
from tests.platform.live import call
from tests.platform.sandbox import LEAKY_VARIABLES, PROJECT_ROOT, admin_connection

# The launcher checks each before it starts anything (config/split/supervisor.py).
pytestmark = [pytest.mark.split, pytest.mark.needs("postgres", "redis", "rabbitmq", "nginx")]

EDGE_PORT, HEALTH_PORT, BASE_PORT = 8310, 8311, 8312
PORTS = {domain: BASE_PORT + index for index, domain in enumerate(DOMAINS)}
EDGE = f"http://127.0.0.1:{EDGE_PORT}"
MARKER = f"handed-over-{uuid.uuid4().hex[:8]}"


def environ(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes()
    return dict(item.split("=", 1) for item in raw.decode().split("\0") if "=" in item)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"


def health() -> tuple[int, dict]:
    status, _headers, body = call(EDGE, "GET", "/health")
    return status, json.loads(body)


def wait_for(predicate, timeout: float = 120, message: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, message or "timed out"
        threading.Event().wait(0.5)


class Launcher:
    def __init__(self, folder: Path, prefix: str) -> None:
        self.folder, self.prefix = folder, prefix
        self.env = {
            name: value
            for name, value in os.environ.items()
            if name not in LEAKY_VARIABLES - {"REDIS_URL", "CACHE_KEY_PREFIX"}
            and not name.endswith("DATABASE_URL")
        }
        self.env.update(
            SPLIT_PORT=str(EDGE_PORT),
            SPLIT_HEALTH_PORT=str(HEALTH_PORT),
            SPLIT_BASE_PORT=str(BASE_PORT),
            SPLIT_DATABASE_PREFIX=prefix,
            SPLIT_DIR=str(folder / "state"),
            SPLIT_WORKERS="1",
            SPLIT_PG=services.postgres_url(""),
            SECRET_KEY="split-test-secret-key-0123456789abcdef0123456789",
            JWT_SECRET_KEY="split-test-jwt-key-0123456789abcdef0123456789",
            CRM_SERVICE_KEY="split-test-service-key-0123456789abcdef01234567",
            CRM_REGISTRATION="open",
            CRM_REGISTRATION_ROLE="manager",
            SPLIT_TEST_MARKER=MARKER,
        )
        self.log = (folder / "launcher.log").open("w+")
        self.process: subprocess.Popen | None = None

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

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "config.split"],
            cwd=PROJECT_ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def output(self) -> str:
        self.log.flush()
        return (self.folder / "launcher.log").read_text()

    def state(self) -> dict:
        return json.loads((self.folder / "state" / "state.json").read_text())


@pytest.fixture(scope="module")
def launcher(tmp_path_factory):
    prefix = f"crm_split_{uuid.uuid4().hex[:8]}_"
    launcher = Launcher(tmp_path_factory.mktemp("split"), prefix)
    launcher.start()
    try:
        ready = launcher.command("wait", "--timeout", "240")
        assert ready.returncode == 0, launcher.output()
        yield launcher
    finally:
        if launcher.process.poll() is None:
            launcher.process.send_signal(signal.SIGTERM)
            launcher.process.wait(timeout=60)
        with admin_connection() as connection:
            for domain in DOMAINS:
                connection.execute(f'DROP DATABASE IF EXISTS "{prefix}{domain}" WITH (FORCE)')


def test_it_announces_ready_and_every_process_is_healthy_behind_the_edge(launcher):
    # READY follows the web processes and the edge; the event commands beside them may still be
    # starting for a moment on a busy machine (/health says 503 until they run).
    wait_for(lambda: health()[0] == 200, timeout=60, message=f"/health never 200: {health()}")
    status, body = health()

    assert "SPLIT READY http://127.0.0.1:8310" in launcher.output()
    assert launcher.state()["ready"] is True
    assert status == 200, body
    assert body["status"] == "ok"
    web = {name: state for name, state in body["processes"].items() if state["kind"] == "web"}
    assert set(web) == set(DOMAINS)
    for domain, state in web.items():
        assert state["url"] == f"http://127.0.0.1:{PORTS[domain]}"
        assert (state["state"], state["restarts"], state["health"]) == (
            "running",
            0,
            {"status": "ok"},
        )
        assert alive(state["pid"])


def test_event_commands_run_beside_each_domain_once_they_exist(launcher):
    _status, body = health()
    event_processes = {
        name for name, state in body["processes"].items() if state["kind"] in EVENT_COMMANDS
    }
    expected = {
        f"{domain}-{kind}"
        for kind, command in EVENT_COMMANDS.items()
        if management_command_exists(PROJECT_ROOT, command)
        for domain in DOMAINS
    }

    assert event_processes == expected


def test_each_process_gets_the_launcher_environment_its_cut_and_its_own_database(launcher):
    processes = health()[1]["processes"]

    for domain in DOMAINS:
        env = environ(processes[domain]["pid"])
        assert env["SPLIT_TEST_MARKER"] == MARKER  # the launcher's environment, handed over
        assert env["DEBUG"] == "false"
        assert env["CRM_DOMAINS"] == domain
        assert env["DATABASE_URL"].endswith(f"/{launcher.prefix}{domain}")
        assert env["JWT_SECRET_KEY"] == launcher.env["JWT_SECRET_KEY"]
        assert env["CRM_SERVICE_KEY"] == launcher.env["CRM_SERVICE_KEY"]
        assert {name: value for name, value in env.items() if name.startswith("CRM_REMOTE_")} == {
            f"CRM_REMOTE_{other.upper()}_URL": f"http://127.0.0.1:{PORTS[other]}"
            for other in DOMAINS
            if other != domain
        }


def test_each_domain_database_was_created_and_holds_its_migrated_schema(launcher):
    for domain in DOMAINS:
        url = services.postgres_url(f"{launcher.prefix}{domain}")
        with psycopg.connect(url) as connection:
            tables = connection.execute(
                "select count(*) from information_schema.tables where table_schema = %s",
                [domain],
            ).fetchone()[0]
            migrations = connection.execute(
                f"select count(*) from {domain}.django_migrations"
            ).fetchone()[0]
        assert tables > 1 and migrations > 0, domain


def test_a_client_registers_through_the_edge_and_the_user_lives_in_the_accounts_database(
    launcher,
):
    email = f"split-{uuid.uuid4().hex[:8]}@example.com"

    status, _headers, body = call(
        EDGE,
        "POST",
        "/auth/register",
        {"ds_user": "Ana Split", "ds_user_email": email, "password": "s3nha-Forte-2026"},
    )
    login_status, _headers, login = call(
        EDGE, "POST", "/auth/login/", {"ds_user_email": email, "password": "s3nha-Forte-2026"}
    )

    assert status == 201, body
    assert login_status == 200, login
    assert json.loads(login)["access_token"]
    found = {}
    for domain in DOMAINS:
        url = services.postgres_url(f"{launcher.prefix}{domain}")
        with psycopg.connect(url) as connection:
            exists = connection.execute(
                "select 1 from information_schema.tables "
                "where table_schema = 'accounts' and table_name = 'user'"
            ).fetchone()
            found[domain] = bool(exists) and bool(
                connection.execute(
                    'select 1 from accounts."user" where ds_user_email = %s', [email]
                ).fetchone()
            )
    assert found == {"accounts": True, "customers": False, "products": False, "interactions": False}


def rows(launcher: Launcher, sql: str, value) -> dict[str, bool]:
    """Whether ``sql`` (one ``%s``) finds a row in each domain's database (False where the
    table does not even exist there)."""
    found = {}
    for domain in DOMAINS:
        url = services.postgres_url(f"{launcher.prefix}{domain}")
        with psycopg.connect(url) as connection:
            try:
                found[domain] = bool(connection.execute(sql, [value]).fetchone())
            except psycopg.errors.UndefinedTable:
                found[domain] = False
    return found


def test_each_database_holds_only_the_schema_of_its_domain(launcher):
    for domain in DOMAINS:
        url = services.postgres_url(f"{launcher.prefix}{domain}")
        with psycopg.connect(url) as connection:
            schemas = {
                schema
                for (schema,) in connection.execute(
                    "select distinct table_schema from information_schema.tables "
                    "where table_schema not in ('pg_catalog', 'information_schema')"
                ).fetchall()
            }
        assert schemas == {domain}, domain


def test_the_seed_flow_through_the_edge_keeps_each_row_in_its_own_domain_database(launcher):
    email = f"flow-{uuid.uuid4().hex[:8]}@example.com"
    credentials = {"ds_user_email": email, "password": "s3nha-Forte-2026"}
    call(EDGE, "POST", "/auth/register", {"ds_user": "Bia Fluxo", **credentials})
    token = json.loads(call(EDGE, "POST", "/auth/login", credentials)[2])["access_token"]

    def send(method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        status, _headers, answer = call(EDGE, method, path, body, token=token)
        return status, json.loads(answer)

    created, customer = send(
        "POST",
        "/api/customers",
        {"ds_customer_name": "Cliente Dividido", "ds_customer_email": email},
    )
    customer_id = customer["customer"]["cd_customer"]
    product_status, product = send(
        "POST", "/api/products", {"ds_product_name": "Consultoria", "vr_price": "150.00"}
    )
    product_id = product["product"]["cd_product"]
    noted, interaction = send(
        "POST",
        f"/api/customers/{customer_id}/interactions",
        {"ds_notes": "Primeiro contato", "id_interaction_type": "ligacao"},
    )
    listed, interactions = send("GET", f"/api/customers/{customer_id}/interactions")
    booked, _entry = send(
        "POST",
        f"/api/customers/{customer_id}/transactions",
        {"vr_transaction": "1250.90", "id_transaction_type": 1, "cd_product": product_id},
    )
    balance_status, balance = send("GET", f"/api/customers/{customer_id}/balance")
    unknown_status, _unknown = send(
        "POST",
        f"/api/customers/{uuid.uuid4()}/interactions",
        {"ds_notes": "Ninguém", "id_interaction_type": "ligacao"},
    )
    refused, refusal = send("DELETE", f"/api/customers/{customer_id}?hard_delete=true")
    product_refused, _ = send("DELETE", f"/api/products/{product_id}?hard_delete=true")

    assert (created, product_status, noted, listed, booked, balance_status) == (
        201,
        201,
        201,
        200,
        201,
        200,
    )
    assert [item["cd_interaction"] for item in interactions["interactions"]] == [
        interaction["interaction"]["cd_interaction"]
    ]
    assert balance["balance"]["vr_saldo"] == "1250.90"
    assert unknown_status == 404  # the customer is checked in the customers process
    # the guards hold across processes: nothing deleted
    assert (refused, product_refused) == (409, 409)
    assert "error" in refusal
    assert rows(
        launcher, "select 1 from customers.customer where cd_customer = %s", customer_id
    ) == {
        "accounts": False,
        "customers": True,
        "products": False,
        "interactions": False,
    }
    assert rows(
        launcher, "select 1 from interactions.interaction where cd_customer = %s", customer_id
    ) == {"accounts": False, "customers": False, "products": False, "interactions": True}
    assert rows(launcher, "select 1 from products.product where cd_product = %s", product_id) == {
        "accounts": False,
        "customers": False,
        "products": True,
        "interactions": False,
    }


def test_internal_routes_are_not_reachable_through_the_edge(launcher):
    status, _headers, body = call(EDGE, "GET", "/internal/customers/")

    assert status == 404
    assert json.loads(body) == {"error": "Recurso não encontrado."}


def test_a_killed_domain_process_is_reported_down_then_comes_back(launcher):
    before = health()[1]["processes"]["products"]
    os.kill(before["pid"], signal.SIGKILL)

    wait_for(lambda: health()[0] == 503, 30, "the edge's /health never noticed")
    down = health()[1]
    status, _headers, body = call(EDGE, "GET", "/api/products")
    wait_for(lambda: health()[0] == 200, 120, launcher.output()[-3000:])
    after = health()[1]["processes"]["products"]

    assert down["status"] == "unavailable"
    assert down["processes"]["products"]["state"] in {"restarting", "starting"}
    assert down["processes"]["customers"]["state"] == "running"
    assert status in {503, 401}  # down (the edge's 503) or already back (asks for a token)
    if status == 503:
        assert json.loads(body)["error"].startswith("Serviço temporariamente indisponível")
    assert after["restarts"] == 1
    assert after["pid"] != before["pid"]
    assert "products exited with -9" in launcher.output()


def test_a_process_stopped_on_request_stays_down_until_started(launcher):
    stopped = launcher.command("ctl", "stop", "customers")
    status_while_stopped, body_while_stopped = health()
    edge_status, _headers, _body = call(EDGE, "GET", "/api/customers")
    time.sleep(3)  # the watcher would have restarted a crashed process by now
    still = health()[1]["processes"]["customers"]
    started = launcher.command("ctl", "start", "customers")

    assert stopped.returncode == 0, stopped.stderr
    assert status_while_stopped == 503
    assert body_while_stopped["processes"]["customers"]["state"] == "stopped"
    assert body_while_stopped["processes"]["customers"]["pid"] is None
    assert edge_status == 503
    assert still["state"] == "stopped"
    assert started.returncode == 0, started.stderr
    assert health()[0] == 200


def test_sigterm_stops_every_process_it_started_and_frees_every_port(launcher):
    # A process that finished (an event command with nothing to do) has no pid any more.
    processes = health()[1]["processes"].values()
    pids = [state["pid"] for state in processes if state["pid"] is not None]
    pids.append(launcher.state()["edge_pid"])
    groups = {os.getpgid(pid) for pid in pids}

    launcher.process.send_signal(signal.SIGTERM)
    code = launcher.process.wait(timeout=60)

    assert code == 0, launcher.output()[-3000:]
    assert [pid for pid in pids if alive(pid)] == []
    # nothing left of any group either (gunicorn workers, nginx workers)
    leftovers = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getpgid(int(entry.name)) in groups and alive(int(entry.name)):
                    leftovers.append(int(entry.name))
            except (ProcessLookupError, FileNotFoundError):
                pass
    assert leftovers == []
    assert all(port_free("127.0.0.1", port) for port in (EDGE_PORT, HEALTH_PORT, *PORTS.values()))
    assert not (launcher.folder / "state" / "state.json").exists()
    assert "stopped" in launcher.output().splitlines()[-1]
