"""Building the project is quiet: no setuptools deprecation or "Editable installation" warning
(issue #11: setuptools warned three times about the ``project.license`` table)."""

from __future__ import annotations

import shutil
import subprocess
import sys

from .sandbox import PROJECT_ROOT, copy_source

SETUPTOOLS_WARNINGS = ("BuildBackendWarning", "SetuptoolsDeprecationWarning", "InformationOnly")


def _build(tmp_path, *arguments: str) -> subprocess.CompletedProcess:
    root = copy_source(tmp_path / "project")
    shutil.copy2(PROJECT_ROOT / "README.md", root / "README.md")
    return subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", *arguments, str(root)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_building_the_wheel_prints_no_setuptools_warning(tmp_path):
    result = _build(tmp_path, "-w", str(tmp_path / "dist"))

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert list((tmp_path / "dist").glob("crm_finance-*.whl")), output
    assert not [name for name in SETUPTOOLS_WARNINGS if name in output], output
    assert "deprecated" not in output.lower(), output
