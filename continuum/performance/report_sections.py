"""Sections of the monthly partnership report that apps above ``performance`` add (issue 15:
early help spending; joint front doors), as ``people.tabs`` and ``ui.panels`` let apps add to
others' pages.

An app registers a builder from its ``AppConfig.ready``; the report calls each builder with
the reader, the report's month and the councils it compares, and shows each section the
builder returns (None: nothing to show, e.g. no returns yet), after its own sections, in the
page and in the PDF alike. A section holds aggregates only, every count through disclosure
control, each chart with its table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.utils.safestring import SafeString

from continuum.accounts.models import User
from continuum.organisations.models import Council
from continuum.performance.tables import Table


@dataclass
class SectionChart:
    title: str
    image: SafeString  # a server-side SVG
    table: Table


@dataclass
class ReportSection:
    key: str  # the section's id on the page, e.g. "spending"
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[SectionChart] = field(default_factory=list)


SectionBuilder = Callable[[User, date, Sequence[Council]], ReportSection | None]

_builders: dict[str, SectionBuilder] = {}


def register(key: str, builder: SectionBuilder) -> None:
    """Add a section to the report, shown in the order registered (by app order)."""
    _builders[key] = builder


def sections_for(user: User, month: date, councils: Sequence[Council]) -> list[ReportSection]:
    """Every registered section with something to show for ``user`` in ``month``."""
    built = (builder(user, month, councils) for builder in _builders.values())
    return [section for section in built if section is not None]
