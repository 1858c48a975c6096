"""Start, watch and stop the processes of the split topology.

``Topology(plan).start()`` checks what the topology needs (nginx, free ports, PostgreSQL,
Redis, the broker once events go through it), creates each domain's database if missing,
migrates every process's database, starts the web processes, then the event commands, then
the edge, and returns once the edge's ``/health`` answers 200. ``close()`` stops everything it
started: every child runs in a process group of its own, is told to stop (SIGTERM), killed
(SIGKILL) if it has not after ``STOP_SECONDS``, and asked by the kernel to stop if the launcher
itself dies (``PR_SET_PDEATHSIG``): no orphan survives the launcher.

A process that exits on its own is started again (after 1, 2, 4 ... 30 seconds): a domain
killed on purpose comes back, as it would under systemd or a container engine.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit

from . import edge, health
from .plan import Plan, PlanError, Process

STOP_SECONDS = 20
READY_SECONDS = 180
MAX_BACKOFF_SECONDS = 30
#: A process that ran this long before exiting starts again after the shortest delay.
STABLE_SECONDS = 60
PR_SET_PDEATHSIG = 1


class Interrupted(Exception):
    """Stopping was asked for (Ctrl-C, SIGTERM) before the topology was ready."""


try:  # loaded here, never between fork and exec (the loader takes locks)
    _LIBC = ctypes.CDLL(None, use_errno=True)
except OSError:  # pragma: no cover - not Linux
    _LIBC = None


def _die_with_parent() -> None:
    """In the child, before exec: the kernel sends it SIGTERM when the launcher thread that
    started it ends (Linux ``prctl``; elsewhere nothing happens)."""
    if _LIBC is not None:
        with contextlib.suppress(AttributeError):
            _LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class Log:
    """One output for the launcher and every child: ``name | line``, whole lines only."""

    def __init__(self, out: TextIO, width: int) -> None:
        self.out, self.width, self.lock = out, width, threading.Lock()

    def line(self, name: str, text: str) -> None:
        with self.lock:
            self.out.write(f"{name:<{self.width}} | {text.rstrip()}\n")
            self.out.flush()

    def follow(self, name: str, stream) -> None:
        """Copy ``stream`` (a child's stdout+stderr) line by line until it closes."""

        def pump() -> None:
            with stream:
                for raw in iter(stream.readline, b""):
                    self.line(name, raw.decode(errors="replace"))

        threading.Thread(target=pump, name=f"log-{name}", daemon=True).start()


@dataclass
class Child:
    process: Process
    popen: subprocess.Popen | None = None
    state: str = "stopped"  # starting, running, restarting, stopped
    wanted: bool = False
    restarts: int = 0
    started_at: float = 0.0
    failures: int = 0
    restart_at: float = 0.0

    @property
    def pid(self) -> int | None:
        return self.popen.pid if self.popen and self.popen.poll() is None else None


class Topology:
    def __init__(self, plan: Plan, *, out: TextIO | None = None) -> None:
        self.plan = plan
        processes = plan.processes()
        self.children = {process.name: Child(process) for process in processes}
        self.edge = Child(
            Process(name="edge", kind="edge", command=(), env=dict(plan.env), group="edge")
        )
        width = max(len(name) for name in [*self.children, "split", "edge"])
        self.log = Log(out or sys.stdout, width)
        self.lock = threading.RLock()
        self.stopping = threading.Event()
        self.ready = False
        self.health_server = None
        self.monitor: threading.Thread | None = None
        self.nginx_dir = plan.state_dir / "nginx"
        self.nginx_temp: Path | None = None

    # --- public --------------------------------------------------------------------------
    def start(self, *, ready_timeout: float = READY_SECONDS) -> None:
        """Everything up, or an exception after stopping what was started."""
        try:
            self._start(ready_timeout)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Stop every process started here (edge first, then web, then event commands)."""
        self.stopping.set()
        if self.monitor and self.monitor is not threading.current_thread():
            self.monitor.join(timeout=5)
        order = [self.edge] + [
            child
            for kind in ("web", "relay", "consumer")
            for child in self.children.values()
            if child.process.kind == kind
        ]
        for child in order:
            child.wanted = False
            self._signal(child, signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        for child in order:
            if child.popen:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    child.popen.wait(timeout=max(0.1, deadline - time.monotonic()))
                self._signal(child, signal.SIGKILL)  # whatever is left of its group
                child.popen.wait()
                child.state = "stopped"
        if self.health_server:
            self.health_server.shutdown()
            self.health_server.server_close()
            self.health_server = None
        with contextlib.suppress(FileNotFoundError):
            self._state_file.unlink()
        if self.nginx_temp:
            shutil.rmtree(self.nginx_temp, ignore_errors=True)
        self.log.line("split", "stopped")

    def stop_process(self, name: str) -> None:
        """Stop one process and keep it stopped (until ``start_process``)."""
        child = self._child(name)
        with self.lock:
            child.wanted = False
            self._signal(child, signal.SIGTERM)
        if child.popen:
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.popen.wait(timeout=STOP_SECONDS)
            self._signal(child, signal.SIGKILL)
            child.popen.wait()
        child.state = "stopped"
        self.log.line("split", f"{name} stopped on request")
        self._write_state()

    def start_process(self, name: str, *, wait: bool = True) -> None:
        """Start a process stopped by ``stop_process`` (or killed); with ``wait``, return once
        it is healthy. The watcher thread starts it: its children outlive any caller thread."""
        child = self._child(name)
        with self.lock:
            if child.pid is None:
                child.wanted, child.state, child.restart_at = True, "pending", 0.0
        if wait:
            self._wait_healthy([child], READY_SECONDS)
        self._write_state()

    def control(self, action: str, name: str) -> None:
        """``stop`` or ``start`` one process (the health server's control endpoints)."""
        if action == "stop":
            self.stop_process(name)
        else:
            self.start_process(name)

    def snapshot(self) -> dict[str, dict]:
        """What ``/health`` reports about each supervised process."""
        with self.lock:
            snapshot = {}
            for name, child in self.children.items():
                alive = child.pid is not None
                state = child.state if (alive or child.state != "running") else "restarting"
                entry = {
                    "kind": child.process.kind,
                    "state": state,
                    "pid": child.pid,
                    "restarts": child.restarts,
                }
                if child.process.url:
                    entry["url"] = child.process.url
                snapshot[name] = entry
            return snapshot

    def wait(self) -> None:
        """Block until stopping is asked for (the CLI's foreground life)."""
        while not self.stopping.wait(timeout=3600):
            pass

    # --- start-up ------------------------------------------------------------------------
    def _start(self, ready_timeout: float) -> None:
        plan = self.plan
        started = time.monotonic()
        for name in plan.generated_secrets:
            self.log.line(
                "split",
                f"{name} is not set (or too weak): a random one for this run only "
                "(set it in .env to keep tokens valid across restarts)",
            )
        nginx = self._preflight()
        self._create_databases()
        self._migrate()
        self._check_stop()
        self.health_server = health.serve(
            ("127.0.0.1", plan.health_port), self.snapshot, control=self.control
        )
        for child in self.children.values():
            self._spawn(child)
        self._wait_healthy(
            [child for child in self.children.values() if child.process.url], ready_timeout
        )
        self._start_edge(nginx)
        self.monitor = threading.Thread(target=self._watch, name="split-monitor", daemon=True)
        self.monitor.start()
        self._wait_edge(ready_timeout)
        self.ready = True
        self._write_state()
        self.log.line(
            "split",
            f"SPLIT READY {plan.edge_url} in {time.monotonic() - started:.0f}s "
            f"(health: {plan.edge_url}/health; Ctrl-C stops everything)",
        )

    def _check_stop(self) -> None:
        if self.stopping.is_set():
            raise Interrupted("stopped before the topology was ready")

    def _preflight(self) -> str:
        plan = self.plan
        nginx = nginx_binary(plan.env)
        ports = {
            "SPLIT_PORT": (plan.host, plan.edge_port),
            "SPLIT_HEALTH_PORT": ("127.0.0.1", plan.health_port),
        }
        for group in plan.groups:
            ports[f"{group.name} (SPLIT_BASE_PORT)"] = ("127.0.0.1", group.port)
        for variable, address in ports.items():
            if not port_free(*address):
                raise PlanError(
                    f"port {address[1]} ({variable}) is in use: is another `make split` "
                    "running? Choose other ports with SPLIT_PORT / SPLIT_BASE_PORT / "
                    "SPLIT_HEALTH_PORT."
                )
        try:
            import psycopg

            psycopg.connect(plan.maintenance_url, connect_timeout=5).close()
        except Exception as error:
            raise PlanError(
                f"PostgreSQL is not reachable at SPLIT_PG ({plan.postgres}): {error}"
            ) from error
        redis_url = plan.group_environment(plan.groups[0])["REDIS_URL"]
        if not tcp_reachable(redis_url, 6379):
            raise PlanError(
                f"Redis is not reachable at REDIS_URL ({redis_url}): every process shares its "
                "throttle counters and token revocations there."
            )
        if any(child.process.kind != "web" for child in self.children.values()):
            broker = plan.env.get("BROKER_URL") or "amqp://guest:guest@127.0.0.1:5672//"
            if not tcp_reachable(broker, 5672):
                raise PlanError(f"RabbitMQ is not reachable at BROKER_URL ({_safe(broker)}).")
        self.log.line(
            "split",
            f"nginx {nginx}; PostgreSQL {_safe(plan.postgres)}; Redis {_safe(redis_url)}; "
            f"processes: {', '.join(self.children)}",
        )
        return nginx

    def _create_databases(self) -> None:
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.plan.maintenance_url, autocommit=True) as connection:
            for domain in (d for group in self.plan.groups for d in group.domains):
                name = self.plan.database_name(domain)
                exists = connection.execute(
                    "SELECT 1 FROM pg_database WHERE datname = %s", [name]
                ).fetchone()
                if exists:
                    self.log.line("split", f"database {name}: exists")
                    continue
                with contextlib.suppress(psycopg.errors.DuplicateDatabase):
                    connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                self.log.line("split", f"database {name}: created")

    def _migrate(self) -> None:
        """``manage.py migrate`` once per process (its domains, its database), in parallel."""

        def migrate(group) -> tuple[str, subprocess.CompletedProcess]:
            result = subprocess.run(
                [sys.executable, "manage.py", "migrate", "--noinput"],
                cwd=self.plan.root,
                env=self.plan.group_environment(group),
                capture_output=True,
                text=True,
                check=False,
                preexec_fn=_die_with_parent,  # one ctypes call, no lock taken
            )
            return group.name, result

        self.log.line("split", "migrating every process's database")
        with ThreadPoolExecutor(max_workers=len(self.plan.groups)) as pool:
            results = list(pool.map(migrate, self.plan.groups))
        failed = False
        for name, result in results:
            if result.returncode != 0:
                failed = True
                for line in (result.stdout + result.stderr).splitlines()[-40:]:
                    self.log.line(name, line)
            else:
                for line in result.stdout.splitlines():
                    self.log.line(name, line)
        if failed:
            raise PlanError("migrate failed (output above)")

    def _spawn(self, child: Child) -> None:
        process = child.process
        child.popen = subprocess.Popen(
            list(process.command),
            cwd=self.plan.root,
            env=process.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped as a whole
            preexec_fn=_die_with_parent,
        )
        child.wanted, child.state, child.started_at = True, "starting", time.monotonic()
        if process.kind not in {"web", "edge"}:
            child.state = "running"
        self.log.follow(process.name, child.popen.stdout)
        self.log.line("split", f"started {process.name} (pid {child.popen.pid})")

    def _wait_healthy(self, children: list[Child], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        waiting = list(children)
        while waiting:
            self._check_stop()
            for child in list(waiting):
                if child.state == "running" and child.pid is not None:
                    waiting.remove(child)
                    continue
                if child.popen is None or child.state in {"pending", "restarting"}:
                    continue  # the watcher starts it
                if child.popen.poll() is not None and not self.ready:
                    raise PlanError(
                        f"{child.process.name} exited with {child.popen.returncode} while "
                        "starting (its output is above)"
                    )
                if not child.process.url or health.probe(child.process.url)[0]:
                    child.state = "running"
                    waiting.remove(child)
                    self.log.line("split", f"{child.process.name} healthy at {child.process.url}")
            if waiting and time.monotonic() > deadline:
                names = ", ".join(child.process.name for child in waiting)
                raise PlanError(f"not healthy after {timeout:.0f}s: {names}")
            if waiting:
                self.stopping.wait(0.3)

    def _start_edge(self, nginx: str) -> None:
        plan = self.plan
        self.nginx_dir.mkdir(parents=True, exist_ok=True)
        temp = self.nginx_temp = edge.temp_directory(self.nginx_dir / "temp")
        layout = edge.EdgeLayout(
            listen=f"{plan.host}:{plan.edge_port}",
            upstreams={
                domain: f"127.0.0.1:{plan.owner(domain).port}"
                for group in plan.groups
                for domain in group.domains
            },
            health=plan.health_address,
            pid=str(self.nginx_dir / "nginx.pid"),
            error_log="stderr",
            access_log="/dev/stdout" if plan.access_log else "off",
            temp=str(temp),
            origin="make split",
            worker_processes="2",
        )
        conf = self.nginx_dir / "nginx.conf"
        conf.write_text(edge.render(layout))
        command = [nginx, "-p", str(self.nginx_dir), "-e", "stderr", "-c", str(conf)]
        check = subprocess.run([*command, "-t", "-q"], capture_output=True, text=True, check=False)
        if check.returncode != 0:
            raise PlanError(f"nginx refuses {conf}:\n{check.stderr}")
        self.edge.process = Process(
            name="edge",
            kind="edge",
            command=(*command, "-g", "daemon off;"),
            env=dict(plan.env),
            group="edge",
            url=None,
        )
        self._spawn(self.edge)

    def _wait_edge(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        url = f"{self.plan.edge_url}/health"
        while True:
            self._check_stop()
            if self.edge.popen.poll() is not None:
                raise PlanError(f"nginx exited with {self.edge.popen.returncode} (output above)")
            status, body = http_get(url)
            if status == 200:
                self.edge.state = "running"
                return
            if time.monotonic() > deadline:
                raise PlanError(f"the edge's /health did not answer 200 in time: {status} {body}")
            self.stopping.wait(0.3)

    # --- supervision ---------------------------------------------------------------------
    def _watch(self) -> None:
        """Restart what exits on its own; runs until ``close()``."""
        while not self.stopping.wait(0.5):
            for child in [*self.children.values(), self.edge]:
                with self.lock:
                    self._check_child(child)

    def _check_child(self, child: Child) -> None:
        if not child.wanted or self.stopping.is_set():
            return
        now = time.monotonic()
        code = child.popen.poll() if child.popen else None
        if child.popen and code is None:
            starting = child.state == "starting" and child.process.url
            if starting and health.probe(child.process.url)[0]:
                child.state = "running"
                self.log.line("split", f"{child.process.name} healthy")
                self._write_state()
            return
        if code == 0 and child.process.kind != "web" and child.state == "running":
            # An event command with nothing to do here (no domain of this process subscribes
            # to an event) says so and ends: finished, not failed.
            child.wanted, child.state = False, "done"
            self.log.line("split", f"{child.process.name} finished (exit 0): not restarted")
            self._write_state()
            return
        if child.state not in {"pending", "restarting"}:  # it just exited on its own
            self._signal(child, signal.SIGKILL)  # what is left of its group (workers)
            ran = now - child.started_at
            child.failures = 0 if ran > STABLE_SECONDS else child.failures + 1
            delay = min(MAX_BACKOFF_SECONDS, 2 ** max(0, child.failures - 1))
            child.state, child.restart_at = "restarting", now + delay
            self.log.line(
                "split",
                f"{child.process.name} exited with {code} after {ran:.0f}s; "
                f"starting it again in {delay}s",
            )
            self._write_state()
            return
        if now >= child.restart_at:
            if child.state == "restarting":
                child.restarts += 1
            self._spawn(child)
            self._write_state()

    # --- helpers -------------------------------------------------------------------------
    def _child(self, name: str) -> Child:
        if name == "edge":
            return self.edge
        try:
            return self.children[name]
        except KeyError:
            raise PlanError(
                f"no process named {name!r} (known: {', '.join(self.children)})"
            ) from None

    @staticmethod
    def _signal(child: Child, signum: int) -> None:
        if child.popen:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(child.popen.pid, signum)

    @property
    def _state_file(self) -> Path:
        return self.plan.state_dir / "state.json"

    def _write_state(self) -> None:
        """``SPLIT_DIR/state.json``: for scripts and tests (``python -m config.split wait``)."""
        state = {
            "launcher_pid": os.getpid(),
            "ready": self.ready,
            "edge_url": self.plan.edge_url,
            "control_url": f"http://{self.plan.health_address}",
            "processes": self.snapshot(),
            "edge_pid": self.edge.pid,
        }
        self.plan.state_dir.mkdir(parents=True, exist_ok=True)
        temporary = self._state_file.with_suffix(".tmp")
        temporary.write_text(json.dumps(state, indent=2))
        temporary.replace(self._state_file)


# --- small utilities ---------------------------------------------------------------------------
def nginx_binary(env: dict[str, str]) -> str:
    candidate = (env.get("SPLIT_NGINX") or "").strip() or shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.access(candidate, os.X_OK):
        raise PlanError(
            "nginx is not installed (the edge of the split): `sudo bash .ci/split-deps` installs "
            "Debian's package; SPLIT_NGINX may point at another binary."
        )
    return candidate


def port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def tcp_reachable(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or default_port), timeout=3
        ):
            return True
    except OSError:
        return False


def _safe(url: str) -> str:
    """``url`` without its password, for logs."""
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return parts._replace(netloc=netloc).geturl()
    return url


def http_get(url: str, timeout: float = 5) -> tuple[int | None, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")
    except OSError as error:
        return None, str(error)


def install_stop_signals(handler: Callable[[], None]) -> None:
    """SIGINT (Ctrl-C), SIGTERM (make, CI, ``python -m config.split stop``), SIGHUP."""
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda *_: handler())
