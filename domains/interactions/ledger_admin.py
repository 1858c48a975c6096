"""Admin for transactions (the ledger): read-only, reversal as an action."""
