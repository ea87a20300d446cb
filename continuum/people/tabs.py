"""Tabs of a person's record that apps above ``people`` add (the statutory involvement),
registered from their ``AppConfig.ready`` as policies are: a key, the tab's text, the URL
name of its page (taking the person's id) and who sees it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PersonTab:
    key: str
    text: str
    url_name: str
    shown: Callable[[Any, Any], bool]  # (user, person) -> bool


_tabs: dict[str, PersonTab] = {}


def register_tab(tab: PersonTab) -> None:
    _tabs[tab.key] = tab


def registered_tabs() -> list[PersonTab]:
    return list(_tabs.values())
