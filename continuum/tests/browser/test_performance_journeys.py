"""The performance dashboards in a real headless browser, on the demo generator's data.

The partnership's analyst signs in, opens each dashboard from the performance section's
sub-navigation, sees a chart drawn (an image with a text alternative) and its table, and
builds the month's report as a PDF on the task queue and downloads it. axe-core checks
every page on the way.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

import pytest
from django.core.management import call_command
from django.urls import reverse

from continuum.accounts.models import User
from continuum.demo.generator import build
from continuum.performance.navigation import DASHBOARDS
from continuum.tests.browser.axe import assert_accessible
from continuum.tests.browser.signing_in import PASSWORD, sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

    Browse = Callable[[Callable[[Page], None]], None]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def demo_analyst() -> User:
    """The demo partnership's analyst, in a demo world built for this test."""
    build(preset="small", seed=3, as_of=date(2026, 11, 1))
    user = User.objects.get(username="analyst.tees")
    user.set_password(PASSWORD)
    user.save()
    return user


def test_the_analyst_reads_every_dashboard_and_downloads_the_report(
    browse: Browse, demo_analyst: User
) -> None:
    dashboards = [(d.text, reverse(d.url_name)) for d in DASHBOARDS]

    def journey(page: Page) -> None:
        sign_in(page, demo_analyst.username)
        page.get_by_role("link", name="Performance", exact=True).first.click()
        page.wait_for_url(f"**{reverse('performance:index')}")
        assert_accessible(page, "the performance section")
        for text, url in dashboards:
            page.get_by_role("navigation", name="Dashboards").get_by_role(
                "link", name=text, exact=True
            ).click()
            page.wait_for_url(f"**{url}")
            assert page.locator("h1").inner_text().strip(), f"{text} has a heading"
            assert page.locator("table").count() >= 1, f"{text} shows its numbers as a table"
            charts = page.locator("img[src^='data:image/svg+xml']")
            for i in range(charts.count()):
                chart = charts.nth(i)
                assert (chart.get_attribute("alt") or "").strip(), f"a chart on {text} has alt text"
                assert chart.evaluate("img => img.naturalWidth > 0"), f"a chart on {text} drew"
            assert_accessible(page, text)
        # The PDF is built in the background: the button asks for it and the progress
        # page shows how far it has got, checking again by itself.
        page.goto(page.url.split("/performance")[0] + reverse("performance:report"))
        page.get_by_role("button", name="Build the PDF").click()
        page.wait_for_url("**/performance/report/pdfs/*")
        assert page.get_by_test_id("progress").is_visible()
        assert page.locator("progress").count() == 1
        assert_accessible(page, "the report's progress page")
        progress_page.append(page.url)

    def download(page: Page) -> None:
        sign_in(page, demo_analyst.username)
        page.goto(progress_page[0])
        ready = page.get_by_role("link", name="Download the report for")
        ready.wait_for(timeout=30_000)
        assert_accessible(page, "the report's progress page, ready")
        with page.expect_download() as download:
            ready.click()
        pdf = download.value
        assert pdf.suggested_filename.endswith(".pdf")
        with open(pdf.path(), "rb") as handle:
            assert handle.read(5) == b"%PDF-"

    progress_page: list[str] = []
    browse(journey)
    # The worker (as `manage.py db_worker` beside the web server) makes the PDF.
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    browse(download)
