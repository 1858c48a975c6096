"""Admin for the interactions domain: the timeline and the (read-only) ledger."""

from . import ledger_admin, timeline_admin  # noqa: F401  (each registers its ModelAdmin)
