"""Throttling and revocation hold across processes: two separate gunicorn servers (as two hosts
behind a load balancer would be) on one database and one Redis, driven over real HTTP."""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path

import pytest

from tests import services

from .live import call, gunicorn, redis_delete_prefix
from .sandbox import describe, manage, process_env

pytestmark = pytest.mark.needs("redis")

REDIS_URL = services.redis_url()
EMAIL = "ana@example.com"
PASSWORD = "s3nha-Forte-2026"


@pytest.fixture(scope="module")
def two_servers(app_copy: Path, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("shared-state")
    prefix = f"crm-test-processes-{uuid.uuid4().hex[:12]}"
    env = process_env(
        app_copy,
        tmp / "var",
        DEBUG="false",
        SECRET_KEY="processes-test-secret-0123456789abcdef0123",
        JWT_SECRET_KEY="processes-test-jwt-key-0123456789abcdef0123",
        REDIS_URL=REDIS_URL,
        CACHE_KEY_PREFIX=prefix,
        DJANGO_SUPERUSER_DS_USER_EMAIL=EMAIL,
        DJANGO_SUPERUSER_DS_USER="Ana",
        DJANGO_SUPERUSER_PASSWORD=PASSWORD,
    )
    for command in (["migrate"], ["createsuperuser", "--noinput"]):
        result = manage(*command, root=app_copy, env=env)
        assert result.returncode == 0, describe(result)
    try:
        with (
            gunicorn(app_copy, env, log=tmp / "a.log") as first,
            gunicorn(app_copy, env, log=tmp / "b.log") as second,
        ):
            yield first, second, env
    finally:
        redis_delete_prefix(REDIS_URL, prefix)


def login(base: str, password: str = PASSWORD):
    return call(base, "POST", "/auth/login", {"ds_user_email": EMAIL, "password": password})


def test_failed_logins_spread_over_two_processes_are_refused_by_the_tenth(two_servers):
    first, second, _env = two_servers

    answers = [login(first if n % 2 else second, "errada-123456") for n in range(10)]

    statuses = [status for status, _headers, _body in answers]
    assert 429 in statuses, statuses
    throttled = answers[statuses.index(429)]
    assert int(throttled[1]["Retry-After"]) >= 1
    assert json.loads(throttled[2])["error"].startswith("Muitas requisições")
    # still locked on both, also with the right password
    assert login(first)[0] == 429
    assert login(second)[0] == 429


def test_a_deactivated_users_token_is_refused_by_every_process_within_seconds(
    two_servers, app_copy
):
    first, second, env = two_servers
    # A second account (the first one is locked out by the test above, in a shared Redis).
    email = "bruno@example.com"
    created = manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import Group; "
        "from domains.accounts.models import User; "
        f"u = User.objects.create_user(ds_user_email='{email}', password='{PASSWORD}', "
        "ds_user='B'); "
        "u.groups.add(Group.objects.get(name='manager'))",
        root=app_copy,
        env=env,
    )
    assert created.returncode == 0, describe(created)
    status, _headers, body = call(
        first, "POST", "/auth/login", {"ds_user_email": email, "password": PASSWORD}
    )
    assert status == 200, body
    token = json.loads(body)["access_token"]
    assert call(first, "GET", "/api/customers", token=token)[0] == 200
    assert call(second, "GET", "/api/customers", token=token)[0] == 200  # both cached it as good

    # when: a third process deactivates the user
    deactivated = manage(
        "shell",
        "-c",
        "from domains.accounts import services; from domains.accounts.models import User; "
        f"services.user_set_active(user_ids=[User.objects.get(ds_user_email='{email}').pk], "
        "is_active=False)",
        root=app_copy,
        env=env,
    )
    assert deactivated.returncode == 0, describe(deactivated)

    # then: refused on both servers at once (well within 5 seconds)
    started = time.monotonic()
    for base in (first, second):
        status, _headers, body = call(base, "GET", "/api/customers", token=token)
        assert status == 401, body
        created_status = call(base, "POST", "/api/customers", {"ds_customer_name": "X"}, token)[0]
        assert created_status == 401
    assert time.monotonic() - started < 5
