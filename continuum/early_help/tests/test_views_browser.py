"""The early help pages in a real headless browser, with axe-core on each: a team manager's
waiting list, panel, allocation (its picker filtered) and caseloads; a lead professional's
episode, tab by tab, forms included (one with its errors showing); the episode's lead
professionals and the handover form, with its errors. No page may have a serious or critical
accessibility violation. Skipped, with the reason, where no Chromium is found."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.urls import reverse

from continuum.accounts.models import User
from continuum.early_help import services
from continuum.early_help.models import Episode
from continuum.early_help.tests import support
from continuum.early_help.tests.builders import Family
from continuum.tests.browser.axe import assert_accessible
from continuum.tests.browser.conftest import browse, chromium  # noqa: F401 (fixtures)
from continuum.tests.browser.signing_in import sign_in

if TYPE_CHECKING:
    from collections.abc import Callable

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


def test_early_help_pages_have_no_serious_accessibility_problems(
    browse: Browse,  # noqa: F811
    manager: User,
    vcs_worker: User,
    teacher: User,
    episode: Episode,
    family: Family,
) -> None:
    # Each journey runs in the browser's own thread and touches no database; the data is
    # prepared between journeys.
    panel = services.hold_panel(
        council=episode.council,
        locality=episode.locality,
        held_on=episode.start_date,
        agencies_present=[vcs_worker.organisation] if vcs_worker.organisation else [],
        chaired_by=manager,
    )

    def managers_pages(page: Page) -> None:
        sign_in(page, manager.username)
        for name in ("waiting-list", "caseloads", "panel-new"):
            visit(page, reverse(f"early_help:{name}"), name)
        visit(page, reverse("early_help:panel", args=[panel.pk]), "panel")
        visit(page, reverse("early_help:allocate", args=[panel.pk, episode.pk]), "allocate")
        # The picker's filters, sent as a GET form (no JavaScript needed).
        page.get_by_label("Name").fill("Sayer")
        page.get_by_role("button", name="Find").click()
        page.wait_for_url(lambda url: "name=Sayer" in url)
        assert "1 person matches" in page.content()
        assert_accessible(page, "allocate, filtered")

    browse(managers_pages)

    episode.refresh_from_db()
    services.allocate(
        episode=episode,
        panel=panel,
        lead_professional=vcs_worker,
        reason="Runs the family's parenting group.",
        by=manager,
        expected_version=episode.version,
    )
    support.assessed(episode, lead=vcs_worker, child=family.child)
    support.planned(episode, lead=vcs_worker)
    services.add_taf_member(episode=episode, user=teacher, by=vcs_worker)

    def lead_professionals_pages(page: Page) -> None:
        sign_in(page, vcs_worker.username)
        visit(page, reverse("web:home"), "lead professional's home")
        for name in ("episode", "assessment", "taf", "plan", "reviews", "step-up", "closure"):
            visit(page, reverse(f"early_help:{name}", args=[episode.pk]), f"episode {name}")
        for name in ("taf-meeting-new", "review-new", "step-up-new", "close"):
            visit(page, reverse(f"early_help:{name}", args=[episode.pk]), name)

        # A form with its errors: the summary links to each field.
        page.goto(reverse("early_help:close", args=[episode.pk]))
        page.get_by_role("button", name="Ask a manager to sign off").click()
        page.wait_for_selector(".govuk-error-summary")
        assert_accessible(page, "closing with errors")

        visit(page, reverse("early_help:history", args=[episode.pk]), "history")

    browse(lead_professionals_pages)

    def managers_handover_pages(page: Page) -> None:
        sign_in(page, manager.username)
        for name in ("lead-professionals", "handover"):
            visit(page, reverse(f"early_help:{name}", args=[episode.pk]), name)
        page.get_by_role("button", name="Hand over").click()
        page.wait_for_selector(".govuk-error-summary")
        assert_accessible(page, "handing over with errors")

    browse(managers_handover_pages)
