"""Documents on an early help episode, through its pages: the upload form, the document's
page, the download (as an attachment, never rendered, one access-log row per child) and
the panel on the episode's summary."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from continuum.accounts.models import User
from continuum.audit.models import AccessAction, AccessLogEntry
from continuum.documents.models import Document
from continuum.documents.tests import files
from continuum.early_help.models import Episode
from continuum.people.models import Person

pytestmark = pytest.mark.django_db


def _post(client: Client, episode: Episode, name: str, content: bytes, **extra: str) -> Any:
    data = {
        "kind": "consent_form",
        "title": "Consent to share",
        "file": files.upload(name, content),
    }
    data.update(extra)
    return client.post(reverse("documents:episode", args=[episode.pk]), data)


def test_the_lead_professional_uploads_a_pdf_and_downloads_it(
    client: Client, lead: User, episode: Episode, child: Person, documents_root: Path
) -> None:
    client.force_login(lead)
    response = _post(client, episode, "consent.pdf", files.PDF)
    document = Document.objects.get()
    assert response.status_code == 303
    assert response["Location"] == reverse("documents:detail", args=[document.pk])
    assert document.episode == episode
    assert document.content_type == "application/pdf"
    assert document.size == len(files.PDF)
    assert document.sha256 == hashlib.sha256(files.PDF).hexdigest()
    assert document.scan_result == "not_scanned"
    assert document.uploaded_by == lead
    # Kept under a random name in the private folder, nothing of the uploader's name in it.
    stored = documents_root / document.stored_name
    assert stored.read_bytes() == files.PDF
    assert "consent" not in document.stored_name

    page = client.get(reverse("documents:episode", args=[episode.pk])).content.decode()
    assert "Consent to share" in page
    tab = f'aria-current="page" href="{reverse("documents:episode", args=[episode.pk])}"'
    assert tab in page  # the episode's Documents tab
    summary = client.get(reverse("early_help:episode", args=[episode.pk])).content.decode()
    assert reverse("documents:detail", args=[document.pk]) in summary

    before = AccessLogEntry.objects.count()
    download = client.get(reverse("documents:download", args=[document.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == files.PDF  # type: ignore[attr-defined]
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="consent.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    rows = AccessLogEntry.objects.order_by("pk")[before:]
    assert [(row.subject_id, row.action, row.user_id) for row in rows] == [
        (child.pk, AccessAction.VIEW_RECORD, lead.pk)
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", files.EXECUTABLE, "its content is a EXE file"),
        ("report.pdf", files.plain_zip(), "its content is a ZIP file"),
        ("report.pdf", files.png(), "its content is a PNG image"),
        ("report.exe", files.EXECUTABLE, "must be a PDF"),
        ("report.pdf", b"", "The selected file is empty"),
    ],
)
def test_a_refused_file_shows_why_and_stores_nothing(
    client: Client,
    lead: User,
    episode: Episode,
    documents_root: Path,
    name: str,
    content: bytes,
    message: str,
) -> None:
    client.force_login(lead)
    response = _post(client, episode, name, content)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "govuk-error-summary" in page
    assert "govuk-file-upload--error" in page
    assert not Document.objects.exists()
    assert not documents_root.exists() or not any(documents_root.rglob("*.*"))


def test_a_name_with_folders_keeps_only_its_name(
    client: Client, lead: User, episode: Episode
) -> None:
    """Django's upload parser takes the folders off a file's name before the app sees it
    (the service refuses any that still has them: test_checks)."""
    client.force_login(lead)
    assert _post(client, episode, "../../etc/report.pdf", files.PDF).status_code == 303
    assert Document.objects.get().original_filename == "report.pdf"


def test_a_file_too_large_is_refused_before_it_is_read(
    client: Client, lead: User, episode: Episode, settings: Any
) -> None:
    settings.DOCUMENT_MAX_BYTES = 1024
    client.force_login(lead)
    big = files.PDF + b"%" + b"x" * (200 * 1024)
    response = _post(client, episode, "big.pdf", big)
    assert response.status_code == 413
    assert "The selected file must be smaller than 1 KB" in response.content.decode()
    assert not Document.objects.exists()
