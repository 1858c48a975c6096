"""Settings come from the environment and refuse an unsafe production start; the router keeps
each domain on its own alias; ``migrate`` defaults to every alias."""

from __future__ import annotations

import sys

import pytest
from django.apps import apps
from django.conf import settings
from django.db import router

from crm.db.router import DomainRouter
from crm.management.commands.migrate import Command as MigrateCommand

from .sandbox import describe, manage, process_env, run

REAL_SECRETS = {
    "SECRET_KEY": "a-real-secret-3b1f0c6e9d8a4f2b8c7e6d5a4b3c2d1e0f9a8b7c",
    "JWT_SECRET_KEY": "another-real-secret-9f8e7d6c5b4a39281706f5e4d3c2b1a0",
}


def start(app_copy, tmp_path, **variables):
    """``manage.py check`` as a production process (DEBUG off unless ``variables`` say so)."""
    env = process_env(app_copy, tmp_path / "var", **{"DEBUG": "false", **variables})
    return manage("check", root=app_copy, env=env)


def test_with_real_secrets_and_debug_off_the_process_starts(app_copy, tmp_path):
    result = start(app_copy, tmp_path, **REAL_SECRETS)

    assert result.returncode == 0, describe(result)
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("secrets", "refused"),
    [
        pytest.param(
            {"JWT_SECRET_KEY": REAL_SECRETS["JWT_SECRET_KEY"]}, "SECRET_KEY", id="no-secret"
        ),
        pytest.param(
            {**REAL_SECRETS, "SECRET_KEY": "change-me"}, "SECRET_KEY", id="example-secret"
        ),
        pytest.param({**REAL_SECRETS, "SECRET_KEY": "   "}, "SECRET_KEY", id="blank-secret"),
        pytest.param({"SECRET_KEY": REAL_SECRETS["SECRET_KEY"]}, "JWT_SECRET_KEY", id="no-jwt"),
        pytest.param(
            {**REAL_SECRETS, "JWT_SECRET_KEY": "change-me-too"},
            "JWT_SECRET_KEY",
            id="example-jwt-secret",
        ),
    ],
)
def test_with_debug_off_a_missing_or_example_secret_refuses_to_start(
    app_copy, tmp_path, secrets, refused
):
    result = start(app_copy, tmp_path, **secrets)

    assert result.returncode != 0, describe(result)
    assert (
        f"ImproperlyConfigured: {refused} is missing or still the example value; "
        "set a real secret (DEBUG is off)." in result.stderr
    ), describe(result)


@pytest.mark.parametrize(
    ("secrets", "refused", "reason"),
    [
        pytest.param(
            {**REAL_SECRETS, "SECRET_KEY": "x" * 31},
            "SECRET_KEY",
            "is shorter than 32 characters",
            id="short-secret",
        ),
        pytest.param(
            {**REAL_SECRETS, "JWT_SECRET_KEY": "a"},
            "JWT_SECRET_KEY",
            "is shorter than 32 characters",
            id="one-character-jwt-secret",
        ),
        pytest.param(
            {**REAL_SECRETS, "JWT_SECRET_KEY": REAL_SECRETS["SECRET_KEY"]},
            "JWT_SECRET_KEY",
            "is the same as SECRET_KEY",
            id="identical-secrets",
        ),
        pytest.param(
            {**REAL_SECRETS, "SECRET_KEY": "change-me-to-a-long-random-string-0123456789"},
            "SECRET_KEY",
            "is missing or still the example value",
            id="long-example-secret",
        ),
    ],
)
def test_with_debug_off_a_short_or_shared_secret_refuses_to_start(
    app_copy, tmp_path, secrets, refused, reason
):
    result = start(app_copy, tmp_path, **secrets)

    assert result.returncode != 0, describe(result)
    assert f"ImproperlyConfigured: {refused} {reason}; set a real secret" in result.stderr, (
        describe(result)
    )


def test_a_secret_of_exactly_32_characters_is_enough(app_copy, tmp_path):
    result = start(app_copy, tmp_path, SECRET_KEY="k" * 31 + "1", JWT_SECRET_KEY="j" * 32)

    assert result.returncode == 0, describe(result)


@pytest.mark.parametrize(
    ("secret", "loads"), [("change-me", False), (REAL_SECRETS["SECRET_KEY"], True)]
)
def test_the_wsgi_application_gunicorn_serves_applies_the_same_rule(
    app_copy, tmp_path, secret, loads
):
    env = process_env(
        app_copy,
        tmp_path / "var",
        DEBUG="false",
        SECRET_KEY=secret,
        JWT_SECRET_KEY=REAL_SECRETS["JWT_SECRET_KEY"],
    )

    result = run([sys.executable, "-c", "import config.wsgi"], root=app_copy, env=env)

    if loads:
        assert result.returncode == 0, describe(result)
    else:
        assert result.returncode != 0, describe(result)
        assert "SECRET_KEY is missing or still the example value" in result.stderr


@pytest.mark.parametrize(
    "command", [("runserver", "127.0.0.1:0", "--noreload"), ("check",)], ids=["runserver", "check"]
)
def test_serving_or_checking_refuses_without_secrets(app_copy, tmp_path, command):
    env = process_env(app_copy, tmp_path / "var", DEBUG="false")

    result = manage(*command, root=app_copy, env=env, timeout=60)

    assert result.returncode != 0, describe(result)
    assert "SECRET_KEY is missing or still the example value" in result.stderr


def test_offline_migrate_runs_without_secrets_and_signs_nothing(app_copy, tmp_path):
    # A CI job or an init container migrates where the app's secrets are not set.
    data_dir = tmp_path / "var"
    env = process_env(app_copy, data_dir, DEBUG="false")

    result = manage("migrate", "-v", "0", root=app_copy, env=env)

    assert result.returncode == 0, describe(result)
    assert sorted(path.name for path in data_dir.glob("*.sqlite3")) == [
        "accounts.sqlite3",
        "customers.sqlite3",
        "interactions.sqlite3",
        "products.sqlite3",
    ]


def test_with_debug_on_placeholder_secrets_are_allowed_for_development(app_copy, tmp_path):
    result = start(app_copy, tmp_path, DEBUG="true")

    assert result.returncode == 0, describe(result)


def test_a_database_url_that_is_not_postgres_refuses_to_start(app_copy, tmp_path):
    result = start(app_copy, tmp_path, DEBUG="true", DATABASE_URL="mysql://root@127.0.0.1:3306/crm")

    assert result.returncode != 0, describe(result)
    assert "only PostgreSQL URLs are supported here, got mysql" in result.stderr, describe(result)


# --- Router -------------------------------------------------------------------------------------

APP_ALIASES = {
    "accounts": "default",
    "auth": "default",
    "admin": "default",
    "contenttypes": "default",
    "sessions": "default",
    "token_blacklist": "default",
    "customers": "customers",
    "products": "products",
    "interactions": "interactions",
}


@pytest.mark.parametrize(("app_label", "alias"), APP_ALIASES.items())
def test_every_app_migrates_only_on_its_domain_alias(app_label, alias):
    for model in apps.get_app_config(app_label).get_models():
        assert router.db_for_write(model) == alias
        assert [a for a in settings.DATABASES if router.allow_migrate_model(a, model)] == [alias]


@pytest.mark.parametrize(
    ("first", "second", "allowed"),
    [
        ("accounts.User", "auth.Group", True),  # contrib apps live with accounts
        ("interactions.Interaction", "interactions.Transaction", True),
        ("accounts.User", "customers.Customer", False),
        ("customers.Customer", "interactions.Interaction", False),
        ("products.Product", "interactions.Transaction", False),
        ("auth.Group", "products.Product", False),
    ],
)
def test_the_router_refuses_relations_across_domains(first, second, allowed):
    left, right = apps.get_model(first)(), apps.get_model(second)()

    assert router.allow_relation(left, right) is allowed
    assert router.allow_relation(right, left) is allowed


def test_an_unmapped_app_is_left_to_django_and_flagged_by_the_checks():
    domain_router = DomainRouter()

    assert domain_router.allow_migrate("default", "planted_app") is None


# --- migrate's --database default ---------------------------------------------------------------


def test_migrate_defaults_to_every_alias_and_still_accepts_one():
    parser = MigrateCommand().create_parser("manage.py", "migrate")

    assert parser.parse_args([]).database is None
    assert parser.parse_args(["--database", "customers"]).database == "customers"


def test_the_env_file_make_run_writes_has_secrets_a_production_start_accepts(app_copy, tmp_path):
    from config.envfile import render

    from .test_docker import ENV_EXAMPLE

    written = dict(
        line.split("=", 1)
        for line in render(ENV_EXAMPLE.read_text()).splitlines()
        if "=" in line and not line.startswith("#")
    )
    secrets = {name: written[name] for name in ("SECRET_KEY", "JWT_SECRET_KEY")}

    result = start(app_copy, tmp_path, **secrets)  # DEBUG off: the full gate

    assert result.returncode == 0, describe(result)
    assert secrets["SECRET_KEY"] != secrets["JWT_SECRET_KEY"]
    assert min(len(value) for value in secrets.values()) >= 50


def test_a_malformed_throttle_rate_refuses_to_start(app_copy, tmp_path):
    result = start(app_copy, tmp_path, **REAL_SECRETS, CRM_THROTTLE_LOGIN="thirty a minute")

    assert result.returncode != 0, describe(result)
    assert "CRM_THROTTLE_LOGIN: invalid rate 'thirty a minute'" in result.stderr, describe(result)
