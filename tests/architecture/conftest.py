"""Fixtures for the architecture tests: a throwaway copy of the source to plant violations in."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.platform.sandbox import copy_source


@pytest.fixture
def source_copy(tmp_path: Path) -> Path:
    """A fresh copy of the application source (config, crm, domains, contracts, manage.py)."""
    return copy_source(tmp_path / "src")


def plant(root: Path, relative_path: str, code: str) -> None:
    """Append ``code`` to a module of the copy (creating it if needed)."""
    target = root / relative_path
    target.parent.mkdir(parents=True, exist_ok=True)
    existing = target.read_text() if target.exists() else ""
    target.write_text(existing + "\n\n" + code.strip() + "\n")
