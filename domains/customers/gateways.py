"""The only module of customers that imports other domains (their interfaces).

``crm.remote.gateway`` gives the interface module itself when this process serves that domain,
or its HTTP client (same names, same signatures) when another process does (``CRM_DOMAINS``);
nothing else in customers knows which. Customers asks accounts for the names of the users its
audit trail records.
"""

from __future__ import annotations

from crm import remote
from domains.accounts import interface as accounts_interface

accounts = remote.gateway("accounts", accounts_interface)

user_names = accounts.user_names

__all__ = ["user_names"]
