"""CRM_REGISTRATION's defaults as a real process sees them, and what `make run` writes."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from django.conf import settings

from config.envfile import render

from .sandbox import describe, process_env, run

REAL_SECRETS = {
    "SECRET_KEY": "a-real-secret-3b1f0c6e9d8a4f2b8c7e6d5a4b3c2d1e0f9a8b7c",
    "JWT_SECRET_KEY": "another-real-secret-9f8e7d6c5b4a39281706f5e4d3c2b1a0",
}
PRINT_SETTINGS = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.CRM_REGISTRATION, settings.CRM_REGISTRATION_ROLE)"
)


def registration_settings(app_copy: Path, tmp_path: Path, **variables: str):
    env = process_env(
        app_copy,
        tmp_path / "var",
        DJANGO_SETTINGS_MODULE="config.settings.base",
        **{**REAL_SECRETS, **variables},
    )
    return run([sys.executable, "-c", PRINT_SETTINGS], root=app_copy, env=env)


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({"DEBUG": "false"}, "closed viewer"),
        ({"DEBUG": "true"}, "open viewer"),
        ({"DEBUG": "false", "CRM_REGISTRATION": "open"}, "open viewer"),
        ({"DEBUG": "true", "CRM_REGISTRATION": "Closed"}, "closed viewer"),
        ({"CRM_REGISTRATION": "open", "CRM_REGISTRATION_ROLE": "manager"}, "open manager"),
    ],
)
def test_registration_is_closed_by_default_in_production(app_copy, tmp_path, variables, expected):
    result = registration_settings(app_copy, tmp_path, **variables)

    assert result.returncode == 0, describe(result)
    assert result.stdout.strip() == expected


@pytest.mark.parametrize(
    "variables", [{"CRM_REGISTRATION": "sometimes"}, {"CRM_REGISTRATION_ROLE": "boss"}]
)
def test_a_misspelt_registration_setting_refuses_to_start(app_copy, tmp_path, variables):
    result = registration_settings(app_copy, tmp_path, **variables)

    assert result.returncode != 0
    assert next(iter(variables)) in result.stderr


def test_the_example_is_closed_and_make_runs_env_is_the_seeds_behaviour():
    example = (Path(settings.BASE_DIR) / ".env.example").read_text()

    local = render(example)

    assert "\nCRM_REGISTRATION=closed\n" in example
    assert "\nCRM_REGISTRATION_ROLE=viewer\n" in example
    assert "\nCRM_REGISTRATION=open\n" in local
    assert "\nCRM_REGISTRATION_ROLE=manager\n" in local
