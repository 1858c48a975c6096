"""Plain data of this package's interface (frozen dataclasses), importable without its models:
a process that does not serve the domain still imports the interface (``crm.remote``)."""

from __future__ import annotations

from dataclasses import dataclass

from crm.bulk_import import ImportOutcome


@dataclass(frozen=True)
class HistoryImportOutcome:
    interactions: ImportOutcome
    transactions: ImportOutcome
