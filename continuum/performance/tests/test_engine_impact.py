"""Impact indicators against hand-counted fixtures in a council of 10,000 children.

After early help: episodes closed in October 2026 with three children between them.
    D  (episode e4, closed 15 Oct): referred to social care 1 Nov 2026 -> stepped up
    E  (episode e5, closed 31 Oct): named on a contact 1 Mar 2027     -> back at the door
    F  (episode e5): referred on 2 Nov 2027, after the 365 days       -> neither
Statutory stocks (open at the end of the month):
    r1 child G: referral from 1 Mar 2026, open; CP plan 1 Jun - 31 Oct 2026
    r2 child H: referral 10 Oct - 5 Dec 2026; looked after from 20 Oct 2026
    r3 child I: referral 1 Jan 2025 - 30 Sep 2026
"""

from __future__ import annotations

from datetime import date

import pytest

from continuum.early_help.choices import ClosureReason
from continuum.front_door.choices import ReferralSource
from continuum.organisations.models import Council
from continuum.people.choices import Ethnicity
from continuum.performance import engine
from continuum.performance.periods import Period, PeriodKind
from continuum.performance.tests import engine_helpers as h
from continuum.statutory.choices import InvolvementKind

AUGUST = Period(PeriodKind.MONTH, date(2026, 8, 1), date(2026, 8, 31))
SEPTEMBER = Period(PeriodKind.MONTH, date(2026, 9, 1), date(2026, 9, 30))
OCTOBER = Period(PeriodKind.MONTH, date(2026, 10, 1), date(2026, 10, 31))


def _v(
    result: engine.Result, code: str, council: Council, period: Period, category: str | None = None
) -> tuple[float | None, float | None, float | None]:
    cell = result.get(code, council.pk, period, category)
    assert cell is not None, (code, period, category)
    return cell.numerator, cell.denominator, None if cell.value is None else round(cell.value, 1)


@pytest.fixture
def closed_in_october(stockton: Council) -> Council:
    d = h.child(stockton, date(2016, 2, 1), Ethnicity.WBRI)
    e = h.child(stockton, date(2015, 1, 1), Ethnicity.WIRI)
    f = h.child(stockton, date(2019, 1, 1), Ethnicity.WIRI)
    h.episode(
        stockton,
        date(2026, 9, 10),
        children=[d],
        allocated=date(2026, 9, 11),
        end=date(2026, 10, 15),
        closure_reason=ClosureReason.STEPPED_UP,
    )
    h.episode(
        stockton,
        date(2026, 1, 1),
        children=[e, f],
        allocated=date(2026, 1, 2),
        end=date(2026, 10, 31),
        closure_reason=ClosureReason.DECLINED,
    )
    h.referral(stockton, d, date(2026, 11, 1))
    h.contact(stockton, h.at(date(2027, 3, 1)), children=[e])
    h.referral(stockton, f, date(2027, 11, 2))
    return stockton


@pytest.mark.django_db
def test_after_early_help_closes(closed_in_october: Council) -> None:
    council = closed_in_october
    result = engine.compute(
        councils=[council],
        period_kind=PeriodKind.MONTH,
        first=date(2026, 10, 1),
        last=date(2026, 10, 1),
        indicators=["im_stepped_up_within_12m_pct", "im_back_at_front_door_within_12m_pct"],
        as_of=date(2027, 12, 1),
    )
    assert _v(result, "im_stepped_up_within_12m_pct", council, OCTOBER) == (1, 3, 33.3)
    assert _v(result, "im_back_at_front_door_within_12m_pct", council, OCTOBER) == (1, 3, 33.3)


@pytest.mark.django_db
def test_after_early_help_by_the_childs_ethnicity(closed_in_october: Council) -> None:
    council = closed_in_october
    result = engine.compute(
        councils=[council],
        period_kind=PeriodKind.MONTH,
        first=date(2026, 10, 1),
        last=date(2026, 10, 1),
        indicators=["im_stepped_up_within_12m_pct"],
        dimension="ethnicity",
        as_of=date(2027, 12, 1),
    )
    code = "im_stepped_up_within_12m_pct"
    assert _v(result, code, council, OCTOBER, str(Ethnicity.WBRI.label)) == (1, 1, 100.0)
    assert _v(result, code, council, OCTOBER, str(Ethnicity.WIRI.label)) == (0, 2, 0.0)


@pytest.mark.django_db
def test_no_value_until_the_follow_up_year_has_passed(closed_in_october: Council) -> None:
    council = closed_in_october
    result = engine.compute(
        councils=[council],
        period_kind=PeriodKind.MONTH,
        first=date(2026, 10, 1),
        last=date(2026, 10, 1),
        indicators=["im_stepped_up_within_12m_pct"],
        as_of=date(2027, 6, 1),
    )
    assert _v(result, "im_stepped_up_within_12m_pct", council, OCTOBER) == (1, 3, None)


@pytest.fixture
def statutory(stockton: Council) -> Council:
    h.population(stockton, 2026, 2500)
    g = h.child(stockton, date(2021, 10, 15), Ethnicity.WBRI)
    r1 = h.referral(stockton, g, date(2026, 3, 1), source=ReferralSource.SCHOOLS)
    h.part(r1, InvolvementKind.CHILD_PROTECTION_PLAN, date(2026, 6, 1), date(2026, 10, 31))
    r2 = h.referral(
        stockton,
        h.child(stockton, date(2010, 1, 1), Ethnicity.WIRI),
        date(2026, 10, 10),
        date(2026, 12, 5),
        source=ReferralSource.POLICE,
    )
    h.part(r2, InvolvementKind.LOOKED_AFTER, date(2026, 10, 20))
    h.referral(
        stockton,
        h.child(stockton, date(2012, 1, 1)),
        date(2025, 1, 1),
        date(2026, 9, 30),
        source=ReferralSource.POLICE,
    )
    return stockton


@pytest.mark.django_db
def test_statutory_rates_are_stocks_at_the_end_of_the_period(statutory: Council) -> None:
    result = engine.compute(
        councils=[statutory],
        period_kind=PeriodKind.MONTH,
        first=date(2026, 8, 1),
        last=date(2026, 10, 1),
        indicators=["im_cin_per_10k", "im_cp_per_10k", "im_looked_after_per_10k"],
    )
    assert _v(result, "im_cin_per_10k", statutory, AUGUST) == (2, 10000, 2.0)
    assert _v(result, "im_cin_per_10k", statutory, SEPTEMBER) == (1, 10000, 1.0)
    assert _v(result, "im_cin_per_10k", statutory, OCTOBER) == (2, 10000, 2.0)
    assert _v(result, "im_cp_per_10k", statutory, SEPTEMBER) == (1, 10000, 1.0)
    assert _v(result, "im_cp_per_10k", statutory, OCTOBER) == (0, 10000, 0.0)
    assert _v(result, "im_looked_after_per_10k", statutory, SEPTEMBER) == (0, 10000, 0.0)
    assert _v(result, "im_looked_after_per_10k", statutory, OCTOBER) == (1, 10000, 1.0)
    quarter = engine.compute(
        councils=[statutory],
        period_kind=PeriodKind.QUARTER,
        first=date(2026, 9, 1),
        last=date(2026, 9, 1),
        indicators=["im_cin_per_10k"],
    )
    q2 = Period(PeriodKind.QUARTER, date(2026, 7, 1), date(2026, 9, 30))
    assert _v(quarter, "im_cin_per_10k", statutory, q2) == (1, 10000, 1.0)


@pytest.mark.django_db
def test_statutory_stocks_by_referral_source_and_age_band(statutory: Council) -> None:
    by_source = engine.compute(
        councils=[statutory],
        period_kind=PeriodKind.MONTH,
        first=date(2026, 10, 1),
        last=date(2026, 10, 1),
        indicators=["im_cin_per_10k", "im_looked_after_per_10k"],
        dimension="referral_source",
    )
    police = str(ReferralSource.POLICE.label)
    schools = str(ReferralSource.SCHOOLS.label)
    assert _v(by_source, "im_cin_per_10k", statutory, OCTOBER, police) == (1, 10000, 1.0)
    assert _v(by_source, "im_cin_per_10k", statutory, OCTOBER, schools) == (1, 10000, 1.0)
    # A period of care takes its referral's source.
    assert _v(by_source, "im_looked_after_per_10k", statutory, OCTOBER, police) == (1, 10000, 1.0)
    by_age = engine.compute(
        councils=[statutory],
        period_kind=PeriodKind.MONTH,
        first=date(2026, 9, 1),
        last=date(2026, 10, 1),
        indicators=["im_cin_per_10k"],
        dimension="age_band",
    )
    # G turns 5 on 15 October 2026.
    assert _v(by_age, "im_cin_per_10k", statutory, SEPTEMBER, "Under 5") == (1, 2500, 4.0)
    assert _v(by_age, "im_cin_per_10k", statutory, OCTOBER, "5 to 9") == (1, 2500, 4.0)
    assert _v(by_age, "im_cin_per_10k", statutory, OCTOBER, "16 and 17") == (1, 2500, 4.0)
