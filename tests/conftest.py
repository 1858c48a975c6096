"""Shared fixtures. Every test talks to the real database(s): Postgres when DATABASE_URL is
set (four schemas in one database, as in production), SQLite files' in-memory twins otherwise,
and to the real Redis (throttle counters, token revocation state), under this run's own key
prefix, emptied before every test. Without a Redis on a developer machine, the local-memory
cache stands in (what ``make run`` uses); the tests that need Redis itself say so
(``@pytest.mark.needs("redis")``) and are skipped: the policy is in ``tests/services.py``.
"""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests import services

ALL_DATABASES = "__all__"


def cache_clear_this_run() -> None:
    """Delete this run's keys only: ``cache.clear()`` would FLUSHDB a Redis shared with other
    runs and other engineers."""
    from django.conf import settings
    from django.core.cache import cache

    if settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        client = cache._cache.get_client(write=True)
        prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
    else:
        cache.clear()


@pytest.fixture(scope="session", autouse=True)
def _cache_emptied_after_the_run():
    yield
    cache_clear_this_run()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """No test sees another test's throttle counters or cached token state."""
    cache_clear_this_run()


def _uses_redis_in_process() -> bool:
    from django.conf import settings

    return settings.CACHES["default"]["BACKEND"].endswith("RedisCache")


def pytest_collection_finish(session):
    """The outside services policy (``tests/services.py``), once, before any test runs: probe
    what the collected tests need; in CI stop here if anything is missing, elsewhere skip the
    tests that need it, with the reason and how to start it."""
    if session.config.option.collectonly:
        return
    items = session.items
    needed: dict[str, list[pytest.Item]] = {}
    for item in items:
        for marker in item.iter_markers("needs"):
            for name in marker.args:
                if name not in services.SERVICES:
                    raise pytest.UsageError(
                        f"{item.nodeid}: @pytest.mark.needs({name!r}): unknown service; known: "
                        f"{', '.join(services.SERVICES)}"
                    )
                needed.setdefault(name, []).append(item)
    if items and _uses_redis_in_process():
        needed.setdefault("redis", [])  # the test process's own cache

    missing = {name: services.missing(name) for name in needed if services.missing(name)}
    if missing and services.required():
        listed = "\n".join(
            f"  - {name}: {why}; start it: {services.SERVICES[name].start}"
            for name, why in missing.items()
        )
        pytest.exit(
            "services required (CI=true or CRM_TEST_SERVICES=required) but missing:\n"
            + listed
            + "\n",
            returncode=pytest.ExitCode.USAGE_ERROR,
        )
    if "redis" in missing and _uses_redis_in_process():
        # A laptop: the embedded default of `make run` stands in for the shared cache.
        from django.test.utils import override_settings

        override_settings(
            CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
        ).enable()
    unavailable: dict[pytest.Item, list[str]] = {}
    for name in missing:
        for item in needed[name]:
            unavailable.setdefault(item, []).append(name)
    for item, names in unavailable.items():
        item.add_marker(pytest.mark.skip(reason=" | ".join(map(services.skip_reason, names))))


def pytest_collection_modifyitems(items):
    # Every domain has its own alias: a test may touch any of them unless it says otherwise.
    # Black-box tests (tests/http_contract) talk to a server over HTTP and never need one.
    for item in items:
        if item.get_closest_marker("black_box") is not None:
            continue
        if item.get_closest_marker("django_db") is None and "live_server" not in getattr(
            item, "fixturenames", ()
        ):
            item.add_marker(pytest.mark.django_db(databases=ALL_DATABASES))


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def password() -> str:
    return "s3nha-Forte-2026"


def with_role(user, role: str):
    """``user`` given ``role`` (admin, manager, sales, viewer) through the accounts service."""
    import uuid

    from domains.accounts import services

    # As an admin would (PATCH /api/users/<cd_user>); the acting admin is anyone else.
    services.user_update(user_id=user.pk, acting_user_id=uuid.uuid4(), ds_role=role)
    # A role change revokes the tokens issued before it (the token version moves on): tokens
    # made from this object afterwards must carry the new version.
    user.refresh_from_db()
    return user


@pytest.fixture
def user(django_user_model, password):
    """A manager: the seed let every user manage all business data, and the tests written for
    that contract keep exercising it (refusals by role are tested in tests/accounts/)."""
    created = django_user_model.objects.create_user(
        ds_user_email="ana@example.com", password=password, ds_user="Ana Souza"
    )
    return with_role(created, "manager")


@pytest.fixture
def staff_user(django_user_model, password):
    return django_user_model.objects.create_superuser(
        ds_user_email="staff@example.com", password=password, ds_user="Equipe CRM"
    )


def bearer_for(user) -> str:
    """An access token for ``user`` as a login issues it (token version and session claims)."""
    from domains.accounts import services

    return f"Bearer {services.token_pair_issue(user=user).access_token}"


@pytest.fixture
def auth_client(user) -> APIClient:
    """A client carrying a valid access token for ``user``."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=bearer_for(user))
    return client


@pytest.fixture
def open_registration(settings):
    """``CRM_REGISTRATION=open`` with the seed's behaviour (self-registered users manage)."""
    settings.CRM_REGISTRATION = "open"
    settings.CRM_REGISTRATION_ROLE = "manager"
