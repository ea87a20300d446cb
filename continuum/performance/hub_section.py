"""The partnership report's section on joint front doors (issue 15): each hub's front door
in the report's month (one table, one chart), registered from ``apps.PerformanceConfig``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from continuum.accounts.models import User
from continuum.organisations.models import Council
from continuum.performance import catalogue, charts
from continuum.performance.disclosure import figures
from continuum.performance.hub_figures import INDICATORS, NOT_IN_A_HUB, hub_figures
from continuum.performance.policies import PerformanceAction
from continuum.performance.report_sections import ReportSection, SectionChart
from continuum.performance.tables import Cell as TableCell
from continuum.performance.tables import Table, one_decimal
from continuum.ui.dates import govuk_month

CHARTED = "fd_decided_within_1wd_pct"


def hub_report_section(
    user: User, month: date, councils: Sequence[Council]
) -> ReportSection | None:
    """Each hub's headline front-door figures in ``month`` (None when no council of the
    report was in a hub that month, or the reader may not see the dashboards)."""
    from continuum.access import policy

    if not councils or not policy.can(user, PerformanceAction.VIEW_DASHBOARDS, None):
        return None
    found = hub_figures(councils=councils, first=month, last=month)
    hubs = [h.label for h in found.hubs if h.label != NOT_IN_A_HUB]
    if not hubs:
        return None
    definitions = [catalogue.get(code) for code in INDICATORS]
    rows: list[Sequence[TableCell]] = []
    charted: list[float | None] = []
    for hub in hubs:
        cells = [found.hub_cell(code, hub, month) for code in INDICATORS]
        names = ", ".join(c.name for c in found.councils_of(hub))
        contacts = cells[0]
        row: list[TableCell] = [f"{hub} ({names})"]
        row.append(
            None
            if contacts is None
            else figures(contacts.suppressed, _whole(contacts.numerator))[0]
        )
        for cell in cells:
            row.append(
                None if cell is None else figures(cell.suppressed, one_decimal(cell.value))[0]
            )
        rows.append(row)
        chosen = found.hub_cell(CHARTED, hub, month)
        charted.append(None if chosen is None or chosen.suppressed else chosen.value)
    table = Table(
        caption=f"Joint front doors in {govuk_month(month)}",
        columns=["Hub (its councils)", "Contacts", *[d.name for d in definitions]],
        rows=rows,
        numeric=[False, True, *[True for _ in definitions]],
        notes=[
            "A hub's figures add up its councils' contacts in the month and work each rate "
            "out again from the totals; each council's own figures are in its sections."
        ],
    )
    definition = catalogue.get(CHARTED)
    title = f"{definition.name} by hub, {govuk_month(month)}"
    svg = charts.cached_svg(
        "bar",
        {"title": title, "hubs": hubs, "values": charted},
        lambda: charts.bar_chart(
            title=title, categories=hubs, values=charted, x_label="Per cent", unit=definition.unit
        ),
    )
    image = charts.svg_img(
        svg,
        f"Bar chart of {definition.name.lower()} for each hub in {govuk_month(month)}; the "
        "table gives the figures.",
    )
    chart_table = Table(
        caption=title,
        columns=["Hub", "Per cent"],
        rows=[
            [hub, "[c]" if value is None else one_decimal(value)]
            for hub, value in zip(hubs, charted, strict=True)
        ],
        numeric=[False, True],
    )
    return ReportSection(
        key="hubs",
        title="Joint front doors",
        paragraphs=[
            f"The front doors that hubs ran for several councils in {govuk_month(month)}, "
            "each under a data-sharing agreement in force. Each contact is decided for its "
            "child's own council, so each council's figures stay its own."
        ],
        tables=[table],
        charts=[SectionChart(title=title, image=image, table=chart_table)],
    )


def _whole(number: float | None) -> int | float | None:
    if number is None:
        return None
    return int(number) if float(number).is_integer() else round(number, 1)
