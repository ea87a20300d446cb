"""Reviews and closure in a real headless browser (issue 12, rough edge 8), with axe-core on
every page they pass: a lead professional records a review beside each need's earlier
scores and marks an action done; asks to close the episode the day its plan started,
confirms it, and a team manager signs the closure off."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import Role, User
from continuum.early_help import services
from continuum.early_help.choices import ActionStatus, EpisodeStatus
from continuum.early_help.models import ClosureRequest, Episode, PlanAction
from continuum.early_help.tests import support
from continuum.early_help.tests.builders import make_episode, make_family, make_place
from continuum.organisations.models import Council
from continuum.tests.browser.axe import assert_accessible
from continuum.tests.browser.signing_in import sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

    Browse = Callable[[Callable[[Page], None]], None]

pytestmark = [
    pytest.mark.browser,
    # The live server runs in another thread, so the data must be committed; the data
    # seeded by migrations is restored for the tests that follow.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def reviewed_episode(stockton: Council, manager: User, make_user: Callable[..., User]) -> Episode:
    """A Stockton episode led by an early help practitioner: assessed (baseline 3), planned
    with one open action, and reviewed once (5)."""
    place = make_place(stockton, "Thornaby")
    manager.teams.add(place.team)
    lead = make_user(
        Role.EARLY_HELP_PRACTITIONER,
        council=stockton,
        username="lead.thornaby",
        first_name="Lena",
        last_name="Holt",
    )
    family = make_family(stockton, "Pemberton")
    episode = make_episode(
        council=stockton,
        locality=place.locality,
        team=place.team,
        household=family.household,
        opened_by=manager,
        children=[family.child],
    )
    support.allocated(episode, lead=lead, manager=manager)
    support.assessed(episode, lead=lead, child=family.child, baseline=3)
    support.planned(episode, lead=lead)
    need = episode.needs.get()
    services.record_review(
        episode=episode,
        held_on=timezone.localdate(),
        summary="Mornings are a little calmer.",
        scores={need.pk: 5},
        by=lead,
    )
    episode.refresh_from_db()
    return episode


def test_a_review_beside_earlier_scores_then_a_closure_signed_off_by_a_manager(
    browse: Browse, reviewed_episode: Episode, manager: User
) -> None:
    episode = reviewed_episode
    lead = episode.lead_professional
    assert lead is not None
    need = episode.needs.get()
    action = PlanAction.objects.get()
    today = timezone.localdate()
    reviews = reverse("early_help:reviews", args=[episode.pk])
    closure = reverse("early_help:closure", args=[episode.pk])
    lead_name, manager_name = lead.username, manager.username

    def lead_reviews_and_asks_to_close(page: Page) -> None:
        sign_in(page, lead_name)
        page.goto(reviews)
        page.get_by_role("link", name="Record a review").click()
        hint = page.locator(f"#id_score_{need.pk}-hint")
        assert f"Earlier: 3 at assessment; 5 at the review on {today.day} {today:%B %Y}" in (
            hint.inner_text()
        )
        assert page.get_by_role("heading", name="Earlier scores").is_visible()
        assert_accessible(page, "the review form with earlier scores")

        page.get_by_label("Summary of the review").fill("On time every day this fortnight.")
        page.get_by_label("Score now: Getting to school on time every day").fill("7")
        actions = page.get_by_role("group", name="Action: Morning routine chart")
        actions.get_by_label("Done").check()
        page.get_by_role("button", name="Record review").click()
        page.wait_for_url(lambda url: url.endswith(reviews))
        banner = page.locator(".govuk-notification-banner").inner_text()
        assert "The next review is due on" in banner
        assert_accessible(page, "the reviews after a review")

        page.goto(closure)
        page.get_by_role("link", name="Ask to close the episode").click()
        page.get_by_role("group", name="Reason for closing").get_by_label("Needs met").check()
        page.get_by_role("group", name="Outcome: Getting to school").get_by_label(
            "Achieved", exact=True
        ).check()
        page.get_by_label("Score at closure: Getting to school on time every day").fill("8")
        page.get_by_role("button", name="Ask a manager to sign off").click()
        page.wait_for_selector(".govuk-error-summary")
        assert "close so soon" in page.locator(".govuk-error-summary").inner_text()
        assert_accessible(page, "asking to close, with the early-closure question")

        page.get_by_label("Yes, close the episode this soon after the plan started").check()
        page.get_by_role("button", name="Ask a manager to sign off").click()
        page.wait_for_url(lambda url: url.endswith(closure))
        assert page.get_by_role("heading", name="Waiting for sign-off").is_visible()
        assert_accessible(page, "the closure waiting for sign-off")

    browse(lead_reviews_and_asks_to_close)

    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert ClosureRequest.objects.filter(episode=episode).exists()

    def manager_signs_off(page: Page) -> None:
        sign_in(page, manager_name)
        page.goto(closure)
        page.get_by_role("link", name="Sign off the closure").click()
        assert page.get_by_role("heading", name="Sign off the closure").is_visible()
        assert_accessible(page, "the sign-off page")
        page.get_by_label("Agreed: close the episode").check()
        page.get_by_role("button", name="Save the decision").click()
        page.wait_for_url(lambda url: url.endswith(closure))
        assert page.get_by_text("Signed off").is_visible()
        assert_accessible(page, "the closed episode")

    browse(manager_signs_off)

    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.CLOSED
