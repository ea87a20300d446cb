"""Tabs of an episode that apps above ``early_help`` add (its documents), registered from
their ``AppConfig.ready`` as a person's tabs are (``people.tabs``): a key, the tab's text,
the URL name of its page (taking the episode's id) and who sees it. Shown after the
episode's own tabs, before its history."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class EpisodeTab:
    key: str
    text: str
    url_name: str
    shown: Callable[[Any, Any], bool]  # (user, episode) -> bool


_tabs: dict[str, EpisodeTab] = {}


def register_episode_tab(tab: EpisodeTab) -> None:
    _tabs[tab.key] = tab


def registered_episode_tabs() -> list[EpisodeTab]:
    return list(_tabs.values())
