"""Interactions domain: the public interface.

Purpose: the timeline of customer interactions and the customer money ledger (transactions).
Owns: schema ``interactions``: tables ``interaction`` and ``transaction``.
Consumes (``crm.hooks``, registered in ``apps.py``): guard ``customer.hard_delete`` (refuses
when the customer has ledger entries) and event ``customer.hard_deleted`` (removes the
customer's interactions).
Calls: customers (existence), products (existence/active), accounts (user names), only
through ``gateways.py``.
"""

from __future__ import annotations

__all__: list[str] = []
