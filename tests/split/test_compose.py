"""docker-compose.split.yml, checked offline as docker-compose.yml is (no Docker engine here):
valid against the compose specification, and describing the same topology as ``make split``
(one service and one database per domain, each told where the others are, the edge's routes
rendered from the same template)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from django.conf import settings

from config.split import edge
from config.split.plan import DOMAINS, EVENT_COMMANDS
from tests.platform.sandbox import PROJECT_ROOT, VENV_BIN, describe
from tests.platform.test_docker import env_example, interpolate

pytestmark = pytest.mark.split

COMPOSE_FILE = PROJECT_ROOT / "docker-compose.split.yml"
CREATE_DATABASES = PROJECT_ROOT / "docker" / "split" / "create-databases.sql"
APP_PORT = 8000  # the image's gunicorn (Dockerfile CMD)


def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


def services() -> dict:
    return compose()["services"]


def test_the_split_compose_file_is_valid_against_the_compose_specification():
    result = subprocess.run(
        [
            str(VENV_BIN / "check-jsonschema"),
            "--builtin-schema",
            "vendor.compose-spec",
            str(COMPOSE_FILE),
        ],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, describe(result)


def test_the_domains_are_the_settings_domains():
    assert set(DOMAINS) == set(settings.CRM_DOMAIN_ALIASES)


def test_every_variable_the_split_compose_file_uses_is_documented_in_env_example():
    text = COMPOSE_FILE.read_text()
    referenced = set(re.findall(r"(?<!\$)\$\{(\w+)", text))
    set_for_services = {
        name for service in services().values() for name in service.get("environment", {})
    }

    missing = (referenced | set_for_services) - set(env_example())

    assert {"POSTGRES_USER", "POSTGRES_PASSWORD", "SPLIT_PORT"} <= referenced
    assert not missing, f"not in .env.example: {sorted(missing)}"


@pytest.mark.parametrize("domain", DOMAINS)
def test_each_domain_serves_only_itself_from_its_own_database_and_finds_the_others(domain):
    service = services()[domain]
    environment = {
        name: interpolate(str(value), env_example())
        for name, value in service["environment"].items()
    }
    database = urlsplit(environment["DATABASE_URL"])

    assert service["build"] == "."
    assert service["env_file"] == ".env"
    assert environment["CRM_DOMAINS"] == domain
    assert (database.hostname, database.port, database.path) == ("db", 5432, f"/crm_{domain}")
    assert f"CREATE DATABASE crm_{domain};" in CREATE_DATABASES.read_text()
    remotes = {
        name.removeprefix("CRM_REMOTE_").removesuffix("_URL").lower(): url
        for name, url in environment.items()
        if name.startswith("CRM_REMOTE_")
    }
    assert remotes == {other: f"http://{other}:{APP_PORT}" for other in DOMAINS if other != domain}
    # Everything the domain shares with the others, and its hosts are allowed to be called.
    assert urlsplit(environment["REDIS_URL"]).hostname == "redis"
    assert urlsplit(environment["BROKER_URL"]).hostname == "rabbitmq"
    assert environment["TRUSTED_PROXY_COUNT"] == "1"
    assert set(DOMAINS) <= set(environment["ALLOWED_HOSTS"].split(","))
    assert {"db", "redis", "rabbitmq"} <= set(service["depends_on"])
    assert "/health" in " ".join(service["healthcheck"]["test"])


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("kind", EVENT_COMMANDS)
def test_each_domain_has_its_relay_and_consumer_started_after_it_migrated(domain, kind):
    service = services()[f"{domain}-{kind}"]

    assert service["entrypoint"] == ["python", "manage.py", EVENT_COMMANDS[kind]]
    assert service["environment"] == services()[domain]["environment"]
    assert service["depends_on"] == {domain: {"condition": "service_healthy"}}


def test_the_edge_publishes_the_split_port_with_the_rendered_routes():
    edge_service = services()["edge"]
    (mapping,) = edge_service["ports"]
    host, container = interpolate(mapping, env_example()).rsplit(":", 1)
    (volume,) = edge_service["volumes"]
    source, target, mode = volume.split(":")
    configuration = (PROJECT_ROOT / source).read_text()

    assert re.fullmatch(r"nginx:1\.\d+(\.\d+)?", edge_service["image"])
    assert (host, container) == ("8080", "8080")
    assert (target, mode) == ("/etc/nginx/nginx.conf", "ro")
    assert configuration == edge.render(edge.docker_layout())
    assert f"listen {container};" in configuration
    for domain in DOMAINS:
        assert f"server {domain}:{APP_PORT};" in configuration
        assert edge_service["depends_on"][domain] == {"condition": "service_healthy"}


def test_the_edge_health_asks_every_domain_service():
    aggregator = services()["health"]
    command = aggregator["entrypoint"]
    probes = [command[i + 1] for i, word in enumerate(command) if word == "--probe"]

    assert command[:4] == ["python", "-m", "config.split", "health"]
    assert command[command.index("--listen") + 1] == f"0.0.0.0:{APP_PORT}"
    assert dict(probe.split("=") for probe in probes) == {
        domain: f"http://{domain}:{APP_PORT}" for domain in DOMAINS
    }
    assert "server health:8000;" in edge.render(edge.docker_layout())


def test_the_database_script_is_mounted_where_postgres_runs_it_on_first_start():
    volumes = services()["db"]["volumes"]
    mounted = {Path(v.split(":")[0]).name: v.split(":")[1] for v in volumes if v.startswith("./")}

    assert mounted == {
        "create-databases.sql": "/docker-entrypoint-initdb.d/10-create-databases.sql"
    }
    assert set(re.findall(r"CREATE DATABASE (\w+);", CREATE_DATABASES.read_text())) == {
        f"crm_{domain}" for domain in DOMAINS
    }
