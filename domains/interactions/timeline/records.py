"""Plain data of this package's interface (frozen dataclasses), importable without its models:
a process that does not serve the domain still imports the interface (``crm.remote``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class SeedInteraction:
    """An interaction as the seed monolith stored it (type: the enum's label, e.g. ``VENDA``;
    timestamps aware, UTC)."""

    cd_interaction: UUID
    cd_customer: UUID
    cd_user: UUID
    ds_notes: str | None
    id_interaction_type: str | None
    dt_interaction: dt.datetime
    dt_created_at: dt.datetime
