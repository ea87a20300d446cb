"""Early help indicators against a hand-counted fixture in a council of 10,000 children
(a rate per 10,000 is the count). Allocation target: 5 working days; review interval:
6 weeks. October 2026 starts on a Thursday and has no bank holidays.

    episode  started     allocated (working days)  lead        team   closed             child
    e1       Thu 1 Oct   Thu 8 Oct (5: on time)    council     North  open               A (6)
    e2       Thu 1 Oct   Fri 9 Oct (6: late)       school      South  20 Nov, needs met  B (2)
    e3       Mon 5 Oct   not allocated (late)      -           North  open               C (14)
    e4       10 Sep      11 Sep                    voluntary   South  15 Oct, stepped up D (10)
    e5       1 Jan 2026  2 Jan                     council     North  31 Oct, declined   E, F

Open at the end of September: e4, e5 (2); October: e1, e2, e3 (3; e5 closed on the
31st); November: e1, e3 (2).
"""

from __future__ import annotations

from datetime import date
from typing import cast

import pytest

from continuum.early_help.choices import AgencyKind, ClosureReason, NeedOutcome, SustainedResult
from continuum.early_help.models import EarlyHelpSettings, Episode
from continuum.organisations.models import Council, Organisation, OrganisationKind
from continuum.performance import engine
from continuum.performance.periods import Period, PeriodKind
from continuum.performance.tests import engine_helpers as h
from continuum.testing import factories

AS_OF = date(2027, 12, 1)
SEPTEMBER = Period(PeriodKind.MONTH, date(2026, 9, 1), date(2026, 9, 30))
OCTOBER = Period(PeriodKind.MONTH, date(2026, 10, 1), date(2026, 10, 31))
NOVEMBER = Period(PeriodKind.MONTH, date(2026, 11, 1), date(2026, 11, 30))
DECEMBER = Period(PeriodKind.MONTH, date(2026, 12, 1), date(2026, 12, 31))
APRIL_2027 = Period(PeriodKind.MONTH, date(2027, 4, 1), date(2027, 4, 30))


@pytest.fixture
def world(stockton: Council) -> dict[str, Episode]:
    h.population(stockton, 2026, 2500)
    h.population(stockton, 2027, 2500)
    EarlyHelpSettings.objects.create(
        council=stockton, allocation_target_working_days=5, review_interval_weeks=6
    )
    north = h.team(stockton, "North Early Help", "Stockton North")
    south = h.team(stockton, "South Early Help", "Stockton South")
    school = cast(
        Organisation,
        factories.OrganisationFactory(
            name="Test School", kind=OrganisationKind.SCHOOL, serves=[stockton]
        ),
    )
    charity = cast(
        Organisation,
        factories.OrganisationFactory(
            name="Test Charity", kind=OrganisationKind.VOLUNTARY, serves=[stockton]
        ),
    )
    e1 = h.episode(
        stockton,
        date(2026, 10, 1),
        children=[h.child(stockton, date(2020, 3, 15))],
        team_=north,
        allocated=date(2026, 10, 8),
    )
    e2 = h.episode(
        stockton,
        date(2026, 10, 1),
        children=[h.child(stockton, date(2024, 1, 10))],
        team_=south,
        allocated=date(2026, 10, 9),
        lead=school,
        end=date(2026, 11, 20),
        closure_reason=ClosureReason.NEEDS_MET,
    )
    e3 = h.episode(
        stockton, date(2026, 10, 5), children=[h.child(stockton, date(2012, 5, 1))], team_=north
    )
    e4 = h.episode(
        stockton,
        date(2026, 9, 10),
        children=[h.child(stockton, date(2016, 2, 1))],
        team_=south,
        allocated=date(2026, 9, 11),
        lead=charity,
        end=date(2026, 10, 15),
        closure_reason=ClosureReason.STEPPED_UP,
    )
    e5 = h.episode(
        stockton,
        date(2026, 1, 1),
        children=[h.child(stockton, date(2015, 1, 1)), h.child(stockton, date(2019, 1, 1))],
        team_=north,
        allocated=date(2026, 1, 2),
        end=date(2026, 10, 31),
        closure_reason=ClosureReason.DECLINED,
    )
    return {"e1": e1, "e2": e2, "e3": e3, "e4": e4, "e5": e5}


def _months(council: Council, first: date, last: date, **kwargs: object) -> engine.Result:
    return engine.compute(
        councils=[council],
        period_kind=PeriodKind.MONTH,
        first=first,
        last=last,
        as_of=AS_OF,
        **kwargs,  # type: ignore[arg-type]
    )


def _v(
    result: engine.Result,
    code: str,
    council: Council,
    period: Period,
    category: str | None = None,
) -> tuple[float | None, float | None, float | None]:
    cell = result.get(code, council.pk, period, category)
    assert cell is not None, (code, period, category)
    value = None if cell.value is None else round(cell.value, 1)
    return cell.numerator, cell.denominator, value


@pytest.mark.django_db
def test_starts_and_open_episodes(stockton: Council, world: dict[str, Episode]) -> None:
    result = _months(stockton, date(2026, 9, 1), date(2026, 11, 1))
    assert _v(result, "eh_started_per_10k", stockton, SEPTEMBER) == (1, 10000, 1.0)
    assert _v(result, "eh_started_per_10k", stockton, OCTOBER) == (3, 10000, 3.0)
    assert _v(result, "eh_open_per_10k", stockton, SEPTEMBER) == (2, 10000, 2.0)
    assert _v(result, "eh_open_per_10k", stockton, OCTOBER) == (3, 10000, 3.0)
    assert _v(result, "eh_open_per_10k", stockton, NOVEMBER) == (2, 10000, 2.0)


@pytest.mark.django_db
def test_allocation_and_lead_agency(stockton: Council, world: dict[str, Episode]) -> None:
    result = _months(stockton, date(2026, 10, 1), date(2026, 10, 1))
    assert _v(result, "eh_allocated_within_target_pct", stockton, OCTOBER) == (1, 3, 33.3)
    assert _v(result, "eh_led_by_partner_pct", stockton, OCTOBER) == (1, 2, 50.0)
    assert _v(result, "eh_led_by_school_pct", stockton, OCTOBER) == (1, 2, 50.0)
    assert _v(result, "eh_led_by_council_pct", stockton, OCTOBER) == (1, 2, 50.0)
    others = [k for k in OrganisationKind if k not in ("council", "school")]
    for kind in others:
        assert _v(result, f"eh_led_by_{kind.value}_pct", stockton, OCTOBER) == (0, 2, 0.0)


@pytest.mark.django_db
def test_closures_by_reason(stockton: Council, world: dict[str, Episode]) -> None:
    result = _months(stockton, date(2026, 10, 1), date(2026, 11, 1))
    assert _v(result, "eh_closure_stepped_up_pct", stockton, OCTOBER) == (1, 2, 50.0)
    assert _v(result, "eh_closure_declined_pct", stockton, OCTOBER) == (1, 2, 50.0)
    assert _v(result, "eh_closure_needs_met_pct", stockton, OCTOBER) == (0, 2, 0.0)
    assert _v(result, "eh_closure_needs_met_pct", stockton, NOVEMBER) == (1, 1, 100.0)
    for reason in ClosureReason:
        if reason not in (ClosureReason.STEPPED_UP, ClosureReason.DECLINED):
            assert _v(result, f"eh_closure_{reason.value}_pct", stockton, OCTOBER)[0] == 0


@pytest.mark.django_db
def test_assessments_on_time_and_with_the_childs_voice(
    stockton: Council, world: dict[str, Episode]
) -> None:
    # Due in October: e1 done early, e2 done late (in November), e3 never done,
    # e4 done on time on 1 October. On time: 2 of 4.
    h.assessment(world["e1"], date(2026, 10, 29), date(2026, 10, 28), voice="I like school.")
    h.assessment(world["e2"], date(2026, 10, 30), date(2026, 11, 3), observed="Smiled a lot.")
    h.assessment(world["e3"], date(2026, 10, 20), None)
    h.assessment(world["e4"], date(2026, 10, 8), date(2026, 10, 1))
    result = _months(stockton, date(2026, 10, 1), date(2026, 11, 1))
    assert _v(result, "eh_assessment_on_time_pct", stockton, OCTOBER) == (2, 4, 50.0)
    # Completed in October: e1 (voice) and e4 (none); in November: e2 (observed).
    assert _v(result, "eh_assessment_child_voice_pct", stockton, OCTOBER) == (1, 2, 50.0)
    assert _v(result, "eh_assessment_child_voice_pct", stockton, NOVEMBER) == (1, 1, 100.0)


@pytest.mark.django_db
def test_reviews_on_time(stockton: Council, world: dict[str, Episode]) -> None:
    h.plan(world["e1"], date(2026, 10, 1))
    h.plan(world["e2"], date(2026, 10, 2))
    h.review(world["e1"], date(2026, 11, 12))  # 42 days after the plan: on time
    h.review(world["e2"], date(2026, 11, 20))  # 49 days: late
    h.review(world["e1"], date(2026, 12, 20))  # 38 days after the last review: on time
    result = _months(stockton, date(2026, 11, 1), date(2026, 12, 1))
    assert _v(result, "eh_review_on_time_pct", stockton, NOVEMBER) == (1, 2, 50.0)
    assert _v(result, "eh_review_on_time_pct", stockton, DECEMBER) == (1, 1, 100.0)


@pytest.mark.django_db
def test_taf_attendance_by_agency(stockton: Council, world: dict[str, Episode]) -> None:
    h.taf_meeting(
        world["e1"],
        date(2026, 10, 14),
        [(AgencyKind.SCHOOL, True), (AgencyKind.HEALTH, False), (AgencyKind.POLICE, True)],
    )
    h.taf_meeting(
        world["e2"], date(2026, 10, 21), [(AgencyKind.SCHOOL, True), (AgencyKind.HEALTH, True)]
    )
    result = _months(stockton, date(2026, 10, 1), date(2026, 10, 1))
    assert _v(result, "eh_taf_attendance_school_pct", stockton, OCTOBER) == (2, 2, 100.0)
    assert _v(result, "eh_taf_attendance_health_pct", stockton, OCTOBER) == (1, 2, 50.0)
    assert _v(result, "eh_taf_attendance_police_pct", stockton, OCTOBER) == (1, 1, 100.0)
    for agency in AgencyKind:
        if agency not in (AgencyKind.SCHOOL, AgencyKind.HEALTH, AgencyKind.POLICE):
            code = f"eh_taf_attendance_{agency.value}_pct"
            assert _v(result, code, stockton, OCTOBER) == (0, 0, None)


@pytest.mark.django_db
def test_needs_achieved_and_outcomes_sustained(
    stockton: Council, world: dict[str, Episode]
) -> None:
    h.need_outcomes(world["e4"], [NeedOutcome.ACHIEVED, NeedOutcome.PARTLY])
    h.need_outcomes(world["e5"], [NeedOutcome.ACHIEVED, NeedOutcome.NOT_ACHIEVED])
    h.need_outcomes(world["e2"], [NeedOutcome.ACHIEVED])
    h.sustained_checks(
        world["e4"],
        date(2027, 4, 15),
        [SustainedResult.SUSTAINED, SustainedResult.NOT_SUSTAINED, SustainedResult.UNKNOWN, ""],
    )
    result = _months(stockton, date(2026, 10, 1), date(2027, 4, 1))
    assert _v(result, "eh_needs_achieved_pct", stockton, OCTOBER) == (2, 4, 50.0)
    assert _v(result, "eh_needs_achieved_pct", stockton, NOVEMBER) == (1, 1, 100.0)
    assert _v(result, "eh_sf_sustained_pct", stockton, APRIL_2027) == (1, 3, 33.3)


@pytest.mark.django_db
def test_episode_dimensions_add_up(stockton: Council, world: dict[str, Episode]) -> None:
    by_team = _months(stockton, date(2026, 10, 1), date(2026, 10, 1), dimension="team")
    code = "eh_open_per_10k"
    assert _v(by_team, code, stockton, OCTOBER, "North Early Help") == (2, 10000, 2.0)
    assert _v(by_team, code, stockton, OCTOBER, "South Early Help") == (1, 10000, 1.0)
    by_agency = _months(
        stockton, date(2026, 10, 1), date(2026, 10, 1), dimension="lead_professional_agency"
    )
    code = "eh_allocated_within_target_pct"
    council = str(OrganisationKind.COUNCIL_CHILDRENS_SERVICES.label)
    assert _v(by_agency, code, stockton, OCTOBER, council) == (1, 1, 100.0)
    assert _v(by_agency, code, stockton, OCTOBER, str(OrganisationKind.SCHOOL.label)) == (
        0,
        1,
        0.0,
    )
    assert _v(by_agency, code, stockton, OCTOBER, "Not allocated") == (0, 1, 0.0)


@pytest.mark.django_db
def test_open_episodes_by_age_band_follow_birthdays(stockton: Council) -> None:
    """A child born 15 October 2021 is 4 at the end of September 2026 and 5 at the end of
    October: the same open episode moves from "Under 5" to "5 to 9"."""
    h.population(stockton, 2026, 2500)
    h.episode(stockton, date(2026, 6, 1), children=[h.child(stockton, date(2021, 10, 15))])
    result = _months(stockton, date(2026, 9, 1), date(2026, 10, 1), dimension="age_band")
    code = "eh_open_per_10k"
    assert _v(result, code, stockton, SEPTEMBER, "Under 5") == (1, 2500, 4.0)
    assert _v(result, code, stockton, SEPTEMBER, "5 to 9") == (0, 2500, 0.0)
    assert _v(result, code, stockton, OCTOBER, "5 to 9") == (1, 2500, 4.0)
    assert _v(result, code, stockton, OCTOBER, "Under 5") == (0, 2500, 0.0)
