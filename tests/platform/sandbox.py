"""Run the project as a separate process, in a throwaway copy, with a controlled environment.

Architecture and platform tests plant violations or start the app with chosen settings; doing
that in a temporary copy of the source (never the working tree) and in a subprocess (never the
test process, whose settings are already loaded) keeps them honest and side-effect free.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Mapping
from pathlib import Path

import psycopg

from tests import services

PROJECT_ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
SOURCE_ENTRIES = (
    "config",
    "crm",
    "domains",
    ".importlinter",
    "pyproject.toml",
    "manage.py",
    "vulture_whitelist.py",
)
POSTGRES_ADMIN_URL = services.postgres_url()

# Variables of the test process that must not leak into a subprocess started on purpose.
LEAKY_VARIABLES = {
    "DJANGO_SETTINGS_MODULE",
    "SECRET_KEY",
    "JWT_SECRET_KEY",
    "DEBUG",
    "CRM_DATA_DIR",
    "PYTHONPATH",
    "ALLOWED_HOSTS",
    "REDIS_URL",
    "CACHE_KEY_PREFIX",
    "CRM_SERVICE_KEY",
    "CRM_DOMAINS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser fixture while Playwright runs
}


def copy_source(target: Path) -> Path:
    """Copy what makes the application (not .venv, .env, var/ or caches) into ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for entry in SOURCE_ENTRIES:
        source = PROJECT_ROOT / entry
        if source.is_dir():
            shutil.copytree(source, target / entry, ignore=ignore)
        else:
            shutil.copy2(source, target / entry)
    return target


def process_env(root: Path, data_dir: Path, **variables: str) -> dict[str, str]:
    """The environment of a subprocess running the copy at ``root``: no database URL, no
    secrets, no settings module inherited from the test run; ``variables`` added on top."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in LEAKY_VARIABLES and not name.endswith("DATABASE_URL")
    }
    env.update(PYTHONPATH=str(root), CRM_DATA_DIR=str(data_dir), PYTHONDONTWRITEBYTECODE="1")
    env.update(variables)
    return env


def run(
    args: list[str], *, root: Path, env: Mapping[str, str], timeout: int = 180
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=root, env=dict(env), capture_output=True, text=True, timeout=timeout, check=False
    )


def manage(
    *args: str, root: Path, env: Mapping[str, str], timeout: int = 180
) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "manage.py", *args], root=root, env=env, timeout=timeout)


def lint_imports(*, root: Path) -> subprocess.CompletedProcess[str]:
    env = process_env(root, root / "var")
    return run([str(VENV_BIN / "lint-imports"), "--no-cache"], root=root, env=env)


def vulture(*, root: Path) -> subprocess.CompletedProcess[str]:
    """``vulture`` over the copy at ``root``, configured by its pyproject.toml."""
    env = process_env(root, root / "var")
    return run([str(VENV_BIN / "vulture")], root=root, env=env)


def admin_connection() -> psycopg.Connection:
    """The machine's PostgreSQL (``TEST_POSTGRES_URL``, default 127.0.0.1:5432, user postgres).
    A test reaching it says ``@pytest.mark.needs("postgres")`` (tests/services.py)."""
    try:
        return psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        raise AssertionError(
            f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}; these tests need it "
            f"regardless of DATABASE_URL (start it: {services.SERVICES['postgres'].start}). {error}"
        ) from error


class ScratchDatabase:
    """A fresh, uniquely named PostgreSQL database, dropped afterwards."""

    def __init__(self, prefix: str = "crm_platform") -> None:
        self.name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        self.url = services.postgres_url(self.name)

    def __enter__(self) -> ScratchDatabase:
        with admin_connection() as connection:
            connection.execute(f'CREATE DATABASE "{self.name}"')
        return self

    def __exit__(self, *exc_info) -> None:
        with admin_connection() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def connect(self) -> psycopg.Connection:
        return psycopg.connect(self.url, autocommit=True)


def describe(result: subprocess.CompletedProcess[str]) -> str:
    """What a failed assertion should show: the command's exit code and output."""
    return f"exit {result.returncode}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
