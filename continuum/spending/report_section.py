"""The monthly partnership report's section on early help spending (registered with
``performance.report_sections`` from ``SpendingConfig.ready``).

For the latest financial year that had ended by the report's month and has any return of
the report's councils: spend per child aged 0 to 17 and per family helped by council, in
real terms (the deflator named), a chart of spend per child with its table, and the flags.
No returns, or a reader who may not see the comparison: no section.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from continuum.access import policy
from continuum.accounts.models import User
from continuum.organisations.models import Council
from continuum.performance import charts
from continuum.performance.report_sections import ReportSection, SectionChart
from continuum.performance.tables import Cell, Table
from continuum.spending.comparison import (
    PER_CHILD,
    PER_FAMILY,
    REAL,
    TOTAL,
    Comparison,
    Query,
    compare,
)
from continuum.spending.comparison_tables import flags_table
from continuum.spending.flags import flags_for
from continuum.spending.models import SpendingReturn, financial_year_label
from continuum.spending.policies import SpendingAction

KEY = "spending"


def latest_year(councils: Sequence[Council], month: date) -> int | None:
    """The latest financial year ended by ``month`` with a return of any of ``councils``."""
    last_ended = month.year - 1 if month.month >= 4 else month.year - 2
    return (
        SpendingReturn.objects.filter(council__in=councils, financial_year__lte=last_ended)
        .order_by("-financial_year")
        .values_list("financial_year", flat=True)
        .first()
    )


def _table(comparison: Comparison, year: int) -> Table:
    rows: list[Sequence[Cell]] = []
    for council in comparison.councils:
        cell = comparison.cell(council, year)
        rows.append(
            [
                council.name,
                cell.figure(cell.total, TOTAL, REAL),
                cell.figure(cell.total, PER_CHILD, REAL),
                cell.count(PER_FAMILY) if cell.has_return else None,
                cell.figure(cell.total, PER_FAMILY, REAL),
                cell.figure(cell.in_kind, TOTAL, REAL),
            ]
        )
    return Table(
        caption=f"Early help spending by council, {financial_year_label(year)}, real terms",
        columns=[
            "Council",
            "Early help total (£)",
            "Per child aged 0 to 17 (£)",
            "Families helped",
            "Per family helped (£)",
            "Voluntary sector's own resources, in kind (£)",
        ],
        numeric=[False, True, True, True, True, True],
        money=[False, True, True, False, True, True],
        rows=rows,
        notes=[comparison.prices_text],
    )


def build_section(user: User, month: date, councils: Sequence[Council]) -> ReportSection | None:
    if not councils or not policy.can(user, SpendingAction.VIEW_COMPARISON):
        return None
    year = latest_year(councils, month)
    if year is None:
        return None
    comparison = compare(Query(councils=list(councils), years=[year], measure=PER_CHILD))
    label = financial_year_label(year)
    table = _table(comparison, year)
    names = [c.name for c in comparison.councils]
    per_child = [v if isinstance(v, float) else None for v in (r[2] for r in table.rows)]
    title = f"Early help spending per child aged 0 to 17, {label}, real terms"
    svg = charts.cached_svg(
        "spending-report-bar",
        [title, names, per_child],
        lambda: charts.bar_chart(
            title=title, categories=names, values=per_child, x_label="£ per child"
        ),
    )
    chart_table = Table(
        caption=title,
        columns=["Council", "Per child aged 0 to 17 (£)"],
        numeric=[False, True],
        money=[False, True],
        rows=[(n, v) for n, v in zip(names, per_child, strict=True)],
        notes=[comparison.prices_text],
    )
    flags = flags_for(comparison)
    paragraphs = [
        f"Early help spending in {label}, the latest financial year with returns, fitted to "
        "the common classification and compared per child and per family helped. "
        + comparison.prices_text,
        "The voluntary sector's own resources given in kind are shown beside the councils' "
        "spending, not added to it.",
    ]
    if comparison.deflators is not None and comparison.deflators.series.note:
        paragraphs.append(comparison.deflators.series.note)
    paragraphs.append(
        f"{len(flags)} flags: unusual values and gaps to look at." if flags else "Nothing flagged."
    )
    return ReportSection(
        key=KEY,
        title="Early help spending",
        paragraphs=paragraphs,
        tables=[table, *([flags_table(flags)] if flags else [])],
        charts=[
            SectionChart(
                title=title,
                image=charts.svg_img(svg, f"Bar chart of {title.lower()} by council."),
                table=chart_table,
            )
        ],
    )
