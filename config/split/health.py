"""The edge's ``/health``: the state of every process of the topology, in one answer.

A small HTTP server (standard library) the edge routes ``/health`` to. For each web process it
asks that process's own ``/health`` (its databases); for each supervised process (``make split``:
web, relay, consumer) it adds what the launcher knows (pid, running or restarting, restarts).
200 when everything is up (an event command with nothing to consume here is "done"), 503
otherwise; the body says which part is not::

    {"status": "ok", "processes": {"customers": {"kind": "web", "state": "running",
     "pid": 4242, "restarts": 0, "url": "http://127.0.0.1:8102", "health": {"status": "ok"}},
     "customers-relay": {"kind": "relay", "state": "running", "pid": 4250, "restarts": 0}, ...}}

It is not a proxy: it forwards no client request, only probes. Under Docker
(``docker-compose.split.yml``) it runs alone (``python -m config.split health``) with the
services' URLs to probe; the container engine supervises the processes there.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PROBE_TIMEOUT_SECONDS = 3

#: name -> {"kind", "state", "pid", "restarts", "url"?}: what the supervisor knows right now.
Snapshot = Callable[[], Mapping[str, dict]]


def probe(url: str) -> tuple[bool, dict]:
    """``GET <url>/health``: (healthy, what it said, or why it could not be asked)."""
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=PROBE_TIMEOUT_SECONDS) as response:
            return response.status == 200, _json(response.read())
    except urllib.error.HTTPError as error:
        return False, {"http_status": error.code, **_json(error.read())}
    except (OSError, ValueError) as error:
        return False, {"status": "unreachable", "reason": str(getattr(error, "reason", error))}


def _json(body: bytes) -> dict:
    try:
        value = json.loads(body)
    except ValueError:
        return {"body": body[:200].decode(errors="replace")}
    return value if isinstance(value, dict) else {"body": value}


def report(snapshot: Snapshot, probes: Mapping[str, str] | None = None) -> tuple[int, dict]:
    """(HTTP status, body) of ``/health`` now. ``snapshot``: the supervised processes;
    ``probes``: name -> base URL of web processes to ask besides (Docker: the only source)."""
    processes = {name: dict(state) for name, state in snapshot().items()}
    for name, url in (probes or {}).items():
        processes.setdefault(name, {"kind": "web", "url": url})
    web = {name: state["url"] for name, state in processes.items() if state.get("url")}
    with ThreadPoolExecutor(max_workers=max(1, len(web))) as pool:
        answers = dict(zip(web, pool.map(probe, web.values()), strict=True))
    healthy = True
    for name, state in processes.items():
        if state.get("state", "running") not in {"running", "done"}:
            healthy = False
        if name in answers:
            ok, said = answers[name]
            state["health"] = said
            healthy = healthy and ok
    return (200 if healthy else 503), {
        "status": "ok" if healthy else "unavailable",
        "processes": processes,
    }


#: (action, process name) -> None; raises ValueError for an unknown process.
Control = Callable[[str, str], None]


def serve(
    address: tuple[str, int],
    snapshot: Snapshot,
    probes: Mapping[str, str] | None = None,
    control: Control | None = None,
) -> ThreadingHTTPServer:
    """Start answering ``GET /health`` on ``address`` in a background thread; returns the
    server (``shutdown()`` stops it). With ``control`` (``make split``), also
    ``POST /processes/<name>/stop`` and ``.../start`` for scripts and tests on this machine
    (the edge never routes them: it sends only ``/health`` here)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path.split("?", 1)[0].rstrip("/") != "/health":
                self._send(404, {"error": "Recurso não encontrado."})
                return
            self._send(*report(snapshot, probes))

        def do_POST(self) -> None:
            parts = self.path.strip("/").split("/")
            if control is None or len(parts) != 3 or parts[0] != "processes":
                self._send(404, {"error": "Recurso não encontrado."})
                return
            _, name, action = parts
            if action not in {"stop", "start"}:
                self._send(404, {"error": "Recurso não encontrado."})
                return
            try:
                control(action, name)
            except ValueError as error:
                self._send(404, {"error": str(error)})
                return
            self._send(200, {"process": name, "state": snapshot().get(name, {}).get("state")})

        def _send(self, status: int, body: dict) -> None:
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args) -> None:
            pass  # polled often; failures show in the body

    server = ThreadingHTTPServer(address, Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="split-health", daemon=True).start()
    return server
