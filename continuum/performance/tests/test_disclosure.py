"""Disclosure control (issue 10, finding 11): no published figure is a count of one to four
children, or lets one be worked out from a total (decision record 0010)."""

from __future__ import annotations

import ast
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from continuum.accounts.models import User
from continuum.organisations.models import Council
from continuum.people.choices import Ethnicity
from continuum.performance import disclosure
from continuum.performance.engine import Cell, Result
from continuum.performance.periods import Period, PeriodKind
from continuum.performance.tests import engine_helpers as h

CONTACTS = "/api/v1/indicators/fd_contacts_per_10k/values"
OCTOBER = Period(PeriodKind.MONTH, date(2026, 10, 1), date(2026, 10, 31))


@pytest.fixture
def by_ethnicity(stockton: Council) -> None:
    """October 2026 in Stockton: 9 contacts about White British children, 3 about Gypsy /
    Roma children, 6 about Irish children; 10,000 children."""
    h.population(stockton, 2026, 2500)
    for day, ethnicity, count in (
        (1, Ethnicity.WBRI, 9),
        (2, Ethnicity.WROM, 3),
        (3, Ethnicity.WIRI, 6),
    ):
        for _ in range(count):
            someone = h.child(stockton, date(2018, 1, 1), ethnicity=ethnicity)
            h.contact(stockton, h.at(date(2026, 10, day)), children=[someone])


@pytest.mark.django_db
def test_the_api_suppresses_cells_of_one_to_four_children(
    client: Client, manager: User, stockton: Council, by_ethnicity: None
) -> None:
    client.force_login(manager)
    response = client.get(
        CONTACTS,
        {
            "council": stockton.dfe_la_code,
            "from": "2026-10",
            "to": "2026-10",
            "dimension": "ethnicity",
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    cells = {v["category"]: v for v in body["values"]}
    assert cells[None]["numerator"] == 18 and cells[None]["suppressed"] is False
    small = [c for c in cells.values() if c["category"] and "Roma" in c["category"]][0]
    assert small["numerator"] is None and small["value"] is None
    assert small["suppressed"] is True and small["marker"] == "[c]"
    # The next smallest (6) goes too, or the total less the others would give the 3 away.
    irish = [c for c in cells.values() if c["category"] and "Irish" in c["category"]][0]
    assert irish["suppressed"] is True and irish["numerator"] is None
    british = [c for c in cells.values() if c["category"] and "British" in c["category"]][0]
    assert british["numerator"] == 9 and british["marker"] is None
    # No published cell is a count of one to four.
    assert not [c for c in body["values"] if c["numerator"] and 0 < c["numerator"] < 5]
    assert body["disclosure"] == disclosure.MEANING


@pytest.mark.django_db
def test_the_openapi_document_describes_suppression(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    value = schema["components"]["schemas"]["ValueOut"]["properties"]
    assert value["suppressed"]["type"] == "boolean"
    assert "[c]" in value["marker"]["description"]
    assert "null" in value["numerator"]["description"]


# --- the rules on cells -------------------------------------------------------------------


def cell(council: int | None, category: str | None, numerator: float, den: float = 0) -> Cell:
    indicator = "fd_repeat_contacts_pct" if den else "fd_contacts_per_10k"
    value = numerator / den * 100 if den else numerator
    return Cell(indicator, council, OCTOBER, category, numerator, den or 10000.0, value)


def protected(*cells: Cell) -> dict[tuple[int | None, str | None], Cell]:
    result = Result()
    for c in cells:
        result.add(c)
    return {(c.council_id, c.category): c for c in disclosure.protect(result).cells}


def test_zeros_and_five_or_more_are_shown() -> None:
    out = protected(cell(1, None, 5), cell(1, "A", 0), cell(1, "B", 5))
    assert not any(c.suppressed for c in out.values())
    assert out[(1, "B")].numerator == 5


def test_a_rate_on_a_small_denominator_is_suppressed_with_it() -> None:
    out = protected(cell(1, None, 0, den=3))
    assert out[(1, None)].suppressed
    assert out[(1, None)].value is None and out[(1, None)].denominator is None


def test_a_population_denominator_is_kept() -> None:
    out = protected(cell(1, None, 2))
    assert out[(1, None)].suppressed and out[(1, None)].denominator == 10000.0


def test_secondary_suppression_across_councils() -> None:
    out = protected(cell(1, None, 3), cell(2, None, 20), cell(3, None, 8), cell(None, None, 31))
    assert out[(1, None)].suppressed and out[(3, None)].suppressed
    assert not out[(2, None)].suppressed and not out[(None, None)].suppressed


def test_a_total_with_one_part_goes_with_it() -> None:
    out = protected(cell(1, None, 3), cell(1, "A", 3))
    assert out[(1, None)].suppressed and out[(1, "A")].suppressed


def test_secondary_suppression_prefers_a_cell_that_is_not_zero() -> None:
    out = protected(cell(1, None, 12), cell(1, "A", 2), cell(1, "B", 0), cell(1, "C", 10))
    assert out[(1, "C")].suppressed and not out[(1, "B")].suppressed


# --- property: no published table lets a suppressed count be recovered ----------------------


def _determined(unknowns: list[int], equations: list[dict[int, int]]) -> set[int]:
    """The unknowns whose value the equations (a sum of unknowns with coefficients = a
    known number) fix: those whose unit vector lies in the equations' row space, found by
    Gauss-Jordan elimination over the rationals."""
    position = {u: i for i, u in enumerate(unknowns)}
    basis: list[list[Fraction]] = []
    pivots: list[int] = []
    for equation in equations:
        row = [Fraction(0)] * len(unknowns)
        for name, coefficient in equation.items():
            row[position[name]] += coefficient
        for b, p in zip(basis, pivots, strict=True):
            if row[p]:
                factor = row[p]
                row = [x - factor * y for x, y in zip(row, b, strict=True)]
        lead = next((i for i, x in enumerate(row) if x), None)
        if lead is None:
            continue
        row = [x / row[lead] for x in row]
        for i, b in enumerate(basis):
            if b[lead]:
                factor = b[lead]
                basis[i] = [x - factor * y for x, y in zip(b, row, strict=True)]
        basis.append(row)
        pivots.append(lead)
    return {
        unknowns[nonzero[0]]
        for b in basis
        if len(nonzero := [i for i, x in enumerate(b) if x]) == 1
    }


tables = st.integers(min_value=1, max_value=4).flatmap(
    lambda councils: st.integers(min_value=1, max_value=5).flatmap(
        lambda categories: st.lists(
            st.lists(
                st.integers(min_value=0, max_value=30) | st.integers(min_value=0, max_value=6),
                min_size=categories,
                max_size=categories,
            ),
            min_size=councils,
            max_size=councils,
        )
    )
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables)
def test_no_suppressed_count_can_be_worked_out_from_the_totals(grid: list[list[int]]) -> None:
    """Councils x categories, with each council's total and the councils combined: after
    protection, no cell holding a count of 1 to 4 is shown, and the published totals, less
    the published cells, fix no suppressed cell's count."""
    categories = [f"C{j}" for j in range(len(grid[0]))]
    cells = []
    for i, row in enumerate(grid, start=1):
        cells.append(cell(i, None, sum(row)))
        cells += [cell(i, name, n) for name, n in zip(categories, row, strict=True)]
    for j, name in enumerate(categories):
        cells.append(cell(None, name, sum(row[j] for row in grid)))
    cells.append(cell(None, None, sum(map(sum, grid))))
    out = protected(*cells)
    assert not [c for c in out.values() if not c.suppressed and disclosure.is_small(c.numerator)]

    # What a reader sees: shown numbers, and the sums that hold between cells.
    keys = list(out)
    unknown = [k for k in keys if out[k].suppressed]
    ids = {k: i for i, k in enumerate(keys)}
    Key = tuple[int | None, str | None]
    groups: list[tuple[Key, list[Key]]] = [
        ((i, None), [(i, name) for name in categories]) for i in range(1, len(grid) + 1)
    ]
    groups += [((None, c), [(i, c) for i in range(1, len(grid) + 1)]) for c in [None, *categories]]
    # Each group: total - sum(parts) = 0; the shown figures are known numbers, so only the
    # suppressed cells' coefficients matter for what can be worked out.
    equations = []
    for total, parts in groups:
        equation = {ids[k]: -1 for k in parts if out[k].suppressed}
        if out[total].suppressed:
            equation[ids[total]] = 1
        if equation:
            equations.append(equation)
    recovered = _determined([ids[k] for k in unknown], equations)
    small_hidden = {ids[k] for k in unknown if disclosure.is_small(_original(cells, k))}
    assert not (recovered & small_hidden)


def _original(cells: list[Cell], key: tuple[int | None, str | None]) -> float:
    return next(c.numerator or 0 for c in cells if (c.council_id, c.category) == key)


# --- every output passes through disclosure control -----------------------------------------


def test_nothing_publishes_figures_without_disclosure_control() -> None:
    """Only the engine itself, disclosure control and the benchmark (which times the engine
    and prints no figure) may call the engine's compute functions."""
    root = Path(disclosure.__file__).parent
    allowed = {root / "disclosure.py", root / "bench.py"}
    offenders = []
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "engine" in path.relative_to(root).parts or path in allowed:
            continue
        tree = ast.parse(path.read_text())
        protected = {
            id(node.value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and node.attr == "protected"
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in ("compute", "compute_many")
                and isinstance(node.value, ast.Name)
                and node.value.id == "engine"
            ):
                offenders.append(f"{path.relative_to(root)}:{node.lineno}")
            # A flow is published only as ``compute_flow(...).protected()``.
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "compute_flow"
                and path.name != "flow.py"
                and id(node) not in protected
            ):
                offenders.append(f"{path.relative_to(root)}:{node.lineno} (flow)")
    assert not offenders, offenders


# --- pages, downloads and the report --------------------------------------------------------


@pytest.fixture
def small_team(stockton: Council, hartlepool: Council) -> None:
    """October 2026: Stockton's North team 12 contacts, its South team 3; Hartlepool 20;
    10,000 children in each."""
    for council in (stockton, hartlepool):
        h.population(council, 2026, 2500)
    north = h.team(stockton, "North Front Door", "Stockton North")
    south = h.team(stockton, "South Front Door", "Stockton South")
    headland = h.team(hartlepool, "Headland Front Door", "Headland")
    someone = h.child(stockton, date(2018, 1, 1))
    for team, count in ((north, 12), (south, 3)):
        for _ in range(count):
            h.contact(stockton, h.at(date(2026, 10, 6)), children=[someone], team=team)
    other = h.child(hartlepool, date(2018, 1, 1))
    for _ in range(20):
        h.contact(hartlepool, h.at(date(2026, 10, 6)), children=[other], team=headland)


@pytest.mark.django_db
def test_the_comparison_page_and_its_download_show_the_marker_and_its_meaning(
    client: Client, manager: User, small_team: None
) -> None:
    client.force_login(manager)
    query = {"indicator": "fd_contacts_per_10k", "period": "2026-10", "dimension": "team"}
    html = client.get(reverse("performance:comparison"), query).content.decode()
    assert "[c]" in html and disclosure.MEANING in html
    # South's 3 contacts are not shown, nor North's 12 (the total less North would be 3).
    breakdown = html.split("By team", 1)[1]
    assert ">3<" not in breakdown and ">12<" not in breakdown
    download = client.get(
        reverse("performance:comparison"), query | {"table": "breakdown", "format": "csv"}
    )
    text = download.content.decode()
    assert "South Front Door,[c],[c],[c]" in text
    assert disclosure.MEANING in text


@pytest.mark.django_db
def test_the_trend_table_suppresses_a_small_month(
    client: Client, manager: User, stockton: Council
) -> None:
    h.population(stockton, 2026, 2500)
    someone = h.child(stockton, date(2018, 1, 1))
    for month, count in ((9, 6), (10, 2)):
        for _ in range(count):
            h.contact(stockton, h.at(date(2026, month, 6)), children=[someone])
    client.force_login(manager)
    query = {
        "indicator": "fd_contacts_per_10k",
        "council": stockton.dfe_la_code,
        "from": "2026-09",
        "to": "2026-10",
        "format": "csv",
    }
    rows = client.get(reverse("performance:trends"), query).content.decode().splitlines()
    assert rows[1].startswith("September 2026,6,10000,6.0")
    assert rows[2].startswith("October 2026,[c],[c],[c]")
    assert disclosure.MEANING in rows[-1]


@pytest.mark.django_db
def test_the_report_suppresses_a_small_council_month(
    manager: User, stockton: Council, small_team: None
) -> None:
    from continuum.performance import report

    built = report.build(manager, date(2026, 10, 1), as_of=date(2026, 11, 20))
    stockton_row = next(
        r
        for r in built.headline
        if r.council == "Stockton-on-Tees" and r.indicator.code == "fd_contacts_per_10k"
    )
    assert not stockton_row.suppressed and stockton_row.current_text == "15.0 per 10,000"
    by_locality = [t for t in built.breakdowns if "locality" in t.caption]
    assert by_locality, "Stockton's breakdown by locality is in the report"
    cells = [str(c) for t in by_locality for row in t.rows for c in row]
    assert "[c]" in cells


def test_a_flow_suppresses_small_stages_and_what_would_give_them_away() -> None:
    from continuum.performance.flow import Flow, Link, Node

    flow = Flow(
        councils=[],
        first=date(2026, 1, 1),
        last=date(2026, 3, 31),
        as_of=date(2026, 12, 1),
        follow_up_days=365,
        children=40,
        nodes=[
            Node("contact", "Children with a contact", 0, "front_door", 40),
            Node("nfa", "No further action", 1, "neutral", 30),
            Node("early_help", "Early help", 1, "early_help", 10),
            Node("social_care", "Referred to social care", 2, "social_care", 9),
        ],
        links=[
            Link("contact", "nfa", 30),
            Link("contact", "early_help", 10),
            Link("nfa", "social_care", 3),
            Link("early_help", "social_care", 6),
        ],
    ).protected()
    # 3 is too few; 6 goes with it, or 9 less 6 would be 3.
    assert flow.hidden_links == {("nfa", "social_care"), ("early_help", "social_care")}
    table = flow.table()
    assert [row[2] for row in table.rows] == [30, 10, "[c]", "[c]"]
    assert {(lk.source, lk.target) for lk in flow.shown().links} == {
        ("contact", "nfa"),
        ("contact", "early_help"),
    }
