"""Statutory involvement as a source: children in need (open referrals), on a child
protection plan and looked after, as stocks at the end of each month. Split by the child's
age band and ethnicity, and by the referral's source."""

from __future__ import annotations

from django.db.models import Case, Count, F, Q, When
from django.db.models.functions import TruncMonth

from continuum.performance.engine.source import Source, Stock
from continuum.statutory.choices import InvolvementKind
from continuum.statutory.models import StatutoryInvolvement

MEASURE_OF_KIND = {
    InvolvementKind.REFERRAL: "st_referral",
    InvolvementKind.CHILD_PROTECTION_PLAN: "st_cp_plan",
    InvolvementKind.LOOKED_AFTER: "st_looked_after",
}

STATUTORY = Source(
    name="statutory",
    feeds=("st_",),
    rows=lambda ctx: StatutoryInvolvement.objects.filter(
        council__in=ctx.council_ids, kind__in=list(MEASURE_OF_KIND), start_date__lte=ctx.last
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=ctx.first)),
    council="council_id",
    keys={"start_month": TruncMonth("start_date"), "end_month": TruncMonth("end_date")},
    counts=lambda ctx: {
        measure: Count("pk", filter=Q(kind=kind)) for kind, measure in MEASURE_OF_KIND.items()
    },
    dimensions={
        "age_band": TruncMonth("person__date_of_birth"),
        "ethnicity": F("person__ethnicity"),
        "referral_source": Case(
            When(kind=InvolvementKind.REFERRAL, then=F("referral_source")),
            default=F("referral__referral_source"),
        ),
    },
    monthly=tuple(
        Stock(measure, start="start_month", end="end_month", count=measure)
        for measure in MEASURE_OF_KIND.values()
    ),
)
