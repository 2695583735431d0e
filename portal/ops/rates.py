"""Rates such as `120/m`: how many requests one caller may make in one window.

Kept free of Django imports: `portal.config` parses the rate settings with it at start-up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RATE_PATTERN = re.compile(r"^\s*(\d+)\s*/\s*([smhd])\s*$")


@dataclass(frozen=True)
class Rate:
    """`count` requests per `seconds`."""

    count: int
    seconds: int

    def __str__(self) -> str:
        unit = next(name for name, seconds in PERIODS.items() if seconds == self.seconds)
        return f"{self.count}/{unit}"


def parse_rate(raw: str) -> Rate:
    """Parse `120/m` (units s, m, h, d). A count of 0 is refused: it would lock everyone out."""
    match = RATE_PATTERN.match(raw)
    if match is None or int(match.group(1)) == 0:
        raise ValueError("expected a rate such as 120/m (a positive count per s, m, h or d)")
    return Rate(count=int(match.group(1)), seconds=PERIODS[match.group(2)])
