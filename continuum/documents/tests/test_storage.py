"""Where documents' files are kept: the "documents" storage, a private folder by default
(never under the static or media folders, never given a URL, no URL serving it), or
S3-compatible storage by setting (private objects, no overwriting). Files are kept under
random names, and the same file uploaded twice is kept twice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import Resolver404, resolve
from storages.backends.s3 import S3Storage

from continuum import settings as settings_module
from continuum.accounts.models import User
from continuum.documents.models import Document
from continuum.documents.services import upload_document
from continuum.documents.storage import PrivateFileSystemStorage, documents_storage
from continuum.documents.tests import files
from continuum.early_help.models import Episode


def _inside(path: Path, folder: Any) -> bool:
    if not folder:
        return False
    return Path(path).resolve().is_relative_to(Path(folder).resolve())


def test_by_default_the_files_are_in_a_private_folder_outside_static_and_media() -> None:
    configured = settings_module.documents_storage("filesystem", settings_module.DOCUMENTS_ROOT)
    assert configured["BACKEND"] == "continuum.documents.storage.PrivateFileSystemStorage"
    root = Path(configured["OPTIONS"]["location"])
    assert root == django_settings.VAR_DIR / "documents"
    assert not _inside(root, django_settings.STATIC_ROOT)
    assert not _inside(root, django_settings.MEDIA_ROOT)
    for entry in django_settings.STATICFILES_DIRS:
        folder = Path(str(entry[1] if isinstance(entry, tuple) else entry))
        assert not _inside(root, folder)
        assert not _inside(folder, root)


def test_the_private_storage_makes_no_url(tmp_path: Path) -> None:
    with pytest.raises(NotImplementedError, match="never served from a URL"):
        PrivateFileSystemStorage(location=tmp_path).url("ab/abcdef")


def test_s3_storage_by_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCUMENTS_S3_BUCKET", "council-documents")
    monkeypatch.setenv("DOCUMENTS_S3_ENDPOINT_URL", "https://s3.example.gov.uk")
    monkeypatch.setenv("DOCUMENTS_S3_REGION", "eu-west-2")
    configured = settings_module.documents_storage("s3", Path("/unused"))
    assert configured["BACKEND"] == "storages.backends.s3.S3Storage"
    storage = S3Storage(**configured["OPTIONS"])
    assert storage.bucket_name == "council-documents"
    assert storage.endpoint_url == "https://s3.example.gov.uk"
    assert storage.default_acl == "private"
    assert storage.file_overwrite is False
    assert storage.location == "documents"


def test_another_storage_is_refused() -> None:
    with pytest.raises(ImproperlyConfigured):
        settings_module.documents_storage("ftp", Path("/unused"))


@pytest.mark.django_db
def test_files_land_in_the_documents_storage_under_random_names(
    lead: User, episode: Episode, documents_root: Path, client: Client
) -> None:
    first, second = (
        upload_document(
            by=lead,
            holder=episode,
            kind="report",
            title="Report",
            upload=files.upload("report.pdf", files.PDF),
        )
        for _ in range(2)
    )
    assert first.stored_name != second.stored_name
    for document in (first, second):
        stored = documents_root / document.stored_name
        assert stored.read_bytes() == files.PDF
        assert documents_storage().exists(document.stored_name)
        assert "report" not in document.stored_name
        assert Path(document.stored_name).suffix == ""
        # No URL of the site leads to it: not the stored name, not under /assets/.
        for url in (f"/{document.stored_name}", f"/assets/{document.stored_name}"):
            with pytest.raises(Resolver404):
                resolve(url)
    client.force_login(lead)
    assert client.get(f"/documents/{first.stored_name}").status_code == 404
    assert Document.objects.count() == 2
