"""Disposing of documents with the record they sit on (issue 13), called by the
``retention`` app: documents on a contact or an episode go with it, documents on a person
with the person. The rows and their history are deleted, and each file is deleted from the
documents storage once the deletion is committed (never a file without its row being
gone, nor a row pointing at a deleted file)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q

from continuum.documents.models import Document
from continuum.documents.storage import documents_storage
from continuum.people.disposal import delete_with_history


def delete_documents_on(
    *,
    person_ids: Iterable[Any] = (),
    contact_ids: Iterable[Any] = (),
    episode_ids: Iterable[Any] = (),
) -> int:
    """Delete the documents on the records named, and their files; how many went."""
    documents = Document.objects.filter(
        Q(person_id__in=list(person_ids))
        | Q(contact_id__in=list(contact_ids))
        | Q(episode_id__in=list(episode_ids))
    )
    names = [name for name in documents.values_list("stored_name", flat=True) if name]
    count = delete_with_history(documents)

    def delete_files() -> None:
        storage = documents_storage()
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete_files)
    return count
