"""What apps above ``early_help`` add to an episode's pages, registered from their
``AppConfig.ready`` as policies are, without ``early_help`` importing them: tabs of the
episode (a key, the tab's text, the URL name of its page taking the episode's id, and who
sees it) and entries in its timeline (the History tab), each linking to its own page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class EpisodeTab:
    key: str
    text: str
    url_name: str
    shown: Callable[[Any, Any], bool]  # (user, episode) -> bool


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

_tabs: dict[str, EpisodeTab] = {}
_timeline: list[TimelineSource] = []


def register_episode_tab(tab: EpisodeTab) -> None:
    _tabs[tab.key] = tab


def episode_tabs(user: Any, episode: Any) -> list[EpisodeTab]:
    return [tab for tab in _tabs.values() if tab.shown(user, episode)]


def register_timeline_source(source: TimelineSource) -> None:
    if source not in _timeline:
        _timeline.append(source)


def timeline_entries(user: Any, episode: Any) -> list[TimelineEntry]:
    return [entry for source in _timeline for entry in source(user, episode)]
