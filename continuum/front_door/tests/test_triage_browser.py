"""The joint triage pages in a real headless browser, with axe-core on each: a police
officer enters a notification (first with errors showing); the front door enters another
(asked first about a child already on the record), lists them, starts a meeting and
triages one (with errors, then properly). No page may have a serious or critical
accessibility violation. Skipped, with the reason, where no Chromium is found.

Each journey is a function of one Page that touches no database; the test prepares the
data and checks what was saved between journeys.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from django.urls import reverse

from continuum.accounts.models import User
from continuum.front_door.models import DomesticAbuseNotification, TriageMeeting, TriageOutcome
from continuum.tests.browser.axe import assert_accessible
from continuum.tests.browser.conftest import browse, chromium  # noqa: F401 (fixtures)
from continuum.tests.browser.signing_in import sign_in  # password, then the second factor

if TYPE_CHECKING:
    from playwright.sync_api import Page

    Browse = Callable[[Callable[[Page], None]], None]

pytestmark = [
    pytest.mark.browser,
    # The live server runs in another thread, so the data must be committed; the data
    # seeded by migrations is restored for the tests that follow.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def visit(page: Page, path: str, what: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{what}: {path}"
    assert_accessible(page, what)


def enter_incident(page: Page, day: str, time: str) -> None:
    page.locator("#id_incident_date").fill(day)
    page.locator("#id_incident_date_month").fill("11")
    page.locator("#id_incident_date_year").fill("2026")
    page.locator("#id_incident_time").fill(time)


def enter_tia(page: Page) -> None:
    page.locator("#id_children-0-given_name").fill("Tia")
    page.locator("#id_children-0-family_name").fill("Oakes")
    page.locator("#id_children-0-date_of_birth").fill("1")
    page.locator("#id_children-0-date_of_birth_month").fill("2")
    page.locator("#id_children-0-date_of_birth_year").fill("2019")


def test_the_triage_pages_have_no_serious_accessibility_problems(
    browse: Browse,  # noqa: F811
    officer: User,
    worker: User,
) -> None:
    def police_enter_a_notification(page: Page) -> None:
        sign_in(page, officer.username)
        visit(page, reverse("front_door:notifications"), "police notifications list")
        visit(page, reverse("front_door:notification-new"), "new notification")
        # Submitted with nothing filled in: the error summary links to each field.
        page.get_by_role("button", name="Continue").click()
        page.wait_for_selector(".govuk-error-summary")
        assert_accessible(page, "new notification with errors")
        enter_incident(page, "3", "22:15")
        page.locator("#id_victim_given_name").fill("Marnie")
        page.locator("#id_victim_family_name").fill("Oakes")
        page.locator("#id_alleged_perpetrator_description").fill("Unknown man, about 30")
        enter_tia(page)
        page.get_by_label("Present at the incident").first.check()
        page.get_by_label("High").check()
        page.locator("#id_dash_ticks").fill("16")
        page.locator("#id_repeat_incidents_12_months").fill("2")
        page.locator("#id_reporting_officer").fill("PC Dana Hollis")
        page.get_by_role("button", name="Continue").click()
        page.wait_for_selector("h1:has-text('Incident on')")
        assert_accessible(page, "notification")

    browse(police_enter_a_notification)
    first = DomesticAbuseNotification.objects.get()
    tia = first.children.get()

    def front_door_enters_one_and_starts_a_meeting(page: Page) -> None:
        sign_in(page, worker.username)
        # Tia is already on the record, so the page asks before making anyone new.
        page.goto(reverse("front_door:notification-new"))
        enter_incident(page, "4", "01:10")
        page.locator("#id_victim_family_name").fill("Oakes")
        page.locator("#id_alleged_perpetrator_description").fill("Not known")
        enter_tia(page)
        page.get_by_label("Standard").check()
        page.locator("#id_dash_ticks").fill("3")
        page.locator("#id_reporting_officer").fill("PC Dana Hollis")
        page.get_by_role("button", name="Continue").click()
        page.wait_for_selector("h1:has-text('already on the record')")
        assert_accessible(page, "check the people")
        page.get_by_role("button", name="Record the notification").click()
        page.wait_for_selector(".govuk-error-summary")
        assert_accessible(page, "check the people with errors")
        page.get_by_label("Use the existing record for Tia Oakes", exact=False).check()
        page.get_by_role("button", name="Record the notification").click()
        page.wait_for_selector("h1:has-text('Incident on')")

        visit(page, reverse("front_door:notifications"), "front door notifications list")
        visit(page, reverse("front_door:notification", args=[first.pk]), "notification")
        visit(page, reverse("front_door:triage-meeting-new"), "new meeting")
        page.locator("#id_held_time").fill("09:30")
        page.get_by_role("button", name="Start the meeting").click()
        page.wait_for_selector(".govuk-error-summary")
        assert_accessible(page, "new meeting with errors")
        page.locator("#id_held_date").fill("4")
        page.locator("#id_held_date_month").fill("11")
        page.locator("#id_held_date_year").fill("2026")
        page.locator("#id_attendance-0-name").fill("DS Amir Khan")
        page.locator("#id_attendance-2-name").fill("Sam Price")
        page.get_by_role("button", name="Start the meeting").click()
        page.wait_for_selector("h1:has-text('Joint triage meeting')")
        assert_accessible(page, "meeting")

    browse(front_door_enters_one_and_starts_a_meeting)
    assert DomesticAbuseNotification.objects.filter(children=tia).count() == 2
    meeting = TriageMeeting.objects.get()

    def front_door_triages(page: Page) -> None:
        sign_in(page, worker.username)
        page.goto(reverse("front_door:triage-meeting", args=[meeting.pk]))
        page.get_by_role("button", name="Triage the next notification").click()
        page.wait_for_selector("h1:has-text('Triage the notification')")
        # The older notification first: Marnie's.
        assert "Marnie" in page.locator("h1").inner_text()
        assert_accessible(page, "triage")
        page.locator("#id_safety_planning").fill("IDVA to see the victim today.")
        page.get_by_label("No", exact=True).check()
        page.get_by_role("button", name="Record the triage").click()
        page.wait_for_selector(".govuk-error-summary")
        assert_accessible(page, "triage with errors")
        page.get_by_label("Yes", exact=True).check()
        page.get_by_label("Visible high risk (14 or more ticks)").check()
        page.get_by_role("button", name="Record the triage").click()
        # The next one: a heading that no longer names Marnie (the form shown again, with
        # errors, would still name her).
        page.locator("h1", has_text="Triage the notification").filter(
            has_not_text="Marnie"
        ).wait_for()
        visit(page, reverse("front_door:triage-meeting", args=[meeting.pk]), "meeting outcomes")

    browse(front_door_triages)
    outcome = TriageOutcome.objects.get()
    assert outcome.notification == first
    assert outcome.marac_referral and outcome.children_contact is not None
