"""Rates such as ``"30/min"`` or ``"5/15min"``: plain Python, so the settings can validate them
at start-up (a typo is a refusal to start, never a 500 at the first throttled request)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*(s|sec|second|m|min|minute|h|hour|d|day)s?\s*$")
_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    limit: int
    seconds: int


def parse_rate(text: str | None) -> Rate | None:
    """``"5/15min"`` -> ``Rate(5, 900)``; ``""``/``"off"``/``None`` -> ``None`` (no limit)."""
    if text is None or text.strip().lower() in {"", "off", "none"}:
        return None
    match = _RATE.match(text.lower())
    if not match:
        raise ValueError(f"invalid rate {text!r}: expected e.g. '30/min', '5/15min', '10/h'")
    count, multiplier, unit = match.groups()
    seconds = int(multiplier or 1) * _PERIODS[unit[0]]
    if seconds == 0:
        raise ValueError(f"invalid rate {text!r}: the period cannot be zero")
    return Rate(limit=int(count), seconds=seconds)
