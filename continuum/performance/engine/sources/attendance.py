"""School attendance before and after early help: for the children of early help episodes
that closed, each child's attendance rate in the term before the episode started and in the
term after it closed (``education``'s records; a child's schools in a term pooled: sessions
attended over sessions possible). Children with both terms known are counted in the month
of the closure, with the two rates summed, so that the mean before and the mean after are
each a sum over a count. Split by the episode's dimensions (the lead professional's agency
among them) and each child's own age band and ethnicity.

Read in Python (``reader``): which term a date falls in is the education app's rule
(``education.terms``), and pairing each child with two terms is cheaper here than in SQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import F, Sum
from django.db.models.functions import TruncMonth

from continuum.early_help.models import Episode
from continuum.education.models import AttendanceRecord
from continuum.education.terms import term_of
from continuum.performance.engine.dimensions import episode_dimensions
from continuum.performance.engine.source import Context, Flow, Row, Source, dimension_expression

MEASURES = ("at_children", "at_before", "at_after")


def _rates(person_ids: Any) -> dict[tuple[Any, int, str], float]:
    """Each child's attendance rate (0 to 1) by academic year and term, schools pooled."""
    rates: dict[tuple[Any, int, str], float] = {}
    found = (
        AttendanceRecord.objects.filter(person__in=person_ids)
        .values("person_id", "academic_year", "term")
        .annotate(
            possible=Sum("sessions_possible"),
            authorised=Sum("sessions_authorised_absence"),
            unauthorised=Sum("sessions_unauthorised_absence"),
        )
    )
    for row in found:
        if row["possible"]:
            attended = row["possible"] - row["authorised"] - row["unauthorised"]
            rates[(row["person_id"], row["academic_year"], row["term"])] = (
                attended / row["possible"]
            )
    return rates


def _read(source: Source, ctx: Context) -> Iterable[Row]:
    children = Episode.children.through.objects.filter(
        episode__council__in=ctx.council_ids, episode__closure__isnull=False
    ).filter(ctx.in_range("episode__closure__closed_on"))
    keys: dict[str, Any] = {
        "c": F("episode__council_id"),
        "month": TruncMonth("episode__closure__closed_on"),
        "started": F("episode__start_date"),
        "closed": F("episode__closure__closed_on"),
        "child": F("person_id"),
    }
    dimension = dimension_expression(source, ctx)
    if dimension is not None:
        keys["dim"] = dimension
    rows = list(children.annotate(**keys).values(*keys))
    rates = _rates(children.values("person_id"))
    for row in rows:
        before = term_of(row["started"]).before()
        after = term_of(row["closed"]).after()
        rate_before = rates.get((row["child"], *before))
        rate_after = rates.get((row["child"], *after))
        if rate_before is None or rate_after is None:
            continue
        yield {
            "c": row["c"],
            "month": row["month"],
            "dim": row.get("dim"),
            "at_children": 1,
            "at_before": rate_before,
            "at_after": rate_after,
        }


ATTENDANCE = Source(
    name="attendance",
    feeds=("at_",),
    rows=lambda ctx: Episode.children.through.objects.none(),
    council="episode__council_id",
    dimensions={
        **episode_dimensions("episode__"),
        "age_band": TruncMonth("person__date_of_birth"),
        "ethnicity": F("person__ethnicity"),
    },
    monthly=(Flow("month", MEASURES),),
    reader=_read,
)
