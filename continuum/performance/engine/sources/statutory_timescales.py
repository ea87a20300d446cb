"""Working Together timescales after the front door as a source: assessments authorised
within 45 working days of the referral, and initial child protection conferences held
within 15 working days of the strategy discussion (of the section 47 enquiry's start when
none was recorded), each counted in the month it was done (authorised, held).

Read by one ordered query per kind (assessments, conferences) with the dates the rule
needs; the working-day due date is applied in Python (``timescales.working_together``)
and the rows tallied by council, month and dimension, as the reviews are.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.db.models import Case, F, Q, When
from django.db.models.functions import TruncMonth

from continuum.performance.engine.source import (
    Context,
    Flow,
    Row,
    Source,
    dimension_expression,
)
from continuum.statutory.choices import InvolvementKind
from continuum.statutory.models import StatutoryInvolvement
from continuum.timescales.working_days import assessment_due_date
from continuum.timescales.working_together import icpc_due_date

MEASURES = (
    "wt_assessments_completed",
    "wt_assessments_on_time",
    "wt_icpc_held",
    "wt_icpc_on_time",
)


def _tally(
    tally: dict[tuple[int, date, Any], dict[str, int]],
    key: tuple[int, date, Any],
    done: str,
    on_time: str,
    in_time: bool,
) -> None:
    counts = tally.setdefault(key, {m: 0 for m in MEASURES})
    counts[done] += 1
    counts[on_time] += in_time


def read_timescales(source: Source, ctx: Context) -> Iterator[Row]:
    """Assessments authorised and conferences held in the months of data, each on time or
    not, as rows by council, month done and dimension."""
    dim = dimension_expression(source, ctx)
    rows = source.rows(ctx)
    if dim is not None:
        rows = rows.annotate(dim=dim)
    fields = [
        "council_id",
        "kind",
        "start_date",
        "end_date",
        "referral__start_date",
        "enquiry__strategy_discussion_date",
        "enquiry__start_date",
    ]
    if dim is not None:
        fields.append("dim")
    tally: dict[tuple[int, date, Any], dict[str, int]] = {}
    for row in rows.values_list(*fields):
        council_id, kind, start, end, referred_on, discussed_on, enquiry_start = row[:7]
        raw = row[7] if dim is not None else None
        if kind == InvolvementKind.ASSESSMENT:
            if end is None or referred_on is None:
                continue
            in_time = end <= assessment_due_date(referred_on)
            key = (council_id, end.replace(day=1), raw)
            _tally(tally, key, "wt_assessments_completed", "wt_assessments_on_time", in_time)
        elif enquiry_start is not None:
            in_time = start <= icpc_due_date(discussed_on, enquiry_start)
            key = (council_id, start.replace(day=1), raw)
            _tally(tally, key, "wt_icpc_held", "wt_icpc_on_time", in_time)
    for (council_id, month, raw), counts in tally.items():
        yield {"c": council_id, "month": month, "dim": raw, **counts}


STATUTORY_TIMESCALES = Source(
    name="statutory_timescales",
    feeds=("wt_",),
    # Assessments authorised, and conferences following a recorded enquiry held, in the
    # months of data.
    rows=lambda ctx: StatutoryInvolvement.objects.filter(council__in=ctx.council_ids).filter(
        Q(kind=InvolvementKind.ASSESSMENT, end_date__gte=ctx.first, end_date__lte=ctx.last)
        | Q(
            kind=InvolvementKind.INITIAL_CONFERENCE,
            enquiry__isnull=False,
            start_date__gte=ctx.first,
            start_date__lte=ctx.last,
        )
    ),
    council="council_id",
    dimensions={
        "age_band": TruncMonth("person__date_of_birth"),
        "ethnicity": F("person__ethnicity"),
        "referral_source": Case(
            When(kind=InvolvementKind.REFERRAL, then=F("referral_source")),
            default=F("referral__referral_source"),
        ),
    },
    reader=read_timescales,
    monthly=(Flow("month", MEASURES),),
)
