"""The main journeys in a real headless browser, with axe-core on every page they pass.

A front-door worker signs in, finds a child by name with the keyboard alone and reads their
record tab by tab; a signed-in user reads the threshold framework; a partner practitioner
lands on their home page. No page may have a serious or critical accessibility violation.

Each test prepares its data here, then hands a journey (a function of one Page, which
touches no database) to ``browse``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from django.urls import reverse

from continuum.access.models import InvolvementReason
from continuum.accounts.models import User
from continuum.organisations.models import Council
from continuum.people.models import Person
from continuum.testing import factories
from continuum.tests.browser.axe import assert_accessible
from continuum.tests.browser.signing_in import sign_in
from continuum.tests.builders import a_person

if TYPE_CHECKING:
    from playwright.sync_api import Page

    Browse = Callable[[Callable[[Page], None]], None]

pytestmark = [
    pytest.mark.browser,
    # The live server runs in another thread, so the data must be committed; the
    # threshold framework a migration seeded is restored for the tests that follow.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MAX_TABS = 80


def tab_to(page: Page, selector: str) -> None:
    """Press Tab until the element matching ``selector`` has the focus, as a keyboard
    user would; fail if it cannot be reached."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => !!document.activeElement?.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key on {page.url}")


@pytest.fixture
def child_in_a_household(stockton: Council) -> Person:
    """A child with a parent in one household, so the record's tabs have something to show."""
    person = a_person(stockton, given_name="Marnie", family_name="Ashdown")
    parent = a_person(stockton, given_name="Carys", family_name="Ashdown", kind="adult", upn=None)
    household = factories.HouseholdFactory(council=stockton, name="Ashdown")
    for member in (person, parent):
        factories.HouseholdMemberFactory(household=household, person=member)
    return person


def test_front_door_worker_signs_in_and_finds_a_child_with_the_keyboard(
    browse: Browse, worker: User, child_in_a_household: Person
) -> None:
    username = worker.username
    record = reverse("people:detail", kwargs={"pk": child_in_a_household.pk})
    edit = reverse("people:edit", kwargs={"pk": child_in_a_household.pk})

    def journey(page: Page) -> None:
        page.goto(reverse("accounts:sign-in"))
        assert_accessible(page, "the sign-in page")

        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Sign in").click()
        assert page.locator(".govuk-error-summary").is_visible()
        assert_accessible(page, "the sign-in page with an error")

        sign_in(page, username)
        assert page.url.endswith(reverse("web:home"))
        header = page.get_by_test_id("header-organisation")
        assert header.inner_text() == "Stockton-on-Tees Children's Services"
        assert_accessible(page, "the front-door worker's home page")

        # Keyboard only: Tab to the search box, type the name, Enter.
        tab_to(page, "input[name=q]")
        page.keyboard.type("Marnie Ashdown")
        page.keyboard.press("Enter")
        page.wait_for_url(lambda url: reverse("people:search") in url)
        assert page.get_by_role("heading", name="1 person found").is_visible()
        assert_accessible(page, "the search results")

        # ... then Tab to the child's name in the results, Enter.
        tab_to(page, f'a[href="{record}"]')
        page.keyboard.press("Enter")
        page.wait_for_url(lambda url: url.endswith(record))
        assert page.get_by_role("heading", name="Marnie Ashdown").is_visible()
        assert_accessible(page, "the person page")

        tabs = page.locator(".moj-sub-navigation__link")
        hrefs = [tabs.nth(i).get_attribute("href") for i in range(tabs.count())]
        assert len(hrefs) >= 4, hrefs
        for href in hrefs[1:]:
            assert href is not None
            page.goto(href)
            assert page.locator('.moj-sub-navigation__link[aria-current="page"]').count() == 1
            assert_accessible(page, f"the person page tab {href}")

        page.goto(edit)
        assert_accessible(page, "the page to change a person's details")

    browse(journey)


def test_the_threshold_framework_is_accessible(browse: Browse, worker: User) -> None:
    username = worker.username

    def journey(page: Page) -> None:
        sign_in(page, username)
        page.goto(reverse("thresholds:framework"))
        assert "Page not found" not in page.title()
        assert_accessible(page, "the threshold framework")

        # The indicators sit in an accordion: open every section, then check again.
        page.get_by_role("button", name=re.compile("Show all sections")).click()
        assert_accessible(page, "the threshold framework with every section open")

        page.locator("#framework-indicators table a.govuk-link").first.click()
        page.wait_for_url(lambda url: "/thresholds/indicators/" in url)
        assert_accessible(page, "a threshold indicator")

        page.goto(reverse("thresholds:suggest"))
        assert_accessible(page, "suggest a level")

    browse(journey)


def test_a_partner_lands_on_their_home_page_with_the_people_they_work_with(
    browse: Browse, teacher: User, child_in_a_household: Person
) -> None:
    factories.InvolvementFactory(
        user=teacher, person=child_in_a_household, reason=InvolvementReason.REFERRER
    )
    username = teacher.username

    def journey(page: Page) -> None:
        sign_in(page, username)
        assert page.url.endswith(reverse("web:home"))
        assert page.get_by_role("link", name="Marnie Ashdown").is_visible()
        assert_accessible(page, "the partner's home page")

    browse(journey)
