"""The indicator engine: every indicator in the catalogue, for any councils, periods and
dimension, from one aggregate query per source table.

How it works, and why it is fast:

1. Each *source* (contacts, domestic-abuse notifications, episodes, assessments, reviews,
   TAF attendance, needs at closure, sustained-outcome checks, children of closed
   episodes, statutory involvement) runs ONE query, grouped by council and month (or
   day, where a working-day timescale needs it) and the dimension, if one is asked for,
   with conditional aggregates for every measure it feeds. It never queries per cell,
   per period or per council. Two sources read rows rather than groups, because pairing
   them in Python is cheaper than a correlated subquery per row: reviews (each against
   the one before) and, for the age band or ethnicity of a record's youngest child, one
   read of the contacts' or episodes' children.
2. The monthly numbers are kept as *measures*: flows (counted in a month) and stocks
   (open at the end of a month, accumulated in Python from start and end months).
3. Periods (month, quarter, financial year, rolling 12 months) and the combined cells are
   built in Python: a flow sums its months, a stock takes the period's last month.
   ``compute_many`` builds several period kinds from the same monthly numbers.
4. An indicator is a numerator measure over a denominator measure (or over the child
   population, for rates per 10,000).

Working-day timescales (a decision within one working day, allocation within the
council's target) come from ``WorkingCalendar`` (the working days of
``timescales.working_days`` as a sorted list): contacts and notifications are grouped by
local day of receipt and days taken, and Python applies the due date; episodes'
allocation passes, for each weekday, the usual number of calendar days allowed plus the
dates around bank holidays that differ (see ``_within_working_days``).

On PostgreSQL each call turns off JIT compilation and raises work_mem for its own
transaction (``SET LOCAL``): compiling these queries cost more than running them.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    When,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, ExtractIsoWeekDay, TruncDate, TruncMonth
from django.utils import timezone

from continuum.early_help.choices import AgencyKind, ClosureReason, NeedOutcome, SustainedResult
from continuum.early_help.models import (
    Assessment,
    ChildVoice,
    EarlyHelpSettings,
    Episode,
    NeedClosureOutcome,
    Review,
    SustainedOutcomeCheck,
    TafAttendee,
)
from continuum.front_door.choices import (
    ContactStatus,
    DashRisk,
    FamilyAgreement,
    Outcome,
    ReferralSource,
)
from continuum.front_door.models import Contact, ContactChild, DomesticAbuseNotification
from continuum.organisations.models import Council, OrganisationKind
from continuum.people.choices import Ethnicity
from continuum.performance import catalogue
from continuum.performance.catalogue import DIMENSIONS, NOT_KNOWN, Unit
from continuum.performance.models import AgeBand, ChildPopulation
from continuum.performance.periods import (
    Period,
    add_months,
    month_start,
    months_in,
    periods_between,
)
from continuum.statutory.choices import InvolvementKind
from continuum.statutory.models import StatutoryInvolvement
from continuum.timescales.working_days import (
    DECISION_WORKING_DAYS,
    TRIAGE_WORKING_DAYS,
    is_working_day,
)

POPULATION = "population"

# --- results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    indicator: str
    council_id: int | None  # None = the councils asked for, combined
    period: Period
    category: str | None  # the dimension's value as a label; None = total
    numerator: float
    denominator: float | None
    value: float | None  # None = not computable (no denominator, or follow-up not complete)


@dataclass
class Result:
    cells: list[Cell] = field(default_factory=list)
    dimension: str | None = None
    _index: dict[tuple[str, int | None, Period, str | None], Cell] = field(
        default_factory=dict, repr=False
    )

    def add(self, cell: Cell) -> None:
        self.cells.append(cell)
        self._index[(cell.indicator, cell.council_id, cell.period, cell.category)] = cell

    def get(
        self, indicator: str, council_id: int | None, period: Period, category: str | None = None
    ) -> Cell | None:
        return self._index.get((indicator, council_id, period, category))

    def series(
        self, indicator: str, council_id: int | None, category: str | None = None
    ) -> list[Cell]:
        """The indicator's cells for one council (and category), oldest period first."""
        return sorted(
            (
                c
                for c in self.cells
                if c.indicator == indicator
                and c.council_id == council_id
                and c.category == category
            ),
            key=lambda c: c.period,
        )

    def periods(self) -> list[Period]:
        return sorted({c.period for c in self.cells})

    def categories(self, indicator: str | None = None) -> list[str]:
        """The dimension's categories present in the result, in a stable order."""
        found = {
            c.category
            for c in self.cells
            if c.category is not None and (indicator is None or c.indicator == indicator)
        }
        return sorted(found, key=_category_sort_key)


def _category_sort_key(label: str) -> tuple[int, str]:
    order = {str(band.label): i for i, band in enumerate(AgeBand)}
    if label in order:
        return (order[label], label)
    if label == NOT_KNOWN:
        return (99, label)
    return (50, label)


# --- formulas: numerator and denominator measures of each indicator -----------------------------


def _formulas() -> dict[str, tuple[str, str]]:
    f: dict[str, tuple[str, str]] = {
        "fd_contacts_per_10k": ("contacts", POPULATION),
        "fd_decided_within_1wd_pct": ("contacts_on_time", "contacts_timeliness_due"),
        "fd_consent_recorded_pct": ("contacts_consent", "contacts"),
        "fd_repeat_contacts_pct": ("contacts_repeat", "contacts"),
        "fd_da_triaged_within_1wd_pct": ("da_on_time", "da_timeliness_due"),
        "fd_da_high_risk_marac_pct": ("da_high_risk_marac", "da_high_risk_triaged"),
        "eh_started_per_10k": ("eh_started", POPULATION),
        "eh_open_per_10k": ("eh_open", POPULATION),
        "eh_allocated_within_target_pct": ("eh_allocated_on_time", "eh_allocation_due"),
        "eh_assessment_on_time_pct": ("as_on_time", "as_due"),
        "eh_assessment_child_voice_pct": ("as_voice", "as_completed"),
        "eh_review_on_time_pct": ("rv_on_time", "rv_held"),
        "eh_led_by_partner_pct": ("eh_led_partner", "eh_allocated"),
        "eh_needs_achieved_pct": ("nd_achieved", "nd_outcomes"),
        "eh_sf_sustained_pct": ("sf_sustained", "sf_checked"),
        "im_stepped_up_within_12m_pct": ("im_stepped_up", "im_children"),
        "im_back_at_front_door_within_12m_pct": ("im_back", "im_children"),
        "im_cin_per_10k": ("st_referral", POPULATION),
        "im_cp_per_10k": ("st_cp_plan", POPULATION),
        "im_looked_after_per_10k": ("st_looked_after", POPULATION),
    }
    for outcome in Outcome:
        f[f"fd_outcome_{outcome.value}_pct"] = (
            f"contacts_outcome_{outcome.value}",
            "contacts_decided",
        )
    for kind in OrganisationKind:
        f[f"eh_led_by_{kind.value}_pct"] = (f"eh_led_{kind.value}", "eh_allocated")
    for agency in AgencyKind:
        f[f"eh_taf_attendance_{agency.value}_pct"] = (
            f"taf_attended_{agency.value}",
            f"taf_invited_{agency.value}",
        )
    for reason in ClosureReason:
        f[f"eh_closure_{reason.value}_pct"] = (f"eh_closed_{reason.value}", "eh_closed")
    return f


FORMULAS = _formulas()
STOCK_MEASURES = frozenset({"eh_open", "st_referral", "st_cp_plan", "st_looked_after"})


# --- working-day timescales in SQL ---------------------------------------------------------------


def _due_offsets(
    first: date, last: date, due: Callable[[date], date]
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


def _within_working_days(
    day: str, weekday: str, lag: str, first: date, last: date, due: Callable[[date], date]
) -> Q:
    """A Q true when the annotation ``lag`` (done date minus ``day``) is within the due
    date ``due(day)``, for ``day`` between ``first`` and ``last``."""
    usual, exceptions = _due_offsets(first, last, due)
    # Bank holidays only ever push a due date later, so an exception date allows more days
    # than its weekday does and the weekday's test needs no exclusion (which keeps the SQL
    # small). Should a date ever allow fewer, it is excluded from its weekday's test.
    stricter = [d for k, ds in exceptions.items() for d in ds if k < usual[d.isoweekday()]]
    weekdays_by_offset: dict[int, list[int]] = defaultdict(list)
    for wd, offset in usual.items():
        weekdays_by_offset[offset].append(wd)
    q = Q()
    for offset, weekdays in sorted(weekdays_by_offset.items()):
        part = Q(**{f"{weekday}__in": weekdays, f"{lag}__lte": timedelta(days=offset)})
        if stricter:
            part &= ~Q(**{f"{day}__in": stricter})
        q |= part
    for offset, days in exceptions.items():
        q |= Q(**{f"{day}__in": days, f"{lag}__lte": timedelta(days=offset)})
    return q


def _lag(done: Combinable, start: Combinable) -> ExpressionWrapper:
    return ExpressionWrapper(done - start, output_field=DurationField())


def _start_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _first_receipt_not_yet_due(as_of: date, due: Callable[[date], date]) -> date:
    """The earliest date of receipt whose due date is on or after ``as_of`` (due dates
    never decrease as receipt moves later)."""
    day = as_of
    while due(day - timedelta(days=1)) >= as_of:
        day -= timedelta(days=1)
    return day


# --- dimensions --------------------------------------------------------------------------------


CHILD_DIMENSIONS = ("age_band", "ethnicity")


def _youngest(rows: Iterable[tuple[Any, Any, date | None, str]]) -> dict[Any, tuple[Any, str]]:
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


def _episode_dimension(dimension: str, prefix: str, ctx: _Context) -> Any:
    """The grouping expression for ``dimension`` on an episode reached by ``prefix``. For
    the youngest child's age band or ethnicity: the episode itself, translated in Python
    (one read of the episodes' children beats a correlated subquery per row)."""
    if dimension == "locality":
        return F(f"{prefix}locality__name")
    if dimension == "team":
        return F(f"{prefix}team__name")
    if dimension == "lead_professional_agency":
        return F(f"{prefix}lead_professional_organisation__kind")
    ctx.translate_by(ctx.youngest_of_episodes())
    return F(f"{prefix[:-2]}_id") if prefix else F("pk")


_ETHNICITY = dict(Ethnicity.choices)
_REFERRAL_SOURCE = dict(ReferralSource.choices)
_ORG_KIND = dict(OrganisationKind.choices)


def _label(dimension: str, raw: Any, month: date) -> str:
    """The category label of a raw grouped value (age band: birth month, at ``month``'s end)."""
    if raw is None or raw == "":
        if dimension == "lead_professional_agency":
            return "Not allocated"
        return NOT_KNOWN
    if dimension == "age_band":
        born = _as_month(raw)
        years = (month.year - born.year) - (1 if month.month < born.month else 0)
        return str(AgeBand.for_age(max(years, 0)).label)
    if dimension == "ethnicity":
        return str(_ETHNICITY.get(raw, raw))
    if dimension == "referral_source":
        return str(_REFERRAL_SOURCE.get(raw, raw))
    if dimension == "lead_professional_agency":
        return str(_ORG_KIND.get(raw, raw))
    return str(raw)


def _as_month(value: Any) -> date:
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date().replace(day=1)
    if isinstance(value, date):
        return value.replace(day=1)
    return date.fromisoformat(str(value)[:10]).replace(day=1)


_AGE_BAND_STARTS = (
    (0, AgeBand.UNDER_5),
    (60, AgeBand.FIVE_TO_9),
    (120, AgeBand.TEN_TO_15),
    (192, AgeBand.SIXTEEN_PLUS),
)


# --- the monthly store -----------------------------------------------------------------------


class _Store:
    """Monthly measures by (measure, council, category); category None is the total."""

    def __init__(self, months: list[date], dimension: str | None) -> None:
        self.months = months
        self.index = {m: i for i, m in enumerate(months)}
        self.dimension = dimension
        self.values: dict[tuple[str, int, str | None], list[float]] = {}
        self.prefixes: dict[tuple[str, int, str | None], list[float]] = {}
        self.labels: dict[tuple[Any, date | None], str] = {}
        self.pending: dict[tuple[int, int, str | None], dict[str, float]] = {}
        # Reads a grouped value (e.g. an episode id) as the dimension's raw value.
        self.translate: Callable[[Any], Any] | None = None

    def _series(self, measure: str, council: int, category: str | None) -> list[float]:
        key = (measure, council, category)
        series = self.values.get(key)
        if series is None:
            series = self.values[key] = [0.0] * len(self.months)
        return series

    def flow(
        self, council: int, month: Any, raw: Any, counts: dict[str, float | int | None]
    ) -> None:
        """Add a grouped row's counts to the month ``month`` (total and its category)."""
        m = month.replace(day=1) if type(month) is date else _as_month(month)
        i = self.index.get(m)
        if i is None:
            return
        category = self._category(raw, m) if self.dimension else None
        # Buffered by (council, month, category): one grouped row per record (a dimension
        # read through a record id) would otherwise touch every series for every row.
        key = (council, i, category)
        bucket = self.pending.get(key)
        if bucket is None:
            bucket = self.pending[key] = {}
        for measure, n in counts.items():
            if n:
                bucket[measure] = bucket.get(measure, 0) + n

    def _flush(self) -> None:
        series = self._series
        for (council, i, category), bucket in self.pending.items():
            for measure, n in bucket.items():
                series(measure, council, None)[i] += n
                if category is not None:
                    series(measure, council, category)[i] += n
        self.pending.clear()

    def _category(self, raw: Any, month: date) -> str:
        if self.translate is not None:
            raw = self.translate(raw)
        key = (raw, month) if self.dimension == "age_band" else (raw, None)
        label = self.labels.get(key)
        if label is None:
            label = self.labels[key] = _label(self.dimension or "", raw, month)
        return label

    def prefix(self, key: tuple[str, int, str | None]) -> list[float] | None:
        """Running totals of a series (``prefix[j] - prefix[i]`` sums months i to j-1)."""
        found = self.prefixes.get(key)
        if found is None:
            series = self.values.get(key)
            if series is None:
                return None
            found = [0.0]
            running = 0.0
            for v in series:
                running += v
                found.append(running)
            self.prefixes[key] = found
        return found

    def stock(
        self,
        measure: str,
        council: int,
        start: Any,
        end: Any,
        raw: Any,
        n: float,
    ) -> None:
        """Count ``n`` records open at the end of each month from ``start``'s month to the
        month before ``end``'s (``end`` None: still open). Kept as differences; ``finish``
        accumulates them."""
        first = _as_month(start)
        stop = _as_month(end) if end is not None else None
        if self.translate is not None:
            raw = self.translate(raw)
        if self.dimension == "age_band" and raw is not None:
            born = _as_month(raw)
            for k, (from_months, band) in enumerate(_AGE_BAND_STARTS):
                band_start = add_months(born, from_months)
                band_stop = (
                    add_months(born, _AGE_BAND_STARTS[k + 1][0])
                    if k + 1 < len(_AGE_BAND_STARTS)
                    else None
                )
                lo = max(first, band_start)
                hi = _min_month(stop, band_stop)
                if hi is None or lo < hi:
                    self._stock_span(measure, council, lo, hi, str(band.label), n)
            return
        category = _label(self.dimension, raw, first) if self.dimension else None
        self._stock_span(measure, council, first, stop, category, n)

    def _stock_span(
        self,
        measure: str,
        council: int,
        first: date,
        stop: date | None,
        category: str | None,
        n: float,
    ) -> None:
        if stop is not None and stop <= self.months[0]:
            return
        if first > self.months[-1]:
            return
        i = self.index[first] if first >= self.months[0] else 0
        j = self.index.get(stop) if stop is not None else None
        keys = [None] if category is None else [None, category]
        for cat in keys:
            series = self._series("~" + measure, council, cat)
            series[i] += n
            if j is not None:
                series[j] -= n

    def finish(self) -> None:
        """Add the buffered flows; turn stock differences into month-end stocks."""
        self._flush()
        for key in [k for k in self.values if k[0].startswith("~")]:
            diffs = self.values.pop(key)
            running = 0.0
            stocks = []
            for d in diffs:
                running += d
                stocks.append(running)
            self.values[(key[0][1:], key[1], key[2])] = stocks


def _min_month(a: date | None, b: date | None) -> date | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


# --- sources: one aggregate query each -----------------------------------------------------------


@dataclass
class _Context:
    councils: list[Council]
    first: date  # first day of the first month of data
    last: date  # last day of the last month of data
    dimension: str | None
    as_of: date
    store: _Store
    # Youngest children by record, shared by the sources of one compute call.
    shared: dict[str, dict[Any, tuple[Any, str]]] = field(default_factory=dict)

    @property
    def council_ids(self) -> list[int]:
        return [c.pk for c in self.councils]

    def youngest_of_episodes(self) -> dict[Any, tuple[Any, str]]:
        if "episodes" not in self.shared:
            rows = Episode.children.through.objects.filter(
                episode__council__in=self.council_ids
            ).values_list("episode_id", "person_id", "person__date_of_birth", "person__ethnicity")
            self.shared["episodes"] = _youngest(rows)
        return self.shared["episodes"]

    def youngest_of_contacts(self) -> dict[Any, tuple[Any, str]]:
        if "contacts" not in self.shared:
            rows = (
                ContactChild.objects.filter(contact__council__in=self.council_ids)
                .filter(self.in_range("contact__received_at", datetime_field=True))
                .values_list(
                    "contact_id", "person_id", "person__date_of_birth", "person__ethnicity"
                )
            )
            self.shared["contacts"] = _youngest(rows)
        return self.shared["contacts"]

    def translate_by(self, youngest: dict[Any, tuple[Any, str]]) -> None:
        """Let the store read a record id as its youngest child's birth month or ethnicity."""
        position = 0 if self.dimension == "age_band" else 1

        def translate(record: Any) -> Any:
            found = youngest.get(record)
            return found[position] if found is not None else None

        self.store.translate = translate

    def in_range(self, field_name: str, *, datetime_field: bool = False) -> Q:
        if datetime_field:
            return Q(
                **{
                    f"{field_name}__gte": _start_of_day(self.first),
                    f"{field_name}__lt": _start_of_day(self.last + timedelta(days=1)),
                }
            )
        return Q(**{f"{field_name}__gte": self.first, f"{field_name}__lte": self.last})


def _grouped(qs: QuerySet[Any], ctx: _Context, keys: dict[str, Any], dim: Any) -> QuerySet[Any]:
    if ctx.dimension is not None and dim is not None:
        keys = {**keys, "dim": dim}
    return qs.annotate(**keys).values(*keys)


class WorkingCalendar:
    """The working days (``timescales.working_days``) between two dates as a sorted list,
    so due dates are a bisect rather than a day-by-day walk: the engine works out a due
    date for every day of five years, for several timescales and councils."""

    def __init__(self, first: date, last: date) -> None:
        self.days: list[date] = []
        day = first
        while day <= last:
            if is_working_day(day):
                self.days.append(day)
            day += timedelta(days=1)

    def after(self, day: date, count: int) -> date:
        """The ``count``-th working day strictly after ``day`` (``add_working_days``)."""
        return self.days[bisect_right(self.days, day) + count - 1]

    def decision_due(self, received: date) -> date:
        """``decision_due_date`` (and ``triage_due_date``): the first working day after
        the first working day on or after receipt."""
        return self.days[bisect_left(self.days, received) + DECISION_WORKING_DAYS]

    def allocation_due(self, target: int) -> Callable[[date], date]:
        """The last day an episode waiting since a day is allocated within ``target``
        working days, as the allocation list counts them (``working_days_between``)."""

        def due(day: date) -> date:
            return self.after(day, target + 1) - timedelta(days=1)

        return due


def _calendar(ctx: _Context, longest: int = 10) -> WorkingCalendar:
    """A calendar wide enough for due dates of anything received in ``ctx``'s range."""
    return WorkingCalendar(
        min(ctx.first, ctx.as_of) - timedelta(days=45),
        max(ctx.last, ctx.as_of) + timedelta(days=2 * longest + 30),
    )


class _DueOffsets:
    """Calendar days allowed after each day of receipt (memoised ``due(day) - day``)."""

    def __init__(self, due: Callable[[date], date]) -> None:
        self.due = due
        self.days: dict[date, int] = {}

    def on_time(self, day: Any, lag: timedelta | None) -> bool:
        if lag is None or day is None:
            return False
        received = _as_date(day)
        allowed = self.days.get(received)
        if allowed is None:
            allowed = self.days[received] = (self.due(received) - received).days
        return lag.days <= allowed


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _contacts(ctx: _Context) -> None:
    """Grouped by council, local day of receipt and days to the decision: the day and the
    delay are all the working-day rule needs, and Python applies it per group."""
    calendar = _calendar(ctx)
    qs = Contact.objects.filter(council__in=ctx.council_ids).exclude(status=ContactStatus.DRAFT)
    qs = qs.filter(ctx.in_range("received_at", datetime_field=True))
    dim: Any = None
    if ctx.dimension == "locality":
        dim = F("team__locality__name")
    elif ctx.dimension == "team":
        dim = F("team__name")
    elif ctx.dimension == "referral_source":
        dim = F("referral_source")
    elif ctx.dimension in CHILD_DIMENSIONS:
        ctx.translate_by(ctx.youngest_of_contacts())
        dim = F("pk")
    not_yet_due = Q(decided_at__isnull=True) & Q(
        received_at__gte=_start_of_day(_first_receipt_not_yet_due(ctx.as_of, calendar.decision_due))
    )
    consent = Q(family_agreement=FamilyAgreement.AGREED) | ~Q(lawful_basis="")
    aggregates: dict[str, Any] = {
        "contacts": Count("pk"),
        "not_yet_due": Count("pk", filter=not_yet_due),
        "contacts_consent": Count("pk", filter=consent),
        "contacts_repeat": Count("pk", filter=Q(is_repeat=True)),
        "contacts_decided": Count("pk", filter=Q(decision__isnull=False)),
    }
    for outcome in Outcome:
        aggregates[f"contacts_outcome_{outcome.value}"] = Count(
            "pk", filter=Q(decision__outcome=outcome.value)
        )
    keys = {
        "c": F("council_id"),
        "day": TruncDate("received_at"),
        "lag": _lag(TruncDate("decided_at"), TruncDate("received_at")),
    }
    due = _DueOffsets(calendar.decision_due)
    for row in _grouped(qs, ctx, keys, dim).annotate(**aggregates):
        counts = {k: row[k] for k in aggregates if k != "not_yet_due"}
        counts["contacts_timeliness_due"] = row["contacts"] - row["not_yet_due"]
        counts["contacts_on_time"] = row["contacts"] if due.on_time(row["day"], row["lag"]) else 0
        ctx.store.flow(row["c"], row["day"], row.get("dim"), counts)


def _notifications(ctx: _Context) -> None:
    # A notification's triage is due on the same rule as a contact's decision.
    assert TRIAGE_WORKING_DAYS == DECISION_WORKING_DAYS
    calendar = _calendar(ctx)
    qs = DomesticAbuseNotification.objects.filter(council__in=ctx.council_ids)
    qs = qs.filter(ctx.in_range("received_at", datetime_field=True))
    not_yet_due = Q(triage__isnull=True) & Q(
        received_at__gte=_start_of_day(_first_receipt_not_yet_due(ctx.as_of, calendar.decision_due))
    )
    high = Q(dash_risk=DashRisk.HIGH, triage__isnull=False)
    aggregates: dict[str, Any] = {
        "da_received": Count("pk"),
        "not_yet_due": Count("pk", filter=not_yet_due),
        "da_high_risk_triaged": Count("pk", filter=high),
        "da_high_risk_marac": Count("pk", filter=high & Q(triage__marac_referral=True)),
    }
    keys = {
        "c": F("council_id"),
        "day": TruncDate("received_at"),
        "lag": _lag(TruncDate("triage__recorded_at"), TruncDate("received_at")),
    }
    due = _DueOffsets(calendar.decision_due)
    for row in _grouped(qs, ctx, keys, None).annotate(**aggregates):
        counts = {k: row[k] for k in aggregates if k != "not_yet_due"}
        counts["da_timeliness_due"] = row["da_received"] - row["not_yet_due"]
        counts["da_on_time"] = row["da_received"] if due.on_time(row["day"], row["lag"]) else 0
        ctx.store.flow(row["c"], row["day"], None, counts)


def _episodes(ctx: _Context, targets: dict[int, int]) -> None:
    """Starts, month-end stocks, allocation, lead agency and closures: grouped by council,
    start month and end month."""
    qs = Episode.objects.filter(council__in=ctx.council_ids, start_date__lte=ctx.last).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=ctx.first)
    )
    qs = qs.annotate(
        waiting_since=Coalesce(TruncDate("front_door_decided_at"), F("start_date")),
        allocated_on=TruncDate("allocated_at"),
    ).annotate(
        waiting_weekday=ExtractIsoWeekDay("waiting_since"),
        lag=_lag(F("allocated_on"), F("waiting_since")),
    )
    earliest = ctx.first - timedelta(days=31)
    calendar = _calendar(ctx, max(targets.values(), default=10))
    on_time = Q()
    not_yet_due = Q()
    for council_id in ctx.council_ids:
        due = calendar.allocation_due(targets.get(council_id, 10))
        on_time |= Q(council_id=council_id) & _within_working_days(
            "waiting_since", "waiting_weekday", "lag", earliest, ctx.last, due
        )
        not_yet_due |= Q(
            council_id=council_id, start_date__gte=_first_receipt_not_yet_due(ctx.as_of, due)
        )
    allocated = Q(allocated_at__isnull=False)
    aggregates: dict[str, Any] = {
        "n": Count("pk"),
        "eh_allocated_on_time": Count("pk", filter=allocated & on_time),
        "not_yet_due": Count("pk", filter=Q(allocated_at__isnull=True) & not_yet_due),
        "eh_allocated": Count("pk", filter=allocated),
        "eh_led_partner": Count(
            "pk",
            filter=allocated
            & Q(lead_professional_organisation__isnull=False)
            & ~Q(lead_professional_organisation__kind=OrganisationKind.COUNCIL_CHILDRENS_SERVICES),
        ),
        "eh_closed": Count("pk", filter=Q(closure__isnull=False)),
    }
    for kind in OrganisationKind:
        aggregates[f"eh_led_{kind.value}"] = Count(
            "pk", filter=allocated & Q(lead_professional_organisation__kind=kind.value)
        )
    for reason in ClosureReason:
        aggregates[f"eh_closed_{reason.value}"] = Count(
            "pk", filter=Q(closure__reason=reason.value)
        )
    dim = _episode_dimension(ctx.dimension, "", ctx) if ctx.dimension else None
    keys = {"c": F("council_id"), "s": TruncMonth("start_date"), "e": TruncMonth("end_date")}
    start_measures = ["eh_allocated_on_time", "eh_allocated", "eh_led_partner"] + [
        f"eh_led_{k.value}" for k in OrganisationKind
    ]
    end_measures = ["eh_closed"] + [f"eh_closed_{r.value}" for r in ClosureReason]
    for row in _grouped(qs, ctx, keys, dim).annotate(**aggregates):
        raw = row.get("dim")
        started = {k: row[k] for k in start_measures}
        started["eh_started"] = row["n"]
        started["eh_allocation_due"] = row["n"] - row["not_yet_due"]
        ctx.store.flow(row["c"], row["s"], raw, started)
        if row["e"] is not None:
            ctx.store.flow(row["c"], row["e"], raw, {k: row[k] for k in end_measures})
        ctx.store.stock("eh_open", row["c"], row["s"], row["e"], raw, row["n"])


def _assessments(ctx: _Context) -> None:
    """On time by the month due; the child's voice by the month completed."""
    qs = Assessment.objects.filter(episode__council__in=ctx.council_ids).filter(
        ctx.in_range("due_date") | ctx.in_range("completed_on")
    )
    voice = ChildVoice.objects.filter(assessment=OuterRef("pk")).filter(
        ~Q(what_the_child_said="") | ~Q(what_was_observed="")
    )
    completed = Q(completed_on__isnull=False)
    aggregates = {
        "as_on_time": Count("pk", filter=completed & Q(completed_on__lte=F("due_date"))),
        "as_due": Count("pk", filter=completed | Q(due_date__lt=ctx.as_of)),
        "as_completed": Count("pk", filter=completed),
        "as_voice": Count("pk", filter=completed & Q(has_voice=True)),
    }
    qs = qs.annotate(has_voice=Exists(voice))
    dim = _episode_dimension(ctx.dimension, "episode__", ctx) if ctx.dimension else None
    keys = {
        "c": F("episode__council_id"),
        "d": TruncMonth("due_date"),
        "k": TruncMonth("completed_on"),
    }
    for row in _grouped(qs, ctx, keys, dim).annotate(**aggregates):
        raw = row.get("dim")
        ctx.store.flow(
            row["c"], row["d"], raw, {"as_on_time": row["as_on_time"], "as_due": row["as_due"]}
        )
        if row["k"] is not None:
            ctx.store.flow(
                row["c"],
                row["k"],
                raw,
                {"as_completed": row["as_completed"], "as_voice": row["as_voice"]},
            )


def _reviews(ctx: _Context, intervals: dict[int, int]) -> None:
    """Each review against the one before it (or the plan): one ordered read of the reviews
    of episodes open in the range, paired up in Python (a correlated "previous review"
    subquery costs seconds on five years of data)."""
    qs = Review.objects.filter(episode__council__in=ctx.council_ids, held_on__lte=ctx.last).filter(
        Q(episode__end_date__isnull=True) | Q(episode__end_date__gte=ctx.first)
    )
    dim = _episode_dimension(ctx.dimension, "episode__", ctx) if ctx.dimension else None
    if dim is not None:
        qs = qs.annotate(dim=dim)
    fields = ["episode__council_id", "episode_id", "held_on", "episode__plan__created_on"]
    if dim is not None:
        fields.append("dim")
    previous_episode: Any = None
    previous: date | None = None
    tally: dict[tuple[int, date, Any], list[int]] = {}
    for row in qs.order_by("episode_id", "held_on").values_list(*fields):
        council_id, episode_id, held_on, plan_made = row[:4]
        if episode_id != previous_episode:
            previous_episode, previous = episode_id, plan_made
        since, previous = previous, held_on
        if held_on < ctx.first:
            continue
        weeks = intervals.get(council_id, 6)
        on_time = since is not None and (held_on - since).days <= weeks * 7
        key = (council_id, held_on.replace(day=1), row[4] if dim is not None else None)
        counts = tally.get(key)
        if counts is None:
            counts = tally[key] = [0, 0]
        counts[0] += 1
        counts[1] += on_time
    for (council_id, month, raw), (held, in_time) in tally.items():
        ctx.store.flow(council_id, month, raw, {"rv_held": held, "rv_on_time": in_time})


def _taf_attendance(ctx: _Context) -> None:
    qs = TafAttendee.objects.filter(meeting__episode__council__in=ctx.council_ids).filter(
        ctx.in_range("meeting__held_on")
    )
    aggregates: dict[str, Any] = {}
    for agency in AgencyKind:
        aggregates[f"taf_invited_{agency.value}"] = Count("pk", filter=Q(agency=agency.value))
        aggregates[f"taf_attended_{agency.value}"] = Count(
            "pk", filter=Q(agency=agency.value, attended=True)
        )
    dim = _episode_dimension(ctx.dimension, "meeting__episode__", ctx) if ctx.dimension else None
    keys = {"c": F("meeting__episode__council_id"), "m": TruncMonth("meeting__held_on")}
    for row in _grouped(qs, ctx, keys, dim).annotate(**aggregates):
        ctx.store.flow(row["c"], row["m"], row.get("dim"), {k: row[k] for k in aggregates})


def _needs(ctx: _Context) -> None:
    qs = NeedClosureOutcome.objects.filter(closure__episode__council__in=ctx.council_ids).filter(
        ctx.in_range("closure__closed_on")
    )
    aggregates = {
        "nd_outcomes": Count("pk"),
        "nd_achieved": Count("pk", filter=Q(outcome=NeedOutcome.ACHIEVED)),
    }
    dim = _episode_dimension(ctx.dimension, "closure__episode__", ctx) if ctx.dimension else None
    keys = {"c": F("closure__episode__council_id"), "m": TruncMonth("closure__closed_on")}
    for row in _grouped(qs, ctx, keys, dim).annotate(**aggregates):
        ctx.store.flow(row["c"], row["m"], row.get("dim"), {k: row[k] for k in aggregates})


def _sustained(ctx: _Context) -> None:
    qs = SustainedOutcomeCheck.objects.filter(closure__episode__council__in=ctx.council_ids).filter(
        ctx.in_range("follow_up_due")
    )
    aggregates = {
        "sf_checked": Count("pk", filter=~Q(result="")),
        "sf_sustained": Count("pk", filter=Q(result=SustainedResult.SUSTAINED)),
    }
    dim = _episode_dimension(ctx.dimension, "closure__episode__", ctx) if ctx.dimension else None
    keys = {"c": F("closure__episode__council_id"), "m": TruncMonth("follow_up_due")}
    for row in _grouped(qs, ctx, keys, dim).annotate(**aggregates):
        ctx.store.flow(row["c"], row["m"], row.get("dim"), {k: row[k] for k in aggregates})


def _after_closure(ctx: _Context) -> None:
    """Children of episodes closed in the period, followed up for 365 days."""
    through = Episode.children.through
    qs = through.objects.filter(
        episode__council__in=ctx.council_ids, episode__closure__isnull=False
    ).filter(ctx.in_range("episode__closure__closed_on"))
    closed = OuterRef("episode__closure__closed_on")
    year_after = ExpressionWrapper(closed + timedelta(days=365), output_field=DateField())
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
    qs = qs.annotate(referred=Exists(referred), back=Exists(back))
    aggregates = {
        "im_children": Count("pk"),
        "im_stepped_up": Count("pk", filter=Q(referred=True)),
        "im_back": Count("pk", filter=Q(back=True)),
    }
    dim: Any = None
    if ctx.dimension == "age_band":
        dim = TruncMonth("person__date_of_birth")
    elif ctx.dimension == "ethnicity":
        dim = F("person__ethnicity")
    elif ctx.dimension is not None:
        dim = _episode_dimension(ctx.dimension, "episode__", ctx)
    keys = {"c": F("episode__council_id"), "m": TruncMonth("episode__closure__closed_on")}
    for row in _grouped(qs, ctx, keys, dim).annotate(**aggregates):
        ctx.store.flow(row["c"], row["m"], row.get("dim"), {k: row[k] for k in aggregates})


_STATUTORY_MEASURES = {
    InvolvementKind.REFERRAL: "st_referral",
    InvolvementKind.CHILD_PROTECTION_PLAN: "st_cp_plan",
    InvolvementKind.LOOKED_AFTER: "st_looked_after",
}


def _statutory(ctx: _Context) -> None:
    qs = StatutoryInvolvement.objects.filter(
        council__in=ctx.council_ids, kind__in=list(_STATUTORY_MEASURES), start_date__lte=ctx.last
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=ctx.first))
    dim: Any = None
    if ctx.dimension == "age_band":
        dim = TruncMonth("person__date_of_birth")
    elif ctx.dimension == "ethnicity":
        dim = F("person__ethnicity")
    elif ctx.dimension == "referral_source":
        dim = Case(
            When(kind=InvolvementKind.REFERRAL, then=F("referral_source")),
            default=F("referral__referral_source"),
        )
    keys = {
        "c": F("council_id"),
        "kind_": F("kind"),
        "s": TruncMonth("start_date"),
        "e": TruncMonth("end_date"),
    }
    for row in _grouped(qs, ctx, keys, dim).annotate(n=Count("pk")):
        ctx.store.stock(
            _STATUTORY_MEASURES[row["kind_"]],
            row["c"],
            row["s"],
            row["e"],
            row.get("dim"),
            row["n"],
        )


def _without_jit() -> None:
    """On PostgreSQL, for the rest of this transaction: no just-in-time compilation, and
    enough memory to sort and group in memory.

    The source queries' correlated subqueries make the planner's cost estimates large, so
    PostgreSQL compiles them with LLVM, which costs more (over a second) than the queries
    themselves (milliseconds to a few hundred); and the default 4 MB of work memory spills
    the grouping of five years of contacts to disk. One statement per ``compute`` call.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off; SET LOCAL work_mem = '64MB'")


def _early_help_settings(councils: Sequence[Council]) -> dict[int, tuple[int, int]]:
    """Each council's (allocation target in working days, review interval in weeks)."""
    return {
        c: (a, r)
        for c, a, r in EarlyHelpSettings.objects.filter(
            council__in=[c.pk for c in councils]
        ).values_list("council_id", "allocation_target_working_days", "review_interval_weeks")
    }


_Settings = dict[int, tuple[int, int]]
_RUNNERS: dict[str, Callable[[_Context, _Settings], None]] = {
    "contacts": lambda ctx, _: _contacts(ctx),
    "notifications": lambda ctx, _: _notifications(ctx),
    "episodes": lambda ctx, s: _episodes(ctx, {c: a for c, (a, _) in s.items()}),
    "assessments": lambda ctx, _: _assessments(ctx),
    "reviews": lambda ctx, s: _reviews(ctx, {c: r for c, (_, r) in s.items()}),
    "taf": lambda ctx, _: _taf_attendance(ctx),
    "needs": lambda ctx, _: _needs(ctx),
    "sustained": lambda ctx, _: _sustained(ctx),
    "after_closure": lambda ctx, _: _after_closure(ctx),
    "statutory": lambda ctx, _: _statutory(ctx),
}


# Which source feeds each measure (so only the sources an indicator needs are queried).
def _source_of(measure: str) -> str:
    for prefix, source in (
        ("contacts", "contacts"),
        ("da_", "notifications"),
        ("eh_", "episodes"),
        ("as_", "assessments"),
        ("rv_", "reviews"),
        ("taf_", "taf"),
        ("nd_", "needs"),
        ("sf_", "sustained"),
        ("im_", "after_closure"),
        ("st_", "statutory"),
    ):
        if measure.startswith(prefix):
            return source
    raise KeyError(measure)


# --- population --------------------------------------------------------------------------------


class _Population:
    """Children in each council by mid-year and age band (one query)."""

    def __init__(self, councils: Sequence[Council]) -> None:
        self.fallback = {c.pk: float(c.child_population) for c in councils}
        self.by_year: dict[int, dict[int, dict[str, float]]] = defaultdict(dict)
        for council_id, year, band, children in ChildPopulation.objects.filter(
            council__in=[c.pk for c in councils]
        ).values_list("council_id", "mid_year", "age_band", "children"):
            self.by_year[council_id].setdefault(year, {})[str(AgeBand(band).label)] = float(
                children
            )

    def of(self, council_id: int, year: int, band_label: str | None = None) -> float | None:
        years = self.by_year.get(council_id)
        if years:
            # The year's estimate, else the latest before it, else the earliest after it.
            earlier = [y for y in years if y <= year]
            chosen = max(earlier) if earlier else min(years)
            bands = years[chosen]
            if band_label is None:
                return sum(bands.values())
            return bands.get(band_label)
        if band_label is None:
            return self.fallback.get(council_id)
        return None


# --- compute -----------------------------------------------------------------------------------


def compute(
    *,
    councils: Sequence[Council],
    period_kind: str,
    first: date,
    last: date,
    indicators: Sequence[str] | None = None,
    dimension: str | None = None,
    combined: bool = False,
    as_of: date | None = None,
) -> Result:
    """Every requested indicator (default: the whole catalogue) for each council and each
    period of ``period_kind`` ending in the months ``first`` to ``last``.

    With ``dimension``, the indicators that support it also get a cell per category (the
    totals always come back). With ``combined``, cells with ``council_id=None`` add the
    councils' numerators and denominators together. ``as_of`` (default today) decides
    what is not yet due and which 12-month follow-ups have finished.
    """
    return compute_many(
        councils=councils,
        period_kinds=[period_kind],
        first=first,
        last=last,
        indicators=indicators,
        dimension=dimension,
        combined=combined,
        as_of=as_of,
    )[period_kind]


def compute_many(
    *,
    councils: Sequence[Council],
    period_kinds: Sequence[str],
    first: date,
    last: date,
    indicators: Sequence[str] | None = None,
    dimension: str | None = None,
    combined: bool = False,
    as_of: date | None = None,
) -> dict[str, Result]:
    """``compute`` for several period kinds at once, from the same monthly numbers: still
    one query per source table in all (a dashboard showing months and quarters, or the
    benchmark's four kinds, pays for the database once)."""
    if dimension is not None and dimension not in DIMENSIONS:
        raise ValueError(f"Unknown dimension {dimension!r}.")
    as_of = as_of or timezone.localdate()
    definitions = [catalogue.get(code) for code in (indicators or catalogue.codes())]
    periods_of = {kind: periods_between(kind, first, last) for kind in period_kinds}
    results = {kind: Result(dimension=dimension) for kind in period_kinds}
    every_period = [p for periods in periods_of.values() for p in periods]
    if not every_period or not councils or not definitions:
        return results
    councils = list(councils)
    data_first = min(p.start for p in every_period)
    data_last = max(p.end for p in every_period)
    months = months_in(data_first, data_last)

    measures: set[str] = set()
    for d in definitions:
        num, den = FORMULAS[d.code]
        measures.add(num)
        if den != POPULATION:
            measures.add(den)
    sources = {_source_of(m) for m in measures}
    # Which indicators get category cells: a source only groups by the dimension if one of
    # its indicators supports it (otherwise it runs its cheaper total-only query).
    split_codes = {
        d.code for d in definitions if dimension is not None and dimension in d.dimensions
    }
    split_sources = {
        _source_of(m) for code in split_codes for m in FORMULAS[code] if m != POPULATION
    }

    settings = _early_help_settings(councils) if sources & {"episodes", "reviews"} else {}
    stores: dict[str, _Store] = {}
    shared: dict[str, dict[Any, tuple[Any, str]]] = {}
    # PostgreSQL's SET LOCAL needs a transaction: the caller's, or one of our own.
    outer: AbstractContextManager[Any] = (
        nullcontext() if connection.in_atomic_block else transaction.atomic()
    )
    with outer:
        _without_jit()
        for source in sorted(sources):
            source_dimension = dimension if source in split_sources else None
            store = _Store(months, source_dimension)
            ctx = _Context(councils, data_first, data_last, source_dimension, as_of, store, shared)
            _RUNNERS[source](ctx, settings)
            store.finish()
            stores[source] = store

    population = (
        _Population(councils) if any(POPULATION in FORMULAS[d.code] for d in definitions) else None
    )
    month_index = {m: i for i, m in enumerate(months)}
    for kind, periods in periods_of.items():
        for d in definitions:
            _indicator_cells(
                results[kind],
                d,
                stores,
                periods,
                month_index,
                councils,
                population,
                as_of,
                split=d.code in split_codes,
                combined=combined,
            )
    return results


def _indicator_cells(
    result: Result,
    d: catalogue.IndicatorDefinition,
    stores: dict[str, _Store],
    periods: list[Period],
    month_index: dict[date, int],
    councils: list[Council],
    population: _Population | None,
    as_of: date,
    *,
    split: bool,
    combined: bool,
) -> None:
    """Add the cells of one indicator: each council (and combined) x period x category."""
    num_measure, den_measure = FORMULAS[d.code]
    store = stores[_source_of(num_measure)]
    stock = num_measure in STOCK_MEASURES
    categories: list[str | None] = [None]
    if split:
        found = {
            k[2] for k in store.values if k[2] is not None and k[0] in (num_measure, den_measure)
        }
        categories += sorted(found, key=lambda c: _category_sort_key(c or ""))
    scale = 100.0 if d.unit == Unit.PERCENT else 10000.0 if d.unit == Unit.PER_10K else 1.0
    pop_cache: dict[tuple[int, int, str | None], float | None] = {}

    def amount(measure: str, council: int, category: str | None, lo: int, hi: int) -> float:
        if stock:
            series = store.values.get((measure, council, category))
            return series[hi - 1] if series is not None else 0.0
        running = store.prefix((measure, council, category))
        return running[hi] - running[lo] if running is not None else 0.0

    def people(council: int, year: int, category: str | None) -> float | None:
        band = category if store.dimension == "age_band" else None
        key = (council, year, band)
        if key not in pop_cache:
            assert population is not None
            pop_cache[key] = population.of(council, year, band)
        return pop_cache[key]

    for period in periods:
        lo = month_index[period.start]
        hi = month_index[month_start(period.end)] + 1
        follow_up_open = (
            bool(d.follow_up_days) and period.end + timedelta(days=d.follow_up_days) >= as_of
        )
        for category in categories:
            totals_num = 0.0
            totals_den: float | None = 0.0
            for council in councils:
                num = amount(num_measure, council.pk, category, lo, hi)
                den: float | None
                if den_measure == POPULATION:
                    den = people(council.pk, period.end.year, category)
                else:
                    den = amount(den_measure, council.pk, category, lo, hi)
                result.add(
                    _cell(d.code, council.pk, period, category, num, den, scale, follow_up_open)
                )
                totals_num += num
                totals_den = None if den is None or totals_den is None else totals_den + den
            if combined:
                result.add(
                    _cell(
                        d.code,
                        None,
                        period,
                        category,
                        totals_num,
                        totals_den,
                        scale,
                        follow_up_open,
                    )
                )


def _cell(
    code: str,
    council_id: int | None,
    period: Period,
    category: str | None,
    num: float,
    den: float | None,
    scale: float,
    follow_up_open: bool,
) -> Cell:
    value = None
    if den and not follow_up_open:
        value = num / den * scale
    return Cell(code, council_id, period, category, num, den, value)
