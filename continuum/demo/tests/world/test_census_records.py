"""The demo's statutory records as the children in need census 2025 to 2026 wants them:
the DfE's validation rules (their codes in brackets) hold for what the generator writes,
so an export of the demo data has nothing for them to find."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import pytest

from continuum.demo.generator import World
from continuum.people.choices import Disability, Sex, UPNUnknown
from continuum.people.models import Person
from continuum.statutory.choices import (
    AbuseCategory,
    AssessmentFactor,
    InvolvementKind,
    PrimaryNeed,
    ReferralClosure,
)
from continuum.statutory.models import CensusChild, ProtectionPlanReview, StatutoryInvolvement
from continuum.timescales.months import add_months
from continuum.timescales.working_days import add_working_days, is_working_day

pytestmark = pytest.mark.django_db

Kind = InvolvementKind


def _parts() -> dict[Any, list[StatutoryInvolvement]]:
    parts: dict[Any, list[StatutoryInvolvement]] = defaultdict(list)
    for part in StatutoryInvolvement.objects.exclude(kind=Kind.REFERRAL):
        parts[part.referral_id].append(part)
    return parts


def test_a_referral_that_went_no_further_closed_on_the_day_with_rc8(demo_world: World) -> None:
    parts = _parts()
    referrals = list(StatutoryInvolvement.objects.filter(kind=Kind.REFERRAL))
    nfa = [r for r in referrals if r.referral_nfa]
    assert nfa and len(nfa) < len(referrals)
    for r in referrals:
        if r.referral_nfa:  # 8831, 8832, 4000: nothing else on it; 8610: no primary need
            assert r.end_date == r.start_date
            assert r.closure_reason == ReferralClosure.NO_FURTHER_ACTION
            assert not parts[r.pk] and r.primary_need == ""
        else:  # 8610, 8650
            assert r.primary_need in PrimaryNeed.values
            assert r.primary_need != PrimaryNeed.NOT_STATED
        if r.closure_reason in (ReferralClosure.NO_FURTHER_ACTION, ReferralClosure.STEP_DOWN):
            # 2990: closed after assessment means nothing but the assessment.
            assert {p.kind for p in parts[r.pk]} <= {Kind.ASSESSMENT}
    reasons = Counter(r.closure_reason for r in referrals if r.end_date)
    assert reasons[ReferralClosure.STEP_DOWN] > 0, reasons
    assert set(reasons) <= set(ReferralClosure.values)


def test_no_child_has_two_referrals_open_at_once_in_a_council(demo_world: World) -> None:
    spans: dict[tuple[Any, Any], list[StatutoryInvolvement]] = defaultdict(list)
    for r in StatutoryInvolvement.objects.filter(kind=Kind.REFERRAL).order_by("start_date"):
        spans[(r.council_id, r.person_id)].append(r)
    for referrals in spans.values():  # 8815, 8816, 8820
        for earlier, later in zip(referrals, referrals[1:], strict=False):
            assert earlier.end_date is not None
            assert earlier.start_date < later.start_date
            assert earlier.end_date <= later.start_date


def test_enquiries_and_conferences_keep_working_together_timescales(demo_world: World) -> None:
    enquiries = list(StatutoryInvolvement.objects.filter(kind=Kind.SECTION_47))
    conferences = list(StatutoryInvolvement.objects.filter(kind=Kind.INITIAL_CONFERENCE))
    assert enquiries and conferences
    held = defaultdict(list)
    for conference in conferences:
        enquiry = conference.enquiry
        assert enquiry is not None and enquiry.referral_id == conference.referral_id
        assert is_working_day(conference.start_date)  # 8875
        assert enquiry.start_date <= conference.start_date  # 8615
        held[enquiry.pk].append(conference)
    on_time = 0
    for enquiry in enquiries:
        discussion = enquiry.strategy_discussion_date
        assert discussion is not None and discussion <= enquiry.start_date
        assert is_working_day(discussion)
        # The conference's target: 15 working days after the strategy discussion (8870Q).
        assert enquiry.icpc_target_date == add_working_days(discussion, 15)
        assert len(held[enquiry.pk]) <= 1
        if enquiry.icpc_not_required:
            assert not held[enquiry.pk]
        elif held[enquiry.pk]:
            on_time += held[enquiry.pk][0].start_date <= enquiry.icpc_target_date
    # 8868: an enquiry in a closed referral ended with a conference or needed none.
    for enquiry in enquiries:
        if enquiry.referral.end_date is not None:  # type: ignore[union-attr]
            assert held[enquiry.pk] or enquiry.icpc_not_required
    assert 0.5 < on_time / len(conferences) < 1


def test_protection_plans_start_at_the_conference_and_are_reviewed_on_time(
    demo_world: World,
) -> None:
    parts = _parts()
    plans = list(StatutoryInvolvement.objects.filter(kind=Kind.CHILD_PROTECTION_PLAN))
    assert plans
    reviews: dict[Any, list[Any]] = defaultdict(list)
    for review in ProtectionPlanReview.objects.order_by("review_date"):
        reviews[review.plan_id].append(review.review_date)
    assert reviews
    for plan in plans:
        conferences = [p for p in parts[plan.referral_id] if p.kind == Kind.INITIAL_CONFERENCE]
        assert plan.start_date in {c.start_date for c in conferences}  # 2885
        assert plan.end_date is None or plan.end_date > plan.start_date  # 8840
        assert plan.abuse_category in AbuseCategory.values  # 8905
        assert plan.latest_abuse_category in AbuseCategory.values  # 8910
        assert plan.previous_plans is not None  # 8730
        due = add_months(plan.start_date, 3)
        for day in reviews[plan.pk]:
            assert is_working_day(day)
            assert plan.start_date < day <= due  # 8841; first within three months
            assert plan.end_date is None or day < plan.end_date
            due = add_months(day, 6)
    earlier = Counter[Any]()
    for plan in sorted(plans, key=lambda p: (p.start_date, str(p.pk))):
        assert plan.previous_plans == earlier[plan.person_id]
        earlier[plan.person_id] += 1


def test_assessments_use_the_current_factor_codes(demo_world: World) -> None:
    assessments = StatutoryInvolvement.objects.filter(kind=Kind.ASSESSMENT)
    seen: set[str] = set()
    for assessment in assessments:
        factors = assessment.factors
        assert len(factors) == len(set(factors))  # 8898
        assert set(factors) <= set(AssessmentFactor.values)
        assert "18A" not in factors and "19A" not in factors  # 8945Q, 8950Q
        if AssessmentFactor.NONE in factors:  # 8869, 8873Q
            assert factors == [AssessmentFactor.NONE]
            assert assessment.referral.closure_reason in (  # type: ignore[union-attr]
                "",
                ReferralClosure.NO_FURTHER_ACTION,
                ReferralClosure.STEP_DOWN,
            )
        # 8614: factors only for an authorised assessment (its end date).
        assert bool(factors) == (assessment.authorised_date is not None)
        seen.update(factors)
    assert {"18B", "19B", "3A"} <= seen


def test_every_referred_child_is_a_census_child(demo_world: World) -> None:
    referrals = StatutoryInvolvement.objects.filter(kind=Kind.REFERRAL)
    by_child: dict[Any, list[StatutoryInvolvement]] = defaultdict(list)
    for r in referrals:
        by_child[r.person_id].append(r)
    census = {(c.council_id, c.person_id): c for c in CensusChild.objects.all()}
    assert {(r.council_id, r.person_id) for r in referrals} == set(census)
    ids = Counter((c.council_id, c.la_child_id) for c in census.values())
    assert max(ids.values()) == 1  # 8510
    assert all(c.la_child_id.isalnum() and len(c.la_child_id) <= 10 for c in census.values())
    reasons: Counter[str] = Counter()
    for person in Person.objects.filter(pk__in=list(by_child)):
        went_further = any(not r.referral_nfa for r in by_child[person.pk])
        assert person.sex in (Sex.MALE, Sex.FEMALE, Sex.UNKNOWN)  # 4180
        assert bool(person.upn) != bool(person.upn_unknown_reason)
        reasons[person.upn_unknown_reason] += 1
        if person.upn_unknown_reason == UPNUnknown.NO_FURTHER_ACTION:  # 8772
            assert not went_further
        if went_further:  # 8540, 8790, 8794
            assert person.disabilities
            assert set(person.disabilities) <= set(Disability.values)
            assert len(set(person.disabilities)) == len(person.disabilities)
            assert person.disabilities == ["NONE"] or "NONE" not in person.disabilities
        if person.date_of_death is not None:
            assert any(
                r.closure_reason == ReferralClosure.DIED and r.end_date == person.date_of_death
                for r in by_child[person.pk]
            )
    assert reasons[UPNUnknown.UNDER_SIX] and reasons[UPNUnknown.NO_FURTHER_ACTION]
    for r in referrals.filter(closure_reason=ReferralClosure.DIED):  # 8585Q
        assert r.person.date_of_death == r.end_date
