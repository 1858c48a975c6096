"""The only module of products that imports other domains (their interfaces).

At split time this file becomes the HTTP client of the other services; nothing else changes.
Products asks accounts for the names of the users its audit trail records.
"""

from __future__ import annotations

from domains.accounts.interface import user_names

__all__ = ["user_names"]
