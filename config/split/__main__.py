"""``python -m config.split [command]``: the split topology on this machine (``make split``).

Commands:
  run (default)      start everything in the foreground; Ctrl-C or SIGTERM stops it all.
                     Prints "SPLIT READY <edge url>" once the edge's /health answers 200.
  plan               show the processes, ports and databases the environment describes.
  wait [--timeout S] wait until a running topology's edge answers /health with 200 (exit 0),
                     or give up after S seconds (exit 1).
  stop               stop the running topology (SIGTERM to its launcher) and wait for it.
  ctl stop|start NAME  stop (kept stopped) or start again one process of a running topology.
  health --listen HOST:PORT --probe NAME=URL ...
                     only the /health aggregator, probing the given processes (Docker).
  nginx-conf --docker  print the edge's nginx.conf for docker-compose.split.yml.

Variables (environment, then .env): README "Split topology".
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time
import traceback
import urllib.request

from . import edge, health
from .plan import PlanError, launcher_environment, make_plan
from .supervisor import Interrupted, Topology, http_get, install_stop_signals


def run() -> int:
    try:
        plan = make_plan(launcher_environment())
    except PlanError as error:
        print(f"split: {error}", file=sys.stderr)
        return 2
    topology = Topology(plan)
    install_stop_signals(topology.stopping.set)
    try:
        topology.start()
    except Interrupted:
        return 130
    except PlanError as error:
        topology.log.line("split", f"cannot start: {error}")
        return 1
    except Exception:  # whatever else broke: said, and everything started is stopped already
        for line in traceback.format_exc().splitlines():
            topology.log.line("split", line)
        topology.log.line("split", "cannot start (traceback above)")
        return 1
    try:
        topology.wait()
    finally:
        topology.log.line("split", "stopping everything")
        topology.close()
    return 0


def show_plan() -> int:
    plan = make_plan(launcher_environment())
    print(f"edge      {plan.edge_url} (nginx; /health from 127.0.0.1:{plan.health_port})")
    for group in plan.groups:
        databases = ", ".join(plan.database_name(domain) for domain in group.domains)
        print(f"{group.name:<9} {group.url}  databases: {databases}")
    for process in plan.processes():
        print(f"  {process.name:<24} {' '.join(process.command[1:3])} ...")
    return 0


def state() -> dict | None:
    plan = make_plan(launcher_environment())
    try:
        return json.loads((plan.state_dir / "state.json").read_text())
    except (FileNotFoundError, ValueError):
        return None


def wait(timeout: float) -> int:
    plan = make_plan(launcher_environment())
    deadline = time.monotonic() + timeout
    url = f"{plan.edge_url}/health"
    status, body = None, ""
    while time.monotonic() < deadline:
        status, body = http_get(url, timeout=5)
        if status == 200:
            print(f"split: ready at {plan.edge_url}")
            return 0
        threading.Event().wait(1)
    print(f"split: not ready after {timeout:.0f}s ({url}: {status} {body[:500]})", file=sys.stderr)
    return 1


def stop() -> int:
    current = state()
    if not current:
        print("split: no running topology (no state file)")
        return 0
    pid = current["launcher_pid"]
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        print(f"split: launcher {pid} is gone")
        return 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            print(f"split: stopped (launcher {pid})")
            return 0
        threading.Event().wait(0.5)
    print(f"split: launcher {pid} still running after 60s", file=sys.stderr)
    return 1


def control(action: str, name: str) -> int:
    current = state()
    if not current:
        print("split: no running topology (no state file)", file=sys.stderr)
        return 1
    request = urllib.request.Request(
        f"{current['control_url']}/processes/{name}/{action}", method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            print(response.read().decode())
    except OSError as error:
        print(f"split: {error}", file=sys.stderr)
        return 1
    return 0


def health_only(listen: str, probes: list[str]) -> int:
    host, _, port = listen.rpartition(":")
    targets = dict(probe.split("=", 1) for probe in probes)
    server = health.serve((host or "0.0.0.0", int(port)), dict, probes=targets)  # noqa: S104
    stopped = threading.Event()
    install_stop_signals(stopped.set)
    print(f"split health: answering /health on {listen} for {', '.join(targets)}", flush=True)
    stopped.wait()
    server.shutdown()
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m config.split", description=__doc__)
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("run")
    commands.add_parser("plan")
    waiting = commands.add_parser("wait")
    waiting.add_argument("--timeout", type=float, default=300)
    commands.add_parser("stop")
    ctl = commands.add_parser("ctl")
    ctl.add_argument("action", choices=["stop", "start"])
    ctl.add_argument("name")
    only_health = commands.add_parser("health")
    only_health.add_argument("--listen", default="0.0.0.0:8000")
    only_health.add_argument("--probe", action="append", default=[], metavar="NAME=URL")
    nginx = commands.add_parser("nginx-conf")
    nginx.add_argument("--docker", action="store_true", required=True)
    arguments = parser.parse_args(argv)

    if arguments.command in {None, "run"}:
        return run()
    if arguments.command == "plan":
        return show_plan()
    if arguments.command == "wait":
        return wait(arguments.timeout)
    if arguments.command == "stop":
        return stop()
    if arguments.command == "ctl":
        return control(arguments.action, arguments.name)
    if arguments.command == "health":
        return health_only(arguments.listen, arguments.probe)
    sys.stdout.write(edge.render(edge.docker_layout()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
