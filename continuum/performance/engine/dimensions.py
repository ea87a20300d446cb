"""Dimensions: what a source groups by for each dimension, and the category labels of the
grouped values (age bands at the end of the month counted, ethnicity, referral source, the
lead professional's agency).

A record about several children (a contact, an episode) is counted, for the age band and
ethnicity, under its youngest child (``YoungestChild``): the source groups by the record,
and the store reads each record as its youngest child's birth month or ethnicity from one
read of the records' children, which beats a correlated subquery per row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db.models import F
from django.utils import timezone

from continuum.early_help.models import Episode
from continuum.front_door.choices import ReferralSource
from continuum.organisations.models import OrganisationKind
from continuum.people.choices import Ethnicity
from continuum.performance.catalogue import NOT_KNOWN
from continuum.performance.models import AgeBand

if TYPE_CHECKING:
    from continuum.performance.engine.source import Context

# (record id, person id, date of birth, ethnicity) for each child named on a record.
ChildRows = Iterable[tuple[Any, Any, date | None, str]]
# Each record's youngest child: (birth month, ethnicity).
Youngest = dict[Any, tuple[Any, str]]


@dataclass(frozen=True)
class Children:
    """The children named on a source's records: ``name`` keys the one read a ``compute``
    call shares between its sources; ``rows`` reads them for the councils and months."""

    name: str
    rows: Callable[[Context], ChildRows]


@dataclass(frozen=True)
class YoungestChild:
    """Group by the record (``record``: the path to its id) and count each record under
    its youngest child's birth month or ethnicity (of ``children``)."""

    children: Children
    record: str = "pk"


# A dimension as a source describes it: an expression to group by, or the youngest child.
Dimension = Any

EPISODE_CHILDREN = Children(
    "episodes",
    lambda ctx: Episode.children.through.objects.filter(
        episode__council__in=ctx.council_ids
    ).values_list("episode_id", "person_id", "person__date_of_birth", "person__ethnicity"),
)


def episode_dimensions(prefix: str) -> Mapping[str, Dimension]:
    """The dimensions of an episode reached from a source's rows by ``prefix`` (``""``:
    the rows are episodes)."""
    youngest = YoungestChild(EPISODE_CHILDREN, f"{prefix[:-2]}_id" if prefix else "pk")
    return {
        "locality": F(f"{prefix}locality__name"),
        "team": F(f"{prefix}team__name"),
        "lead_professional_agency": F(f"{prefix}lead_professional_organisation__kind"),
        "age_band": youngest,
        "ethnicity": youngest,
    }


def youngest(rows: ChildRows) -> Youngest:
    """Each record's youngest child's (birth month, ethnicity), from (record id, person
    id, date of birth, ethnicity) rows: the latest birth date, a child without one last,
    ties to the lowest person id."""
    best: dict[Any, tuple[date, str, Any, str]] = {}
    for record, person, born, ethnicity in rows:
        when = born or date.min
        key = str(person)
        found = best.get(record)
        if found is None or when > found[0] or (when == found[0] and key < found[1]):
            best[record] = (when, key, born, ethnicity)
    return {
        record: (born.replace(day=1) if born else None, ethnicity)
        for record, (_, _, born, ethnicity) in best.items()
    }


# --- labels ------------------------------------------------------------------------------------


_ETHNICITY = dict(Ethnicity.choices)
_REFERRAL_SOURCE = dict(ReferralSource.choices)
_ORG_KIND = dict(OrganisationKind.choices)

# The age, in months, at which each age band starts.
AGE_BAND_STARTS = (
    (0, AgeBand.UNDER_5),
    (60, AgeBand.FIVE_TO_9),
    (120, AgeBand.TEN_TO_15),
    (192, AgeBand.SIXTEEN_PLUS),
)


def label(dimension: str, raw: Any, month: date) -> str:
    """The category label of a raw grouped value (age band: birth month, at ``month``'s end)."""
    if raw is None or raw == "":
        if dimension == "lead_professional_agency":
            return "Not allocated"
        return NOT_KNOWN
    if dimension == "age_band":
        born = as_month(raw)
        years = (month.year - born.year) - (1 if month.month < born.month else 0)
        return str(AgeBand.for_age(max(years, 0)).label)
    if dimension == "ethnicity":
        return str(_ETHNICITY.get(raw, raw))
    if dimension == "referral_source":
        return str(_REFERRAL_SOURCE.get(raw, raw))
    if dimension == "lead_professional_agency":
        return str(_ORG_KIND.get(raw, raw))
    return str(raw)


def as_month(value: Any) -> date:
    """The first of the month of a grouped date, datetime (local) or ISO string."""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date().replace(day=1)
    if isinstance(value, date):
        return value.replace(day=1)
    return date.fromisoformat(str(value)[:10]).replace(day=1)


def as_date(value: Any) -> date:
    """A grouped day (a date, a datetime or an ISO string) as a date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
