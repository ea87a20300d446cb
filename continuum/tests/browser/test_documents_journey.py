"""Documents in a real browser (issue 12): the lead professional opens their episode's
Documents tab, is told clearly what is wrong with an upload missing its file, uploads a
signed consent form (a PDF), reads its page and downloads it: the same bytes, as an
attachment. axe-core finds no serious or critical violation on any page of the way."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pytest
from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import Role, User
from continuum.audit.models import AccessLogEntry
from continuum.documents.models import Document
from continuum.early_help.choices import EpisodeStatus
from continuum.early_help.models import Episode
from continuum.organisations.models import Council
from continuum.testing import factories
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

PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)


@pytest.fixture
def documents_root(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "documents"
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "continuum.documents.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": root},
        },
    }
    return root


def test_the_lead_professional_uploads_a_consent_form_on_an_episode_and_downloads_it(
    browse: Browse,
    make_user: Callable[..., User],
    stockton: Council,
    documents_root: Path,
    tmp_path: Path,
) -> None:
    lead = make_user(Role.EARLY_HELP_PRACTITIONER, council=stockton, username="lead.documents")
    child = a_person(stockton, given_name="Tegan", family_name="Wolstenholme")
    episode = cast(
        Episode,
        factories.EpisodeFactory(
            council=stockton,
            children=[child],
            status=EpisodeStatus.ALLOCATED,
            lead_professional=lead,
            lead_professional_organisation=lead.organisation,
            allocation_reason="Knows the family.",
            allocated_at=timezone.now(),
        ),
    )
    summary = reverse("early_help:episode", args=[episode.pk])
    documents = reverse("documents:episode", args=[episode.pk])
    pdf = tmp_path / "signed-consent.pdf"
    pdf.write_bytes(PDF)
    downloaded = tmp_path / "downloaded.pdf"

    def journey(page: Page) -> None:
        sign_in(page, lead.username)
        page.goto(summary)
        page.get_by_role("link", name="Documents", exact=True).click()
        page.wait_for_url(lambda url: url.endswith(documents))
        assert_accessible(page, "the episode's documents")

        page.get_by_label("Signed consent form").check()
        page.get_by_label("Title").fill("Consent to share information")
        page.get_by_role("button", name="Upload the document").click()
        summary_box = page.locator(".govuk-error-summary")
        assert summary_box.is_visible()
        assert "Select a file" in summary_box.inner_text()
        assert_accessible(page, "the upload form with an error")

        page.get_by_label("Signed consent form").check()
        page.get_by_label("Title").fill("Consent to share information")
        page.get_by_label("Upload a file").set_input_files(str(pdf))
        page.get_by_role("button", name="Upload the document").click()
        page.wait_for_url(lambda url: "/documents/" in url and url != documents)
        assert page.get_by_role("heading", name="Consent to share information").is_visible()
        assert_accessible(page, "the document's page")

        with page.expect_download() as download_info:
            page.get_by_role("button", name="Download signed-consent.pdf").click()
        download = download_info.value
        assert download.suggested_filename == "signed-consent.pdf"
        download.save_as(downloaded)

        page.goto(documents)
        assert page.get_by_role("link", name="Consent to share information").is_visible()
        page.goto(summary)
        assert page.get_by_test_id("documents-panel").is_visible()
        assert_accessible(page, "the episode's summary with its documents")

    browse(journey)
    assert downloaded.read_bytes() == PDF
    document = Document.objects.get()
    assert (documents_root / document.stored_name).read_bytes() == PDF
    # The document's page and the download: one row each for the child.
    assert AccessLogEntry.objects.filter(subject_id=child.pk).count() >= 2
