"""Domestic-abuse notifications as a source: counted in the month received, with the joint
triage within one working day and the high-risk notifications referred to MARAC. Never
split by a dimension."""

from __future__ import annotations

from django.db.models import Count, Q

from continuum.front_door.choices import DashRisk
from continuum.front_door.models import DomesticAbuseNotification
from continuum.performance.engine.source import Flow, Source
from continuum.performance.engine.timeliness import WithinOneWorkingDay
from continuum.timescales.working_days import WorkingCalendar

_HIGH_RISK_TRIAGED = Q(dash_risk=DashRisk.HIGH, triage__isnull=False)

NOTIFICATIONS = Source(
    name="notifications",
    feeds=("da_",),
    rows=lambda ctx: DomesticAbuseNotification.objects.filter(council__in=ctx.council_ids).filter(
        ctx.in_range("received_at", datetime_field=True)
    ),
    council="council_id",
    counts=lambda ctx: {
        "da_received": Count("pk"),
        "da_high_risk_triaged": Count("pk", filter=_HIGH_RISK_TRIAGED),
        "da_high_risk_marac": Count(
            "pk", filter=_HIGH_RISK_TRIAGED & Q(triage__marac_referral=True)
        ),
    },
    dimensions={},
    timeliness=WithinOneWorkingDay(
        due=WorkingCalendar.triage_due,
        received="received_at",
        done="triage__recorded_at",
        waiting="triage__isnull",
        total="da_received",
        due_measure="da_timeliness_due",
        on_time_measure="da_on_time",
    ),
    monthly=(
        Flow(
            "day",
            (
                "da_received",
                "da_high_risk_triaged",
                "da_high_risk_marac",
                "da_timeliness_due",
                "da_on_time",
            ),
        ),
    ),
)
