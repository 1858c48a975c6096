"""Test settings: the production layout (same routing, same schemas), faster hashing."""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("JWT_SECRET_KEY", "test-only-jwt-key-not-for-production-0123456789")

from .base import *  # noqa: F403

# Fast hashing; the seed's werkzeug hashes stay checkable (and are upgraded to MD5 on login).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "domains.accounts.hashers.WerkzeugPasswordHasher",
]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
