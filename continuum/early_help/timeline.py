"""Entries apps above ``early_help`` add to an episode's timeline (its History tab: case
notes), registered from their ``AppConfig.ready`` as policies are, without ``early_help``
importing them. Each entry reads like a change in the episode's history and links to its
own page. (The tabs they add to an episode are ``early_help.tabs``.)"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class TimelineEntry:
    """An entry in the episode's timeline, read like a change in its history."""

    at: datetime
    what: str
    kind: str
    who: Any
    href: str = ""
    summary: str = ""
    changes: list[Any] = field(default_factory=list)


TimelineSource = Callable[[Any, Any], list[TimelineEntry]]  # (user, episode) -> entries

_timeline: list[TimelineSource] = []


def register_timeline_source(source: TimelineSource) -> None:
    if source not in _timeline:
        _timeline.append(source)


def timeline_entries(user: Any, episode: Any) -> list[TimelineEntry]:
    return [entry for source in _timeline for entry in source(user, episode)]
