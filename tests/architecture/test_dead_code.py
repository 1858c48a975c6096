"""Dead code fails the lint (``vulture``, configured in pyproject.toml with a reviewed
whitelist for what Django calls by name): the source is clean, and an unused function, constant
or import planted in crm/ or a domain is reported by name."""

from __future__ import annotations

import pytest

from tests.platform.sandbox import describe, vulture

from .conftest import plant


def test_the_source_has_no_dead_code(source_copy):
    result = vulture(root=source_copy)

    assert result.returncode == 0, describe(result)
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("relative_path", "code", "evidence"),
    [
        pytest.param(
            "crm/api/query.py",
            "def query_list(query_params, name):\n    return query_params.getlist(name)",
            "crm/api/query.py:",
            id="unused-platform-function",
        ),
        pytest.param(
            "domains/interactions/ledger/api/views.py",
            "WRITE_ERRORS = {409: None}",
            "unused variable 'WRITE_ERRORS'",
            id="unused-module-constant",
        ),
        pytest.param(
            "domains/products/services.py",
            "from decimal import ROUND_HALF_EVEN",
            "unused import 'ROUND_HALF_EVEN'",
            id="unused-import",
        ),
    ],
)
def test_planted_dead_code_is_reported(source_copy, relative_path, code, evidence):
    plant(source_copy, relative_path, code)

    result = vulture(root=source_copy)

    assert result.returncode != 0, describe(result)
    assert evidence in result.stdout, describe(result)
