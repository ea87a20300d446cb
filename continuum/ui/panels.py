"""Panels an app above adds to another app's page (the social care timescales on the
front-door queue and the early help lists), registered from ``AppConfig.ready`` as policies
are. A panel is a function of the request (and of the record a record's page shows, which
that page passes to ``panels_for``: the episode, the contact) answering a template and its
context, or None when it has nothing to show that user."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any]


PanelFn = Callable[..., Panel | None]  # (request, *records)

_panels: dict[str, list[PanelFn]] = {}


def register_panel(page: str, panel: PanelFn) -> None:
    """Show ``panel`` on ``page`` (a page's own name, e.g. ``"front_door.queue"``)."""
    _panels.setdefault(page, []).append(panel)


def panels_for(page: str, request: Any, *records: Any) -> list[Panel]:
    """The panels registered for ``page``, each asked with the request and ``records``."""
    return [found for fn in _panels.get(page, []) if (found := fn(request, *records)) is not None]
