"""The container setup (Dockerfile, docker/entrypoint.sh, docker-compose.yml) checked offline:
no Docker engine runs here, so the compose file is validated against the compose specification
and cross-checked with the settings, the Dockerfile and .env.example; the entrypoint itself runs
for real against a fresh PostgreSQL database."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import tomllib
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import resolve
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from .sandbox import PROJECT_ROOT, VENV_BIN, ScratchDatabase, describe, process_env

COMPOSE_FILE = PROJECT_ROOT / "docker-compose.yml"
DOCKERFILE = PROJECT_ROOT / "Dockerfile"
ENTRYPOINT = PROJECT_ROOT / "docker" / "entrypoint.sh"
ENV_EXAMPLE = PROJECT_ROOT / ".env.example"
LOCK_FILES = ("requirements.lock", "requirements-dev.lock")
CONTAINER_PORT = 8000


def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


def env_example() -> dict[str, str]:
    variables = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        name, sep, value = line.partition("=")
        if sep and not name.lstrip().startswith("#"):
            variables[name.strip()] = value
    return variables


def dockerfile_instructions() -> list[tuple[str, str]]:
    """``(INSTRUCTION, arguments)`` with continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text())
    instructions = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, arguments = line.partition(" ")
            instructions.append((keyword.upper(), arguments.strip()))
    return instructions


def dockerfile(keyword: str) -> list[str]:
    return [arguments for found, arguments in dockerfile_instructions() if found == keyword]


def interpolate(value: str, variables: dict[str, str]) -> str:
    """Compose's ``${NAME:-default}`` / ``${NAME}`` interpolation (``$$`` is a literal ``$``)."""

    def replace(match: re.Match) -> str:
        return variables.get(match["name"]) or match["default"] or ""

    value = re.sub(r"(?<!\$)\$\{(?P<name>\w+)(?::-(?P<default>[^}]*))?\}", replace, value)
    return value.replace("$$", "$")


# --- docker-compose.yml ---------------------------------------------------------------------


def test_the_compose_file_is_valid_against_the_compose_specification():
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


def test_every_variable_the_compose_file_uses_is_documented_in_env_example():
    text = COMPOSE_FILE.read_text()
    referenced = set(re.findall(r"(?<!\$)\$\{(\w+)", text)) | set(
        re.findall(r"(?<!\$)\$(\w+)", text)
    )
    set_for_services = {
        name
        for service in compose()["services"].values()
        for name in service.get("environment", {})
    }

    missing = (referenced | set_for_services) - set(env_example())

    assert referenced >= {"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB", "APP_PORT"}
    assert not missing, f"not in .env.example: {sorted(missing)}"


def test_every_variable_in_env_example_is_explained_by_a_comment():
    lines = ENV_EXAMPLE.read_text().splitlines()
    undocumented = []
    for number, line in enumerate(lines):
        if "=" in line and not line.startswith("#"):
            previous = number - 1
            while previous >= 0 and "=" in lines[previous] and not lines[previous].startswith("#"):
                previous -= 1  # a block of related variables shares one comment
            if previous < 0 or not lines[previous].startswith("#"):
                undocumented.append(line.partition("=")[0])

    assert not undocumented


def test_every_variable_the_settings_read_is_in_env_example():
    sources = [
        PROJECT_ROOT / "config" / "settings" / "base.py",
        PROJECT_ROOT / "crm" / "db" / "__init__.py",
    ]
    read = set()
    for source in sources:
        read |= set(
            re.findall(r"""env(?:\.get|_bool|_list|_str)\(\s*["'](\w+)["']""", source.read_text())
        )
    read |= {f"{domain.upper()}_DATABASE_URL" for domain in settings.CRM_DOMAIN_ALIASES}

    assert {"SECRET_KEY", "JWT_SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DATABASE_URL"} <= read
    assert read - set(env_example()) == set()


def test_the_app_is_built_here_reads_env_and_waits_for_a_healthy_database():
    services = compose()["services"]
    app, db = services["app"], services["db"]

    assert app["build"] == "."
    assert app["env_file"] == ".env"
    assert (PROJECT_ROOT / ".env.example").exists()
    assert app["depends_on"] == {
        "db": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
    }
    assert re.fullmatch(r"postgres:16(\.\d+)*(-\w+)?", db["image"])
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert "postgres-data" in compose()["volumes"]
    assert db["volumes"] == ["postgres-data:/var/lib/postgresql/data"]


def test_the_app_database_url_points_at_the_database_service_with_its_credentials():
    services = compose()["services"]
    db_environment = services["db"]["environment"]
    variables = env_example()

    url = urlsplit(interpolate(services["app"]["environment"]["DATABASE_URL"], variables))

    assert url.scheme in {"postgres", "postgresql"}
    assert url.hostname in services, f"{url.hostname} is not a service of docker-compose.yml"
    assert url.hostname == "db"
    assert url.port == 5432
    assert url.username == interpolate(db_environment["POSTGRES_USER"], variables)
    assert url.password == interpolate(db_environment["POSTGRES_PASSWORD"], variables)
    assert url.path.lstrip("/") == interpolate(db_environment["POSTGRES_DB"], variables)


def test_the_app_shares_its_throttles_and_revocations_through_the_redis_service():
    services = compose()["services"]
    redis = services["redis"]

    url = urlsplit(interpolate(services["app"]["environment"]["REDIS_URL"], env_example()))

    assert url.scheme == "redis"
    assert url.hostname == "redis" and url.hostname in services
    assert url.port == 6379
    assert re.fullmatch(r"redis:7(\.\d+)*(-\w+)?", redis["image"])
    assert "redis-cli" in " ".join(redis["healthcheck"]["test"])
    assert "ping" in redis["healthcheck"]["test"]


def test_the_published_port_is_the_seed_gateway_port_and_reaches_gunicorn():
    (mapping,) = compose()["services"]["app"]["ports"]
    host, container = interpolate(mapping, env_example()).rsplit(":", 1)
    command = shlex.split(" ".join(yaml.safe_load(dockerfile("CMD")[-1])))

    assert (host, int(container)) == ("8080", CONTAINER_PORT)
    assert dockerfile("EXPOSE") == [str(CONTAINER_PORT)]
    assert command[:2] == ["gunicorn", "config.wsgi:application"]
    assert command[command.index("--bind") + 1] == f"0.0.0.0:{CONTAINER_PORT}"


def test_both_healthchecks_probe_an_endpoint_that_exists(client):
    app_probe = " ".join(compose()["services"]["app"]["healthcheck"]["test"])
    image_probe = dockerfile("HEALTHCHECK")[0]

    for probe in (app_probe, image_probe):
        url = urlsplit(re.search(r"https?://[^'\" ]+", probe).group(0))
        assert url.port == CONTAINER_PORT
        assert resolve(url.path).url_name == "health"
    response = client.get("/health")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


# --- Dockerfile -----------------------------------------------------------------------------


def test_the_image_is_python_3_11_slim_runs_as_a_user_and_has_static_files_built_in():
    assert dockerfile("FROM") == ["python:3.11-slim"]
    assert dockerfile("USER") and dockerfile("USER")[-1] not in {"root", "0"}
    runs = " ".join(dockerfile("RUN"))
    assert "pip install --require-hashes -r requirements.lock" in runs
    assert "manage.py collectstatic --noinput" in runs
    assert dockerfile("ENTRYPOINT") == ['["crm-entrypoint"]']
    copies = dockerfile("COPY")
    assert "docker/entrypoint.sh /usr/local/bin/crm-entrypoint" in copies


def locked_pins(lock_file: Path) -> dict[str, tuple[str, list[str]]]:
    """``{canonical name: (version, [hashes])}`` of a pip-compile lock file."""
    text = re.sub(r"\\\n\s*", " ", lock_file.read_text())
    pins = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            requirement, *options = line.split(" --hash=")
            name, version = requirement.strip().split("==")
            pins[canonicalize_name(name)] = (version, options)
    return pins


def project_requirements(extra: str | None = None) -> list[Requirement]:
    with (PROJECT_ROOT / "pyproject.toml").open("rb") as file:
        project = tomllib.load(file)["project"]
    declared = project["dependencies"]
    if extra:
        declared = declared + project["optional-dependencies"][extra]
    return [Requirement(line) for line in declared]


def test_the_dependency_layer_installs_the_runtime_lock_with_hashes_before_any_code():
    runs, copies = dockerfile("RUN"), dockerfile("COPY")

    # The lock file is copied alone and installed with every file's hash checked, before any
    # code is copied: a code change does not invalidate the dependency layer.
    assert copies[0] == "requirements.lock ./"
    assert runs[1] == "pip install --require-hashes -r requirements.lock"
    instructions = dockerfile_instructions()
    install = instructions.index(("RUN", runs[1]))
    assert [keyword for keyword, _ in instructions[:install]].count("COPY") == 1
    # The project itself brings no dependency of its own and builds with the locked setuptools.
    assert "pip install --no-deps --no-build-isolation ." in runs


@pytest.mark.parametrize(
    ("lock_file", "extra"), [("requirements.lock", None), ("requirements-dev.lock", "dev")]
)
def test_each_lock_file_pins_every_declared_dependency_with_hashes(lock_file, extra):
    pins = locked_pins(PROJECT_ROOT / lock_file)

    for requirement in project_requirements(extra):
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement} is not in {lock_file}: run `make lock`"
        version = pins[name][0]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{lock_file} pins {name}=={version}, outside {requirement}: run `make lock`"
        )
    assert all(hashes for _version, hashes in pins.values())
    assert "setuptools" in pins  # the build backend: --no-build-isolation uses the locked one


def test_the_runtime_lock_has_no_dev_tool_and_the_tests_run_on_its_versions():
    runtime, dev = (locked_pins(PROJECT_ROOT / name) for name in LOCK_FILES)
    tools = {"pytest", "pytest-django", "ruff", "playwright", "schemathesis", "pip-tools"}

    assert tools <= {canonicalize_name(r.name) for r in project_requirements("dev")}
    assert not tools & set(runtime), "a dev tool would be installed in the image"
    # The dev lock is resolved under the runtime lock's constraint: what the tests import is
    # exactly what the image installs, and the test virtualenv holds those versions.
    assert {name: pin[0] for name, pin in runtime.items()} == {
        name: dev[name][0] for name in runtime
    }
    for name, (version, _hashes) in runtime.items():
        if name not in {"pip", "setuptools"}:
            assert metadata.version(name) == version, f"run `make install`: {name}"


def test_the_project_builds_from_the_image_files_with_the_locked_backend_without_warnings(
    tmp_path,
):
    # The Dockerfile's last install step, offline: a wheel of the files the image holds, built
    # without isolation (the locked setuptools of this virtualenv), with no warning printed.
    root = image_tree(tmp_path / "app")

    result = subprocess.run(
        [
            *(str(VENV_BIN / "python"), "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"),
            *("--no-index", "--wheel-dir", str(tmp_path / "dist"), "."),
        ],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )

    assert result.returncode == 0, describe(result)
    assert list((tmp_path / "dist").glob("crm_finance-*.whl")), describe(result)
    # (pip's own notes about this machine's configured package folders are not the build's)
    warnings = [
        line
        for line in (result.stdout + result.stderr).lower().splitlines()
        if "warning" in line and "is neither a file nor a directory" not in line
    ]
    assert not warnings, describe(result)


def test_what_the_image_copies_exists_and_is_not_docker_ignored():
    ignored = {
        line.strip()
        for line in (PROJECT_ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    for arguments in dockerfile("COPY"):
        *sources, _destination = arguments.split()
        for source in sources:
            assert (PROJECT_ROOT / source).exists(), source
            assert source.split("/")[0] not in ignored, f"{source} is excluded by .dockerignore"
    assert {".env", ".venv", ".git", "var"} <= ignored


def image_tree(target: Path) -> Path:
    """What the Dockerfile's COPY instructions put in its WORKDIR (/app), rebuilt in ``target``."""
    (workdir,) = dockerfile("WORKDIR")
    for arguments in dockerfile("COPY"):
        *sources, destination = arguments.split()
        if destination.startswith("/") and not destination.startswith(workdir):
            continue  # outside the application folder (the entrypoint script)
        folder = target / destination.removeprefix(workdir).lstrip("/")
        for source in sources:
            origin = PROJECT_ROOT / source
            if origin.is_dir():
                shutil.copytree(origin, folder, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                folder.mkdir(parents=True, exist_ok=True)
                shutil.copy2(origin, folder / origin.name)
    return target


def test_collectstatic_as_the_image_build_runs_it_succeeds_without_a_real_secret(tmp_path):
    # The build step exactly: its variables (DEBUG off, build-only dummy secrets), its command,
    # on the files the image holds. The dummy must pass the production check and must not be
    # baked into the image's environment.
    (step,) = [run for run in dockerfile("RUN") if "collectstatic" in run]
    command = step.split("&&")[0].split()
    variables = dict(word.split("=", 1) for word in command if re.fullmatch(r"\w+=\S*", word))
    program = [word for word in command if not re.fullmatch(r"\w+=\S*", word)]
    assert variables["DEBUG"] == "false"
    assert all("SECRET_KEY" not in env for env in dockerfile("ENV"))
    root = image_tree(tmp_path / "app")
    variables["CRM_DATA_DIR"] = str(tmp_path / "build-var")
    env = process_env(root, tmp_path / "build-var", **variables)

    result = subprocess.run(
        [str(VENV_BIN / "python"), *program[1:]],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )

    assert program[:3] == ["python", "manage.py", "collectstatic"]
    assert result.returncode == 0, describe(result)
    static = root / "staticfiles"
    assert (static / "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js").is_file()
    assert (static / "admin/css/base.css").is_file()
    assert (static / "rest_framework/css/bootstrap.min.css").is_file()


# --- docker/entrypoint.sh -------------------------------------------------------------------


def test_the_entrypoint_is_an_executable_posix_shell_script():
    assert os.access(ENTRYPOINT, os.X_OK)
    assert ENTRYPOINT.read_text().startswith("#!/bin/sh\n")
    syntax = subprocess.run(["sh", "-n", str(ENTRYPOINT)], capture_output=True, text=True)
    assert syntax.returncode == 0, syntax.stderr


def test_the_superuser_variables_match_the_user_model():
    user_model = get_user_model()
    expected = {
        f"DJANGO_SUPERUSER_{user_model.USERNAME_FIELD.upper()}",
        "DJANGO_SUPERUSER_PASSWORD",
    }
    expected |= {f"DJANGO_SUPERUSER_{field.upper()}" for field in user_model.REQUIRED_FIELDS}

    assert expected <= set(env_example())
    assert f"DJANGO_SUPERUSER_{user_model.USERNAME_FIELD.upper()}" in ENTRYPOINT.read_text()


@pytest.fixture
def entrypoint_database():
    with ScratchDatabase(prefix="crm_entrypoint") as database:
        yield database


def run_entrypoint(app_copy: Path, tmp_path: Path, **variables: str):
    env = process_env(app_copy, tmp_path / "var", **variables)
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"  # `python` as in the image
    command = [
        str(ENTRYPOINT),
        "python",
        "-c",
        "print('COMMAND RAN')",  # stands in for gunicorn: the entrypoint must exec its command
    ]
    return subprocess.run(
        command, cwd=app_copy, env=env, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.mark.needs("postgres")
def test_the_entrypoint_migrates_every_domain_creates_the_superuser_once_and_execs(
    app_copy, tmp_path, entrypoint_database
):
    variables = {
        "DEBUG": "false",
        "SECRET_KEY": "entrypoint-test-secret-0123456789abcdef",
        "JWT_SECRET_KEY": "entrypoint-test-jwt-0123456789abcdef",
        "DATABASE_URL": entrypoint_database.url,
        "DJANGO_SUPERUSER_DS_USER_EMAIL": "Admin@Example.com",
        "DJANGO_SUPERUSER_PASSWORD": "admin-Senha-Forte-1",
    }

    first = run_entrypoint(app_copy, tmp_path, **variables)
    second = run_entrypoint(app_copy, tmp_path, **variables)

    assert first.returncode == 0, describe(first)
    assert first.stdout.rstrip().endswith("COMMAND RAN"), describe(first)
    assert "creating superuser Admin@Example.com" in first.stdout, describe(first)
    assert second.returncode == 0, describe(second)
    assert "superuser Admin@Example.com exists; left as it is" in second.stdout, describe(second)
    with entrypoint_database.connect() as connection:
        users = connection.execute(
            'select ds_user_email, ds_user, is_staff, is_superuser from accounts."user"'
        ).fetchall()
        schemas_with_tables = {
            schema
            for (schema,) in connection.execute(
                "select distinct table_schema from information_schema.tables "
                "where table_schema not in ('pg_catalog', 'information_schema')"
            ).fetchall()
        }
    assert users == [("admin@example.com", "Administrador", True, True)]
    assert schemas_with_tables == {"accounts", "customers", "products", "interactions"}


def test_the_entrypoint_gives_up_clearly_when_the_database_never_answers(app_copy, tmp_path):
    result = run_entrypoint(
        app_copy,
        tmp_path,
        DEBUG="true",
        DATABASE_URL="postgres://postgres@127.0.0.1:1/nowhere",
        DB_WAIT_SECONDS="2",
    )

    assert result.returncode != 0, describe(result)
    assert "entrypoint: database alias 'default' is unreachable" in result.stderr, describe(result)
    assert "COMMAND RAN" not in result.stdout
