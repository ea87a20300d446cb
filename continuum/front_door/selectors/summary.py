"""The front-door summary: numbers per council by day, week or month of the contacts
received (by source) and the decisions made (by outcome, and how many in time).

Numbers only, each read starting from ``policy.visible(user, Contact)`` for council staff;
for analysts and strategic leads it leaves out contacts naming a restricted child, so a
count never reveals that one exists.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.db.models.functions import TruncDate

from continuum.access import policy
from continuum.accounts.models import User
from continuum.accounts.roles import AGGREGATE_ROLES
from continuum.front_door.choices import ContactStatus, Outcome, ReferralSource
from continuum.front_door.models import Contact, ContactChild
from continuum.front_door.overdue import start_of_local_day
from continuum.organisations.models import Council
from continuum.timescales.months import add_months
from continuum.timescales.working_days import decision_due_date
from continuum.ui.dates import govuk_date, govuk_month


class Period(models.TextChoices):
    DAY = "day", "Day"
    WEEK = "week", "Week"
    MONTH = "month", "Month"


def period_start(day: date, period: str) -> date:
    if period == Period.WEEK:
        return day - timedelta(days=day.weekday())
    if period == Period.MONTH:
        return day.replace(day=1)
    return day


def _next_period(start: date, period: str) -> date:
    if period == Period.WEEK:
        return start + timedelta(days=7)
    if period == Period.MONTH:
        return add_months(start, 1)
    return start + timedelta(days=1)


def period_label(start: date, period: str) -> str:
    if period == Period.WEEK:
        return f"Week beginning {govuk_date(start, 'short')}"
    if period == Period.MONTH:
        return f"{govuk_month(start)}"
    return f"{govuk_date(start, 'weekday')}"


@dataclass
class SummaryRow:
    start: date
    label: str
    received: int = 0
    decided: int = 0
    decided_in_time: int = 0
    by_outcome: dict[str, int] = field(default_factory=dict)
    by_source: dict[str, int] = field(default_factory=dict)

    @property
    def percent_in_time(self) -> int | None:
        if not self.decided:
            return None
        return round(100 * self.decided_in_time / self.decided)

    def outcome_counts(self, outcomes: Sequence[str]) -> list[int]:
        return [self.by_outcome.get(o, 0) for o in outcomes]

    def source_counts(self, sources: Sequence[str]) -> list[int]:
        return [self.by_source.get(s, 0) for s in sources]


@dataclass
class CouncilSummary:
    council: Council
    rows: list[SummaryRow]
    total: SummaryRow
    outcomes: list[tuple[str, str]]
    sources: list[tuple[str, str]]

    @property
    def outcome_codes(self) -> list[str]:
        return [code for code, _ in self.outcomes]

    @property
    def source_codes(self) -> list[str]:
        return [code for code, _ in self.sources]


def councils_for_summary(user: User) -> list[Council]:
    """Council staff see their own council's numbers; analysts and strategic leads all."""
    council = policy.council_of(user)
    if council is not None:
        return [council]
    if user.role in AGGREGATE_ROLES:
        return list(Council.objects.order_by("name"))
    return []


def _summary_scope(user: User) -> QuerySet[Contact]:
    council = policy.council_of(user)
    if council is not None:
        return policy.visible(user, Contact).filter(council=council)
    restricted_child = ContactChild.objects.filter(
        contact=OuterRef("pk"), person__is_restricted=True
    )
    return Contact.objects.exclude(Exists(restricted_child))


def front_door_summary(
    *, user: User, councils: Sequence[Council], period: str, start: date, end: date
) -> list[CouncilSummary]:
    """Per council and period (day, week or month) from ``start`` to ``end`` inclusive:
    contacts received (submitted to the front door), by source; decisions made, by outcome;
    and how many of those were made by their due date (one working day).

    Two grouped queries in all; due dates are worked out here from the dates of receipt.
    """
    allowed = {c.pk for c in councils_for_summary(user)}
    councils = [c for c in councils if c.pk in allowed]
    london = ZoneInfo(settings.TIME_ZONE)
    since, until = start_of_local_day(start), start_of_local_day(end + timedelta(days=1))
    scope = _summary_scope(user).filter(council__in=councils)

    received = (
        scope.exclude(status=ContactStatus.DRAFT)
        .filter(received_at__gte=since, received_at__lt=until)
        .annotate(day=TruncDate("received_at", tzinfo=london))
        .order_by()
        .values("council", "day", "referral_source")
        .annotate(n=Count("pk"))
    )
    decided = (
        scope.filter(decided_at__gte=since, decided_at__lt=until)
        .annotate(
            received_day=TruncDate("received_at", tzinfo=london),
            decided_day=TruncDate("decided_at", tzinfo=london),
        )
        .order_by()
        .values("council", "received_day", "decided_day", "decision__outcome")
        .annotate(n=Count("pk"))
    )

    rows: dict[int, dict[date, SummaryRow]] = {}
    for council in councils:
        rows[council.pk] = {}
        cursor = period_start(start, period)
        while cursor <= end:
            rows[council.pk][cursor] = SummaryRow(start=cursor, label=period_label(cursor, period))
            cursor = _next_period(cursor, period)

    sources_seen: dict[int, set[str]] = defaultdict(set)
    for item in received:
        row = rows[item["council"]][period_start(item["day"], period)]
        row.received += item["n"]
        source = item["referral_source"]
        row.by_source[source] = row.by_source.get(source, 0) + item["n"]
        sources_seen[item["council"]].add(source)
    for decision in decided:
        row = rows[decision["council"]][period_start(decision["decided_day"], period)]
        row.decided += decision["n"]
        if decision["decided_day"] <= decision_due_date(decision["received_day"]):
            row.decided_in_time += decision["n"]
        outcome = decision["decision__outcome"] or ""
        row.by_outcome[outcome] = row.by_outcome.get(outcome, 0) + decision["n"]

    source_order = [code for code, _ in ReferralSource.choices]
    summaries = []
    for council in councils:
        council_rows = list(rows[council.pk].values())
        total = SummaryRow(start=start, label="Total")
        for row in council_rows:
            total.received += row.received
            total.decided += row.decided
            total.decided_in_time += row.decided_in_time
            for key, n in row.by_outcome.items():
                total.by_outcome[key] = total.by_outcome.get(key, 0) + n
            for key, n in row.by_source.items():
                total.by_source[key] = total.by_source.get(key, 0) + n
        sources = [
            (code, str(ReferralSource(code).label))
            for code in source_order
            if code in sources_seen[council.pk]
        ]
        summaries.append(
            CouncilSummary(
                council=council,
                rows=council_rows,
                total=total,
                outcomes=[(code, str(label)) for code, label in Outcome.choices],
                sources=sources,
            )
        )
    return summaries
