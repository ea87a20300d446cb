"""Recording what follows the front door's decision: the referral it opens, the section 47
enquiry, the initial conference and the assessment; what is refused, with nothing saved;
and who may record."""

from __future__ import annotations

from datetime import date, timedelta
from typing import cast

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from continuum.accounts.models import User
from continuum.errors import InvalidState, NotPermitted
from continuum.front_door.models import ContactDecision
from continuum.organisations.models import Council
from continuum.people.models import Person
from continuum.statutory import selectors, services
from continuum.statutory.choices import InvolvementKind
from continuum.statutory.models import StatutoryInvolvement
from continuum.statutory.tests.conftest import RECEIVED_DAYS_AGO
from continuum.testing import factories
from continuum.timescales.working_days import assessment_due_date, working_days_between
from continuum.timescales.working_together import icpc_due_date

pytestmark = pytest.mark.django_db


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)


def test_the_assessment_is_due_45_working_days_after_the_referral_not_the_decision(
    decision: ContactDecision,
) -> None:
    received = days_ago(RECEIVED_DAYS_AGO)
    assert decision.assessment_due_date == assessment_due_date(received)
    # Counted from the decision (as it was), it would be due later: by the working days
    # between the contact's receipt and the decision.
    gap = working_days_between(received, timezone.localdate())
    assert gap >= 3
    assert (
        working_days_between(
            decision.assessment_due_date, assessment_due_date(timezone.localdate())
        )
        == gap
    )


def test_a_decision_to_refer_opens_the_referral_from_the_day_the_contact_came(
    decision: ContactDecision, worker: User
) -> None:
    assert list(selectors.decisions_awaiting_referral(user=worker)) == [decision]
    [referral] = services.refer_from_decision(decision=decision, by=worker)
    assert referral.kind == InvolvementKind.REFERRAL
    assert referral.start_date == days_ago(RECEIVED_DAYS_AGO)
    assert referral.contact_id == decision.contact_id
    assert referral.referral_source == decision.contact.referral_source
    assert list(selectors.decisions_awaiting_referral(user=worker)) == []
    with pytest.raises(InvalidState):
        services.refer_from_decision(decision=decision, by=worker)


def test_a_section_47_sets_the_conference_target_from_the_strategy_discussion(
    referral: StatutoryInvolvement, worker: User
) -> None:
    enquiry = services.record_section_47(
        referral=referral, by=worker, start_date=days_ago(2), strategy_discussion_date=days_ago(3)
    )
    assert enquiry.icpc_target_date == icpc_due_date(days_ago(3), days_ago(2))
    conference = services.record_initial_conference(
        enquiry=enquiry, by=worker, held_on=days_ago(1), plan_made=True, abuse_category="NEG"
    )
    assert conference.enquiry == enquiry
    plan = StatutoryInvolvement.objects.get(kind=InvolvementKind.CHILD_PROTECTION_PLAN)
    assert plan.start_date == days_ago(1) and plan.abuse_category == "NEG"
    [summary] = selectors.referrals_of(user=worker, person=referral.person)
    [icpc] = [t for t in summary.timescales if t.kind == selectors.CONFERENCE]
    assert icpc.status == "In time"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"start_date": 1, "strategy_discussion_date": -1},
            "strategy_discussion_date",
            "The strategy discussion must be today or in the past.",
        ),
        (
            {"start_date": 3, "strategy_discussion_date": 2},
            "strategy_discussion_date",
            "The strategy discussion must be on or before the enquiry's start.",
        ),
        (
            {"start_date": -2, "strategy_discussion_date": None},
            "start_date",
            "The enquiry's start must be today or in the past.",
        ),
    ],
)
def test_a_bad_section_47_is_refused_and_nothing_is_saved(
    referral: StatutoryInvolvement,
    worker: User,
    fields: dict[str, int | None],
    field: str,
    message: str,
) -> None:
    before = StatutoryInvolvement.objects.count()
    with pytest.raises(ValidationError) as error:
        services.record_section_47(
            referral=referral,
            by=worker,
            **{k: (days_ago(v) if v is not None else None) for k, v in fields.items()},  # type: ignore[arg-type]
        )
    assert message in error.value.message_dict[field]
    assert StatutoryInvolvement.objects.count() == before


def test_a_conference_on_or_before_the_strategy_discussion_is_refused(
    referral: StatutoryInvolvement, worker: User
) -> None:
    enquiry = services.record_section_47(
        referral=referral, by=worker, start_date=days_ago(2), strategy_discussion_date=days_ago(3)
    )
    before = StatutoryInvolvement.objects.count()
    with pytest.raises(ValidationError) as error:
        services.record_initial_conference(
            enquiry=enquiry, by=worker, held_on=days_ago(3), plan_made=True, abuse_category=""
        )
    assert set(error.value.message_dict) == {"held_on", "abuse_category"}
    assert StatutoryInvolvement.objects.count() == before


def test_an_assessment_authorised_before_it_started_is_refused(
    referral: StatutoryInvolvement, worker: User
) -> None:
    with pytest.raises(ValidationError) as error:
        services.record_assessment(
            referral=referral, by=worker, start_date=days_ago(2), authorised_date=days_ago(3)
        )
    assert error.value.message_dict["authorised_date"] == [
        "The assessment must be authorised on or after its start."
    ]
    assessment = services.record_assessment(referral=referral, by=worker, start_date=days_ago(2))
    with pytest.raises(ValidationError):
        services.authorise_assessment(assessment=assessment, by=worker, authorised_date=days_ago(4))
    assessment.refresh_from_db()
    assert assessment.end_date is None
    services.authorise_assessment(assessment=assessment, by=worker, authorised_date=days_ago(1))
    assessment.refresh_from_db()
    assert assessment.authorised_date == days_ago(1)


def test_only_the_childs_councils_social_care_roles_record(
    referral: StatutoryInvolvement,
    eh_worker: User,
    hartlepool_manager: User,
    teacher: User,
    manager: User,
) -> None:
    for user in (eh_worker, hartlepool_manager, teacher):
        with pytest.raises(NotPermitted):
            services.record_assessment(referral=referral, by=user, start_date=days_ago(1))
    services.record_assessment(referral=referral, by=manager, start_date=days_ago(1))
    # The early help practitioner reads it; the partner and the other council do not.
    assert selectors.referrals_of(user=eh_worker, person=referral.person)
    assert not selectors.referrals_of(user=teacher, person=referral.person)
    assert not selectors.referrals_of(user=hartlepool_manager, person=referral.person)


def test_an_open_assessment_past_its_due_date_is_a_breach(
    stockton: Council, worker: User, child: Person
) -> None:
    old = cast(
        StatutoryInvolvement,
        factories.StatutoryInvolvementFactory(
            council=stockton, person=child, start_date=days_ago(120)
        ),
    )
    services.record_assessment(referral=old, by=worker, start_date=days_ago(110))
    [breach] = selectors.breaches(user=worker)
    assert breach.kind == selectors.ASSESSMENT and breach.status == "Overdue"
    assert breach.deadline.due == assessment_due_date(days_ago(120))
