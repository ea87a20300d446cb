"""The maintained figures: the engine's finished monthly numbers, kept in a table so the
catalogue, the dashboards and the report read them instead of the source tables.
Decision 0019; how they are kept current: docs/figures.md.

What is kept is exactly what ``compute_many`` works from: for each source and each
dimension it may be split by (or none), the ``MonthlyStore`` values by (measure, council,
category) and month, read by the engine's own source reads over a wide range of months
(``coverage``), one row per month with a value (``MonthlyFigure``). Above the stores
(periods, cells, formulas, population, combined, regroup) nothing changes, so figures
from the facts are the figures from the source tables.

A series the live read would create with nothing in it (an episode opened and closed in
the same month, split by a dimension: a category with zeros) is kept as a row with value
0 at that month, present in a window whose first month is before it (``MonthlyStore``'s
stock spans ending on the window's first month are skipped).

The figures are true for one day (``FigureState.built_on``: due dates and the impact
measures' follow-up depend on it); ``compute_many`` reads them only for that day and
months inside ``coverage``, otherwise it reads the source tables. Changes reach them
through the change queue (``capture``: triggers on every table the engine reads) and
``refresh_pending`` (the background task), which rebuilds the councils with changes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Min, Q
from django.utils import timezone

from continuum.organisations.models import Council
from continuum.performance import catalogue
from continuum.performance.engine.results import COUNTED, FORMULAS, POPULATION
from continuum.performance.engine.source import Context, read
from continuum.performance.engine.sources import SOURCES, source_of
from continuum.performance.engine.store import MonthlyStore
from continuum.performance.models import FigureChange, FigureState, MonthlyFigure
from continuum.performance.periods import months_in
from continuum.progress import Step
from continuum.timescales.months import add_months

# The months kept: this many years back from the month of the day they are built for,
# and this many months ahead (stocks of what is open carry on into periods not yet over).
YEARS_BACK = 8
MONTHS_AHEAD = 15
BATCH = 5000


def coverage(as_of: date) -> list[date]:
    """The months the figures built for ``as_of`` hold."""
    this_month = as_of.replace(day=1)
    return months_in(date(this_month.year - YEARS_BACK, 1, 1), add_months(this_month, MONTHS_AHEAD))


def plan() -> list[tuple[str, str | None]]:
    """Every (source, dimension or None) ``compute_many`` may read: each source's totals,
    and each dimension of an indicator the source feeds."""
    wanted: set[tuple[str, str | None]] = {(name, None) for name in SOURCES}
    for code in catalogue.codes():
        definition = catalogue.get(code)
        for measure in FORMULAS[code]:
            if measure in (POPULATION, COUNTED):
                continue
            for dimension in definition.dimensions:
                wanted.add((source_of(measure), dimension))
    return sorted(wanted, key=lambda p: (p[0], p[1] or ""))


class _RecordingStore(MonthlyStore):
    """A store that also remembers where an empty stock series began (see the module)."""

    def __init__(self, months: list[date], dimension: str | None) -> None:
        super().__init__(months, dimension)
        self.empty: set[tuple[str, int, str | None, int]] = set()

    def _stock_span(
        self,
        measure: str,
        council: int,
        first: date,
        stop: date | None,
        category: str | None,
        n: float,
    ) -> None:
        if stop == first and first in self.index:
            for cat in [None] if category is None else [None, category]:
                self.empty.add((measure, council, cat, self.index[first]))
        super()._stock_span(measure, council, first, stop, category, n)


def _without_jit() -> None:
    from continuum.performance.engine.indicators import _without_jit as without_jit

    without_jit()


def _build(councils: list[Council], as_of: date, step: Step | None) -> int:
    """Recompute the figures of ``councils`` for ``as_of`` (inside a transaction)."""
    months = coverage(as_of)
    last_day = add_months(months[-1], 1) - timedelta(days=1)
    pairs = plan()
    advance = step(f"Figures for {len(councils)} council(s)", len(pairs)) if step else None
    ids = [c.pk for c in councils]
    MonthlyFigure.objects.filter(council__in=ids).delete()
    shared: dict[str, Any] = {}
    written = 0
    for name, dimension in pairs:
        store = _RecordingStore(months, dimension)
        ctx = Context(councils, months[0], last_day, dimension, as_of, store, shared)
        read(SOURCES[name], ctx)
        store.finish()
        rows = _rows(name, dimension or "", store, months)
        written += _write(rows)
        if advance:
            advance(1)
    now = timezone.now()
    for council in councils:
        FigureState.objects.update_or_create(
            council=council,
            defaults={
                "built_on": as_of,
                "built_at": now,
                "first_month": months[0],
                "last_month": months[-1],
            },
        )
    return written


def _rows(
    source: str, dimension: str, store: _RecordingStore, months: list[date]
) -> Iterable[MonthlyFigure]:
    for (measure, council, category), series in store.values.items():
        for i, value in enumerate(series):
            if value:
                yield MonthlyFigure(
                    source=source,
                    dimension=dimension,
                    council_id=council,
                    category=category,
                    measure=measure,
                    month=months[i],
                    value=value,
                )
    for measure, council, category, i in store.empty:
        yield MonthlyFigure(
            source=source,
            dimension=dimension,
            council_id=council,
            category=category,
            measure=measure,
            month=months[i],
            value=0.0,
        )


def _write(rows: Iterable[MonthlyFigure]) -> int:
    batch: list[MonthlyFigure] = []
    written = 0
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            MonthlyFigure.objects.bulk_create(batch)
            written += len(batch)
            batch = []
    if batch:
        MonthlyFigure.objects.bulk_create(batch)
        written += len(batch)
    return written


def rebuild(
    *, councils: Sequence[Council] | None = None, step: Step | None = None
) -> dict[str, Any]:
    """Recompute the figures of ``councils`` (default: every council) from the source
    tables, for today, and consume the changes waiting for them (read before the source
    tables are, deleted by id after: a change committed meanwhile stays for the next
    refresh). Returns what was done (councils, rows, seconds)."""
    started = timezone.now()
    chosen = list(councils) if councils is not None else list(Council.objects.order_by("pk"))
    queue = FigureChange.objects.all()
    if councils is not None:
        queue = queue.filter(council_id__in=[c.pk for c in chosen])
    consumed = list(queue.values_list("id", flat=True))
    rows = 0
    if chosen:
        with transaction.atomic():
            _without_jit()
            rows = _build(chosen, timezone.localdate(), step)
    for start in range(0, len(consumed), BATCH):
        FigureChange.objects.filter(id__in=consumed[start : start + BATCH]).delete()
    return {
        "councils": len(chosen),
        "rows": rows,
        "seconds": (timezone.now() - started).total_seconds(),
    }


def refresh_pending(*, step: Step | None = None) -> int:
    """Add the waiting changes to the figures (what the background task runs): rebuild
    every council with a change waiting (all of them for a change that could concern any
    council) and those whose figures are for an earlier day. Returns how many councils
    were rebuilt."""
    named = set(FigureChange.objects.values_list("council_id", flat=True).distinct())
    today = timezone.localdate()
    stale = set(FigureState.objects.exclude(built_on=today).values_list("council_id", flat=True))
    if not named and not stale:
        return 0
    if None in named:
        return int(rebuild(step=step)["councils"])
    ids = {c for c in named if c is not None} | stale
    chosen = list(Council.objects.filter(pk__in=ids).order_by("pk"))
    return int(rebuild(councils=chosen, step=step)["councils"])


def _council_ids(councils: Iterable[Council] | None) -> list[int] | None:
    return None if councils is None else [c.pk for c in councils]


def _states(councils: Iterable[Council] | None) -> list[FigureState]:
    ids = _council_ids(councils)
    states = FigureState.objects.all()
    if ids is not None:
        states = states.filter(council__in=ids)
    return list(states)


def current(councils: Sequence[Council], as_of: date, months: list[date]) -> bool:
    """Whether the figures of ``councils`` are for ``as_of`` and hold ``months``."""
    if not councils or not months:
        return False
    states = _states(councils)
    if len(states) != len({c.pk for c in councils}):
        return False
    return all(
        s.built_on == as_of and s.first_month <= months[0] and s.last_month >= months[-1]
        for s in states
    )


def stores(
    councils: Sequence[Council], wanted: dict[str, str | None], months: list[date]
) -> dict[str, MonthlyStore]:
    """The finished stores ``compute_many`` would read for ``wanted`` (source ->
    dimension or None) over ``months``, from the figures."""
    found = {name: MonthlyStore(months, dimension) for name, dimension in wanted.items()}
    if not wanted:
        return found
    pairs = " OR ".join(["(source = %s AND dimension = %s)"] * len(wanted))
    params: list[Any] = [p for name, d in wanted.items() for p in (name, d or "")]
    ids = [c.pk for c in councils]
    first = months[0]
    index = {m: i for i, m in enumerate(months)}
    size = len(months)
    table = MonthlyFigure._meta.db_table
    # One plain read (no model instances): this is the dashboards' hot path.
    sql = (
        f"SELECT source, measure, council_id, category, month, value FROM {table} "  # noqa: S608
        f"WHERE council_id IN ({', '.join(['%s'] * len(ids))}) AND month >= %s "
        f"AND month <= %s AND ({pairs})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ids, first, months[-1], *params])
        for source, measure, council, category, month, value in cursor.fetchall():
            if not isinstance(month, date):  # SQLite gives text
                month = date.fromisoformat(str(month))
            values = found[source].values
            key = (measure, council, category)
            if value:
                series = values.get(key)
                if series is None:
                    series = values[key] = [0.0] * size
                series[index[month]] = value
            elif month > first and key not in values:
                values[key] = [0.0] * size
    return found


def figures_as_of(councils: Iterable[Council] | None = None) -> datetime | None:
    """When the figures of ``councils`` (default: all) were last brought up to date; None
    when some have none (their figures are read from the source tables, always current)."""
    ids = _council_ids(councils)
    wanted = len(ids) if ids is not None else Council.objects.count()
    states = _states(councils)
    if not states or len(states) != wanted:
        return None
    return min(s.built_at for s in states)


def changes_waiting(councils: Iterable[Council] | None = None) -> bool:
    """Whether changes to ``councils``' records (or a new day) are not in the figures yet."""
    ids = _council_ids(councils)
    queue = FigureChange.objects.all()
    if ids is not None:
        queue = queue.filter(Q(council_id__in=ids) | Q(council_id__isnull=True))
    if queue.exists():
        return True
    states = FigureState.objects.exclude(built_on=timezone.localdate())
    if ids is not None:
        states = states.filter(council__in=ids)
    return states.exists()


def version(councils: Iterable[Council] | None = None) -> str:
    """A token that changes whenever the figures of ``councils`` (default: all) change."""
    states = sorted((s.council_id, s.built_at.isoformat()) for s in _states(councils))
    if not states:
        return "live"
    return hashlib.sha256(repr(states).encode()).hexdigest()[:16]


def request_refresh() -> bool:
    """Queue the background refresh when figures are kept, something is waiting and no
    refresh is queued yet. Cheap: safe to call on every dashboard request."""
    if not FigureState.objects.exists() or not changes_waiting():
        return False
    from django_tasks_db.models import DBTaskResult

    from continuum.performance.tasks import refresh_figures_task

    queued = DBTaskResult.objects.filter(task_path=refresh_figures_task.module_path, status="READY")
    if queued.exists():
        return False
    refresh_figures_task.enqueue()
    return True


def oldest_change() -> datetime | None:
    """When the oldest change waiting was made."""
    found: datetime | None = FigureChange.objects.aggregate(at=Min("changed_at"))["at"]
    return found
