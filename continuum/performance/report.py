"""The monthly partnership report: the headline indicators for each council and all four,
this month against the previous twelve months' average, where each council sits on the
funnel plot and its control chart, trend charts, the quarter's continuum flow and a
commentary written from the numbers.

Everything here is an aggregate: counts and rates by council and month, never a name. The
commentary is generated each time from the numbers (nothing is stored), so the HTML page
and the PDF always say the same thing about the same month.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from statistics import fmean
from typing import cast

from django.core.cache import cache
from django.db.models import Min
from django.utils import timezone
from django.utils.safestring import SafeString

from continuum.accounts.models import User
from continuum.front_door.models import Contact
from continuum.organisations.models import Council, Locality
from continuum.performance import catalogue, charts, disclosure, engine
from continuum.performance.catalogue import IndicatorDefinition, Polarity, Unit
from continuum.performance.engine import facts
from continuum.performance.periods import (
    Period,
    PeriodKind,
    last_complete_month,
    month_end,
    parse_month,
    periods_between,
)
from continuum.performance.policies import councils_compared, councils_in_detail
from continuum.performance.report_sections import ReportSection, sections_for
from continuum.performance.stats import spc
from continuum.performance.tables import Table, one_decimal
from continuum.timescales.months import add_months
from continuum.ui.dates import govuk_month

# How many months before the report's month its "usual" level is averaged over, and how
# many months the trend charts show.
BASELINE_MONTHS = 12
TREND_MONTHS = 24
# A change smaller than this (relative to the baseline) is described as "about the same".
STEADY_WITHIN = 0.05
# ... and for a percentage, a change of less than this many percentage points.
STEADY_POINTS = 2.0
ALL_COUNCILS = "All councils"
# How long a built report is kept (see ``cached_build``).
CACHE_SECONDS = 10 * 60


class MonthError(ValueError):
    """The month asked for cannot be reported on; the message says why, for the page."""


def month_from_query(text: str | None, today: date | None = None) -> date:
    """The month named by ``?month=YYYY-MM`` (default: the last complete month).

    Raises ``MonthError`` with a message for the error summary for anything else: a
    malformed month, or a month that has not ended yet.
    """
    latest = last_complete_month(today)
    if text is None or not text.strip():
        return latest
    try:
        month = parse_month(text.strip())
    except ValueError as exc:
        raise MonthError(f"Enter the month as a year and month, like {latest:%Y-%m}.") from exc
    if month > latest:
        raise MonthError(
            f"The report is for a month that has ended: choose {govuk_month(latest)} or earlier."
        )
    return month


def format_value(value: float | None, unit: str) -> str:
    """A value as the report prints it, with its unit."""
    if value is None:
        return "not available"
    if unit == Unit.PERCENT:
        return f"{value:.1f}%"
    if unit == Unit.PER_10K:
        return f"{value:,.1f} per 10,000"
    if unit == Unit.DAYS:
        return f"{value:,.1f} days"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def direction(
    current: float | None, baseline: float | None, polarity: str, unit: str | None = None
) -> str:
    """In words, how this month compares with the baseline, using the indicator's polarity:
    "better" or "worse" (or "higher"/"lower" where neither is better), "about the same"
    within 5% (within 2 percentage points for a percentage), "not available" if either is
    missing."""
    if current is None or baseline is None:
        return "not available"
    difference = current - baseline
    scale = abs(baseline) if baseline else abs(current)
    if unit == Unit.PERCENT:
        steady = abs(difference) < STEADY_POINTS
    else:
        steady = difference == 0 or bool(scale and abs(difference) / scale < STEADY_WITHIN)
    if steady:
        return "about the same"
    higher = difference > 0
    if polarity == Polarity.UP:
        return "better" if higher else "worse"
    if polarity == Polarity.DOWN:
        return "worse" if higher else "better"
    return "higher" if higher else "lower"


@dataclass
class HeadlineRow:
    """One indicator for one council (or all of them) in the report's month."""

    indicator: IndicatorDefinition
    council: str
    council_id: int | None
    current: float | None
    baseline: float | None
    direction: str
    funnel: str | None = None
    spc: str | None = None  # the Making Data Count category (``stats.spc``)
    spc_reading: str | None = None  # the same in plain English, with its direction
    suppressed: bool = False  # this month's figure (disclosure control)

    @property
    def current_text(self) -> str:
        if self.suppressed:
            return disclosure.MARKER
        return format_value(self.current, self.indicator.unit)

    @property
    def baseline_text(self) -> str:
        return format_value(self.baseline, self.indicator.unit)


@dataclass
class Chart:
    title: str
    image: SafeString
    table: Table


@dataclass
class PartnershipReport:
    month: date
    councils: list[Council]
    detail_councils: list[Council]
    headline: list[HeadlineRow]
    tables: list[Table]
    commentary: list[str]
    charts: list[Chart] = field(default_factory=list)
    flow: Table | None = None
    breakdowns: list[Table] = field(default_factory=list)
    # Sections apps above this one add (``report_sections``), after the report's own.
    sections: list[ReportSection] = field(default_factory=list)
    made_at: datetime = field(default_factory=timezone.now)

    @property
    def title(self) -> str:
        return f"Partnership report: {govuk_month(self.month)}"

    @property
    def filename(self) -> str:
        return f"partnership-report-{self.month:%Y-%m}.pdf"


def cache_key(user: User, month: date, *, daily: bool = True) -> str:
    """What a kept report depends on: the month, the councils the user compares and sees
    in detail, and (``daily``) today's date (impact measures' follow-up ends with it)."""
    compared = ",".join(str(pk) for pk in councils_compared(user).values_list("pk", flat=True))
    detail = ",".join(str(pk) for pk in councils_in_detail(user).values_list("pk", flat=True))
    key = f"performance:report:{month:%Y-%m}:{compared}:{detail}"
    if not daily:
        return key
    # The maintained figures' version (issue 16): a kept report never outlives them.
    return f"{key}:{timezone.localdate()}:{facts.version(councils_compared(user))}"


class NoData(MonthError):
    """A month before the councils' records begin: nothing to report."""


def months_with_data(user: User, today: date | None = None) -> list[date]:
    """The months the report may be made for, newest first: from the month of the first
    submitted contact in the councils the user compares to the last complete month."""
    first = Contact.objects.filter(
        council__in=councils_compared(user), submitted_at__isnull=False
    ).aggregate(first=Min("received_at"))["first"]
    latest = last_complete_month(today)
    if first is None:
        return []
    month = timezone.localtime(first).date().replace(day=1)
    months = []
    while month <= latest:
        months.append(month)
        month = add_months(month, 1)
    return months[::-1]


def month_with_data(user: User, text: str | None, today: date | None = None) -> date:
    """``month_from_query``, and a month with data: ``NoData`` (a 404) otherwise, saying
    which months there are."""
    month = month_from_query(text, today)
    months = months_with_data(user, today)
    if month not in months:
        if not months:
            raise NoData("There are no records to report on yet.")
        raise NoData(
            f"There is no data for {govuk_month(month)}: the report can be made for "
            f"{govuk_month(months[-1])} to {govuk_month(months[0])}."
        )
    return month


def cached_build(user: User, month: date) -> PartnershipReport:
    """``build``, kept for a few minutes: a month that has ended changes only when a late
    record is added, and everyone in the partnership reads the same month's report."""
    built = cache.get_or_set(cache_key(user, month), lambda: build(user, month), CACHE_SECONDS)
    return cast(PartnershipReport, built)


def headline_indicators() -> list[IndicatorDefinition]:
    return [definition for definition in catalogue.CATALOGUE if definition.headline]


def impact_indicators() -> list[IndicatorDefinition]:
    return [definition for definition in catalogue.CATALOGUE if definition.area == "impact"]


def build(user: User, month: date, as_of: date | None = None) -> PartnershipReport:
    """The report for ``month`` as ``user`` may see it: every council's totals, and
    breakdowns by locality for the councils the user sees in detail."""
    councils = list(councils_compared(user))
    detail = list(councils_in_detail(user))
    headline = headline_indicators()
    impact = [d for d in impact_indicators() if d not in headline]
    first = add_months(month, -(TREND_MONTHS - 1))
    # Every figure in the report, protected together (disclosure control): the locality
    # breakdowns of the councils the user sees in detail share the councils' totals.
    asks = [
        disclosure.Ask(
            councils,
            PeriodKind.MONTH,
            first,
            month_end(month),
            [d.code for d in headline + impact],
            combined=True,
            as_of=as_of,
        )
    ]
    codes = [d.code for d in headline if "locality" in d.dimensions]
    if detail and codes:
        asks.append(
            disclosure.Ask(
                detail, PeriodKind.MONTH, month, month_end(month), codes, "locality", as_of=as_of
            )
        )
    result, *by_locality = disclosure.compute_together(*asks)
    months = periods_between(PeriodKind.MONTH, first, month_end(month))
    this_month = months[-1]
    baseline_months = months[-(BASELINE_MONTHS + 1) : -1]
    columns: list[tuple[str, int | None]] = [(c.name, c.pk) for c in councils]
    columns.append((ALL_COUNCILS, None))

    rows: list[HeadlineRow] = []
    for definition in headline:
        target = _value(result, definition.code, None, this_month)
        for name, council_id in columns:
            current_cell = result.get(definition.code, council_id, this_month)
            current = current_cell.value if current_cell else None
            earlier = [_value(result, definition.code, council_id, p) for p in baseline_months]
            known = [v for v in earlier if v is not None]
            baseline = fmean(known) if known else None
            row = HeadlineRow(
                indicator=definition,
                council=name,
                council_id=council_id,
                current=current,
                baseline=baseline,
                direction=direction(current, baseline, definition.polarity, definition.unit),
                suppressed=bool(current_cell and current_cell.suppressed),
            )
            if council_id is not None and current_cell is not None:
                row.funnel = _funnel(definition, current_cell, target)
            series = [_value(result, definition.code, council_id, p) for p in months]
            latest = _spc(definition, series)
            if latest is not None:
                row.spc, row.spc_reading = latest.variation, latest.reading
            rows.append(row)

    report = PartnershipReport(
        month=month,
        councils=councils,
        detail_councils=detail,
        headline=rows,
        tables=_headline_tables(rows, headline, this_month),
        commentary=commentary(rows, this_month),
    )
    report.charts = _charts(result, headline + impact, months, columns)
    report.flow = _flow_summary(councils, month, as_of)
    report.breakdowns = (
        _breakdowns(detail, codes, this_month, by_locality[0]) if by_locality else []
    )
    report.sections = sections_for(user, month, councils)
    return report


def _value(
    result: engine.Result, code: str, council_id: int | None, period: Period
) -> float | None:
    cell = result.get(code, council_id, period)
    return cell.value if cell is not None else None


def _suppressed(result: engine.Result, code: str, council_id: int | None, period: Period) -> bool:
    cell = result.get(code, council_id, period)
    return cell is not None and cell.suppressed


def _funnel(definition: IndicatorDefinition, cell: engine.Cell, target: float | None) -> str | None:
    """Where the council sits on the month's funnel plot against the partnership's figure."""
    if definition.funnel is None or target is None or cell.value is None or not cell.denominator:
        return None
    from continuum.performance.stats import funnel

    try:
        found = funnel.classify(cell.value, cell.denominator, target, definition.funnel)
    except ValueError:  # a target the limits cannot be drawn around (e.g. 0 or 100%)
        return None
    return None if found == funnel.NO_DATA else found


def _spc(definition: IndicatorDefinition, series: Sequence[float | None]) -> spc.Point | None:
    """The latest month's point on the XmR chart (its Making Data Count variation)."""
    values = [v for v in series if v is not None]
    if len(values) < 12 or series[-1] is None:
        return None
    return spc.xmr(values, polarity=definition.polarity).points[-1]


def _headline_tables(
    rows: list[HeadlineRow], headline: list[IndicatorDefinition], month: Period
) -> list[Table]:
    tables = []
    for definition in headline:
        body: list[Sequence[str | int | float | None]] = [
            [
                row.council,
                row.current_text,
                row.baseline_text,
                row.direction,
                row.funnel or "–",
                row.spc_reading or "–",
            ]
            for row in rows
            if row.indicator == definition
        ]
        tables.append(
            Table(
                caption=f"{definition.name}, {month.label}",
                columns=[
                    "Council",
                    month.label,
                    f"Average of the previous {BASELINE_MONTHS} months",
                    "Compared with the average",
                    "Funnel plot",
                    "Control chart",
                ],
                rows=body,
                notes=[definition.description],
            )
        )
    return tables


def commentary(rows: list[HeadlineRow], month: Period) -> list[str]:
    """Plain-English sentences from the numbers, for each headline indicator: where all the
    councils together stood against their usual level; any council outside the 99.8%
    funnel limits; any council whose control chart shows special-cause variation this
    month; and, where there are too few months for a control chart, any council a fifth or
    more better or worse than usual. Common-cause variation is left unsaid: it is noise."""
    sentences: list[str] = []
    for row in rows:
        name = row.indicator.name
        lower_name = name[:1].lower() + name[1:]
        if row.council_id is None:
            if row.suppressed:
                sentences.append(
                    f"{name}: not shown for {month.label}, to protect the privacy of the "
                    "fewer than 5 children it counts."
                )
                continue
            if row.current is None:
                sentences.append(f"{name}: not available for {month.label} yet.")
                continue
            compared = (
                f", {_compared(row)} the average of the previous {BASELINE_MONTHS} months "
                f"({row.baseline_text})"
                if row.baseline is not None
                else ""
            )
            sentences.append(
                f"Across the councils, {lower_name} stood at {row.current_text} in "
                f"{month.label}{compared}."
            )
            continue
        if row.funnel and row.funnel.startswith(("above 99.8%", "below 99.8%")):
            side = row.funnel.split(" ", 1)[0]
            sentences.append(
                f"{row.council}'s {lower_name} ({row.current_text}) lay {side} the 99.8% "
                "funnel limit for a council of its size: a difference unlikely to be chance."
            )
        if row.spc in ("special cause improvement", "special cause concern") and row.spc_reading:
            reading = row.spc_reading[:1].lower() + row.spc_reading[1:]
            sentences.append(
                f"{row.council}'s {lower_name} ({row.current_text}): {reading} on its "
                "control chart, a real change rather than noise."
            )
        elif row.spc is None and row.direction in ("better", "worse") and _moved_far(row):
            sentences.append(
                f"{row.council}'s {lower_name} stood at {row.current_text}, {_compared(row)} "
                f"its average of {row.baseline_text}."
            )
    return sentences


def _compared(row: HeadlineRow) -> str:
    """ "better than", "worse than", "higher than" (neither is better), "about the same as"."""
    if row.direction == "about the same":
        return "about the same as"
    if row.direction in ("better", "worse", "higher", "lower"):
        return f"{row.direction} than"
    return "compared with"


def _moved_far(row: HeadlineRow) -> bool:
    """A change of a fifth or more from the usual level is worth a sentence."""
    if row.current is None or not row.baseline:
        return False
    return abs(row.current - row.baseline) / abs(row.baseline) >= 0.2


def _charts(
    result: engine.Result,
    definitions: list[IndicatorDefinition],
    months: list[Period],
    columns: list[tuple[str, int | None]],
) -> list[Chart]:
    """A trend line per indicator: each council and all of them, month by month."""
    out = []
    for definition in definitions:
        series = {
            name: [_value(result, definition.code, council_id, p) for p in months]
            for name, council_id in columns
        }
        if not any(v is not None for values in series.values() for v in values):
            continue
        labels = [p.label for p in months]
        title = f"{definition.name}, {months[0].label} to {months[-1].label}"
        y_label = _unit_label(definition.unit)
        svg = charts.cached_svg(
            "report-line",
            [title, labels, series, y_label, definition.unit],
            partial(
                charts.line_chart,
                title=title,
                x_labels=labels,
                series=series,
                y_label=y_label,
                unit=definition.unit,
            ),
        )
        table = Table(
            caption=title,
            columns=["Month", *series],
            rows=[
                [
                    label,
                    *[
                        disclosure.MARKER
                        if _suppressed(result, definition.code, council_id, months[i])
                        else one_decimal(series[name][i])
                        for name, council_id in columns
                    ],
                ]
                for i, label in enumerate(labels)
            ],
            numeric=[False, *[True] * len(series)],
        )
        alt = (
            f"Line chart of {definition.name.lower()} for each council and all councils "
            f"from {months[0].label} to {months[-1].label}; the table below gives the values."
        )
        out.append(Chart(title=title, image=charts.svg_img(svg, alt), table=table))
    return out


def _unit_label(unit: str) -> str:
    labels = {
        str(Unit.PERCENT): "Per cent",
        str(Unit.PER_10K): "Per 10,000 children",
        str(Unit.DAYS): "Days",
    }
    return labels.get(unit, "Number")


def _flow_summary(councils: list[Council], month: date, as_of: date | None) -> Table | None:
    """The continuum flow of the children who came to the front door in the three months to
    the report's month, all councils together: how many reached each stage."""
    from continuum.performance.flow import compute_flow

    first = add_months(month, -2)
    result = compute_flow(
        councils=councils, first=first, last=month_end(month), as_of=as_of
    ).protected()
    if not result.children:
        return None
    notes = result.table().notes
    return Table(
        caption=(
            f"Where the {result.children_text} children with a contact or partner-opened "
            f"early help from {govuk_month(first)} to {govuk_month(month)} went next"
        ),
        columns=["Stage", "Children", "Share of the children"],
        numeric=[False, True, True],
        rows=[
            [node.label, *disclosure.figures(node.key in result.hidden_nodes, node.value, share)]
            for node in sorted(result.nodes, key=lambda n: n.column)
            for share in [round(100 * node.value / result.children, 1)]
        ],
        notes=[
            *notes,
            "Share of the children: per cent of the cohort whose path reached the stage.",
            *(
                []
                if result.follow_up_complete
                else ["The follow-up has not finished: later stages will still grow."]
            ),
        ],
    )


def _breakdowns(
    councils: list[Council], codes: list[str], month: Period, result: engine.Result
) -> list[Table]:
    """Headline indicators by locality for the councils the user sees in detail: each
    council's own localities only (the engine's cells cover every category it met, so
    another council's localities would otherwise fill the table with "not available")."""
    own: dict[int, set[str]] = {}
    for council_id, name in Locality.objects.filter(council__in=councils).values_list(
        "council_id", "name"
    ):
        own.setdefault(council_id, set()).add(name)
    every = set().union(*own.values())
    tables = []
    for council in councils:
        # Its own localities, and "Not known" (records with none) where it has any.
        localities = sorted(
            {
                c.category
                for c in result.cells
                if c.council_id == council.pk
                and c.category
                and (
                    c.category in own.get(council.pk, set())
                    or (c.category not in every and c.value is not None)
                )
            },
        )
        if not localities:
            continue
        # A council has a few localities and the report many indicators: one column per
        # locality, one row per indicator, so the table fits the page and the PDF.
        tables.append(
            Table(
                caption=f"{council.name} by locality, {month.label}",
                columns=["Indicator", *localities],
                rows=[
                    [
                        catalogue.get(code).name,
                        *[
                            _category_text(result, code, council.pk, month, locality)
                            for locality in localities
                        ],
                    ]
                    for code in codes
                ],
                numeric=[False, *[True] * len(localities)],
            )
        )
    return tables


def _category_text(
    result: engine.Result, code: str, council_id: int, period: Period, category: str
) -> str:
    cell = result.get(code, council_id, period, category)
    if cell is not None and cell.suppressed:
        return disclosure.MARKER
    return format_value(cell.value if cell is not None else None, catalogue.get(code).unit)
