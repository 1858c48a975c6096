"""``make bench-split``: the price of the hop, the monolith and the split topology side by side.

One run:

1. the **monolith** (gunicorn, ``config.wsgi``, every domain in one process, ``DEBUG`` off) on
   ``SPLIT_BENCH_PORT`` over its own database (``crm_hop_monolith``), and the **split topology**
   (``config.split``, what ``make split`` starts: one gunicorn per domain, each over its own
   database ``crm_hop_<domain>``, and the nginx edge) on the next ports; the same number of
   gunicorn workers everywhere, secrets and a Redis key prefix generated for the run;
2. in each, one user registers and logs in, one customer gets ``SPLIT_BENCH_INTERACTIONS``
   interactions (the list's first page is full);
3. one client (keep-alive connection, one request at a time: the latency of a request, not the
   throughput of a server) sends ``GET /api/customers/<id>/interactions`` and
   ``POST /api/customers/<id>/transactions`` to the monolith, to the split through its edge, and
   to the split's interactions process directly (the edge's share of the price), interleaved in
   blocks so a change of the machine's load hits every target alike;
4. it prints p50/p99 of each, the ratio split/monolith, and writes everything to
   ``bench/results/split-hop-<timestamp>.json``. It prints figures; it never fails on them.

Environment knobs: ``Settings`` below (README "Split topology").
"""

from __future__ import annotations

import http.client
import json
import os
import platform
import secrets
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from config.split.plan import DOMAINS, make_plan, with_database  # noqa: E402
from config.split.supervisor import Topology, port_free  # noqa: E402

RESULTS = ROOT / "bench" / "results"
PASSWORD = "s3nha-Forte-bench-2026"


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, "").strip() or default)


@dataclass(frozen=True)
class Settings:
    requests: int = env_int("SPLIT_BENCH_REQUESTS", 600)  # measured, per endpoint and target
    warmup: int = env_int("SPLIT_BENCH_WARMUP", 50)  # unmeasured, per endpoint and target
    block: int = env_int("SPLIT_BENCH_BLOCK", 50)  # requests in a row before switching target
    workers: int = env_int("SPLIT_BENCH_WORKERS", 2)  # gunicorn workers of every process
    interactions: int = env_int("SPLIT_BENCH_INTERACTIONS", 30)
    port: int = env_int("SPLIT_BENCH_PORT", 8390)  # monolith; the split's ports follow
    postgres: str = os.environ.get("SPLIT_PG", "").strip() or "postgres://postgres@127.0.0.1:5432"
    redis_url: str = os.environ.get("REDIS_URL", "").strip() or "redis://127.0.0.1:6379/0"
    # The cut to compare with the monolith (SPLIT_PROCESSES' syntax): every domain alone.
    processes: str = os.environ.get("SPLIT_BENCH_PROCESSES", "").strip() or ",".join(DOMAINS)


# --- the two systems ---------------------------------------------------------------------------
def shared_environment(settings: Settings, run_id: str) -> dict[str, str]:
    """What both systems get: the same secrets, Redis, open registration, no .env."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.endswith("DATABASE_URL")
        and not name.startswith(("CRM_REMOTE_", "SPLIT_", "DJANGO_SETTINGS_MODULE"))
    }
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        JWT_SECRET_KEY=secrets.token_urlsafe(50),
        CRM_SERVICE_KEY=secrets.token_urlsafe(50),
        REDIS_URL=settings.redis_url,
        CACHE_KEY_PREFIX=f"crm-hop-{run_id}",
        CRM_REGISTRATION="open",
        CRM_REGISTRATION_ROLE="manager",
        PYTHONWARNINGS="ignore:No directory at:UserWarning",
    )
    return env


def start_monolith(settings: Settings, env: dict[str, str], log_path: Path) -> subprocess.Popen:
    database = with_database(settings.postgres, "crm_hop_monolith")
    ensure_database(settings, "crm_hop_monolith")
    env = {**env, "DATABASE_URL": database, "DJANGO_SETTINGS_MODULE": "config.settings.base"}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    log = log_path.open("w")
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi:application",
            *("--bind", f"127.0.0.1:{settings.port}"),
            *("--workers", str(settings.workers)),
            *("--timeout", "60", "--no-control-socket"),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while True:
        try:
            if request(f"127.0.0.1:{settings.port}", "GET", "/health")[0] == 200:
                return process
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"the monolith did not start; see {log_path}")
        time.sleep(0.3)


def ensure_database(settings: Settings, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(with_database(settings.postgres, "postgres"), autocommit=True) as db:
        if not db.execute("select 1 from pg_database where datname = %s", [name]).fetchone():
            db.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def split_topology(settings: Settings, env: dict[str, str], log_path: Path) -> Topology:
    plan = make_plan(
        {
            **env,
            "SPLIT_PORT": str(settings.port + 1),
            "SPLIT_HEALTH_PORT": str(settings.port + 2),
            "SPLIT_BASE_PORT": str(settings.port + 3),
            "SPLIT_PG": settings.postgres,
            "SPLIT_DATABASE_PREFIX": "crm_hop_",
            "SPLIT_WORKERS": str(settings.workers),
            "SPLIT_PROCESSES": settings.processes,
            "SPLIT_DIR": str(ROOT / "var" / "split-bench"),
        },
        ROOT,
    )
    return Topology(plan, out=log_path.open("w"))


# --- HTTP ----------------------------------------------------------------------------------------
class Client:
    """One keep-alive connection to ``address`` (``host:port``)."""

    def __init__(self, address: str, token: str | None = None) -> None:
        self.address, self.token = address, token
        host, port = address.split(":")
        self.connection = http.client.HTTPConnection(host, int(port), timeout=30)

    def send(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
        headers = {"Host": self.address, "Accept": "application/json"}
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            self.connection.request(method, path, body=payload, headers=headers)
            response = self.connection.getresponse()
            return response.status, response.read()
        except (http.client.HTTPException, OSError):
            self.connection.close()  # the server closed a kept-alive connection: once more
            self.connection.request(method, path, body=payload, headers=headers)
            response = self.connection.getresponse()
            return response.status, response.read()


def request(address: str, method: str, path: str, body: dict | None = None, token=None):
    client = Client(address, token)
    try:
        return client.send(method, path, body)
    finally:
        client.connection.close()


def expect(answer: tuple[int, bytes], status: int, what: str) -> dict:
    if answer[0] != status:
        raise SystemExit(f"{what}: {answer[0]} {answer[1][:500]!r}")
    return json.loads(answer[1])


def prepare(address: str, interactions: int) -> tuple[str, str]:
    """A user, a customer with ``interactions`` interactions; returns (token, customer id)."""
    email = f"hop-{uuid.uuid4().hex[:10]}@bench.example"
    expect(
        request(
            address,
            "POST",
            "/auth/register",
            {"ds_user": "Bench Hop", "ds_user_email": email, "password": PASSWORD},
        ),
        201,
        f"register at {address}",
    )
    token = expect(
        request(address, "POST", "/auth/login", {"ds_user_email": email, "password": PASSWORD}),
        200,
        f"login at {address}",
    )["access_token"]
    client = Client(address, token)
    customer = expect(
        client.send(
            "POST",
            "/api/customers",
            {"ds_customer_name": "Cliente do Bench", "ds_customer_email": email},
        ),
        201,
        "create customer",
    )["customer"]["cd_customer"]
    for number in range(interactions):
        expect(
            client.send(
                "POST",
                f"/api/customers/{customer}/interactions",
                {"ds_notes": f"interação {number}", "id_interaction_type": "ligacao"},
            ),
            201,
            "create interaction",
        )
    client.connection.close()
    return token, customer


# --- measuring ---------------------------------------------------------------------------------
ENDPOINTS = {
    "interactions_list": ("GET", "/api/customers/{customer}/interactions", None, 200),
    "ledger_post": (
        "POST",
        "/api/customers/{customer}/transactions",
        {"vr_transaction": "10.50", "id_transaction_type": 1},
        201,
    ),
}


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def measure(settings: Settings, targets: dict[str, dict]) -> dict[str, dict[str, dict]]:
    """targets: name -> {"address", "token", "customer"}. Interleaved blocks per endpoint."""
    results: dict[str, dict[str, dict]] = {}
    for key, (method, template, body, status) in ENDPOINTS.items():
        clients = {name: Client(t["address"], t["token"]) for name, t in targets.items()}
        samples: dict[str, list[float]] = {name: [] for name in targets}
        errors = dict.fromkeys(targets, 0)
        for name, client in clients.items():  # warm-up, unmeasured
            path = template.format(customer=targets[name]["customer"])
            for _ in range(settings.warmup):
                client.send(method, path, body)
        remaining = settings.requests
        while remaining > 0:
            count = min(settings.block, remaining)
            for name, client in clients.items():
                path = template.format(customer=targets[name]["customer"])
                for _ in range(count):
                    started = time.perf_counter()
                    answer = client.send(method, path, body)
                    samples[name].append((time.perf_counter() - started) * 1000)
                    errors[name] += answer[0] != status
            remaining -= count
        results[key] = {
            name: {
                "p50_ms": round(percentile(values, 0.50), 2),
                "p99_ms": round(percentile(values, 0.99), 2),
                "mean_ms": round(statistics.fmean(values), 2),
                "requests": len(values),
                "unexpected_status": errors[name],
            }
            for name, values in samples.items()
        }
        for client in clients.values():
            client.connection.close()
    return results


def report(results: dict) -> list[str]:
    lines = [
        "price of the hop: one client, one request at a time (latency in ms)",
        f"{'endpoint':<46}{'monolith':>18}{'split via edge':>20}{'split direct':>18}"
        f"{'ratio edge/mono':>18}",
    ]
    for key, (method, template, _body, _status) in ENDPOINTS.items():
        row = results[key]
        for stat in ("p50_ms", "p99_ms"):
            ratio = row["split_edge"][stat] / row["monolith"][stat]
            label = f"{method} {template.format(customer='<id>')} {stat[:3]}"
            lines.append(
                f"{label:<46}{row['monolith'][stat]:>18.2f}{row['split_edge'][stat]:>20.2f}"
                f"{row['split_direct'][stat]:>18.2f}{ratio:>17.2f}x"
            )
        failed = {name: r["unexpected_status"] for name, r in row.items() if r["unexpected_status"]}
        if failed:
            lines.append(f"  (unexpected status codes: {failed})")
    return lines


def main() -> int:
    settings = Settings()
    run_id = uuid.uuid4().hex[:10]
    RESULTS.mkdir(parents=True, exist_ok=True)
    logs = ROOT / "var" / "split-bench"
    logs.mkdir(parents=True, exist_ok=True)
    ports = [settings.port + offset for offset in range(3 + len(DOMAINS))]
    busy = [port for port in ports if not port_free("127.0.0.1", port)]
    if busy:
        print(f"ports in use: {busy}; choose others with SPLIT_BENCH_PORT")
        return 1
    env = shared_environment(settings, run_id)
    print(f"starting the monolith on {settings.port} (log: {logs / 'monolith.log'})")
    monolith = start_monolith(settings, env, logs / "monolith.log")
    topology = split_topology(settings, env, logs / "split.log")
    try:
        print(f"starting the split topology (log: {logs / 'split.log'})")
        topology.start()
        plan = topology.plan
        monolith_address = f"127.0.0.1:{settings.port}"
        edge_address = f"127.0.0.1:{plan.edge_port}"
        direct_address = f"127.0.0.1:{plan.owner('interactions').port}"
        print(f"preparing data ({settings.interactions} interactions per customer)")
        monolith_token, monolith_customer = prepare(monolith_address, settings.interactions)
        split_token, split_customer = prepare(edge_address, settings.interactions)
        targets = {
            "monolith": {
                "address": monolith_address,
                "token": monolith_token,
                "customer": monolith_customer,
            },
            "split_edge": {
                "address": edge_address,
                "token": split_token,
                "customer": split_customer,
            },
            "split_direct": {
                "address": direct_address,
                "token": split_token,
                "customer": split_customer,
            },
        }
        print(
            f"measuring: {settings.requests} requests per endpoint and target after "
            f"{settings.warmup} of warm-up, in blocks of {settings.block}"
        )
        results = measure(settings, targets)
    finally:
        topology.close()
        os.killpg(monolith.pid, 15)
        monolith.wait(timeout=60)
        clear_redis(settings.redis_url, f"crm-hop-{run_id}")
    lines = report(results)
    print("\n".join(lines))
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    output = RESULTS / f"split-hop-{stamp}.json"
    output.write_text(
        json.dumps(
            {
                "kind": "split-hop",
                "started": stamp,
                "commit": git_commit(),
                "machine": {
                    "platform": platform.platform(),
                    "cpus": os.cpu_count(),
                    "load_average": os.getloadavg(),
                },
                "settings": asdict(settings) | {"postgres": "(server)"},
                "results": results,
                "report": lines,
            },
            indent=2,
        )
    )
    print(f"written: {output.relative_to(ROOT)}")
    return 0


def clear_redis(url: str, prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()


def git_commit() -> str | None:
    try:
        return subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


if __name__ == "__main__":
    raise SystemExit(main())
