"""The pieces of ``make bench-http`` that need no million rows: the reference views, the wrk
script and its parsing, targets and the report. The full benchmark never runs in CI."""

from __future__ import annotations

import http.server
import subprocess
import threading

import pytest
from django.test import override_settings

from bench import http_bench
from domains.customers.models import Customer
from domains.interactions.models import Interaction, Transaction

WRK_OUTPUT = """Running 1s test @ http://127.0.0.1:8701
  2 threads and 8 connections
BENCH_JSON {"requests": 500, "duration_us": 2000000, "bytes": 1000, "errors": {"connect": 0, \
"read": 0, "write": 0, "status": 3, "timeout": 1}, "latency_us": {"p50": 12345, "p90": 20000, \
"p99": 48000, "max": 51000, "mean": 13000.5}}
"""


def test_wrk_figures_are_read_as_rps_and_milliseconds():
    result = http_bench.parse_wrk(WRK_OUTPUT)

    assert result["requests"] == 500
    assert result["rps"] == 250.0
    assert (result["p50_ms"], result["p99_ms"], result["max_ms"]) == (12.35, 48.0, 51.0)
    assert (result["non_2xx"], result["socket_errors"]) == (3, 1)


def test_wrk_output_without_figures_is_an_error_not_a_zero():
    with pytest.raises(ValueError, match="BENCH_JSON"):
        http_bench.parse_wrk("wrk: connection refused\n")


def ok(rps: float, p99: float) -> dict:
    return {"requests": 100, "rps": rps, "p50_ms": p99 / 2, "p99_ms": p99, "non_2xx": 0,
            "socket_errors": 0}  # fmt: skip


@pytest.mark.parametrize(
    ("target", "result", "reference", "met"),
    [
        (http_bench.Target(p99_ms=50), ok(100, 49.9), None, True),
        (http_bench.Target(p99_ms=50), ok(100, 50.1), None, False),
        (http_bench.Target(min_ratio=0.9), ok(90, 5), ok(100, 4), True),
        (http_bench.Target(min_ratio=0.9), ok(89, 5), ok(100, 4), False),
        (http_bench.Target(min_ratio=0.9), ok(90, 5), None, None),  # no reference: not judged
        (http_bench.Target(p99_ms=50), {**ok(100, 1), "non_2xx": 4}, None, None),  # errors
        (http_bench.Target(p99_ms=50), {**ok(0, 0), "requests": 0}, None, False),  # too slow
    ],
)
def test_targets_are_judged_on_clean_measurements_only(target, result, reference, met):
    assert target.met(result, reference) is met


def test_the_report_prints_figures_ratio_target_and_verdict():
    row = {"label": "GET /api/customers/<id>", "result": ok(90, 5), "reference": ok(100, 4),
           "ratio": 0.9, "target": ">= 0.9x ref", "met": True}  # fmt: skip

    header, _rule, line = http_bench.report_lines([row])

    assert header.split()[:4] == ["endpoint", "rps", "p50", "ms"]
    assert line.split()[2:] == [
        "90.0", "2.5", "5.0", "100.0", "0.90", ">=", "0.9x", "ref", "yes", "-",
    ]  # fmt: skip


@pytest.fixture
def demo_rows():
    from django.core.management import call_command

    call_command(
        "seed_demo", users=2, products=5, customers=30, interactions=80, transactions=80,
        seed=3, no_progress=True, verbosity=0,
    )  # fmt: skip
    return Transaction.objects.values_list("cd_customer", flat=True).first()


@override_settings(ROOT_URLCONF="bench.reference", MIDDLEWARE=[])
def test_reference_views_return_the_same_rows_as_the_tables(client, demo_rows):
    customer_id = demo_rows
    customer = Customer.objects.get(pk=customer_id)

    detail = client.get(f"/ref/customers/{customer_id}")
    interactions = client.get(f"/ref/customers/{customer_id}/interactions")
    entries = client.get(f"/ref/customers/{customer_id}/transactions")
    balance = client.get(f"/ref/customers/{customer_id}/balance")

    assert detail.status_code == 200
    assert detail.json()["customer"]["ds_customer_name"] == customer.ds_customer_name
    assert len(interactions.json()["interactions"]) == min(
        15, Interaction.objects.filter(cd_customer=customer_id).count()
    )
    assert len(entries.json()["transactions"]) == min(
        20, Transaction.objects.filter(cd_customer=customer_id).count()
    )
    assert balance.json()["balance"]["quantity"] == (
        Transaction.objects.filter(cd_customer=customer_id).count()
    )
    assert client.get("/ref/customers/00000000-0000-4000-8000-000000000000").status_code == 404


@pytest.fixture
def recording_server():
    """A tiny HTTP server that answers 200 and records each request's path and token."""
    seen: list[tuple[str, str | None]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append((self.path, self.headers.get("Authorization")))
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()


@pytest.mark.needs("wrk")
def test_the_wrk_script_rotates_paths_sends_the_token_and_reports(recording_server, tmp_path):
    url, seen = recording_server
    paths = tmp_path / "paths"
    paths.write_text("/api/customers/a\n/api/customers/b?x=1\n")

    completed = subprocess.run(
        ["wrk", "-t2", "-c2", "-d1s", "-s", str(http_bench.WRK_SCRIPT), url, "--",
         str(paths), "some-token"],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    result = http_bench.parse_wrk(completed.stdout)

    assert result["requests"] > 0
    assert result["non_2xx"] == 0 and result["socket_errors"] == 0
    assert {path for path, _token in seen} == {"/api/customers/a", "/api/customers/b?x=1"}
    assert {token for _path, token in seen} == {"Bearer some-token"}


def test_slices_of_one_server_combine_into_one_measurement():
    slices = [
        {**ok(100, 40), "requests": 1000, "seconds": 10.0, "p90_ms": 30, "max_ms": 60},
        {**ok(50, 90), "requests": 500, "seconds": 10.0, "p90_ms": 70, "max_ms": 95,
         "non_2xx": 2, "socket_errors": 1},
        {**ok(80, 45), "requests": 800, "seconds": 10.0, "p90_ms": 35, "max_ms": 50},
    ]  # fmt: skip

    combined = http_bench.combine_slices(slices)

    assert (combined["requests"], combined["seconds"]) == (2300, 30.0)
    assert combined["rps"] == 76.7  # over the whole time, not the mean of the slices' rps
    assert combined["p50_ms"] == 22.5  # the median slice's p50
    assert (combined["p90_ms"], combined["p99_ms"], combined["max_ms"]) == (70, 90, 95)
    assert (combined["non_2xx"], combined["socket_errors"]) == (2, 1)
    assert combined["slices_rps"] == [100, 50, 80]


@pytest.fixture
def two_recording_servers():
    """Two tiny HTTP servers ("reference" and "api") writing, in one shared list, which of them
    answered each request (health checks left out)."""
    seen: list[str] = []
    servers = []
    for name in ("reference", "api"):

        class Handler(http.server.BaseHTTPRequestHandler):
            server_name = name

            def do_GET(self):
                if not self.path.endswith("/health"):
                    seen.append(self.server_name)
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    try:
        yield [f"http://127.0.0.1:{server.server_address[1]}" for server in servers], seen
    finally:
        for server in servers:
            server.shutdown()


@pytest.mark.needs("wrk")
def test_a_row_with_a_reference_alternates_the_two_servers_in_slices(two_recording_servers):
    (reference_url, api_url), seen = two_recording_servers
    settings = http_bench.Settings(duration=2, warmup=0, rounds=2, connections=2, threads=1)

    api, reference = http_bench.measure_side_by_side(
        settings,
        api=http_bench.Side(base_url=api_url, paths=["/a"], token="t", health="/health"),
        reference=http_bench.Side(base_url=reference_url, paths=["/r"], token="", health="/health"),
    )

    turns = [name for index, name in enumerate(seen) if index == 0 or seen[index - 1] != name]
    # The one-request probes (reference, then API), then two rounds: reference, API, each.
    assert turns == ["reference", "api", "reference", "api", "reference", "api"]
    for side in (api, reference):
        assert len(side["slices_rps"]) == 2 and side["requests"] > 0
        assert side["seconds"] >= 1.5
    # Every request wrk counted reached its server (wrk leaves out the few still in flight).
    assert api["requests"] + reference["requests"] <= len(seen) - 2  # minus the two probes
