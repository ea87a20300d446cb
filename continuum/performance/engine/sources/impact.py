"""The children of early help episodes that closed, as a source for the impact measures:
how many were referred to children's social care, or came back to the front door, within
365 days of the closure. Split by each child's own age band and ethnicity, or by the
dimensions of the episode."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count, DateField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth

from continuum.early_help.models import Episode
from continuum.front_door.choices import ContactStatus
from continuum.front_door.models import ContactChild
from continuum.performance.engine.dimensions import episode_dimensions
from continuum.performance.engine.source import Context, Flow, Source
from continuum.statutory.choices import InvolvementKind
from continuum.statutory.models import StatutoryInvolvement

FOLLOW_UP_DAYS = 365


def _children_of_episodes_closed_in_range(ctx: Context) -> QuerySet[Any]:
    """The children of episodes closed in the months of data, each with whether they were
    referred to social care, and whether they came back to the front door, within the
    follow-up after the closure."""
    closed = OuterRef("episode__closure__closed_on")
    year_after = ExpressionWrapper(
        closed + timedelta(days=FOLLOW_UP_DAYS), output_field=DateField()
    )
    referred = StatutoryInvolvement.objects.filter(
        person=OuterRef("person_id"),
        kind=InvolvementKind.REFERRAL,
        start_date__gte=closed,
        start_date__lte=year_after,
    )
    back = ContactChild.objects.filter(
        person=OuterRef("person_id"),
        contact__received_at__date__gt=closed,
        contact__received_at__date__lte=year_after,
    ).exclude(contact__status=ContactStatus.DRAFT)
    return (
        Episode.children.through.objects.filter(
            episode__council__in=ctx.council_ids, episode__closure__isnull=False
        )
        .filter(ctx.in_range("episode__closure__closed_on"))
        .annotate(referred=Exists(referred), back=Exists(back))
    )


AFTER_CLOSURE = Source(
    name="after_closure",
    feeds=("im_",),
    rows=_children_of_episodes_closed_in_range,
    council="episode__council_id",
    keys={"month": TruncMonth("episode__closure__closed_on")},
    counts=lambda ctx: {
        "im_children": Count("pk"),
        "im_stepped_up": Count("pk", filter=Q(referred=True)),
        "im_back": Count("pk", filter=Q(back=True)),
    },
    dimensions={
        **episode_dimensions("episode__"),
        "age_band": TruncMonth("person__date_of_birth"),
        "ethnicity": F("person__ethnicity"),
    },
    monthly=(Flow("month", ("im_children", "im_stepped_up", "im_back")),),
)
