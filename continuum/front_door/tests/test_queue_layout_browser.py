"""The front-door queue fits the screen: on a phone (390 px wide) its filters wait behind
"Show filters" and each contact's cells stack under their headings; on a laptop (1,280 px)
the filters sit above the whole table and no column is cut off. axe-core on each."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import User
from continuum.organisations.models import Council
from continuum.testing import factories
from continuum.tests.browser.axe import assert_accessible
from continuum.tests.browser.conftest import browse, chromium  # noqa: F401 (fixtures)
from continuum.tests.browser.signing_in import sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

    Browse = Callable[[Callable[[Page], None]], None]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def _right_edge_inside(page: Page, selector: str) -> bool:
    """Whether the element ends inside the page's main column (not cut off or scrolled)."""
    return bool(
        page.evaluate(
            """(s) => {
              const box = document.querySelector(s).getBoundingClientRect();
              const main = document.querySelector('main').getBoundingClientRect();
              return box.right <= main.right + 1 && box.right <= window.innerWidth;
            }""",
            selector,
        )
    )


def test_the_queue_works_on_a_phone_and_a_laptop(
    browse: Browse,  # noqa: F811
    worker: User,
    stockton: Council,
) -> None:
    now = timezone.now()
    for days in (6, 3, 1):
        factories.ContactFactory.create(
            council=stockton, created_by=worker, received_at=now - timedelta(days=days)
        )
    queue = reverse("front_door:queue")

    def journey(page: Page) -> None:
        page.set_viewport_size({"width": 390, "height": 844})
        sign_in(page, worker.username)
        page.goto(queue)
        show = page.get_by_test_id("show-filters")
        assert show.is_visible()
        assert "Show filters" in show.inner_text()
        assert not page.get_by_label("Council").is_visible(), "the filters fill the phone"
        assert page.get_by_test_id("queue").is_visible()
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        # Each contact's cells stack under their headings, inside the screen.
        assert page.locator("[data-testid=queue] .app-responsive-table__heading").first.is_visible()
        assert _right_edge_inside(page, "[data-testid=queue] tbody tr td:last-child")
        assert_accessible(page, "the queue on a phone")

        show.click()
        assert page.get_by_label("Council").is_visible()
        assert "Hide filters" in show.inner_text()
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        assert_accessible(page, "the queue on a phone with its filters shown")

        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(queue)
        assert page.get_by_label("Council").is_visible(), "filters open on a wide screen"
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        assert not page.locator(
            "[data-testid=queue] .app-responsive-table__heading"
        ).first.is_visible()
        assert _right_edge_inside(page, "[data-testid=queue] th:last-child")
        assert page.get_by_role("columnheader", name="Decision due").is_visible()
        assert_accessible(page, "the queue on a laptop")

    browse(journey)


def test_without_javascript_the_filters_open_and_close_by_themselves(
    browse: Browse,  # noqa: F811
    worker: User,
    stockton: Council,
) -> None:
    factories.ContactFactory.create(council=stockton, created_by=worker, received_at=timezone.now())
    queue = reverse("front_door:queue")

    def journey(page: Page) -> None:
        sign_in(page, worker.username)
        page.context.route("**/queue-filters.mjs", lambda route: route.abort())
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(queue)
        assert not page.get_by_label("Council").is_visible()
        page.get_by_test_id("show-filters").click()
        assert page.get_by_label("Council").is_visible()
        page.get_by_label("Council").select_option(label=stockton.name)
        page.get_by_role("button", name="Apply filters").click()
        page.wait_for_load_state("load")
        assert page.get_by_label("Council").is_visible(), "chosen filters stay in view"

    browse(journey)
