"""Front-door indicators by hub, and councils before and after joining one (issue 15).

The fixture, in councils of 10,000 children each (2,500 per age band in 2026), so a rate
per 10,000 is the count:

- Stockton-on-Tees and Hartlepool in the Hartlepool and Stockton MACH all year.
  October 2026: Stockton 6 contacts, all decided on the day (100%); Hartlepool 10, 5 on
  the day and 5 late (50%). The hub: 16 contacts, 11 on time: 68.75% (not 75%, the average).
- Middlesbrough joins the South Tees hub on 15 September 2026: 5 contacts in August (not in
  a hub), 6 in September and 7 in October (the hub's).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import cast

import pytest
from django.test import Client
from django.urls import reverse

from continuum.accounts.models import Role, User
from continuum.organisations.models import Council
from continuum.performance import report_sections
from continuum.performance.engine import Cell, Result
from continuum.performance.hub_figures import (
    NOT_IN_A_HUB,
    HubFigures,
    Joining,
    before_after,
    hub_figures,
    month_period,
)
from continuum.performance.hub_section import hub_report_section
from continuum.performance.tests import engine_helpers as h
from continuum.testing import factories

MACH = "Hartlepool and Stockton MACH"
SOUTH_TEES = "South Tees Multi-Agency Children's Hub"
AS_OF = date(2027, 6, 1)
AUG, SEP, OCT = date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1)


def _contacts(council: Council, day: date, on_time: int, late: int = 0) -> None:
    """Contacts received at 10:00 on ``day`` (a weekday): decided the same afternoon, or
    a week later."""
    for i in range(on_time + late):
        h.contact(
            council,
            h.at(day),
            children=[h.child(council, date(2019, 1, 1))],
            decided=h.at(day + timedelta(days=0 if i < on_time else 7), 15),
        )


@pytest.fixture
def middlesbrough(db: object) -> Council:
    return factories.tees_council("Middlesbrough")


@pytest.fixture
def hubs(stockton: Council, hartlepool: Council, middlesbrough: Council) -> None:
    for council in (stockton, hartlepool, middlesbrough):
        h.population(council, 2026, 2500)
    factories.hub_agreement(stockton, hartlepool, starts_on=date(2025, 1, 1))
    factories.hub_agreement(
        middlesbrough,
        hub=factories.hub_organisation(SOUTH_TEES, middlesbrough),
        starts_on=date(2026, 9, 15),
    )
    _contacts(stockton, date(2026, 10, 5), on_time=6)
    _contacts(hartlepool, date(2026, 10, 5), on_time=5, late=5)
    _contacts(middlesbrough, date(2026, 8, 3), on_time=5)
    _contacts(middlesbrough, date(2026, 9, 7), on_time=6)
    _contacts(middlesbrough, date(2026, 10, 5), on_time=7)


def _figures(councils: list[Council]) -> HubFigures:
    return hub_figures(councils=councils, first=AUG, last=OCT, as_of=AS_OF)


def test_a_hubs_figure_adds_its_councils_counts(
    hubs: None, stockton: Council, hartlepool: Council, middlesbrough: Council
) -> None:
    found = _figures([stockton, hartlepool, middlesbrough])
    cell = found.hub_cell("fd_contacts_per_10k", MACH, OCT)
    assert cell is not None
    assert (cell.numerator, cell.denominator, cell.value) == (16, 20000, 8.0)
    own = found.council_cell("fd_contacts_per_10k", stockton, OCT)
    assert own is not None and own.numerator == 6 and own.category == MACH
    assert [h.label for h in found.hubs] == [MACH, SOUTH_TEES, NOT_IN_A_HUB]


def test_a_rate_is_recomputed_from_numerators_not_averaged(
    hubs: None, stockton: Council, hartlepool: Council, middlesbrough: Council
) -> None:
    found = _figures([stockton, hartlepool, middlesbrough])
    cell = found.hub_cell("fd_decided_within_1wd_pct", MACH, OCT)
    assert cell is not None
    assert (cell.numerator, cell.denominator) == (11, 16)
    assert cell.value == pytest.approx(68.75)


def test_a_council_joining_part_way_counts_from_the_month_it_joined(
    hubs: None, stockton: Council, hartlepool: Council, middlesbrough: Council
) -> None:
    found = _figures([stockton, hartlepool, middlesbrough])
    assert found.hub_cell("fd_contacts_per_10k", SOUTH_TEES, AUG) is None
    outside = found.hub_cell("fd_contacts_per_10k", NOT_IN_A_HUB, AUG)
    assert outside is not None and outside.numerator == 5
    september = found.hub_cell("fd_contacts_per_10k", SOUTH_TEES, SEP)
    assert september is not None and september.numerator == 6
    assert found.joinings == [Joining(middlesbrough, SOUTH_TEES, SEP)]


def test_an_unsigned_agreement_puts_no_council_in_a_hub(middlesbrough: Council) -> None:
    h.population(middlesbrough, 2026, 2500)
    factories.hub_agreement(
        middlesbrough,
        hub=factories.hub_organisation(SOUTH_TEES, middlesbrough),
        starts_on=date(2026, 1, 1),
        signed=False,
    )
    _contacts(middlesbrough, date(2026, 10, 5), on_time=6)
    found = _figures([middlesbrough])
    assert found.hub_cell("fd_contacts_per_10k", SOUTH_TEES, OCT) is None
    cell = found.hub_cell("fd_contacts_per_10k", NOT_IN_A_HUB, OCT)
    assert cell is not None and cell.numerator == 6


def test_small_counts_are_suppressed(stockton: Council, hartlepool: Council) -> None:
    for council in (stockton, hartlepool):
        h.population(council, 2026, 2500)
    factories.hub_agreement(stockton, hartlepool, starts_on=date(2025, 1, 1))
    _contacts(stockton, date(2026, 10, 5), on_time=8)
    _contacts(hartlepool, date(2026, 10, 5), on_time=3)
    found = _figures([stockton, hartlepool])
    small = found.council_cell("fd_contacts_per_10k", hartlepool, OCT)
    assert small is not None and small.suppressed and small.numerator is None
    # Stockton's 8 is hidden too, or the hub's 11 less it would give Hartlepool's 3 away.
    other = found.council_cell("fd_contacts_per_10k", stockton, OCT)
    hub = found.hub_cell("fd_contacts_per_10k", MACH, OCT)
    assert other is not None and hub is not None
    assert other.suppressed or hub.suppressed


def _cell(council: Council, month: date, value: float) -> Cell:
    return Cell(
        "fd_decided_within_1wd_pct", council.pk, month_period(month), "x", value, 100.0, value
    )


def test_before_and_after_of_a_constructed_series() -> None:
    council = Council(pk=99, name="Redcar and Cleveland", dfe_la_code="807")
    months = [date(2026, m, 1) for m in range(1, 13)]
    joined = date(2026, 7, 1)
    values = [60, 62, 58, 61, 59, 60, 80, 82, 78, 81, 79, 80]
    result = Result(dimension="hub")
    for month, value in zip(months, values, strict=True):
        result.add(_cell(council, month, float(value)))
    membership = {(99, m): (SOUTH_TEES if m >= joined else NOT_IN_A_HUB) for m in months}
    found = HubFigures([council], months, result, membership, [])
    joining = Joining(council, SOUTH_TEES, joined)
    ba = before_after(found, joining, "fd_decided_within_1wd_pct", months=12)
    # The data start in January: 6 months before joining, not 12.
    assert (ba.before_months, ba.after_months) == (6, 6)
    assert ba.before_mean == pytest.approx(60.0)
    assert ba.after_mean == pytest.approx(80.0)
    assert ba.difference == pytest.approx(20.0)
    assert ba.chart is not None and ba.chart.baseline == 6
    assert ba.chart.mean == pytest.approx(60.0)
    # The months after are outside the limits of the months before: special cause.
    assert all(p.rules for p in ba.chart.points[6:])
    shorter = before_after(found, joining, "fd_decided_within_1wd_pct", months=3)
    assert (shorter.before_months, shorter.after_months) == (3, 3)
    assert shorter.before_mean == pytest.approx(60.0)


def _user(role: str, council: Council) -> User:
    return cast(
        User, factories.UserFactory(role=role, organisation=factories.council_services(council))
    )


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.PERFORMANCE_ANALYST, True),
        (Role.STRATEGIC_LEAD, True),
        (Role.TEAM_MANAGER, True),
        (Role.EARLY_HELP_PRACTITIONER, False),
        (Role.FRONT_DOOR_WORKER, False),
    ],
)
def test_who_sees_the_page_and_the_api(
    client: Client, hubs: None, stockton: Council, role: str, allowed: bool
) -> None:
    client.force_login(_user(role, stockton))
    page = client.get(reverse("performance:hubs"), {"from": "2026-08", "to": "2026-10"})
    api = client.get("/api/v1/performance/hubs", {"from": "2026-08", "to": "2026-10"})
    assert page.status_code == (200 if allowed else 403)
    assert api.status_code == (200 if allowed else 403)


def test_a_partner_may_not_see_the_hubs(client: Client, hubs: None, teacher: User) -> None:
    client.force_login(teacher)
    assert client.get(reverse("performance:hubs")).status_code == 403
    assert client.get("/api/v1/performance/hubs").status_code == 403


def test_the_page_shows_each_hub_and_the_council_that_joined(
    client: Client, hubs: None, analyst: User
) -> None:
    client.force_login(analyst)
    response = client.get(reverse("performance:hubs"), {"from": "2026-08", "to": "2026-10"})
    assert response.status_code == 200
    text = response.content.decode()
    assert MACH in text and "South Tees Multi-Agency Children&#x27;s Hub" in text
    assert "Middlesbrough: joined South Tees" in text
    assert "Children&#x27;s Hub in September 2026" in text
    assert "68.8" in text
    download = client.get(
        reverse("performance:hubs"),
        {
            "from": "2026-08",
            "to": "2026-10",
            "table": "hub-hartlepool-and-stockton-mach",
            "format": "csv",
        },
    )
    assert download.status_code == 200
    assert "October 2026,16," in download.content.decode()


def test_bad_months_are_refused_on_the_page(client: Client, analyst: User) -> None:
    client.force_login(analyst)
    response = client.get(reverse("performance:hubs"), {"from": "2026-13"})
    assert response.status_code == 400


def test_the_api_answers_the_hub_series_and_the_comparison(
    client: Client, hubs: None, analyst: User
) -> None:
    client.force_login(analyst)
    response = client.get("/api/v1/performance/hubs", {"from": "2026-08", "to": "2026-10"})
    assert response.status_code == 200
    body = response.json()
    hub = next(
        v
        for v in body["values"]
        if v["hub"] == MACH
        and v["council"] is None
        and v["indicator"] == "fd_decided_within_1wd_pct"
        and v["month"] == "2026-10-01"
    )
    assert hub["value"] == 68.75
    joined = [b for b in body["before_after"] if b["indicator"] == "fd_contacts_per_10k"]
    assert joined[0]["council_name"] == "Middlesbrough"
    assert joined[0]["before_months"] == 1 and joined[0]["after_months"] == 2
    bad = client.get("/api/v1/performance/hubs", {"months": "x"})
    assert bad.status_code == 422


def test_the_report_section_summarises_the_hubs(
    hubs: None, analyst: User, stockton: Council, hartlepool: Council, middlesbrough: Council
) -> None:
    section = hub_report_section(analyst, OCT, [stockton, hartlepool, middlesbrough])
    assert section is not None and section.key == "hubs"
    assert len(section.tables) == 1 and len(section.charts) == 1
    assert section.tables[0].rows[0][1] == 16
    assert "hubs" in report_sections._builders
    assert hub_report_section(analyst, date(2024, 1, 1), [stockton]) is None
