"""The edge's routing, with the real nginx and the configuration ``make split`` renders, in front
of stand-in upstreams that say who they are: every public route of the URLconf reaches the
domain that owns its view, ``/internal/...`` reaches nobody, a process that is down is a JSON 503.
"""

from __future__ import annotations

import http.client
import json
import re
import shutil
import subprocess
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from config.split import edge
from config.split.plan import DOMAINS
from config.split.supervisor import port_free
from tests import services

pytestmark = pytest.mark.split

EDGE_PORT = 8320
UPSTREAM_PORTS = {"accounts": 8321, "customers": 8322, "products": 8323, "interactions": 8324}
HEALTH_PORT = 8325
NOT_FOUND = {"error": "Recurso não encontrado."}


class Echo(BaseHTTPRequestHandler):
    """A stand-in process: answers any method with its name, the raw path and the headers."""

    name = "?"

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        payload = json.dumps(
            {
                "upstream": self.name,
                "method": self.command,
                "path": self.path,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "body_length": len(body),
                "body_sample": body[:64].decode(errors="replace"),
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def edge_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("edge")
    temp = edge.temp_directory(folder / "temp")
    servers = []
    for name, port in [*UPSTREAM_PORTS.items(), ("health", HEALTH_PORT)]:
        handler = type(f"Echo_{name}", (Echo,), {"name": name})
        server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    layout = edge.EdgeLayout(
        listen=f"127.0.0.1:{EDGE_PORT}",
        upstreams={domain: f"127.0.0.1:{port}" for domain, port in UPSTREAM_PORTS.items()},
        health=f"127.0.0.1:{HEALTH_PORT}",
        pid=str(folder / "nginx.pid"),
        error_log="stderr",
        access_log="off",
        temp=str(temp),
        origin="tests/split/test_edge.py",
        worker_processes="1",
    )
    conf = folder / "nginx.conf"
    conf.write_text(edge.render(layout))
    nginx = services.nginx()
    command = [nginx, "-p", str(folder), "-e", "stderr", "-c", str(conf)]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen([*command, "-g", "daemon off;"], stderr=subprocess.PIPE)
    try:
        for _ in range(100):
            if not port_free("127.0.0.1", EDGE_PORT):
                break
            assert process.poll() is None, process.stderr.read().decode()
            threading.Event().wait(0.1)
        yield f"127.0.0.1:{EDGE_PORT}"
    finally:
        process.terminate()
        process.wait(timeout=20)
        for server in servers:
            server.shutdown()
            server.server_close()
        shutil.rmtree(temp, ignore_errors=True)


def request(address: str, method: str, path: str, body: bytes | None = None, headers=None):
    """The raw path goes out as written (no client-side normalisation of dot segments)."""
    host, port = address.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for name, value in {"Host": address, **(headers or {})}.items():
            connection.putheader(name, value)
        if body is not None:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def routed_to(address: str, method: str, path: str) -> str:
    status, _headers, body = request(address, method, path)
    assert status == 200, (path, status, body)
    answer = json.loads(body)
    assert answer["path"] == path  # passed on exactly as the client sent it
    return answer["upstream"]


# --- every route of the URLconf reaches its owner -------------------------------------------


def url_routes() -> list[tuple[str, str]]:
    """``(sample path, owning domain)`` for every route of the monolith's URLconf: the owner is
    the domain whose package defines the view; the composition root's own routes (schema,
    docs, the browsable API's login) and the admin go to the fallback process; the internal
    API's routes are owned by "internal"."""
    routes = []

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            text = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if text.startswith("admin/"):
                    continue  # the admin as a whole: below
                walk(pattern.url_patterns, text)
            elif isinstance(pattern, URLPattern):
                path = "/" + re.sub(r"<(?:\w+:)?\w+>", str(uuid.uuid4()), text)
                module = pattern.callback.__module__
                owner = next(
                    (d for d in DOMAINS if module.startswith(f"domains.{d}.")),
                    edge.FALLBACK_DOMAIN,
                )
                routes.append((path, "internal" if text.startswith("internal/") else owner))

    walk(get_resolver().url_patterns, "")
    return routes


def public_routes() -> list[tuple[str, str]]:
    return [(path, owner) for path, owner in url_routes() if owner != "internal"]


@pytest.mark.needs("nginx")
def test_no_route_of_the_internal_api_is_reachable_through_the_edge(edge_url):
    internal = [path for path, owner in url_routes() if owner == "internal"]

    answers = {path: request(edge_url, "POST", path, body=b"{}")[0] for path in internal}

    assert set(answers.values()) <= {404}


def test_the_route_list_covers_the_seed_paths_and_the_ledger():
    paths = {path for path, _owner in public_routes()}
    shapes = {re.sub(r"[0-9a-f-]{36}", "<id>", path) for path in paths}

    assert {
        "/auth/register",
        "/auth/login",
        "/api/customers/",
        "/api/customers/<id>",
        "/api/customers/<id>/activate",
        "/api/products/",
        "/api/products/<id>",
        "/api/customers/<id>/interactions",
        "/api/customers/<id>/transactions",
        "/api/customers/<id>/balance",
        "/api/transactions/summary",
        "/api/users/",
    } <= shapes


@pytest.mark.needs("nginx")
def test_every_public_route_reaches_the_domain_that_owns_its_view(edge_url):
    wrong = {}
    for path, owner in public_routes():
        if path == "/health":
            continue
        for variant in {path, path.rstrip("/") or "/", path.rstrip("/") + "/"}:
            reached = routed_to(edge_url, "GET", variant)
            if reached != owner:
                wrong[variant] = (reached, owner)

    assert wrong == {}


@pytest.mark.parametrize(
    ("path", "owner"),
    [
        ("/admin/", "accounts"),
        ("/admin/login/?next=/admin/customers/customer/", "accounts"),
        ("/admin/logout/", "accounts"),
        ("/admin/jsi18n/", "accounts"),
        ("/admin/accounts/user/", "accounts"),
        ("/admin/auth/group/", "accounts"),
        ("/admin/customers/", "customers"),
        ("/admin/customers/customer/", "customers"),
        (f"/admin/customers/customer/{uuid.uuid4()}/change/", "customers"),
        ("/admin/products/product/", "products"),
        ("/admin/interactions/", "interactions"),
        ("/admin/interactions/transaction/", "interactions"),
        ("/admin/customersx/", "accounts"),  # a prefix of a path segment is not the app
        ("/api-auth/login/?next=/api/customers", "accounts"),
        ("/static/admin/css/base.css", "accounts"),
        ("/static/customers/admin_list.css", "customers"),
        ("/api/schema?lang=en", "accounts"),
        ("/", "accounts"),
        ("/api/unknown", "accounts"),  # Django's JSON 404, in the client's language
        ("/api/customers/export?format=csv", "customers"),
        ("/api/customers/a.b", "customers"),  # a dot inside a segment is not a dot segment
        ("/api/customers?q=a/../b&page=2", "customers"),  # query strings are not paths
        (f"/api/customers/{uuid.uuid4()}/interactions/{uuid.uuid4()}/", "interactions"),
        (f"/api/customers/{uuid.uuid4()}/transactions/{uuid.uuid4()}/reverse", "interactions"),
        (f"/api/customers/{uuid.uuid4()}/history", "customers"),
        ("/api/transactions/export", "interactions"),
    ],
)
@pytest.mark.needs("nginx")
def test_other_paths_reach_their_process(edge_url, path, owner):
    assert routed_to(edge_url, "GET", path) == owner


@pytest.mark.needs("nginx")
@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_every_method_and_its_body_pass_through_unchanged(edge_url, method):
    body = b'{"ds_notes": "' + b"x" * (3 * 1024 * 1024) + b'"}'  # bigger than any buffer

    status, _headers, answer = request(
        edge_url, method, f"/api/customers/{uuid.uuid4()}/interactions", body=body
    )

    answer = json.loads(answer)
    assert status == 200
    assert (answer["upstream"], answer["method"]) == ("interactions", method)
    assert answer["body_length"] == len(body)
    assert answer["body_sample"] == body[:64].decode()


@pytest.mark.needs("nginx")
def test_the_process_sees_the_client_host_and_address_as_one_proxy_reports_them(edge_url):
    _status, _headers, answer = request(
        edge_url, "GET", "/api/products", headers={"X-Forwarded-For": "203.0.113.9"}
    )

    headers = json.loads(answer)["headers"]
    assert headers["host"] == edge_url
    assert headers["x-forwarded-proto"] == "http"
    # The client's own header is kept, the address the edge saw appended last: with
    # TRUSTED_PROXY_COUNT=1 (make split sets it) the throttles count 127.0.0.1, not the claim.
    assert headers["x-forwarded-for"] == "203.0.113.9, 127.0.0.1"


# --- what the edge answers itself -------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/internal/customers/customers",
        "/internal",
        "/internal/",
        "/internal/interactions/guards/customer.hard_delete?x=1",
        # dot segments that would let nginx route one path and the app resolve another
        "/api/customers/x/../../internal/customers/customers",
        "/api/customers/%2e%2e/%2E%2E/internal/customers",
        "/internal/x/../../api/customers",
        "/api/./customers",
        "/api/customers/..%2f..%2finternal/customers",
        "//internal/customers",
        "/%69nternal/customers",
        "/__edge/400",  # the edge's own error pages are not addressable
    ],
)
@pytest.mark.needs("nginx")
def test_internal_paths_and_dot_segments_never_leave_the_edge(edge_url, path):
    for method in ("GET", "POST"):
        status, headers, body = request(edge_url, method, path, body=b"{}")

        assert status == 404, (method, path)
        assert headers["Content-Type"] == "application/json"
        assert json.loads(body) == NOT_FOUND


@pytest.mark.needs("nginx")
def test_what_the_edge_refuses_itself_is_a_json_error_in_portuguese(edge_url):
    too_large = request(edge_url, "POST", "/api/customers", body=b"x" * (26 * 1024 * 1024))
    too_long = request(edge_url, "GET", "/api/customers?q=" + "a" * 20_000)
    host, port = edge_url.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.putrequest("GET", "/api/customers", skip_host=True)  # HTTP/1.1 without Host
    connection.endheaders()
    response = connection.getresponse()
    malformed = (response.status, dict(response.getheaders()), response.read())
    connection.close()

    answers = {
        status: (headers["Content-Type"], json.loads(body))
        for status, headers, body in (too_large, too_long, malformed)
    }
    assert answers == {
        413: ("application/json", {"error": "Requisição grande demais: o limite é 25 MB."}),
        414: ("application/json", {"error": "Endereço (URL) longo demais."}),
        400: ("application/json", {"error": "Requisição inválida."}),
    }


@pytest.mark.needs("nginx")
def test_health_goes_to_the_aggregator(edge_url):
    assert routed_to(edge_url, "GET", "/health") == "health"
    assert routed_to(edge_url, "GET", "/health/") == "health"


@pytest.mark.needs("nginx")
def test_a_process_that_is_down_is_a_json_503_to_retry(edge_url, tmp_path):
    # Render the same layout with one upstream pointing at a closed port.
    closed = 8326
    assert port_free("127.0.0.1", closed)
    temp = edge.temp_directory(tmp_path / "temp")
    layout = edge.EdgeLayout(
        listen="127.0.0.1:8327",
        upstreams={
            **{d: f"127.0.0.1:{p}" for d, p in UPSTREAM_PORTS.items()},
            "products": f"127.0.0.1:{closed}",
        },
        health=f"127.0.0.1:{HEALTH_PORT}",
        pid=str(tmp_path / "nginx.pid"),
        error_log="stderr",
        access_log="off",
        temp=str(temp),
        origin="test",
        worker_processes="1",
    )
    conf = tmp_path / "nginx.conf"
    conf.write_text(edge.render(layout))
    command = [services.nginx(), "-p", str(tmp_path), "-e", "stderr", "-c", str(conf)]
    process = subprocess.Popen([*command, "-g", "daemon off;"], stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            if not port_free("127.0.0.1", 8327):
                break
            threading.Event().wait(0.1)

        status, headers, body = request("127.0.0.1:8327", "GET", "/api/products")
        other = routed_to("127.0.0.1:8327", "GET", "/api/customers")
    finally:
        process.terminate()
        process.wait(timeout=20)
        shutil.rmtree(temp, ignore_errors=True)

    assert status == 503
    assert headers["Retry-After"] == "5"
    assert json.loads(body) == {
        "error": "Serviço temporariamente indisponível. Tente novamente em instantes."
    }
    assert other == "customers"  # the others keep serving


def test_the_docker_edge_configuration_is_the_template_rendered_for_compose():
    from pathlib import Path

    committed = Path(__file__).resolve().parents[2] / "docker" / "split" / "nginx.conf"

    assert committed.read_text() == edge.render(edge.docker_layout()), (
        "run: python -m config.split nginx-conf --docker > docker/split/nginx.conf"
    )
