"""Test settings: the production layout (same routing, same schemas), faster hashing.

The cache is the real Redis (127.0.0.1:6379 on development and CI machines; override with
``TEST_REDIS_URL``) so throttling and revocation are tested on what production runs. Each test
run gets its own key prefix, so parallel runs on one Redis never see each other's counters;
``tests/conftest.py`` empties this run's keys before every test. On a developer machine without
Redis, ``tests/conftest.py`` puts the local-memory cache in its place (``tests/services.py``).
"""

import os
import uuid

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("JWT_SECRET_KEY", "test-only-jwt-key-not-for-production-0123456789")
os.environ.setdefault("CRM_SERVICE_KEY", "test-only-service-key-not-for-production-0123456789")
# TEST_REDIS_URL, when set, is the tests' Redis whatever REDIS_URL says (a developer's shell may
# export the one `make run` uses); servers the tests start use the same (tests/services.py).
if os.environ.get("TEST_REDIS_URL", "").strip():
    os.environ["REDIS_URL"] = os.environ["TEST_REDIS_URL"].strip()
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
# Subprocesses started by tests (gunicorn) inherit the prefix: they share this run's keys.
os.environ.setdefault("CACHE_KEY_PREFIX", f"crm-test-{uuid.uuid4().hex[:12]}")

from .base import *  # noqa: F403

# Fast hashing; the seed's werkzeug hashes stay checkable (and are upgraded to MD5 on login).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "domains.accounts.hashers.WerkzeugPasswordHasher",
]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
