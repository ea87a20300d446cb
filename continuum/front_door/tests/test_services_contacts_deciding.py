"""The rules of screening and deciding a contact: the workflow, the threshold decision,
manager sign-off, and the referrer's sight of the child afterwards."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import User
from continuum.errors import ConcurrentChange, InvalidState, NotPermitted
from continuum.front_door import services
from continuum.front_door.choices import ContactStatus, Outcome
from continuum.front_door.models import Contact, ContactDecision
from continuum.front_door.tests.contacts_support import (
    in_screening,
    indicator,
    no_consent,
    submitted_contact,
)
from continuum.organisations.models import Council
from continuum.people.models import Person


def _decide(contact: Contact, *, by: User, **overrides: Any) -> ContactDecision:
    contact.refresh_from_db()
    arguments: dict[str, Any] = {
        "level": 2,
        "indicator_codes": [indicator(2).code],
        "outcome": Outcome.EARLY_HELP_SINGLE,
        "rationale": "School can lead with support from the family hub.",
    }
    arguments.update(overrides)
    return services.decide_contact(
        contact=contact, by=by, expected_version=contact.version, **arguments
    )


# --- the workflow ------------------------------------------------------------------------


def test_each_status_change_is_recorded_with_who_and_when(screening: Contact, worker: User) -> None:
    services.change_status(
        contact=screening,
        to_status=ContactStatus.AWAITING_INFORMATION,
        by=worker,
        expected_version=screening.version,
        note="Asked the school for this term's attendance.",
    )
    changes = list(screening.status_changes.values_list("from_status", "to_status", "changed_by"))
    assert changes == [
        ("", ContactStatus.DRAFT, worker.pk),
        (ContactStatus.DRAFT, ContactStatus.SUBMITTED, worker.pk),
        (ContactStatus.SUBMITTED, ContactStatus.IN_SCREENING, worker.pk),
        (ContactStatus.IN_SCREENING, ContactStatus.AWAITING_INFORMATION, worker.pk),
    ]


@pytest.mark.parametrize(
    ("to_status", "message"),
    [
        (ContactStatus.CLOSED, "A contact that is submitted cannot be moved to closed."),
        (ContactStatus.AWAITING_INFORMATION, "cannot be moved to awaiting information"),
        (ContactStatus.DECIDED, "by recording the threshold decision"),
        (ContactStatus.DRAFT, "cannot be moved to draft"),
        ("archived", "Unknown status 'archived'."),
    ],
)
def test_an_invalid_transition_is_refused_with_a_clear_error(
    contact: Contact, worker: User, to_status: str, message: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.change_status(
            contact=contact, to_status=to_status, by=worker, expected_version=contact.version
        )
    assert message in refused.value.message_dict["status"][0]
    contact.refresh_from_db()
    assert contact.status == ContactStatus.SUBMITTED


def test_a_draft_cannot_be_moved_to_submitted_without_the_consent_check(
    teacher: User, stockton: Council, child: Person
) -> None:
    draft = services.record_contact(
        recorded_by=teacher, council=stockton, details=no_consent(), children=[child]
    )
    with pytest.raises(ValidationError) as refused:
        services.change_status(
            contact=draft,
            to_status=ContactStatus.SUBMITTED,
            by=teacher,
            expected_version=draft.version,
        )
    assert "submitting it" in refused.value.message_dict["status"][0]
    draft.refresh_from_db()
    assert draft.status == ContactStatus.DRAFT


def test_requesting_information_needs_a_note(screening: Contact, worker: User) -> None:
    with pytest.raises(ValidationError) as refused:
        services.change_status(
            contact=screening,
            to_status=ContactStatus.AWAITING_INFORMATION,
            by=worker,
            expected_version=screening.version,
            note="  ",
        )
    assert "note" in refused.value.message_dict


# --- the decision ------------------------------------------------------------------------


def test_a_decision_moves_the_contact_to_decided(screening: Contact, worker: User) -> None:
    decision = _decide(screening, by=worker)
    screening.refresh_from_db()
    assert screening.status == ContactStatus.DECIDED
    assert screening.decided_at == decision.decided_at
    assert decision.suggested_level == 2
    assert list(decision.indicators.all()) == [indicator(2)]


def test_a_decision_needs_screening_to_have_started(contact: Contact, worker: User) -> None:
    with pytest.raises(InvalidState) as refused:
        _decide(contact, by=worker)
    assert "start screening" in refused.value.message


def test_a_decision_without_indicators_is_refused(screening: Contact, worker: User) -> None:
    with pytest.raises(ValidationError) as refused:
        _decide(screening, by=worker, indicator_codes=[])
    assert "indicators" in refused.value.message_dict
    assert not ContactDecision.objects.exists()
    screening.refresh_from_db()
    assert screening.status == ContactStatus.IN_SCREENING


def test_an_outcome_contradicting_the_level_is_refused(screening: Contact, worker: User) -> None:
    with pytest.raises(ValidationError) as refused:
        _decide(
            screening,
            by=worker,
            level=1,
            indicator_codes=[indicator(1).code],
            outcome=Outcome.STRATEGY_DISCUSSION,
        )
    assert refused.value.message_dict["outcome"] == [
        "Strategy discussion (s47) does not fit level 1: it is for level 4."
    ]
    assert not ContactDecision.objects.exists()


def test_a_level_other_than_the_suggestion_needs_a_reason(screening: Contact, worker: User) -> None:
    with pytest.raises(ValidationError) as refused:
        _decide(screening, by=worker, level=3, outcome=Outcome.EARLY_HELP_MULTI)
    assert refused.value.message_dict["difference_reason"] == [
        "The framework suggests level 2; explain why you chose level 3."
    ]
    decision = _decide(
        screening,
        by=worker,
        level=3,
        outcome=Outcome.EARLY_HELP_MULTI,
        difference_reason="Three agencies already involved; needs a lead professional.",
    )
    assert decision.level == 3
    assert decision.suggested_level == 2


def test_a_second_decision_is_refused(screening: Contact, worker: User) -> None:
    first = _decide(screening, by=worker)
    with pytest.raises(InvalidState) as refused:
        _decide(screening, by=worker, outcome=Outcome.SIGNPOSTING)
    assert refused.value.message == "This contact already has a decision."
    assert ContactDecision.objects.get().pk == first.pk


def test_a_decision_on_a_stale_version_is_refused_never_overwriting(
    screening: Contact, worker: User, manager: User
) -> None:
    # Two people open the contact at the same version; the worker asks for information.
    seen_by_manager = Contact.objects.get(pk=screening.pk)
    services.change_status(
        contact=screening,
        to_status=ContactStatus.AWAITING_INFORMATION,
        by=worker,
        expected_version=screening.version,
        note="Asked the GP about the last appointment.",
    )
    with pytest.raises(ConcurrentChange) as refused:
        services.decide_contact(
            contact=seen_by_manager,
            by=manager,
            expected_version=seen_by_manager.version,
            level=1,
            indicator_codes=[indicator(1).code],
            outcome=Outcome.SIGNPOSTING,
            rationale="Universal services are enough.",
        )
    assert "Nothing was saved" in str(refused.value)
    assert not ContactDecision.objects.exists()
    screening.refresh_from_db()
    assert screening.status == ContactStatus.AWAITING_INFORMATION


def test_a_status_change_on_a_stale_version_is_refused(screening: Contact, worker: User) -> None:
    with pytest.raises(ConcurrentChange):
        services.change_status(
            contact=screening,
            to_status=ContactStatus.AWAITING_INFORMATION,
            by=worker,
            expected_version=screening.version - 1,
            note="Waiting for the GP.",
        )


def test_no_further_action_with_a_level_3_indicator_waits_for_a_manager(
    screening: Contact, worker: User, manager: User
) -> None:
    decision = _decide(
        screening,
        by=worker,
        level=2,
        indicator_codes=[indicator(3).code],
        outcome=Outcome.NO_FURTHER_ACTION,
        difference_reason="Family already engaged with the school's support.",
    )
    assert decision.awaiting_sign_off
    screening.refresh_from_db()
    assert screening.status == ContactStatus.IN_SCREENING
    assert screening.decided_at is None

    with pytest.raises(NotPermitted):
        services.sign_off_decision(decision=decision, manager=worker)

    services.sign_off_decision(decision=decision, manager=manager)
    decision.refresh_from_db()
    screening.refresh_from_db()
    assert decision.signed_off_by == manager
    assert not decision.awaiting_sign_off
    assert screening.status == ContactStatus.DECIDED
    assert screening.decided_at == decision.signed_off_at


def test_a_social_care_assessment_is_due_45_working_days_after_the_referral(
    screening: Contact, worker: User
) -> None:
    """Counted from the day the contact (the referral) was received, not from the decision
    (issue 11): received Monday 2 March 2026, decided Wednesday 4 March."""
    zone = timezone.get_current_timezone()
    Contact.objects.filter(pk=screening.pk).update(
        received_at=datetime(2026, 3, 2, 9, 0, tzinfo=zone)
    )
    with time_machine.travel(datetime(2026, 3, 4, 10, 0, tzinfo=zone)):
        contact = Contact.objects.get(pk=screening.pk)
        decision = _decide(
            contact,
            by=worker,
            level=4,
            indicator_codes=[indicator(4).code],
            outcome=Outcome.SOCIAL_CARE_ASSESSMENT,
        )
    # 45 working days after Monday 2 March 2026, skipping Good Friday and Easter Monday;
    # counted from the decision it would have been Monday 11 May.
    assert decision.assessment_due_date == datetime(2026, 5, 7).date()


# --- the referrer's sight of the child ---------------------------------------------------


def test_the_referrer_sees_the_child_until_28_days_after_the_decision(
    teacher: User, worker: User, stockton: Council, child: Person
) -> None:
    assert not policy.visible(teacher, Person).filter(pk=child.pk).exists()
    contact = submitted_contact(by=teacher, council=stockton, children=[child])
    assert contact.referrer_user == teacher
    assert policy.visible(teacher, Person).filter(pk=child.pk).exists()

    contact = in_screening(contact, by=worker)
    decided_at = timezone.now()
    with time_machine.travel(decided_at, tick=False):
        _decide(contact, by=worker)
    with time_machine.travel(decided_at + timedelta(days=27)):
        assert policy.visible(teacher, Person).filter(pk=child.pk).exists()
    with time_machine.travel(decided_at + timedelta(days=28, minutes=1)):
        assert not policy.visible(teacher, Person).filter(pk=child.pk).exists()
        # The contact itself, and its outcome, stay visible to the referrer.
        assert policy.visible(teacher, Contact).filter(pk=contact.pk).exists()


def test_two_workers_starting_on_one_contact_the_second_is_told_a_colleague_got_there_first(
    contact: Contact, worker: User, colleague: User
) -> None:
    # Both open the submitted contact at the same version; the worker starts screening first.
    seen = contact.version
    services.change_status(
        contact=contact, to_status=ContactStatus.IN_SCREENING, by=worker, expected_version=seen
    )
    # The colleague's request reads the contact as it now is, with the version they saw.
    as_now = Contact.objects.get(pk=contact.pk)
    changes = as_now.status_changes.count()
    with pytest.raises(ConcurrentChange) as refused:
        services.change_status(
            contact=as_now,
            to_status=ContactStatus.IN_SCREENING,
            by=colleague,
            expected_version=seen,
        )
    assert "Nothing was saved" in str(refused.value)
    as_now.refresh_from_db()
    assert as_now.status == ContactStatus.IN_SCREENING
    assert as_now.status_changes.count() == changes
    assert as_now.version == seen + 1
