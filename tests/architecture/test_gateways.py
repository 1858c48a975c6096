"""A domain reaches another domain from ONE module: its ``gateways.py`` (or ``gateways/``).

import-linter already limits what may be imported (another domain's ``interface`` only); this
limits *where from*, so that the split of a domain rewrites one file (CONVENTIONS.md). Checked
by reading the source (absolute and relative imports), and shown to fail on a planted import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.platform.sandbox import PROJECT_ROOT

from .conftest import plant


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(root: Path, path: Path) -> set[str]:
    """Absolute names of every module ``path`` imports (relative imports resolved)."""
    module = module_name(root, path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.add(target)
            found |= {f"{target}.{alias.name}" for alias in node.names}
    return found


def imports_outside_gateways(root: Path) -> list[str]:
    """``"<module> -> <other domain's module>"`` for every cross-domain import not in gateways."""
    violations = []
    for domain_dir in sorted(p for p in (root / "domains").iterdir() if p.is_dir()):
        domain = domain_dir.name
        for path in sorted(domain_dir.rglob("*.py")):
            relative = path.relative_to(domain_dir)
            if relative.parts[0] in {"gateways.py", "gateways", "migrations"}:
                continue
            for target in sorted(imported_modules(root, path)):
                parts = target.split(".")
                if len(parts) >= 2 and parts[0] == "domains" and parts[1] not in {domain, ""}:
                    other = root / "domains" / parts[1]
                    if other.is_dir():
                        violations.append(f"{module_name(root, path)} -> {target}")
    return violations


def test_only_gateways_import_other_domains():
    assert imports_outside_gateways(PROJECT_ROOT) == []


@pytest.mark.parametrize(
    ("relative_path", "code", "expected"),
    [
        pytest.param(
            "domains/interactions/timeline/selectors.py",
            "from domains.customers.interface import customer_summaries  # noqa",
            "domains.interactions.timeline.selectors -> domains.customers.interface",
            id="absolute-import-outside-gateways",
        ),
        pytest.param(
            "domains/products/api/views.py",
            "from ...accounts import interface as accounts_interface  # noqa",
            "domains.products.api.views -> domains.accounts.interface",
            id="relative-import-climbing-into-another-domain",
        ),
        pytest.param(
            "domains/customers/apps.py",
            "import domains.interactions.interface  # noqa",
            "domains.customers.apps -> domains.interactions.interface",
            id="plain-import-statement",
        ),
    ],
)
def test_a_cross_domain_import_outside_gateways_is_caught(
    source_copy, relative_path, code, expected
):
    plant(source_copy, relative_path, code)

    assert expected in imports_outside_gateways(source_copy)


def test_the_same_import_inside_gateways_is_allowed(source_copy):
    plant(
        source_copy,
        "domains/products/gateways.py",
        "from domains.customers.interface import customer_summaries  # noqa",
    )

    assert imports_outside_gateways(source_copy) == []
