"""The contact pages in a real headless browser, with axe-core on each, driven by keyboard
where it matters: a school records a contact (entering the child new, first submitting
without consent to see the errors); the front door screens it from the queue, requests
information, records a decision (first with errors) and prints the letter; the school sees
the outcome. No page may have a serious or critical accessibility violation. Skipped, with
the reason, where no Chromium is found.

Each journey is a function of one Page that touches no database; the test prepares the
data and checks what was saved between journeys.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import User
from continuum.front_door.choices import ContactStatus, Outcome
from continuum.front_door.models import Contact
from continuum.front_door.tests.contacts_support import indicator
from continuum.tests.browser.axe import assert_accessible
from continuum.tests.browser.conftest import browse, chromium  # noqa: F401 (fixtures)
from continuum.tests.browser.signing_in import sign_in  # password, then the second factor

if TYPE_CHECKING:
    from playwright.sync_api import Page

    Browse = Callable[[Callable[[Page], None]], None]

pytestmark = [
    pytest.mark.browser,
    # The live server runs in another thread, so the data must be committed; the data
    # seeded by migrations (the threshold framework) is restored for the tests after.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def check(page: Page, what: str) -> None:
    page.wait_for_load_state("load")
    assert_accessible(page, what)


def test_the_contact_pages_have_no_serious_accessibility_problems(
    browse: Browse,  # noqa: F811
    teacher: User,
    worker: User,
) -> None:
    today = timezone.localdate()
    code = indicator(2).code

    def school_records_a_contact(page: Page) -> None:
        sign_in(page, teacher.username)
        page.get_by_role("link", name="Record a contact").first.click()
        check(page, "who the contact is about")
        page.get_by_role("link", name="Enter a new child").click()
        check(page, "enter a new child")
        page.get_by_label("First name").fill("Ivy")
        page.get_by_label("Last name").fill("Lark")
        page.locator("#id_date_of_birth").fill("3")
        page.locator("#id_date_of_birth_month").fill("5")
        page.locator("#id_date_of_birth_year").fill("2018")
        page.get_by_role("radio", name="Child", exact=True).check()
        page.get_by_label("Female").check()
        page.get_by_role("button", name="Continue").click()
        check(page, "who the contact is about, with a child added")
        page.get_by_role("button", name="Continue").click()
        check(page, "about the contact")
        # Going on without the concerns or the family's agreement: refused, errors shown.
        page.get_by_label("What are the concerns?").fill("")
        page.get_by_role("button", name="Continue").click()
        check(page, "about the contact, with errors")
        assert page.locator(".govuk-error-summary").is_visible()
        assert "Describe the concerns" in page.locator(".govuk-error-summary").inner_text()
        page.locator("summary", has_text="The child's developmental needs").click()
        page.locator(f"input[value='{code}']").check()
        page.get_by_label("What are the concerns?").fill("Often hungry; tired in class.")
        page.get_by_role("radio", name="Agreed").check()
        page.get_by_label("Who obtained the family's agreement?").fill(teacher.get_full_name())
        page.locator("#id_agreement_obtained_on").fill(str(today.day))
        page.locator("#id_agreement_obtained_on_month").fill(str(today.month))
        page.locator("#id_agreement_obtained_on_year").fill(str(today.year))
        page.get_by_role("button", name="Continue").click()
        check(page, "check your answers")
        assert "Often hungry; tired in class." in page.content()
        page.get_by_role("button", name="Submit to the front door").click()
        check(page, "the referrer's view of a submitted contact")
        assert "A decision is due by" in page.content()

    browse(school_records_a_contact)
    contact = Contact.objects.get()
    assert contact.status == ContactStatus.SUBMITTED
    assert contact.referrer_user == teacher

    def front_door_screens_and_decides(page: Page) -> None:
        sign_in(page, worker.username)
        page.get_by_role("link", name="Front door queue").click()
        check(page, "the queue")
        page.locator("[data-testid=queue] a").first.click()
        check(page, "the screening page")
        page.get_by_role("button", name="Start screening").click()
        page.get_by_role("link", name="Request information").click()
        check(page, "request information")
        page.get_by_role("button", name="Request information").click()
        check(page, "request information, with an error")
        page.get_by_label("What information").fill("Attendance for this term.")
        page.get_by_role("button", name="Request information").click()
        page.get_by_role("button", name="Resume screening").click()
        page.get_by_role("link", name="Record decision").click()
        check(page, "record the decision")
        page.get_by_role("button", name="Record the decision").click()
        check(page, "record the decision, with errors")
        page.get_by_role("radio", name="Level 2: Early help, single agency").check()
        page.get_by_role("radio", name="Early help, single agency", exact=True).check()
        page.get_by_label("Rationale").fill("School-led early help, with the family hub.")
        page.get_by_role("button", name="Record the decision").click()
        check(page, "the screening page of a decided contact")
        page.get_by_role("link", name="Outcome letter for the referrer").click()
        check(page, "the outcome letter")
        page.get_by_role("link", name="Front-door summary").click()
        check(page, "the front-door summary")

    browse(front_door_screens_and_decides)
    contact.refresh_from_db()
    assert contact.status == ContactStatus.DECIDED
    assert contact.decision.outcome == Outcome.EARLY_HELP_SINGLE

    def school_sees_the_outcome(page: Page) -> None:
        sign_in(page, teacher.username)
        check(page, "the school's home page")
        assert "Early help, single agency (level 2)" in page.content()
        page.goto(reverse("front_door:my-contacts"))
        check(page, "your contacts")
        page.goto(reverse("front_door:contact", args=[contact.pk]))
        check(page, "the referrer's view of the outcome")
        assert "Attendance for this term." not in page.content()

    browse(school_sees_the_outcome)
