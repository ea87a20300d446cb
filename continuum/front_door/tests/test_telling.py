"""Who the front door tells (issue 12): the referrer when their contact arrives and when it
is decided (after sign-off, where it needs one), and the council's team managers when a
decision waits for their sign-off. Each notification links to the contact and its email
names no one."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from continuum.accounts.models import Role, User
from continuum.front_door import services
from continuum.front_door.choices import Outcome
from continuum.front_door.models import Contact, ContactDecision
from continuum.front_door.tests.contacts_support import in_screening, indicator, submitted_contact
from continuum.notifications.models import Email, Notification, NotificationKind
from continuum.organisations.models import Council
from continuum.people.models import Person

pytestmark = pytest.mark.django_db


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


def kinds_for(user: User) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user)
        .order_by("created_at")
        .values_list("kind", flat=True)
    )


def test_a_partner_referrer_is_told_their_contact_arrived_and_then_its_outcome(
    teacher: User, worker: User, stockton: Council, child: Person
) -> None:
    contact = submitted_contact(by=teacher, council=stockton, children=[child])
    assert kinds_for(teacher) == [NotificationKind.ACKNOWLEDGEMENT]
    notification = Notification.objects.get(recipient=teacher)
    assert notification.link == reverse("front_door:contact", args=[contact.pk])
    _decide(in_screening(contact, by=worker), by=worker)
    assert kinds_for(teacher) == [NotificationKind.ACKNOWLEDGEMENT, NotificationKind.OUTCOME]
    # The emails say what happened and link to the contact, naming no one.
    for email in Email.objects.filter(recipient=teacher):
        assert child.family_name not in email.sentence and child.given_name not in email.sentence
        assert email.link.endswith(notification.link)
    assert not Notification.objects.filter(recipient=worker).exists()


def test_a_contact_the_front_door_took_by_phone_acknowledges_no_one(
    worker: User, stockton: Council, child: Person
) -> None:
    submitted_contact(by=worker, council=stockton, children=[child])
    assert not Notification.objects.exists()


def test_a_decision_waiting_for_sign_off_tells_the_councils_managers_then_the_outcome_goes_out(
    teacher: User,
    worker: User,
    manager: User,
    hartlepool_manager: User,
    stockton: Council,
    child: Person,
) -> None:
    contact = submitted_contact(
        by=teacher, council=stockton, children=[child], indicator_codes=(indicator(3).code,)
    )
    decision = _decide(
        in_screening(contact, by=worker),
        by=worker,
        level=1,
        indicator_codes=[indicator(3).code],
        outcome=Outcome.NO_FURTHER_ACTION,
        rationale="Concerns resolved with the family.",
        difference_reason="The school has since met the family.",
    )
    assert decision.awaiting_sign_off
    assert kinds_for(manager) == [NotificationKind.SIGN_OFF]
    assert not Notification.objects.filter(recipient=hartlepool_manager).exists()
    # Not decided yet: the referrer has only the acknowledgement.
    assert kinds_for(teacher) == [NotificationKind.ACKNOWLEDGEMENT]
    services.sign_off_decision(decision=decision, manager=manager)
    assert kinds_for(teacher)[-1] == NotificationKind.OUTCOME


def test_a_manager_deciding_needs_no_sign_off_and_tells_no_manager(
    manager: User, make_user: Any, stockton: Council, child: Person
) -> None:
    other_manager = make_user(Role.TEAM_MANAGER, council=stockton, username="manager.two")
    contact = submitted_contact(
        by=manager, council=stockton, children=[child], indicator_codes=(indicator(3).code,)
    )
    _decide(
        in_screening(contact, by=manager),
        by=manager,
        level=1,
        indicator_codes=[indicator(3).code],
        outcome=Outcome.NO_FURTHER_ACTION,
        rationale="Concerns resolved with the family.",
        difference_reason="The school has since met the family.",
    )
    assert not Notification.objects.filter(recipient=other_manager).exists()
