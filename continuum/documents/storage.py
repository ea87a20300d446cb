"""Where documents' files are kept: Django's storage "documents" (``STORAGES`` in settings),
a private folder by default or S3-compatible storage by setting (docs/documents.md).

No URL ever serves a document's file: the filesystem storage has no URL at all, and the app
streams a download only after asking the policy (``views.download``)."""

from __future__ import annotations

import uuid

from django.core.files.storage import FileSystemStorage, Storage, storages

STORAGE_ALIAS = "documents"


class PrivateFileSystemStorage(FileSystemStorage):
    """A folder no web server serves: asking for a file's URL is a mistake, refused."""

    def url(self, name: str | None) -> str:
        raise NotImplementedError(
            "Documents are never served from a URL: they are downloaded through the app."
        )


def documents_storage() -> Storage:
    return storages[STORAGE_ALIAS]


def random_name() -> str:
    """A name for a new file: random, in one of 256 folders, with nothing of the uploader's
    file name (nor its extension) in it."""
    token = uuid.uuid4().hex
    return f"{token[:2]}/{token}"
