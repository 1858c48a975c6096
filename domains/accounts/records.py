"""Plain data of this package's interface (frozen dataclasses), importable without its models:
a process that does not serve the domain still imports the interface (``crm.remote``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class SeedUser:
    """A user as the seed stored it (timestamps aware, UTC)."""

    cd_user: UUID
    ds_user: str | None
    ds_user_email: str | None
    password_hash: str | None
    dt_created_at: dt.datetime
    last_login: dt.datetime | None = None
