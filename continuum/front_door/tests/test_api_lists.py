"""The front door's API lists: a page costs the same few queries however many contacts or
notifications are on it, and a filter left empty filters nothing."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from continuum.accounts.models import User
from continuum.front_door import services
from continuum.front_door.models import Contact, DomesticAbuseNotification, TriageMeeting
from continuum.front_door.tests import triage_support as support
from continuum.front_door.tests.contacts_support import in_screening, submitted_contact
from continuum.organisations.models import Council

CONTACTS = "/api/v1/contacts"
NOTIFICATIONS = "/api/v1/domestic-abuse-notifications"


def decided(worker: User, council: Council) -> Contact:
    contact = in_screening(submitted_contact(by=worker, council=council), by=worker)
    services.decide_contact(
        contact=contact,
        by=worker,
        expected_version=contact.version,
        level=2,
        indicator_codes=support.indicator_codes(2),
        outcome="eh_single",
        rationale="School and health visitor can support the family together.",
    )
    return contact


def test_a_page_of_contacts_costs_the_same_queries_however_many_are_on_it(
    client: Client, stockton: Council, worker: User
) -> None:
    decided(worker, stockton)
    client.force_login(worker)
    with CaptureQueriesContext(connection) as one:
        assert client.get(CONTACTS).json()["count"] == 1
    for _ in range(3):
        decided(worker, stockton)
        submitted_contact(by=worker, council=stockton)
    with CaptureQueriesContext(connection) as seven:
        assert client.get(CONTACTS).json()["count"] == 7
    assert len(seven.captured_queries) == len(one.captured_queries)


@pytest.mark.parametrize("reader", ["worker", "officer"])
def test_a_page_of_notifications_costs_the_same_queries_however_many_are_triaged(
    client: Client,
    officer: User,
    worker: User,
    stockton: Council,
    meeting: TriageMeeting,
    reader: str,
) -> None:
    def triaged() -> None:
        notification = support.notify(by=officer, council=stockton)
        services.triage_notification(
            notification=notification,
            meeting=meeting,
            by=worker,
            expected_version=notification.version,
            safety_planning="IDVA to call today.",
            marac_referral=False,
        )

    triaged()
    client.force_login(worker if reader == "worker" else officer)
    with CaptureQueriesContext(connection) as one:
        assert client.get(NOTIFICATIONS).json()["count"] == 1
    for _ in range(3):
        triaged()
        support.notify(by=officer, council=stockton)
    with CaptureQueriesContext(connection) as seven:
        items = client.get(NOTIFICATIONS).json()["items"]
    assert len(items) == 7
    assert len(seven.captured_queries) == len(one.captured_queries)
    # The front door sees each children's contact; police learn only that one was made.
    seen = [i["triage"]["children_contact"] for i in items if i["triage"] is not None]
    assert len(seen) == 4 and all(c["present"] for c in seen)
    assert all((c["id"] is not None) == (reader == "worker") for c in seen)


def test_a_filter_left_empty_filters_nothing(
    client: Client,
    worker: User,
    contact: Contact,
    notification: DomesticAbuseNotification,
) -> None:
    client.force_login(worker)
    assert client.get(CONTACTS, {"status": "", "council": ""}).json()["count"] == 1
    empty = {"status": "", "risk": "", "council": ""}
    assert client.get(NOTIFICATIONS, empty).json()["count"] == 1
