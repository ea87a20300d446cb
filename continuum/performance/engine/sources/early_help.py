"""Early help's sources: episodes (starts, month-end stocks, allocation within the
council's target, lead agency, closures), assessments, reviews, team around the family
attendance, needs at closure and sustained-outcome checks. Each is split by the dimensions
of its episode.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth

from continuum.early_help.choices import AgencyKind, ClosureReason, NeedOutcome, SustainedResult
from continuum.early_help.models import (
    Assessment,
    ChildVoice,
    Episode,
    NeedClosureOutcome,
    Review,
    SustainedOutcomeCheck,
    TafAttendee,
)
from continuum.organisations.models import OrganisationKind
from continuum.performance.engine.dimensions import episode_dimensions
from continuum.performance.engine.source import (
    DEFAULT_REVIEW_INTERVAL,
    Context,
    Flow,
    Row,
    Source,
    Stock,
    dimension_expression,
)
from continuum.performance.engine.timeliness import (
    AllocationWithinTarget,
    with_time_to_allocation,
)

# --- episodes ----------------------------------------------------------------------------------

LED_MEASURES = tuple(f"eh_led_{kind.value}" for kind in OrganisationKind)
CLOSED_MEASURES = tuple(f"eh_closed_{reason.value}" for reason in ClosureReason)
_ALLOCATED = Q(allocated_at__isnull=False)


def _episodes_open_in_range(ctx: Context) -> QuerySet[Episode]:
    """Episodes open at some time in the months of data, with their time to allocation."""
    episodes = Episode.objects.filter(council__in=ctx.council_ids, start_date__lte=ctx.last)
    episodes = episodes.filter(Q(end_date__isnull=True) | Q(end_date__gte=ctx.first))
    return with_time_to_allocation(episodes)


EPISODES = Source(
    name="episodes",
    feeds=("eh_",),
    rows=_episodes_open_in_range,
    council="council_id",
    keys={"start_month": TruncMonth("start_date"), "end_month": TruncMonth("end_date")},
    counts=lambda ctx: {
        "eh_started": Count("pk"),
        "eh_allocated": Count("pk", filter=_ALLOCATED),
        "eh_led_partner": Count(
            "pk",
            filter=_ALLOCATED
            & Q(lead_professional_organisation__isnull=False)
            & ~Q(lead_professional_organisation__kind=OrganisationKind.COUNCIL_CHILDRENS_SERVICES),
        ),
        "eh_closed": Count("pk", filter=Q(closure__isnull=False)),
        **{
            f"eh_led_{kind.value}": Count(
                "pk", filter=_ALLOCATED & Q(lead_professional_organisation__kind=kind.value)
            )
            for kind in OrganisationKind
        },
        **{
            f"eh_closed_{reason.value}": Count("pk", filter=Q(closure__reason=reason.value))
            for reason in ClosureReason
        },
    },
    dimensions=episode_dimensions(""),
    timeliness=AllocationWithinTarget(
        started="eh_started",
        on_time_measure="eh_allocated_on_time",
        due_measure="eh_allocation_due",
    ),
    monthly=(
        Flow(
            "start_month",
            (
                "eh_started",
                "eh_allocation_due",
                "eh_allocated_on_time",
                "eh_allocated",
                "eh_led_partner",
                *LED_MEASURES,
            ),
        ),
        Flow("end_month", ("eh_closed", *CLOSED_MEASURES)),
        Stock("eh_open", start="start_month", end="end_month", count="eh_started"),
    ),
)

# --- assessments: on time by the month due, the child's voice by the month completed ---------

_COMPLETED = Q(completed_on__isnull=False)


def _assessments_due_or_completed_in_range(ctx: Context) -> QuerySet[Assessment]:
    """Assessments due or completed in the months of data, each with whether the child's
    voice was recorded."""
    voice = ChildVoice.objects.filter(assessment=OuterRef("pk")).filter(
        ~Q(what_the_child_said="") | ~Q(what_was_observed="")
    )
    return (
        Assessment.objects.filter(episode__council__in=ctx.council_ids)
        .filter(ctx.in_range("due_date") | ctx.in_range("completed_on"))
        .annotate(has_voice=Exists(voice))
    )


ASSESSMENTS = Source(
    name="assessments",
    feeds=("as_",),
    rows=_assessments_due_or_completed_in_range,
    council="episode__council_id",
    keys={"due_month": TruncMonth("due_date"), "completed_month": TruncMonth("completed_on")},
    counts=lambda ctx: {
        "as_on_time": Count("pk", filter=_COMPLETED & Q(completed_on__lte=F("due_date"))),
        "as_due": Count("pk", filter=_COMPLETED | Q(due_date__lt=ctx.as_of)),
        "as_completed": Count("pk", filter=_COMPLETED),
        "as_voice": Count("pk", filter=_COMPLETED & Q(has_voice=True)),
    },
    dimensions=episode_dimensions("episode__"),
    monthly=(
        Flow("due_month", ("as_on_time", "as_due")),
        Flow("completed_month", ("as_completed", "as_voice")),
    ),
)

# --- reviews: each against the one before it ---------------------------------------------------


def pair_reviews(source: Source, ctx: Context) -> Iterator[Row]:
    """Each review held in the months of data against the one before it in its episode
    (or the plan, for the first), on time within the council's review interval: one
    ordered read of the reviews of episodes open in the range, paired up in Python (a
    correlated "previous review" subquery costs seconds on five years of data). Rows by
    council, month held and dimension."""
    intervals = ctx.review_intervals()
    reviews = source.rows(ctx)
    dim = dimension_expression(source, ctx)
    if dim is not None:
        reviews = reviews.annotate(dim=dim)
    fields = [source.council, "episode_id", "held_on", "episode__plan__created_on"]
    if dim is not None:
        fields.append("dim")
    previous_episode: Any = None
    previous: date | None = None
    tally: dict[tuple[int, date, Any], list[int]] = {}
    for row in reviews.order_by("episode_id", "held_on").values_list(*fields):
        council_id, episode_id, held_on, plan_made = row[:4]
        if episode_id != previous_episode:
            previous_episode, previous = episode_id, plan_made
        since, previous = previous, held_on
        if held_on < ctx.first:
            continue
        weeks = intervals.get(council_id, DEFAULT_REVIEW_INTERVAL)
        on_time = since is not None and (held_on - since).days <= weeks * 7
        key = (council_id, held_on.replace(day=1), row[4] if dim is not None else None)
        counts = tally.get(key)
        if counts is None:
            counts = tally[key] = [0, 0]
        counts[0] += 1
        counts[1] += on_time
    for (council_id, month, raw), (held, in_time) in tally.items():
        yield {"c": council_id, "month": month, "dim": raw, "rv_held": held, "rv_on_time": in_time}


REVIEWS = Source(
    name="reviews",
    feeds=("rv_",),
    rows=lambda ctx: Review.objects.filter(
        episode__council__in=ctx.council_ids, held_on__lte=ctx.last
    ).filter(Q(episode__end_date__isnull=True) | Q(episode__end_date__gte=ctx.first)),
    council="episode__council_id",
    dimensions=episode_dimensions("episode__"),
    reader=pair_reviews,
    monthly=(Flow("month", ("rv_held", "rv_on_time")),),
)

# --- team around the family attendance, needs at closure, sustained outcomes ------------------

ATTENDANCE_MEASURES = tuple(
    f"taf_{counted}_{agency.value}" for agency in AgencyKind for counted in ("invited", "attended")
)

TAF_ATTENDANCE = Source(
    name="taf",
    feeds=("taf_",),
    rows=lambda ctx: TafAttendee.objects.filter(
        meeting__episode__council__in=ctx.council_ids
    ).filter(ctx.in_range("meeting__held_on")),
    council="meeting__episode__council_id",
    keys={"month": TruncMonth("meeting__held_on")},
    counts=lambda ctx: {
        **{
            f"taf_invited_{agency.value}": Count("pk", filter=Q(agency=agency.value))
            for agency in AgencyKind
        },
        **{
            f"taf_attended_{agency.value}": Count(
                "pk", filter=Q(agency=agency.value, attended=True)
            )
            for agency in AgencyKind
        },
    },
    dimensions=episode_dimensions("meeting__episode__"),
    monthly=(Flow("month", ATTENDANCE_MEASURES),),
)

NEEDS_AT_CLOSURE = Source(
    name="needs",
    feeds=("nd_",),
    rows=lambda ctx: NeedClosureOutcome.objects.filter(
        closure__episode__council__in=ctx.council_ids
    ).filter(ctx.in_range("closure__closed_on")),
    council="closure__episode__council_id",
    keys={"month": TruncMonth("closure__closed_on")},
    counts=lambda ctx: {
        "nd_outcomes": Count("pk"),
        "nd_achieved": Count("pk", filter=Q(outcome=NeedOutcome.ACHIEVED)),
    },
    dimensions=episode_dimensions("closure__episode__"),
    monthly=(Flow("month", ("nd_outcomes", "nd_achieved")),),
)

SUSTAINED_OUTCOMES = Source(
    name="sustained",
    feeds=("sf_",),
    rows=lambda ctx: SustainedOutcomeCheck.objects.filter(
        closure__episode__council__in=ctx.council_ids
    ).filter(ctx.in_range("follow_up_due")),
    council="closure__episode__council_id",
    keys={"month": TruncMonth("follow_up_due")},
    counts=lambda ctx: {
        "sf_checked": Count("pk", filter=~Q(result="")),
        "sf_sustained": Count("pk", filter=Q(result=SustainedResult.SUSTAINED)),
    },
    dimensions=episode_dimensions("closure__episode__"),
    monthly=(Flow("month", ("sf_checked", "sf_sustained")),),
)
