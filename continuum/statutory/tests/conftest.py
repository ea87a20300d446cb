"""Records for the statutory tests: a contact the front door decided to refer to
children's social care, received some days before its decision."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from continuum.accounts.models import User
from continuum.front_door import services as front_door
from continuum.front_door.choices import Outcome
from continuum.front_door.models import ContactDecision
from continuum.front_door.tests.contacts_support import in_screening, indicator, submitted_contact
from continuum.organisations.models import Council
from continuum.people.models import Person
from continuum.statutory import services
from continuum.statutory.models import StatutoryInvolvement

RECEIVED_DAYS_AGO = 6


def received_moment() -> datetime:
    """Ten in the morning, ``RECEIVED_DAYS_AGO`` days ago (local time)."""
    day = timezone.localdate() - timedelta(days=RECEIVED_DAYS_AGO)
    return timezone.make_aware(datetime(day.year, day.month, day.day, 10, 0))


def refer(
    *, by: User, council: Council, child: Person, outcome: str = Outcome.SOCIAL_CARE_ASSESSMENT
) -> ContactDecision:
    """A contact about ``child`` received ``RECEIVED_DAYS_AGO`` days ago, decided today at
    level 4 with ``outcome`` by ``by``."""
    contact = submitted_contact(
        by=by,
        council=council,
        children=[child],
        indicator_codes=(indicator(4).code,),
        received_at=received_moment(),
        agreement_obtained_on=received_moment().date(),
    )
    contact = in_screening(contact, by=by)
    return front_door.decide_contact(
        contact=contact,
        by=by,
        expected_version=contact.version,
        level=4,
        indicator_codes=[indicator(4).code],
        outcome=outcome,
        rationale="Injuries the school saw need a social work assessment.",
    )


@pytest.fixture
def decision(worker: User, stockton: Council, child: Person) -> ContactDecision:
    return refer(by=worker, council=stockton, child=child)


@pytest.fixture
def referral(decision: ContactDecision, worker: User) -> StatutoryInvolvement:
    """The referral recorded from that decision."""
    return services.refer_from_decision(decision=decision, by=worker)[0]
