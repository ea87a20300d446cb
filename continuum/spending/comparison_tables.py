"""The comparison as the project's tables (each also a CSV and XLSX download) and a chart
drawn on the server with its table: the same numbers on the page, in the downloads, in the
API's answer and in the partnership report."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.safestring import SafeString

from continuum.performance import charts, disclosure
from continuum.performance.tables import Cell, Table
from continuum.spending.choices import FundingSource
from continuum.spending.comparison import (
    IN_KIND,
    PAID,
    PER_CHILD,
    PER_FAMILY,
    PER_SUSTAINED,
    TOTAL,
    Comparison,
)
from continuum.spending.flags import Flag
from continuum.spending.models import financial_year_label

TABLES = ("measure", "categories", "sources", "voluntary", "denominators", "flags")


def _notes(comparison: Comparison) -> list[str]:
    notes = [comparison.prices_text]
    if comparison.deflators is not None and comparison.prices == "real":
        notes.append(comparison.deflators.series.note)
    notes += [
        "Early help spending mapped to the common classification by each heading's shares; "
        "spending outside early help and headings not yet mapped are left out.",
        "The voluntary sector's own resources (in kind) are shown separately, never added "
        "to the total.",
        "Children aged 0 to 17: the child population estimate for the year (else the "
        "council's own figure). Families helped: early help episodes open at any time in the "
        "financial year. Sustained outcome: episodes with a six-month check, due in the "
        "year, that found the outcome sustained.",
    ]
    return [n for n in notes if n]


def measure_table(comparison: Comparison) -> Table:
    """The chosen measure of the total, a row per council, a column per year."""
    return Table(
        caption=f"{comparison.measure_label}, {_prices_word(comparison)}",
        columns=["Council", *comparison.year_labels],
        numeric=[False, *[True] * len(comparison.years)],
        money=[False, *[True] * len(comparison.years)],
        rows=[
            [c.name, *[comparison.value(c, y) for y in comparison.years]]
            for c in comparison.councils
        ],
        notes=_notes(comparison),
    )


def category_table(comparison: Comparison, year: int) -> Table:
    """The chosen measure by common category in ``year``, a column per council."""
    cells = [comparison.cell(c, year) for c in comparison.councils]
    rows: list[Sequence[Cell]] = [
        [name, *[comparison.value(c, year, code) for c in comparison.councils]]
        for code, name in comparison.categories
    ]
    rows.append(["Early help total", *[comparison.value(c, year) for c in comparison.councils]])
    measure = comparison.measure
    rows.append(
        [
            "Outside early help (not counted)",
            *[c.figure(c.outside, measure, comparison.prices) for c in cells],
        ]
    )
    rows.append(
        [
            "Under headings not mapped (not counted)",
            *[c.figure(c.unmapped, measure, comparison.prices) for c in cells],
        ]
    )
    return Table(
        caption=(
            f"{comparison.measure_label} by category, {financial_year_label(year)}, "
            f"{_prices_word(comparison)}"
        ),
        columns=["Category", *[c.name for c in comparison.councils]],
        numeric=[False, *[True] * len(comparison.councils)],
        money=[False, *[True] * len(comparison.councils)],
        rows=rows,
        notes=_notes(comparison),
    )


def source_table(comparison: Comparison, year: int) -> Table:
    """The chosen measure of early help spending by funding source in ``year``."""
    cells = [comparison.cell(c, year) for c in comparison.councils]
    rows: list[Sequence[Cell]] = [
        [
            str(FundingSource(source).label),
            *[
                c.figure(c.sources.get(source, Decimal(0)), comparison.measure, comparison.prices)
                for c in cells
            ],
        ]
        for source in (*PAID, IN_KIND)
    ]
    return Table(
        caption=(
            f"{comparison.measure_label} by funding source, {financial_year_label(year)}, "
            f"{_prices_word(comparison)}"
        ),
        columns=["Funding source", *[c.name for c in comparison.councils]],
        numeric=[False, *[True] * len(comparison.councils)],
        money=[False, *[True] * len(comparison.councils)],
        rows=rows,
        notes=_notes(comparison),
    )


def voluntary_table(comparison: Comparison) -> Table:
    """What councils commission from the voluntary sector beside what it brings itself."""
    rows: list[Sequence[Cell]] = []
    for council in comparison.councils:
        for year in comparison.years:
            cell = comparison.cell(council, year)
            grants = cell.categories.get("voluntary_grants", Decimal(0))
            rows.append(
                [
                    f"{council.name}, {financial_year_label(year)}",
                    cell.figure(grants, TOTAL, comparison.prices),
                    cell.figure(cell.in_kind, TOTAL, comparison.prices),
                ]
            )
    return Table(
        caption=(
            "The voluntary sector: what councils commission and its own resources, "
            f"{_prices_word(comparison)}"
        ),
        columns=[
            "Council and year",
            "Commissioned by the council: voluntary-sector grants (£)",
            "The voluntary sector's own resources, in kind (£)",
        ],
        numeric=[False, True, True],
        money=[False, True, True],
        rows=rows,
        notes=_notes(comparison),
    )


def denominators_table(comparison: Comparison) -> Table:
    """Children, families helped and sustained outcomes, and the spend per each."""
    rows: list[Sequence[Cell]] = []
    prices = comparison.prices
    for council in comparison.councils:
        for year in comparison.years:
            cell = comparison.cell(council, year)
            rows.append(
                [
                    f"{council.name}, {financial_year_label(year)}",
                    None if cell.children is None else round(cell.children),
                    cell.count(PER_FAMILY),
                    cell.count(PER_SUSTAINED),
                    cell.figure(cell.total, TOTAL, prices),
                    cell.figure(cell.total, PER_CHILD, prices),
                    cell.figure(cell.total, PER_FAMILY, prices),
                    cell.figure(cell.total, PER_SUSTAINED, prices),
                ]
            )
    return Table(
        caption=f"Spending and what it is divided by, {_prices_word(comparison)}",
        columns=[
            "Council and year",
            "Children aged 0 to 17",
            "Families helped",
            "Families with a sustained outcome",
            "Early help total (£)",
            "Per child (£)",
            "Per family helped (£)",
            "Per family with a sustained outcome (£)",
        ],
        numeric=[False, *[True] * 7],
        money=[False, False, False, False, True, True, True, True],
        rows=rows,
        notes=[*_notes(comparison), disclosure.MEANING.replace("children", "families")],
    )


def flags_table(flags: list[Flag]) -> Table:
    return Table(
        caption="Flags: unusual values and gaps",
        columns=["Council", "Year", "Flag", "What it says"],
        rows=[[f.council, f.year_label, f.kind_label, f.sentence] for f in flags],
    )


def chart(comparison: Comparison) -> tuple[str, SafeString, Table]:
    """The measure by council across the years (a line each), or by council (bars) for a
    single year; with the table it is drawn from."""
    table = measure_table(comparison)
    title = table.caption
    values = {
        c.name: [v if isinstance(v, float) else None for v in row[1:]]
        for c, row in zip(comparison.councils, table.rows, strict=True)
    }
    y_label = comparison.measure_label
    if len(comparison.years) > 1:
        svg = charts.cached_svg(
            "spending-line",
            [title, comparison.year_labels, values],
            lambda: charts.line_chart(
                title=title, x_labels=comparison.year_labels, series=values, y_label=y_label
            ),
        )
        alt = f"Line chart of {comparison.measure_label.lower()} for each council by year."
    else:
        names = list(values)
        bars = [v[0] for v in values.values()]
        svg = charts.cached_svg(
            "spending-bar",
            [title, names, bars],
            lambda: charts.bar_chart(title=title, categories=names, values=bars, x_label=y_label),
        )
        alt = f"Bar chart of {comparison.measure_label.lower()} for each council."
    return title, charts.svg_img(svg, alt), table


def _prices_word(comparison: Comparison) -> str:
    if comparison.prices == "cash":
        return "cash"
    if comparison.deflators is None:
        return "real terms (no deflator series)"
    return f"real terms at {comparison.deflators.base_label} prices"
