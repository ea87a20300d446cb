"""Working-day timescales in the engine's grouped queries, from ``timescales.working_days``.

Two ways, by what the data allows:

- ``WithinOneWorkingDay`` (a contact's decision, a notification's triage): the rows are
  grouped by local day of receipt and days taken, which is all the rule needs, and Python
  applies the due date to each group.
- ``AllocationWithinTarget`` (an episode allocated within the council's target): the
  query counts the episodes on time itself, from, for each weekday, the usual number of
  calendar days allowed plus the dates around bank holidays that allow a different number
  (``within_working_days``).

Both count what was not yet due on ``as_of`` (still waiting, and received on or after the
first date whose due date is not before ``as_of``), so the measure of what was due is the
total less that.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, ExtractIsoWeekDay, TruncDate

from continuum.early_help.models import Episode
from continuum.front_door.overdue import start_of_local_day
from continuum.performance.engine.dimensions import as_date
from continuum.performance.engine.source import (
    DEFAULT_ALLOCATION_TARGET,
    Context,
    Row,
)
from continuum.timescales.working_days import DueFn, WorkingCalendar, latest_overdue_receipt

NOT_YET_DUE = "not_yet_due"


def lag(done: Combinable, start: Combinable) -> ExpressionWrapper:
    """The time from ``start`` to ``done`` (dates: whole days)."""
    return ExpressionWrapper(done - start, output_field=DurationField())


def first_receipt_not_yet_due(as_of: date, due: DueFn) -> date:
    """The earliest date of receipt whose due date is on or after ``as_of``."""
    return latest_overdue_receipt(as_of, due) + timedelta(days=1)


class DueOffsets:
    """Calendar days allowed after each day of receipt (memoised ``due(day) - day``)."""

    def __init__(self, due: DueFn) -> None:
        self.due = due
        self.days: dict[date, int] = {}

    def on_time(self, day: Any, taken: timedelta | None) -> bool:
        if taken is None or day is None:
            return False
        received = as_date(day)
        allowed = self.days.get(received)
        if allowed is None:
            allowed = self.days[received] = (self.due(received) - received).days
        return taken.days <= allowed


@dataclass(frozen=True)
class WithinOneWorkingDay:
    """Done within one working day of the local day of receipt (``due``: the calendar's
    rule, a decision's or a triage's), counted for what was received."""

    due: Callable[[WorkingCalendar, date], date]
    received: str  # the datetime of receipt
    done: str  # the datetime it was done
    waiting: str  # a lookup true while it is not done
    total: str  # the measure counting everything received
    due_measure: str  # received and due by ``as_of``
    on_time_measure: str  # received and done by its due date

    def keys(self) -> dict[str, Any]:
        return {
            "day": TruncDate(self.received),
            "lag": lag(TruncDate(self.done), TruncDate(self.received)),
        }

    def counts(self, ctx: Context) -> dict[str, Any]:
        calendar = ctx.calendar()
        first = first_receipt_not_yet_due(ctx.as_of, lambda day: self.due(calendar, day))
        not_yet_due = Q(**{self.waiting: True}) & Q(
            **{f"{self.received}__gte": start_of_local_day(first)}
        )
        return {NOT_YET_DUE: Count("pk", filter=not_yet_due)}

    def measures(self, ctx: Context) -> Callable[[Row], dict[str, float]]:
        calendar = ctx.calendar()
        offsets = DueOffsets(lambda day: self.due(calendar, day))

        def measures(row: Row) -> dict[str, float]:
            total = row[self.total]
            return {
                self.due_measure: total - row[NOT_YET_DUE],
                self.on_time_measure: total if offsets.on_time(row["day"], row["lag"]) else 0,
            }

        return measures


def with_time_to_allocation(episodes: QuerySet[Episode]) -> QuerySet[Episode]:
    """``episodes`` annotated with what ``AllocationWithinTarget`` reads: the day the family
    started waiting (the front-door decision, or the episode's start), its ISO weekday, and
    the time to allocation."""
    return episodes.annotate(
        waiting_since=Coalesce(TruncDate("front_door_decided_at"), F("start_date")),
        allocated_on=TruncDate("allocated_at"),
    ).annotate(
        waiting_weekday=ExtractIsoWeekDay("waiting_since"),
        lag=lag(F("allocated_on"), F("waiting_since")),
    )


@dataclass(frozen=True)
class AllocationWithinTarget:
    """Episodes allocated within their council's target in working days, from the day
    the family started waiting (rows annotated by ``with_time_to_allocation``)."""

    started: str  # the measure counting the episodes
    on_time_measure: str
    due_measure: str

    def keys(self) -> dict[str, Any]:
        return {}

    def counts(self, ctx: Context) -> dict[str, Any]:
        targets = ctx.allocation_targets()
        earliest = ctx.first - timedelta(days=31)
        calendar = ctx.calendar(max(targets.values(), default=DEFAULT_ALLOCATION_TARGET))
        on_time = Q()
        not_yet_due = Q()
        for council_id in ctx.council_ids:
            due = calendar.allocation_due(targets.get(council_id, DEFAULT_ALLOCATION_TARGET))
            on_time |= Q(council_id=council_id) & within_working_days(
                "waiting_since", "waiting_weekday", "lag", earliest, ctx.last, due
            )
            not_yet_due |= Q(
                council_id=council_id, start_date__gte=first_receipt_not_yet_due(ctx.as_of, due)
            )
        return {
            self.on_time_measure: Count("pk", filter=Q(allocated_at__isnull=False) & on_time),
            NOT_YET_DUE: Count("pk", filter=Q(allocated_at__isnull=True) & not_yet_due),
        }

    def measures(self, ctx: Context) -> Callable[[Row], dict[str, float]]:
        def measures(row: Row) -> dict[str, float]:
            return {self.due_measure: row[self.started] - row[NOT_YET_DUE]}

        return measures


def due_offsets(
    first: date, last: date, due: DueFn
) -> tuple[dict[int, int], dict[int, list[date]]]:
    """How many calendar days after each start date something is due, as a rule by ISO
    weekday plus the exceptions (dates near bank holidays), grouped by their offset."""
    by_day = {}
    day = first
    while day <= last:
        by_day[day] = (due(day) - day).days
        day += timedelta(days=1)
    usual: dict[int, int] = {}
    for weekday in range(1, 8):
        counts: dict[int, int] = defaultdict(int)
        for d, offset in by_day.items():
            if d.isoweekday() == weekday:
                counts[offset] += 1
        # Fall back to a plain week far from bank holidays when the range is short.
        usual[weekday] = (
            max(counts, key=lambda k: counts[k])
            if counts
            else (due(date(2026, 3, 1 + weekday)) - date(2026, 3, 1 + weekday)).days
        )
    exceptions: dict[int, list[date]] = defaultdict(list)
    for d, offset in by_day.items():
        if offset != usual[d.isoweekday()]:
            exceptions[offset].append(d)
    return usual, dict(exceptions)


def within_working_days(
    day: str, weekday: str, taken: str, first: date, last: date, due: DueFn
) -> Q:
    """A Q true when the annotation ``taken`` (done date minus ``day``) is within the due
    date ``due(day)``, for ``day`` between ``first`` and ``last``."""
    usual, exceptions = due_offsets(first, last, due)
    # Bank holidays only ever push a due date later, so an exception date allows more days
    # than its weekday does and the weekday's test needs no exclusion (which keeps the SQL
    # small). Should a date ever allow fewer, it is excluded from its weekday's test.
    stricter = [d for k, ds in exceptions.items() for d in ds if k < usual[d.isoweekday()]]
    weekdays_by_offset: dict[int, list[int]] = defaultdict(list)
    for wd, offset in usual.items():
        weekdays_by_offset[offset].append(wd)
    q = Q()
    for offset, weekdays in sorted(weekdays_by_offset.items()):
        part = Q(**{f"{weekday}__in": weekdays, f"{taken}__lte": timedelta(days=offset)})
        if stricter:
            part &= ~Q(**{f"{day}__in": stricter})
        q |= part
    for offset, days in exceptions.items():
        q |= Q(**{f"{day}__in": days, f"{taken}__lte": timedelta(days=offset)})
    return q
