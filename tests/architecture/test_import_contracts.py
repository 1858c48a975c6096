"""The import contracts (.importlinter) bite: each kind of forbidden import, planted in a copy of
the source, makes ``lint-imports`` fail, name the contract it breaks and show the import; the
other contracts keep the verdict they have on the unplanted source."""

from __future__ import annotations

import re

import pytest

from tests.platform.sandbox import copy_source, describe, lint_imports

from .conftest import plant

PLATFORM_KNOWS_NO_DOMAIN = "The platform (crm) imports neither the domains nor the composition root"
DOMAINS_NEVER_IMPORT_CONFIG = "Domains never import the composition root (config)"
THROUGH_INTERFACES = "A domain reaches another domain only through that domain's interface module"
NO_CYCLES = "No dependency cycles between domains, interfaces included"
ORCHESTRATORS = "Orchestrating commands in config reach domains only through interfaces"
TIMELINE_AND_LEDGER = "The timeline and the ledger never import each other"
ONLY_GATEWAYS_KNOW = (
    "Only a domain's gateways.py knows whether another domain is remote (crm.remote)"
)
ALL_CONTRACTS = {
    ONLY_GATEWAYS_KNOW,
    TIMELINE_AND_LEDGER,
    ORCHESTRATORS,
    PLATFORM_KNOWS_NO_DOMAIN,
    DOMAINS_NEVER_IMPORT_CONFIG,
    THROUGH_INTERFACES,
    NO_CYCLES,
}


def contract_results(output: str) -> dict[str, str]:
    """``{contract name: "KEPT" | "BROKEN"}`` from lint-imports' summary lines."""
    results = {}
    for line in output.splitlines():
        match = re.match(r"^(?P<name>.+?) (?P<verdict>KEPT|BROKEN)\b", line.strip())
        if match and match["name"] in ALL_CONTRACTS:
            results[match["name"]] = match["verdict"]
    return results


def test_the_clean_source_keeps_every_contract(source_copy):
    result = lint_imports(root=source_copy)

    assert result.returncode == 0, describe(result)
    assert contract_results(result.stdout) == dict.fromkeys(ALL_CONTRACTS, "KEPT")


VIOLATIONS = [
    pytest.param(
        {"domains/interactions/models.py": "from domains.customers import models  # noqa"},
        THROUGH_INTERFACES,
        "domains.interactions.models -> domains.customers.models",
        id="interactions-imports-customers-models",
    ),
    pytest.param(
        # Between two domains with no path back (products -> accounts exists since the audit
        # trail names users, so a planted accounts -> products import would also be a cycle).
        {"domains/products/selectors.py": "from domains.customers.selectors import *  # noqa"},
        THROUGH_INTERFACES,
        "domains.products.selectors -> domains.customers.selectors",
        id="products-imports-customers-selectors",
    ),
    pytest.param(
        {"domains/products/models.py": "import config.settings.base  # noqa"},
        DOMAINS_NEVER_IMPORT_CONFIG,
        "domains.products.models -> config.settings.base",
        id="domain-imports-config",
    ),
    pytest.param(
        # Planted where no domain imports it: from crm.hooks it would also break the other
        # contracts (domains would reach each other and config through crm), muddying the proof.
        {"crm/checks.py": "from domains.customers import interface  # noqa"},
        PLATFORM_KNOWS_NO_DOMAIN,
        "crm.checks -> domains.customers.interface",
        id="crm-imports-a-domain",
    ),
    pytest.param(
        {"crm/management/commands/migrate.py": "from config import urls  # noqa"},
        PLATFORM_KNOWS_NO_DOMAIN,
        "crm.management.commands.migrate -> config.urls",
        id="crm-imports-config",
    ),
    pytest.param(
        {
            "domains/customers/interface.py": "from domains.products import interface  # noqa",
            "domains/products/interface.py": "from domains.customers import interface  # noqa",
        },
        NO_CYCLES,
        re.compile(
            r"No cycles are allowed in domains\.\n.*\n+"
            r"- \.(products -> \.customers|customers -> \.products) "
        ),
        id="cycle-between-two-interfaces",
    ),
    pytest.param(
        {"config/management/commands/__init__.py": "from domains.customers import models  # noqa"},
        ORCHESTRATORS,
        "config.management.commands -> domains.customers.models",
        id="orchestrating-command-imports-models",
    ),
    pytest.param(
        {"domains/interactions/timeline/selectors.py": "from ..ledger import models  # noqa"},
        TIMELINE_AND_LEDGER,
        "domains.interactions.timeline.selectors -> domains.interactions.ledger.models",
        id="timeline-reads-ledger-tables",
    ),
    pytest.param(
        {"domains/interactions/ledger/admin.py": "from ..timeline import admin  # noqa"},
        TIMELINE_AND_LEDGER,
        "domains.interactions.ledger.admin -> domains.interactions.timeline.admin",
        id="ledger-imports-timeline-admin",
    ),
    pytest.param(
        {"domains/interactions/ledger/services.py": "from crm import remote  # noqa"},
        ONLY_GATEWAYS_KNOW,
        "domains.interactions.ledger.services -> crm.remote",
        id="ledger-service-asks-which-mode",
    ),
]


@pytest.fixture(scope="module")
def unplanted_verdicts(tmp_path_factory) -> dict[str, str]:
    result = lint_imports(root=copy_source(tmp_path_factory.mktemp("unplanted")))
    return contract_results(result.stdout)


@pytest.mark.parametrize(("planted", "broken_contract", "evidence"), VIOLATIONS)
def test_a_planted_forbidden_import_breaks_its_contract(
    source_copy, unplanted_verdicts, planted, broken_contract, evidence
):
    assert unplanted_verdicts[broken_contract] == "KEPT", (
        "the unplanted source already breaks this contract, so planting proves nothing; "
        "fix the source first (run lint-imports)"
    )
    for relative_path, code in planted.items():
        plant(source_copy, relative_path, code)

    result = lint_imports(root=source_copy)

    assert result.returncode != 0, describe(result)
    assert contract_results(result.stdout) == unplanted_verdicts | {broken_contract: "BROKEN"}
    if isinstance(evidence, str):
        # \s+: lint-imports wraps a long line before its "(l.N)".
        assert re.search(rf"-\s+{re.escape(evidence)}\s+\(l\.", result.stdout), describe(result)
    else:
        assert evidence.search(result.stdout), describe(result)
