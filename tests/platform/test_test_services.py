"""The outside services policy (``tests/services.py``, applied by ``tests/conftest.py``) run for
real: pytest in a subprocess, over a copy of the project holding the suite's own conftest and a
tiny test file, with Redis and RabbitMQ pointed at ports nobody listens on.

On a developer machine the tests needing them are skipped with a reason saying how to start
them, and the others run on the local-memory cache; in CI (``CI=true`` or
``CRM_TEST_SERVICES=required``) the session stops before any test, naming what is missing.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest

from tests import services

from .live import free_port
from .sandbox import PROJECT_ROOT, copy_source, describe, process_env, run

TINY_TESTS = """
import pytest
from django.conf import settings
from django.core.cache import cache

pytestmark = pytest.mark.django_db(databases=[])


def test_needs_nothing():
    cache.set("greeting", "olá")
    assert cache.get("greeting") == "olá"
    print("CACHE BACKEND", settings.CACHES["default"]["BACKEND"])


@pytest.mark.needs("redis")
def test_needs_redis():
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    cache.set("greeting", "olá")
    assert cache.get("greeting") == "olá"


@pytest.mark.needs("rabbitmq")
def test_needs_rabbitmq():
    print("RABBITMQ TEST RAN")
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = copy_source(tmp_path_factory.mktemp("services-policy"))
    (root / "tests").mkdir()
    for name in ("__init__.py", "conftest.py", "services.py"):
        shutil.copy2(PROJECT_ROOT / "tests" / name, root / "tests" / name)
    (root / "tests" / "test_tiny.py").write_text(TINY_TESTS)
    return root


def pytest_run(root: Path, *, redis_url: str, broker_url: str, **variables: str):
    env = process_env(root, root / "var", TEST_REDIS_URL=redis_url, BROKER_URL=broker_url)
    for name in ("CI", "CRM_TEST_SERVICES"):  # this run's own, not the outer run's
        env.pop(name, None)
    env.update(variables)
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rs", "-s"]
    return run([*command, "tests/test_tiny.py"], root=root, env=env)


def closed_port_urls() -> dict[str, str]:
    return {
        "redis_url": f"redis://127.0.0.1:{free_port()}/0",
        "broker_url": f"amqp://guest:guest@127.0.0.1:{free_port()}//",
    }


def test_on_a_developer_machine_a_missing_service_skips_its_tests_and_says_how_to_start_it(
    project,
):
    urls = closed_port_urls()

    result = pytest_run(project, **urls)

    output = result.stdout + result.stderr
    assert result.returncode == 0, describe(result)
    assert re.search(r"\b1 passed, 2 skipped\b", output), output
    assert "RABBITMQ TEST RAN" not in output
    # the other tests ran on the embedded cache, as `make run` does
    assert "CACHE BACKEND django.core.cache.backends.locmem.LocMemCache" in output
    skipped = [line for line in output.splitlines() if line.startswith("SKIPPED")]
    assert len(skipped) == 2, output
    [redis_line] = [line for line in skipped if "needs redis" in line]
    assert urls["redis_url"] in redis_line
    assert "start it: redis-server --daemonize yes" in redis_line
    [rabbitmq_line] = [line for line in skipped if "needs rabbitmq" in line]
    assert "start it: rabbitmq-server -detached" in rabbitmq_line


@pytest.mark.parametrize("variables", [{"CRM_TEST_SERVICES": "required"}, {"CI": "true"}])
def test_in_ci_a_missing_service_stops_the_session_before_any_test_naming_it(project, variables):
    urls = closed_port_urls()

    result = pytest_run(project, **urls, **variables)

    output = result.stdout + result.stderr
    assert result.returncode == pytest.ExitCode.USAGE_ERROR, describe(result)
    assert "services required (CI=true or CRM_TEST_SERVICES=required) but missing" in output
    assert f"- redis: no PONG from {urls['redis_url']}" in output
    assert "- rabbitmq: no AMQP broker at amqp://guest@127.0.0.1:" in output
    assert not re.search(r"\b(passed|skipped|failed)\b", output), output
    assert "RABBITMQ TEST RAN" not in output


@pytest.mark.needs("redis", "rabbitmq")
def test_with_the_services_up_nothing_is_skipped_even_when_they_are_required(project):
    result = pytest_run(
        project,
        redis_url=services.redis_url(),
        broker_url=services.broker_url(),
        CRM_TEST_SERVICES="required",
    )

    output = result.stdout + result.stderr
    assert result.returncode == 0, describe(result)
    assert re.search(r"\b3 passed in\b", output), output
    assert "CACHE BACKEND crm.cache.RedisCache" in output


def test_an_unknown_service_name_is_a_usage_error(tmp_path):
    root = copy_source(tmp_path / "app")
    (root / "tests").mkdir()
    for name in ("__init__.py", "conftest.py", "services.py"):
        shutil.copy2(PROJECT_ROOT / "tests" / name, root / "tests" / name)
    (root / "tests" / "test_tiny.py").write_text(
        'import pytest\n\n\n@pytest.mark.needs("memcached")\ndef test_x():\n    pass\n'
    )

    result = pytest_run(root, **closed_port_urls())

    assert result.returncode == pytest.ExitCode.USAGE_ERROR, describe(result)
    assert "needs('memcached'): unknown service" in result.stdout + result.stderr
