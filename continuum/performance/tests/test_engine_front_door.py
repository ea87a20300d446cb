"""Front-door indicators against a hand-counted fixture: October 2026 in a council of
10,000 children (2,500 in each age band), so a rate per 10,000 is simply the count.

Contacts received in October 2026 (1 October is a Thursday; no bank holidays):

    #  received             decided    on time?  outcome    team   source  consent  repeat child
    1  Thu 1 Oct 00:30 BST  Fri 2 Oct  yes       eh_single  North  schools agreed   no     A (6)
    2  Fri 2 Oct            Mon 5 Oct  yes       nfa        South  police  declined no     B (2)
    3  Fri 2 Oct            Tue 6 Oct  no (late) s17        North  police  basis    no     C (14)
    4  Sat 31 Oct 23:30 GMT open, due  no        -          none   police  agreed   yes    C (14)

plus a draft (never counted) and a contact received on 1 November (not October).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import cast

import pytest
from django.utils import timezone

from continuum.front_door.choices import (
    ContactStatus,
    DashRisk,
    FamilyAgreement,
    LawfulBasis,
    NotificationStatus,
    Outcome,
    ReferralSource,
)
from continuum.front_door.models import DomesticAbuseNotification, TriageMeeting, TriageOutcome
from continuum.organisations.models import Council
from continuum.people.choices import Ethnicity
from continuum.performance import engine
from continuum.performance.periods import Period, PeriodKind
from continuum.performance.tests import engine_helpers as h
from continuum.testing import factories

OCTOBER = Period(PeriodKind.MONTH, date(2026, 10, 1), date(2026, 10, 31))
AS_OF = date(2027, 12, 1)


@pytest.fixture
def october(stockton: Council) -> Council:
    h.population(stockton, 2026, 2500)
    north = h.team(stockton, "North Front Door", "Stockton North")
    south = h.team(stockton, "South Front Door", "Stockton South")
    a = h.child(stockton, date(2020, 3, 15), Ethnicity.WBRI)
    b = h.child(stockton, date(2024, 1, 10), Ethnicity.WIRI)
    c = h.child(stockton, date(2012, 5, 1), Ethnicity.WBRI)
    h.contact(
        stockton,
        timezone.make_aware(datetime(2026, 10, 1, 0, 30)),  # 30 September 23:30 UTC
        children=[a],
        decided=h.at(date(2026, 10, 2)),
        outcome=Outcome.EARLY_HELP_SINGLE,
        team=north,
        referral_source=ReferralSource.SCHOOLS,
        family_agreement=FamilyAgreement.AGREED,
    )
    h.contact(
        stockton,
        h.at(date(2026, 10, 2)),
        children=[b],
        decided=h.at(date(2026, 10, 5)),
        outcome=Outcome.NO_FURTHER_ACTION,
        team=south,
        referral_source=ReferralSource.POLICE,
        family_agreement=FamilyAgreement.DECLINED,
    )
    h.contact(
        stockton,
        h.at(date(2026, 10, 2)),
        children=[c],
        decided=h.at(date(2026, 10, 6)),
        outcome=Outcome.SOCIAL_CARE_ASSESSMENT,
        team=north,
        referral_source=ReferralSource.POLICE,
        family_agreement=FamilyAgreement.NOT_SOUGHT,
        lawful_basis=LawfulBasis.PUBLIC_TASK,
    )
    h.contact(
        stockton,
        timezone.make_aware(datetime(2026, 10, 31, 23, 30)),
        children=[c],
        referral_source=ReferralSource.POLICE,
        is_repeat=True,
    )
    h.contact(stockton, h.at(date(2026, 10, 9)), children=[a], status=ContactStatus.DRAFT)
    h.contact(stockton, timezone.make_aware(datetime(2026, 11, 1, 0, 30)), children=[a])
    return stockton


def _october(council: Council, **kwargs: object) -> engine.Result:
    return engine.compute(
        councils=[council],
        period_kind=PeriodKind.MONTH,
        first=date(2026, 10, 1),
        last=date(2026, 10, 1),
        as_of=AS_OF,
        **kwargs,  # type: ignore[arg-type]
    )


def _value(result: engine.Result, code: str, council: Council, category: str | None = None):  # noqa: ANN202
    cell = result.get(code, council.pk, OCTOBER, category)
    assert cell is not None, (code, category)
    return cell.numerator, cell.denominator, None if cell.value is None else round(cell.value, 1)


@pytest.mark.django_db
def test_contact_indicators(october: Council) -> None:
    result = _october(october)
    assert _value(result, "fd_contacts_per_10k", october) == (4, 10000, 4.0)
    assert _value(result, "fd_decided_within_1wd_pct", october) == (2, 4, 50.0)
    assert _value(result, "fd_consent_recorded_pct", october) == (3, 4, 75.0)
    assert _value(result, "fd_repeat_contacts_pct", october) == (1, 4, 25.0)
    assert _value(result, "fd_outcome_eh_single_pct", october) == (1, 3, 33.3)
    assert _value(result, "fd_outcome_nfa_pct", october) == (1, 3, 33.3)
    assert _value(result, "fd_outcome_s17_pct", october) == (1, 3, 33.3)
    for outcome in (Outcome.STRATEGY_DISCUSSION, Outcome.INFORMATION_AND_ADVICE):
        assert _value(result, f"fd_outcome_{outcome.value}_pct", october) == (0, 3, 0.0)
    for outcome in (Outcome.SIGNPOSTING, Outcome.EARLY_HELP_MULTI):
        assert _value(result, f"fd_outcome_{outcome.value}_pct", october) == (0, 3, 0.0)
    # The outcome mix adds up to the decided contacts.
    assert sum(_value(result, f"fd_outcome_{o.value}_pct", october)[0] for o in Outcome) == 3


@pytest.mark.django_db
def test_contacts_by_team_add_up_to_the_total(october: Council) -> None:
    result = _october(october, dimension="team")
    code = "fd_decided_within_1wd_pct"
    assert _value(result, code, october, "North Front Door") == (1, 2, 50.0)
    assert _value(result, code, october, "South Front Door") == (1, 1, 100.0)
    assert _value(result, code, october, "Not known") == (0, 1, 0.0)
    assert result.categories(code) == ["North Front Door", "South Front Door", "Not known"]


@pytest.mark.django_db
def test_contacts_by_locality_and_referral_source(october: Council) -> None:
    by_place = _october(october, dimension="locality")
    assert _value(by_place, "fd_contacts_per_10k", october, "Stockton North") == (2, 10000, 2.0)
    assert _value(by_place, "fd_contacts_per_10k", october, "Stockton South") == (1, 10000, 1.0)
    by_source = _october(october, dimension="referral_source")
    police = str(ReferralSource.POLICE.label)
    schools = str(ReferralSource.SCHOOLS.label)
    assert _value(by_source, "fd_contacts_per_10k", october, police) == (3, 10000, 3.0)
    assert _value(by_source, "fd_contacts_per_10k", october, schools) == (1, 10000, 1.0)


@pytest.mark.django_db
def test_contacts_by_age_band_use_the_band_population(october: Council) -> None:
    result = _october(october, dimension="age_band")
    # Children aged 10-15: contacts 3 and 4 (child C); 2,500 children in the band.
    assert _value(result, "fd_contacts_per_10k", october, "10 to 15") == (2, 2500, 8.0)
    assert _value(result, "fd_contacts_per_10k", october, "5 to 9") == (1, 2500, 4.0)
    assert _value(result, "fd_contacts_per_10k", october, "Under 5") == (1, 2500, 4.0)
    assert _value(result, "fd_repeat_contacts_pct", october, "10 to 15") == (1, 2, 50.0)


@pytest.mark.django_db
def test_contacts_by_ethnicity_of_the_youngest_child(stockton: Council) -> None:
    h.population(stockton, 2026, 2500)
    older = h.child(stockton, date(2012, 1, 1), Ethnicity.WBRI)
    younger = h.child(stockton, date(2022, 1, 1), Ethnicity.WIRI)
    h.contact(stockton, h.at(date(2026, 10, 5)), children=[older, younger])
    h.contact(stockton, h.at(date(2026, 10, 6)), children=[older])
    result = _october(stockton, dimension="ethnicity")
    irish = str(Ethnicity.WIRI.label)
    british = str(Ethnicity.WBRI.label)
    assert _value(result, "fd_contacts_per_10k", stockton, irish) == (1, 10000, 1.0)
    assert _value(result, "fd_contacts_per_10k", stockton, british) == (1, 10000, 1.0)
    assert _value(result, "fd_contacts_per_10k", stockton) == (2, 10000, 2.0)


@pytest.mark.django_db
def test_decision_due_dates_skip_bank_holidays(stockton: Council) -> None:
    """Received Friday 28 August 2026: due Tuesday 1 September (31 August is a bank holiday)."""
    someone = h.child(stockton, date(2020, 1, 1))
    h.contact(stockton, h.at(date(2026, 8, 28)), children=[someone], decided=h.at(date(2026, 9, 1)))
    h.contact(stockton, h.at(date(2026, 8, 28)), children=[someone], decided=h.at(date(2026, 9, 2)))
    # Received on Saturday 29 August: day 0 is Tuesday 1 September, due Wednesday.
    h.contact(stockton, h.at(date(2026, 8, 29)), children=[someone], decided=h.at(date(2026, 9, 2)))
    result = engine.compute(
        councils=[stockton],
        period_kind=PeriodKind.MONTH,
        first=date(2026, 8, 1),
        last=date(2026, 8, 1),
        indicators=["fd_decided_within_1wd_pct"],
        as_of=AS_OF,
    )
    august = Period(PeriodKind.MONTH, date(2026, 8, 1), date(2026, 8, 31))
    cell = result.get("fd_decided_within_1wd_pct", stockton.pk, august)
    assert cell is not None
    assert (cell.numerator, cell.denominator) == (2, 3)


@pytest.mark.django_db
def test_contacts_not_yet_due_are_left_out(stockton: Council) -> None:
    someone = h.child(stockton, date(2020, 1, 1))
    # Friday 30 October: due Monday 2 November. On 2 November it is not yet late.
    h.contact(stockton, h.at(date(2026, 10, 30)), children=[someone])
    h.contact(
        stockton, h.at(date(2026, 10, 1)), children=[someone], decided=h.at(date(2026, 10, 2))
    )
    result = _october(stockton, indicators=["fd_decided_within_1wd_pct"])
    assert _value(result, "fd_decided_within_1wd_pct", stockton)[:2] == (1, 2)
    early = engine.compute(
        councils=[stockton],
        period_kind=PeriodKind.MONTH,
        first=date(2026, 10, 1),
        last=date(2026, 10, 1),
        indicators=["fd_decided_within_1wd_pct"],
        as_of=date(2026, 11, 2),
    )
    assert _value(early, "fd_decided_within_1wd_pct", stockton) == (1, 1, 100.0)


@pytest.fixture
def notifications(stockton: Council) -> Council:
    """n1: Thu 1 Oct, triaged Fri 2 Oct (on time), high risk, MARAC referral.
    n2: Fri 2 Oct, triaged Tue 6 Oct (late), high risk, no MARAC referral.
    n3: Mon 5 Oct, still awaiting triage (late), standard risk."""
    meeting = cast(
        TriageMeeting,
        factories.TriageMeetingFactory(council=stockton, held_at=h.at(date(2026, 10, 2))),
    )
    chair = meeting.chaired_by
    for received, triaged, risk, marac in [
        (date(2026, 10, 1), date(2026, 10, 2), DashRisk.HIGH, True),
        (date(2026, 10, 2), date(2026, 10, 6), DashRisk.HIGH, False),
        (date(2026, 10, 5), None, DashRisk.STANDARD, False),
    ]:
        notification = cast(
            DomesticAbuseNotification,
            factories.NotificationFactory(
                council=stockton, received_at=h.at(received), dash_risk=risk
            ),
        )
        if triaged is not None:
            notification.status = NotificationStatus.TRIAGED
            notification.save(update_fields=["status"])
            TriageOutcome.objects.create(
                notification=notification,
                meeting=meeting,
                safety_planning="Safety plan agreed.",
                marac_referral=marac,
                recorded_by=chair,
                recorded_at=h.at(triaged),
            )
    return stockton


@pytest.mark.django_db
def test_domestic_abuse_notification_indicators(notifications: Council) -> None:
    result = _october(notifications)
    assert _value(result, "fd_da_triaged_within_1wd_pct", notifications) == (1, 3, 33.3)
    assert _value(result, "fd_da_high_risk_marac_pct", notifications) == (1, 2, 50.0)
