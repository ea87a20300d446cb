"""The permission matrix for a document (issue 12): permission_matrix.csv's document rows,
one test per row. Each builds the situation (a document on an episode, a person or a
contact, ``matrix.situations.build_document``) and checks the document's page and download,
its API detail and content, whether the record's documents page and the API list it and
count it, and uploading on the record. A document the user may not see is 404 everywhere
and never listed; a refused upload stores nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from continuum.documents.models import Document
from continuum.early_help.models import Episode
from continuum.organisations.models import Council
from continuum.people.models import Person
from continuum.tests.matrix.checks import RecordCheck, signed_in
from continuum.tests.matrix.rows import DOCUMENT_ROWS, Row
from continuum.tests.matrix.situations import MATRIX_PDF, build_document


@pytest.fixture(autouse=True)
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


def _holder_name(holder: Any) -> str:
    if isinstance(holder, Person):
        return "person"
    if isinstance(holder, Episode):
        return "episode"
    return "contact"


@pytest.mark.parametrize("row", DOCUMENT_ROWS, ids=[row.id for row in DOCUMENT_ROWS])
def test_document_permission_matrix(
    row: Row, stockton: Council, hartlepool: Council, shared_client: Client
) -> None:
    user, document, holder = build_document(row, stockton, hartlepool)
    client = signed_in(shared_client, user)
    check = RecordCheck(client, row)
    check.page("documents:detail", document.pk)
    download = client.get(reverse("documents:download", args=[document.pk]))
    if row.expected["view_page"]:
        if download.status_code != 200 or download.getvalue() != MATRIX_PDF:
            check.fail("view_page", f"download -> {download.status_code}")
    elif download.status_code != 404:
        check.fail("view_page", f"download -> {download.status_code}")
    api = f"/api/v1/documents/{document.pk}"
    check.api_detail(api, document.pk)
    content = client.get(f"{api}/content").status_code
    if content != (200 if row.expected["view_api"] else 404):
        check.fail("view_api", f"GET {api}/content -> {content}")
    name = _holder_name(holder)
    check.api_list(f"/api/v1/documents?{name}={holder.pk}", document.pk)
    page_url = reverse(f"documents:{name}", args=[holder.pk])
    page = client.get(page_url)
    link = reverse("documents:detail", args=[document.pk])
    listed = page.status_code == 200 and link in page.content.decode()
    if listed != row.expected["search"]:
        check.fail("search", f"GET {page_url} -> {page.status_code}, lists it: {listed}")
    before = Document.objects.count()
    upload = SimpleUploadedFile("consent.pdf", MATRIX_PDF, content_type="application/pdf")
    status = client.post(
        page_url, {"kind": "consent_form", "title": "Signed consent", "file": upload}
    ).status_code
    check.work("work", f"POST {page_url}", status, 303, Document.objects.count() > before)
    check.assert_as_expected()
