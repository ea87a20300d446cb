"""A possible match in a real headless browser, with axe-core on every page (issue 10,
finding 5): a front-door team manager on a restricted child's access list follows the
queue's "possible match" banner, reviews both records and links them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from django.urls import reverse

from continuum.access.services import grant_restricted_access
from continuum.accounts.models import User
from continuum.organisations.models import Council
from continuum.people import services
from continuum.tests.browser.axe import assert_accessible
from continuum.tests.browser.signing_in import sign_in
from continuum.tests.builders import a_person

if TYPE_CHECKING:
    from playwright.sync_api import Page

    Browse = Callable[[Callable[[Page], None]], None]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_team_manager_reviews_and_links_a_possible_match(
    browse: Browse, worker: User, manager: User, stockton: Council
) -> None:
    known = a_person(
        stockton,
        given_name="Nell",
        family_name="Quarry",
        nhs_number="9992678534",
        is_restricted=True,
    )
    grant_restricted_access(person=known, user=manager, reason="Allocated", granted_by=None)
    services.create_person(
        created_by=worker,
        council=stockton,
        given_name="Nel",
        family_name="Quarry",
        nhs_number="9992678534",
    )
    username = manager.username
    queue = reverse("front_door:queue")

    def journey(page: Page) -> None:
        sign_in(page, username)
        page.goto(queue)
        assert_accessible(page, "the front-door queue with a possible match")
        page.get_by_role("link", name="1 possible match to review").click()
        page.wait_for_url(lambda url: url.endswith(reverse("people:possible-matches")))
        assert_accessible(page, "the possible matches")
        page.get_by_role("link", name="Nell Quarry").click()
        page.wait_for_url(lambda url: "/people/possible-matches/" in url)
        assert_accessible(page, "a possible match")
        page.get_by_role("button", name="Save the decision").click()
        assert page.locator(".govuk-error-summary").is_visible()
        assert_accessible(page, "a possible match with an error")
        page.get_by_label("Yes, the same person: link the records").check()
        page.get_by_role("button", name="Save the decision").click()
        assert page.get_by_text("The records are linked.").is_visible()
        assert page.get_by_role("button", name="Undo the decision").is_visible()
        assert_accessible(page, "a linked possible match")

    browse(journey)
