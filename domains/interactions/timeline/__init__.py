"""The interaction timeline: what was said to a customer, when, by whom (table ``interaction``).

Never touches the ledger's tables; ``.importlinter`` keeps the two sub-packages independent.
"""
