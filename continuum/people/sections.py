"""Parts of a person's summary page that apps above ``people`` add (a child's attendance,
from ``education``), without ``people`` importing them.

Each section gives a template and, for a reader and a person, its context (None to show
nothing). The summary page renders them in the order registered, inside the page's own read:
one access-log row for the page, whatever the sections show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from continuum.accounts.models import User
from continuum.people.models import Person


@dataclass(frozen=True)
class SummarySection:
    key: str
    template: str
    context: Callable[[User, Person], dict[str, Any] | None]


_sections: dict[str, SummarySection] = {}


def register_summary_section(section: SummarySection) -> None:
    _sections[section.key] = section


def summary_sections(*, user: User, person: Person) -> list[dict[str, Any]]:
    """What each registered section shows ``user`` of ``person``: template and context."""
    shown = []
    for section in _sections.values():
        context = section.context(user, person)
        if context is not None:
            shown.append({"template": section.template, "context": context})
    return shown
