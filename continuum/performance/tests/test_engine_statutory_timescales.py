"""The Working Together timescale indicators against a hand-built world (Stockton):

Assessments authorised in October 2026 (45 working days after the referral):
    a1 referral 1 Jul 2026 (due 3 Sep), authorised 1 Sep  -> in time  (September)
    a2 referral Saturday 1 Aug 2026 (due 5 Oct), authorised 2 Oct  -> in time  (October)
    a3 referral 1 Aug 2026 (due 5 Oct), authorised 6 Oct  -> late     (October)
    a4 referral 1 Aug 2026, not authorised                -> not counted
    a5..a9 five more in October, referral 20 Aug (due 23 Oct), authorised 20 Oct -> in time
Initial conferences held in October 2026 (15 working days after the strategy discussion):
    c1 strategy discussion 1 Oct (due 22 Oct), held 22 Oct -> in time
    c2 no strategy discussion, enquiry 1 Oct (due 22 Oct), held 23 Oct -> late
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.test import Client

from continuum.accounts.models import User
from continuum.organisations.models import Council
from continuum.performance import disclosure, engine
from continuum.performance.periods import Period, PeriodKind
from continuum.performance.tests import engine_helpers as h
from continuum.statutory.choices import InvolvementKind
from continuum.statutory.models import StatutoryInvolvement

SEPTEMBER = Period(PeriodKind.MONTH, date(2026, 9, 1), date(2026, 9, 30))
OCTOBER = Period(PeriodKind.MONTH, date(2026, 10, 1), date(2026, 10, 31))
CODES = ["im_assessment_within_45wd_pct", "im_icpc_within_15wd_pct"]


def assessment(council: Council, referred: date, authorised: date | None) -> None:
    referral = h.referral(council, h.child(council, date(2018, 5, 1)), referred)
    h.part(referral, InvolvementKind.ASSESSMENT, referred, authorised)


def conference(council: Council, discussed: date | None, started: date, held: date) -> None:
    referral = h.referral(council, h.child(council, date(2018, 5, 1)), date(2026, 9, 1))
    enquiry = StatutoryInvolvement.objects.create(
        council=council,
        person=referral.person,
        kind=InvolvementKind.SECTION_47,
        referral=referral,
        start_date=started,
        strategy_discussion_date=discussed,
    )
    StatutoryInvolvement.objects.create(
        council=council,
        person=referral.person,
        kind=InvolvementKind.INITIAL_CONFERENCE,
        referral=referral,
        enquiry=enquiry,
        start_date=held,
        end_date=held,
    )


@pytest.fixture
def world(stockton: Council) -> Council:
    assessment(stockton, date(2026, 7, 1), date(2026, 9, 1))
    assessment(stockton, date(2026, 8, 1), date(2026, 10, 2))
    assessment(stockton, date(2026, 8, 1), date(2026, 10, 6))
    assessment(stockton, date(2026, 8, 1), None)
    for _ in range(5):
        assessment(stockton, date(2026, 8, 20), date(2026, 10, 20))
    conference(stockton, date(2026, 10, 1), date(2026, 10, 2), date(2026, 10, 22))
    conference(stockton, None, date(2026, 10, 1), date(2026, 10, 23))
    return stockton


def cell(
    result: engine.Result,
    code: str,
    council: Council,
    period: Period,
    category: str | None = None,
) -> engine.Cell:
    found = result.get(code, council.pk, period, category)
    assert found is not None
    return found


@pytest.mark.django_db
def test_assessments_and_conferences_in_time_by_council_and_month(world: Council) -> None:
    result = engine.compute(
        councils=[world],
        period_kind=PeriodKind.MONTH,
        first=date(2026, 9, 1),
        last=date(2026, 10, 1),
        indicators=CODES,
        as_of=date(2026, 12, 1),
    )
    october = cell(result, "im_assessment_within_45wd_pct", world, OCTOBER)
    assert (october.numerator, october.denominator) == (6, 7)
    assert round(october.value or 0, 1) == 85.7
    september = cell(result, "im_assessment_within_45wd_pct", world, SEPTEMBER)
    assert (september.numerator, september.denominator) == (1, 1)
    icpc = cell(result, "im_icpc_within_15wd_pct", world, OCTOBER)
    assert (icpc.numerator, icpc.denominator, icpc.value) == (1, 2, 50.0)

    # Published, the small counts are suppressed; seven assessments with six in time are not.
    published = disclosure.protect(result)
    assert cell(published, "im_icpc_within_15wd_pct", world, OCTOBER).suppressed
    assert cell(published, "im_assessment_within_45wd_pct", world, SEPTEMBER).suppressed
    shown = cell(published, "im_assessment_within_45wd_pct", world, OCTOBER)
    assert not shown.suppressed and shown.numerator == 6


@pytest.mark.django_db
def test_split_by_referral_source(world: Council) -> None:
    result = engine.compute(
        councils=[world],
        period_kind=PeriodKind.MONTH,
        first=date(2026, 10, 1),
        last=date(2026, 10, 1),
        indicators=CODES,
        dimension="referral_source",
        as_of=date(2026, 12, 1),
    )
    categories = result.categories("im_assessment_within_45wd_pct")
    assert categories  # every record without a source counts under "Not known"
    total = sum(
        cell(result, "im_assessment_within_45wd_pct", world, OCTOBER, c).denominator or 0
        for c in categories
    )
    assert total == 7


@pytest.mark.django_db
def test_the_api_publishes_them_through_disclosure_control(
    world: Council, analyst: User, client: Client
) -> None:
    client.force_login(analyst)
    catalogue = client.get("/api/v1/indicators").json()
    listed = json.dumps(catalogue)
    assert all(code in listed for code in CODES)
    answer = client.get(
        "/api/v1/indicators/im_assessment_within_45wd_pct/values",
        {"council": "808", "from": "2026-09", "to": "2026-10", "period": "month"},
    )
    assert answer.status_code == 200, answer.content
    values = {v["period_start"]: v for v in answer.json()["values"]}
    # September: one assessment, suppressed; October: six of seven in time.
    assert values["2026-09-01"]["numerator"] is None and values["2026-09-01"]["suppressed"]
    assert (values["2026-10-01"]["numerator"], values["2026-10-01"]["denominator"]) == (6, 7)
