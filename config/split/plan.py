"""What ``make split`` starts: the processes, their ports, databases, commands and environment.

Pure functions of the launcher's environment (``os.environ`` plus ``.env``): nothing here
starts anything, so the plan is easy to show (``python -m config.split plan``) and to test.
"""

from __future__ import annotations

import os
import secrets
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from dotenv import dotenv_values

#: The domains, in the order of their default ports (accounts 8101 ... interactions 8104).
#: ``tests/split`` checks this against ``settings.CRM_DOMAIN_ALIASES``.
DOMAINS = ("accounts", "customers", "products", "interactions")
PROJECT_ROOT = Path(__file__).resolve().parents[2]

DEFAULTS = {
    "SPLIT_HOST": "127.0.0.1",
    "SPLIT_PORT": "8080",
    "SPLIT_BASE_PORT": "8101",
    "SPLIT_HEALTH_PORT": "8100",
    "SPLIT_PG": "postgres://postgres@127.0.0.1:5432",
    "SPLIT_DATABASE_PREFIX": "crm_",
    "SPLIT_PROCESSES": ",".join(DOMAINS),
    "SPLIT_WORKERS": "2",
    "SPLIT_DIR": "var/split",
    "SPLIT_ACCESS_LOG": "false",
    # Shared by every process: throttle counters and token revocation must be seen by all.
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}
#: The secrets every process must share, generated for the run when absent (a demo without
#: ``.env``): users' tokens then do not survive a restart of the topology.
SHARED_SECRETS = ("SECRET_KEY", "JWT_SECRET_KEY", "CRM_SERVICE_KEY")
#: Long-running event commands (docs/splitting.md), started for every process once they exist.
EVENT_COMMANDS = {"relay": "outbox_relay", "consumer": "events_consume"}


class PlanError(ValueError):
    """The launcher's environment cannot make a topology (the message says why)."""


def launcher_environment(root: Path = PROJECT_ROOT) -> dict[str, str]:
    """``os.environ`` with ``.env`` underneath it (real variables win, as in the settings)."""
    values = {
        name: value for name, value in dotenv_values(root / ".env").items() if value is not None
    }
    values.update(os.environ)
    return values


def setting(env: dict[str, str], name: str) -> str:
    """``env[name]``, or its default when unset or blank (as ``.env.example`` leaves it)."""
    return (env.get(name) or "").strip() or DEFAULTS[name]


def _port(env: dict[str, str], name: str) -> int:
    value = setting(env, name)
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise PlanError(f"{name}={value!r} is not a TCP port.")
    return int(value)


def weak_secret(value: str) -> bool:
    """A value the settings would refuse with DEBUG off (placeholder or too short)."""
    lowered = value.strip().lower()
    return len(value.strip()) < 32 or lowered.startswith("change-me") or "example" in lowered


@dataclass(frozen=True)
class Process:
    """One supervised program: its name in logs and ``/health``, its command and environment."""

    name: str
    kind: str  # "web", "relay", "consumer"
    command: tuple[str, ...]
    env: dict[str, str] = field(repr=False, compare=False)
    group: str
    url: str | None = None  # web processes: their base URL


@dataclass(frozen=True)
class Group:
    """The domains one web process serves (one domain each by default)."""

    domains: tuple[str, ...]
    port: int

    @property
    def name(self) -> str:
        return "+".join(self.domains)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass(frozen=True)
class Plan:
    root: Path
    host: str
    edge_port: int
    health_port: int
    postgres: str
    database_prefix: str
    groups: tuple[Group, ...]
    workers: int
    state_dir: Path
    access_log: bool
    env: dict[str, str] = field(repr=False)
    generated_secrets: tuple[str, ...] = ()

    # --- where things are ---------------------------------------------------------------
    @property
    def edge_url(self) -> str:
        host = "127.0.0.1" if self.host in {"0.0.0.0", "::"} else self.host  # noqa: S104
        return f"http://{host}:{self.edge_port}"

    @property
    def health_address(self) -> str:
        return f"127.0.0.1:{self.health_port}"

    def owner(self, domain: str) -> Group:
        return next(group for group in self.groups if domain in group.domains)

    def database_name(self, domain: str) -> str:
        return f"{self.database_prefix}{domain}"

    def database_url(self, domain: str) -> str:
        return with_database(self.postgres, self.database_name(domain))

    @property
    def maintenance_url(self) -> str:
        """The server's ``postgres`` database, where the launcher creates the others."""
        return with_database(self.postgres, "postgres")

    # --- what runs ----------------------------------------------------------------------
    def group_environment(self, group: Group) -> dict[str, str]:
        """The environment of every process of ``group``: the launcher's (``.env`` included),
        DEBUG off, the domains it serves, where the others are, its own database(s)."""
        env = {
            name: value
            for name, value in self.env.items()
            if not name.endswith("DATABASE_URL") and not name.startswith("CRM_REMOTE_")
        }
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings.base",
            DEBUG="false",
            CRM_DOMAINS=",".join(group.domains),
            # The edge appends the client's address to X-Forwarded-For: throttles count it.
            TRUSTED_PROXY_COUNT="1",
            PYTHONUNBUFFERED="1",
            DATABASE_URL=self.database_url(group.domains[0]),
        )
        env["REDIS_URL"] = setting(env, "REDIS_URL")
        # WhiteNoise serves from the apps when collectstatic has not run: expected, not news.
        env.setdefault("PYTHONWARNINGS", "ignore:No directory at:UserWarning")
        for domain in group.domains:
            env[f"{domain.upper()}_DATABASE_URL"] = self.database_url(domain)
        for domain in DOMAINS:
            if domain not in group.domains:
                env[f"CRM_REMOTE_{domain.upper()}_URL"] = self.owner(domain).url
        return env

    def processes(self) -> list[Process]:
        """Web processes first (they migrate nothing: the launcher does, before), then the
        event commands that exist in this code base."""
        python = sys.executable
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        processes = []
        for group in self.groups:
            command = [
                gunicorn,
                "config.wsgi:application",
                *("--bind", f"127.0.0.1:{group.port}"),
                *("--workers", str(self.workers)),
                *("--timeout", "60", "--graceful-timeout", "10"),
                "--no-control-socket",  # gunicorn's default path is one for every process
                *("--name", f"crm-{group.name}"),
            ]
            if self.access_log:
                command += ["--access-logfile", "-"]
            processes.append(
                Process(
                    name=group.name,
                    kind="web",
                    command=tuple(command),
                    env=self.group_environment(group),
                    group=group.name,
                    url=group.url,
                )
            )
        for kind, command_name in EVENT_COMMANDS.items():
            if management_command_exists(self.root, command_name):
                for group in self.groups:
                    if set(group.domains) == set(DOMAINS):
                        continue  # a monolith delivers its events in-process (no broker)
                    processes.append(
                        Process(
                            name=f"{group.name}-{kind}",
                            kind=kind,
                            command=(python, "manage.py", command_name),
                            env=self.group_environment(group),
                            group=group.name,
                        )
                    )
        return processes


def management_command_exists(root: Path, name: str) -> bool:
    return any(
        any((root / package).glob(f"**/management/commands/{name}.py"))
        for package in ("config", "crm", "domains")
    )


def with_database(server_url: str, database: str) -> str:
    """``server_url`` (``postgres://user@host:port``, any path) pointing at ``database``."""
    parts = urlsplit(server_url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise PlanError(f"SPLIT_PG must be a postgres:// URL, got {server_url!r}.")
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, ""))


def parse_groups(value: str, base_port: int) -> tuple[Group, ...]:
    """``accounts,customers+products,interactions``: processes separated by commas, the
    domains of one process joined by ``+``. Every domain exactly once."""
    groups, seen = [], []
    for index, item in enumerate(part.strip() for part in value.split(",") if part.strip()):
        domains = tuple(domain.strip() for domain in item.split("+") if domain.strip())
        unknown = [domain for domain in domains if domain not in DOMAINS]
        if unknown:
            raise PlanError(f"SPLIT_PROCESSES: unknown domain {', '.join(unknown)}.")
        seen += domains
        groups.append(
            Group(domains=tuple(d for d in DOMAINS if d in domains), port=base_port + index)
        )
    if sorted(seen) != sorted(DOMAINS):
        raise PlanError(
            f"SPLIT_PROCESSES={value!r} must name every domain exactly once "
            f"({', '.join(DOMAINS)}), e.g. accounts,customers,products,interactions."
        )
    return tuple(groups)


def make_plan(env: dict[str, str], root: Path = PROJECT_ROOT) -> Plan:
    """The topology ``env`` describes (variables: README "Split topology")."""
    env = dict(env)
    generated = []
    for name in SHARED_SECRETS:
        if weak_secret(env.get(name, "")):
            env[name] = secrets.token_urlsafe(50)
            generated.append(name)
    workers = setting(env, "SPLIT_WORKERS")
    if not workers.isdigit() or int(workers) < 1:
        raise PlanError(f"SPLIT_WORKERS={workers!r} must be a positive number.")
    prefix = setting(env, "SPLIT_DATABASE_PREFIX")
    if not prefix.replace("_", "").isalnum():
        raise PlanError(f"SPLIT_DATABASE_PREFIX={prefix!r}: letters, digits and _ only.")
    state_dir = Path(setting(env, "SPLIT_DIR"))
    plan = Plan(
        root=root,
        host=setting(env, "SPLIT_HOST"),
        edge_port=_port(env, "SPLIT_PORT"),
        health_port=_port(env, "SPLIT_HEALTH_PORT"),
        postgres=setting(env, "SPLIT_PG"),
        database_prefix=prefix,
        groups=parse_groups(setting(env, "SPLIT_PROCESSES"), _port(env, "SPLIT_BASE_PORT")),
        workers=int(workers),
        state_dir=state_dir if state_dir.is_absolute() else root / state_dir,
        access_log=setting(env, "SPLIT_ACCESS_LOG").lower() in {"1", "true", "yes", "on"},
        env=env,
        generated_secrets=tuple(generated),
    )
    plan.maintenance_url  # noqa: B018 - validates SPLIT_PG early
    ports = [plan.edge_port, plan.health_port, *(group.port for group in plan.groups)]
    if len(set(ports)) != len(ports):
        raise PlanError(f"the ports of the topology collide: {ports}.")
    return plan
