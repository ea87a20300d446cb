"""The one time parser for times typed into forms."""

from __future__ import annotations

import re
from datetime import time

_TIME = re.compile(r"^(?P<hour>\d{1,2})(?:[:.]?(?P<minute>\d{2}))?$")


def parse_time(text: str) -> time | None:
    """'14:30', '14.30', '1430' or '9' -> a time on the 24-hour clock; None if not one."""
    match = _TIME.match((text or "").strip())
    if not match:
        return None
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)
