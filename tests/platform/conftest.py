"""Fixtures for the platform tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from .sandbox import copy_source


@pytest.fixture(scope="module")
def app_copy(tmp_path_factory) -> Path:
    """A copy of the application to start as a separate process (no .env, no var/)."""
    return copy_source(tmp_path_factory.mktemp("app"))
