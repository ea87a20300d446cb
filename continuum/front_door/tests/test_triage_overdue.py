"""Notifications not triaged within one working day are flagged, counting weekends and
English bank holidays; the overdue filters agree with the flag shown on each record."""

from __future__ import annotations

from datetime import date, datetime
from typing import cast
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from continuum.accounts.models import User
from continuum.front_door import services
from continuum.front_door.choices import ContactStatus
from continuum.front_door.models import Contact, DomesticAbuseNotification
from continuum.front_door.overdue import (
    notification_due_date,
    notification_is_overdue,
    overdue_contacts,
    overdue_notifications,
)
from continuum.front_door.tests import triage_support as support
from continuum.organisations.models import Council
from continuum.testing import factories

LONDON = ZoneInfo("Europe/London")


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


def _received(stockton: Council, moment: datetime) -> DomesticAbuseNotification:
    with time_machine.travel(moment, tick=False):
        return cast(DomesticAbuseNotification, factories.NotificationFactory(council=stockton))


def _overdue_on(notification: DomesticAbuseNotification, moment: datetime) -> bool:
    """The flag, checked to agree with the database filter, at ``moment``."""
    with time_machine.travel(moment, tick=False):
        flagged = notification_is_overdue(notification)
        filtered = overdue_notifications(
            DomesticAbuseNotification.objects.filter(pk=notification.pk)
        ).exists()
    assert flagged == filtered
    return flagged


@pytest.mark.parametrize(
    ("received", "due", "last_day_in_time", "first_day_overdue"),
    [
        # A Tuesday: due Wednesday.
        (at(2026, 9, 8), date(2026, 9, 9), at(2026, 9, 9, 17), at(2026, 9, 10, 8)),
        # A Friday before the late summer bank holiday (Monday 31 August): due Tuesday.
        (at(2026, 8, 28), date(2026, 9, 1), at(2026, 9, 1, 23, 59), at(2026, 9, 2, 0, 1)),
        # Late on that Friday evening: still Friday in England, so the same due date.
        (at(2026, 8, 28, 23, 30), date(2026, 9, 1), at(2026, 9, 1, 18), at(2026, 9, 2, 9)),
        # A Saturday: Monday is day 0, so due Tuesday.
        (at(2026, 9, 5), date(2026, 9, 8), at(2026, 9, 8, 18), at(2026, 9, 9, 9)),
        # Christmas Eve 2026: Christmas Day (Fri) and Boxing Day observed (Mon 28th) skipped.
        (at(2026, 12, 24), date(2026, 12, 29), at(2026, 12, 29, 18), at(2026, 12, 30, 9)),
    ],
)
def test_a_notification_is_overdue_after_one_working_day(
    stockton: Council,
    received: datetime,
    due: date,
    last_day_in_time: datetime,
    first_day_overdue: datetime,
) -> None:
    notification = _received(stockton, received)
    assert notification_due_date(notification) == due
    assert not _overdue_on(notification, last_day_in_time)
    assert _overdue_on(notification, first_day_overdue)


def test_a_notification_triaged_on_time_is_not_overdue_and_one_triaged_late_is(
    stockton: Council, worker: User
) -> None:
    on_time = _received(stockton, at(2026, 8, 28))
    late = _received(stockton, at(2026, 8, 28, 11))
    with time_machine.travel(at(2026, 9, 1, 9), tick=False):
        meeting = support.meeting(by=worker, council=stockton)
        services.triage_notification(
            notification=on_time,
            meeting=meeting,
            by=worker,
            expected_version=on_time.version,
            safety_planning="IDVA contact today.",
            marac_referral=False,
        )
    with time_machine.travel(at(2026, 9, 2, 9), tick=False):
        meeting = support.meeting(by=worker, council=stockton)
        services.triage_notification(
            notification=late,
            meeting=meeting,
            by=worker,
            expected_version=late.version,
            safety_planning="IDVA contact today.",
            marac_referral=False,
        )
    for notification in (on_time, late):
        notification.refresh_from_db()
    assert not _overdue_on(on_time, at(2026, 9, 20))
    assert _overdue_on(late, at(2026, 9, 20))


def test_the_front_door_list_flags_overdue_notifications_and_filters_them(
    client: Client, stockton: Council, worker: User
) -> None:
    overdue = _received(stockton, at(2026, 8, 28))
    in_time = _received(stockton, at(2026, 9, 1, 9))
    client.force_login(worker)
    with time_machine.travel(at(2026, 9, 2, 10), tick=False):
        page = client.get(reverse("front_door:notifications"))
        only_overdue = client.get(reverse("front_door:notifications"), {"overdue": "on"})
    awaiting = page.context["awaiting"]
    assert [row.notification.pk for row in awaiting] == [overdue.pk, in_time.pk]
    assert [row.is_overdue for row in awaiting] == [True, False]
    assert [row.due_date for row in awaiting] == [date(2026, 9, 1), date(2026, 9, 2)]
    assert "Overdue" in page.content.decode()
    assert [row.notification.pk for row in only_overdue.context["awaiting"]] == [overdue.pk]


def test_the_overdue_contacts_filter_agrees_with_each_contacts_flag(
    stockton: Council, worker: User
) -> None:
    def contact_received(moment: datetime) -> Contact:
        with time_machine.travel(moment, tick=False):
            contact = services.record_contact(
                recorded_by=worker,
                council=stockton,
                details=services.ContactDetails(
                    received_at=moment,
                    how_received="phone",
                    referral_source="2A",
                    referrer_name="Priya Patel",
                    concerns="Often hungry at school.",
                    family_agreement="agreed",
                    agreement_obtained_by="Priya Patel",
                    agreement_obtained_on=moment.date(),
                ),
                children=[support.child(stockton)],
            )
            return services.submit_contact(
                contact=contact, by=worker, expected_version=contact.version
            )

    def decide(contact: Contact, moment: datetime) -> None:
        with time_machine.travel(moment, tick=False):
            contact.refresh_from_db()
            services.change_status(
                contact=contact,
                to_status=ContactStatus.IN_SCREENING,
                by=worker,
                expected_version=contact.version,
            )
            services.decide_contact(
                contact=contact,
                by=worker,
                expected_version=contact.version,
                level=1,
                indicator_codes=support.indicator_codes(1),
                outcome="advice",
                rationale="Universal services can meet the need.",
            )

    waiting_long = contact_received(at(2026, 8, 28))
    waiting_in_time = contact_received(at(2026, 9, 2, 9))
    decided_late = contact_received(at(2026, 8, 27))
    decided_in_time = contact_received(at(2026, 8, 27, 11))
    decide(decided_late, at(2026, 8, 31, 10))  # due Friday 28th; decided on the bank holiday
    decide(decided_in_time, at(2026, 8, 28, 10))
    draft = services.record_contact(
        recorded_by=worker,
        council=stockton,
        details=services.ContactDetails(
            received_at=at(2026, 8, 1),
            how_received="phone",
            referral_source="2A",
            referrer_name="Priya Patel",
        ),
        children=[support.child(stockton)],
    )

    with time_machine.travel(at(2026, 9, 2, 12), tick=False):
        everything = Contact.objects.all()
        flagged = {c.pk for c in everything if c.is_overdue()}
        filtered = set(overdue_contacts(everything).values_list("pk", flat=True))
    assert flagged == filtered == {waiting_long.pk, decided_late.pk}
    assert draft.pk not in filtered and waiting_in_time.pk not in filtered
    assert decided_in_time.pk not in filtered
