"""The work tray as three roles sign in (issue 12), in a real headless browser with axe-core
on every page: a lead professional sees the assessment due, sets a reminder on the child's
record and asks for an urgent step-up (the confirmation tells them to phone the front
door); the team manager's home page then leads with that urgent step-up; the front-door
worker's leads with it too, above the queue (the overdue contact first) and the high-risk
domestic-abuse notification, and their notifications say it is urgent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import Role, User
from continuum.early_help import services as early_help
from continuum.early_help.tests.builders import make_episode, make_family, make_place
from continuum.early_help.tests.support import allocated
from continuum.front_door.choices import DashRisk
from continuum.front_door.tests import triage_support
from continuum.front_door.tests.contacts_support import submitted_contact
from continuum.organisations.models import Council, OrganisationKind
from continuum.testing import factories
from continuum.tests.browser.axe import assert_accessible
from continuum.tests.browser.signing_in import sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

    Browse = Callable[[Callable[[Page], None]], None]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_work_tray_for_a_lead_professional_a_manager_and_the_front_door(
    browse: Browse,
    worker: User,
    manager: User,
    officer: User,
    make_user: Callable[..., User],
    stockton: Council,
) -> None:
    place = make_place(stockton, "Stockton")
    manager.teams.add(place.team)
    charity = factories.OrganisationFactory(
        name="Stockton Family Support Trust", kind=OrganisationKind.VOLUNTARY, serves=[stockton]
    )
    lead = make_user(Role.EARLY_HELP_PRACTITIONER, organisation=charity, username="lead.tray")
    family = make_family(stockton, "Huxley")
    episode = make_episode(
        council=stockton,
        locality=place.locality,
        team=place.team,
        household=family.household,
        opened_by=manager,
        children=[family.child],
    )
    episode = allocated(episode, lead=lead, manager=manager)
    early_help.start_assessment(episode=episode, by=lead)
    submitted_contact(by=worker, council=stockton)
    late = submitted_contact(
        by=worker, council=stockton, received_at=timezone.now() - timedelta(days=14)
    )
    triage_support.notify(by=officer, council=stockton, dash_risk=DashRisk.HIGH)
    child_record = reverse("people:detail", args=[family.child.pk])
    step_up_new = reverse("early_help:step-up-new", args=[episode.pk])
    late_url = reverse("front_door:contact", args=[late.pk])
    names = (lead.username, manager.username, worker.username)

    def journey(page: Page) -> None:
        lead_name, manager_name, worker_name = names
        # The lead professional: an assessment due, then a reminder and an urgent step-up.
        sign_in(page, lead_name)
        tray = page.locator(".app-work-tray")
        assert tray.get_by_role("heading", name="Your work").is_visible()
        assert "Assessments due" in tray.inner_text()
        assert_accessible(page, "the lead professional's home page")
        page.goto(child_record)
        page.get_by_role("link", name="Your reminders").click()
        assert_accessible(page, "a person's reminders tab")
        page.get_by_role("link", name="Set a reminder").click()
        page.get_by_role("button", name="Set reminder").click()
        assert page.locator(".govuk-error-summary").is_visible()
        assert_accessible(page, "the reminder form with errors")
        due = timezone.localdate() + timedelta(days=3)
        page.get_by_label("Day").fill(str(due.day))
        page.get_by_label("Month").fill(str(due.month))
        page.get_by_label("Year").fill(str(due.year))
        page.get_by_label("What do you want to be reminded of?").fill("Ring Maisie's school")
        page.get_by_role("button", name="Set reminder").click()
        page.goto(reverse("web:home"))
        assert "Ring Maisie's school" in page.locator(".app-work-tray").inner_text()
        page.goto(step_up_new)
        page.get_by_label("Why the family needs social care").fill("Disclosure of injuries.")
        page.get_by_role("radio", name="Agreed").check()
        page.get_by_role(
            "radio", name="Yes: a child is at risk of significant harm (urgent)"
        ).check()
        page.get_by_role("button", name="Request step-up").click()
        assert page.get_by_role("heading", name="Urgent step-up requested").is_visible()
        assert "Phone the front door now." in page.inner_text("main")
        assert_accessible(page, "the urgent step-up's confirmation")

        # The manager: the urgent step-up leads the tray.
        sign_in(page, manager_name)
        first = page.locator(".app-work-tray h3").first
        assert first.inner_text().startswith("Step-up requests to decide")
        assert "1 urgent" in page.locator(".app-work-summary").inner_text()
        assert_accessible(page, "the team manager's home page")

        # The front door: urgent step-ups first, the overdue contact first in the queue,
        # the high-risk notification tagged; the notification counted in the navigation.
        sign_in(page, worker_name)
        headings = page.locator(".app-work-tray h3").all_inner_texts()
        assert headings[0].startswith("Urgent step-ups"), headings
        assert headings[1].startswith("Contacts in the queue"), headings
        queue_rows = page.locator("#work-queue + table tbody tr")
        assert queue_rows.first.locator("a").get_attribute("href") == late_url
        assert "Overdue" in queue_rows.first.inner_text()
        assert "High risk" in page.locator("#work-domestic_abuse + table").inner_text()
        assert_accessible(page, "the front-door worker's home page")
        page.get_by_role("link", name="Notifications (1)").click()
        assert "Urgent" in page.inner_text("main")
        assert_accessible(page, "the notifications page")
        page.goto(reverse("notifications:outbox"))
        assert_accessible(page, "the outbox")

    browse(journey)
