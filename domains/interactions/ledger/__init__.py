"""The customer money ledger: append-only entries, reversals, idempotency keys, balances
(tables ``transaction`` and ``idempotency_key``). Rules in ``docs/ledger.md``.

Never touches the timeline's table; ``.importlinter`` keeps the two sub-packages independent.
"""
