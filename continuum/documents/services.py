"""Uploading a document (checked, scanned and stored before its row is written; nothing
kept when any step refuses) and deleting one (the row kept, with who, when and why)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import User
from continuum.consent.models import ConsentRecord
from continuum.consent.policies import ConsentAction
from continuum.documents import checks, scanning
from continuum.documents.choices import DocumentKind
from continuum.documents.models import Document
from continuum.documents.policies import DocumentAction
from continuum.documents.storage import documents_storage, random_name
from continuum.early_help.models import Episode
from continuum.errors import InvalidState
from continuum.front_door.models import Contact
from continuum.people.models import Person

Holder = Person | Contact | Episode
TITLE_MAX = 200
DESCRIPTION_MAX = 2000
REASON_MAX = 2000


def _holder_fields(holder: Holder) -> dict[str, Any]:
    if isinstance(holder, Person):
        return {"person": holder}
    if isinstance(holder, Contact):
        return {"contact": holder}
    if isinstance(holder, Episode):
        return {"episode": holder}
    raise ValidationError("A document is on a person, a contact or an episode.")


def _check_words(*, kind: str, title: str, description: str) -> dict[str, str]:
    problems: dict[str, str] = {}
    if kind not in DocumentKind.values:
        problems["kind"] = "Select the type of document"
    if not title.strip():
        problems["title"] = "Enter a title for the document"
    elif len(title) > TITLE_MAX:
        problems["title"] = f"The title must be {TITLE_MAX} characters or fewer"
    if len(description) > DESCRIPTION_MAX:
        problems["description"] = f"The description must be {DESCRIPTION_MAX} characters or fewer"
    return problems


def _chunks(upload: UploadedFile) -> Iterator[bytes]:
    upload.seek(0)
    yield from upload.chunks()


def upload_document(
    *,
    by: User,
    holder: Holder,
    kind: str,
    title: str,
    description: str = "",
    upload: UploadedFile | None,
) -> Document:
    """Keep ``upload`` as a document on ``holder``. Refused, with nothing stored, for a
    user who may not upload there, missing words, or a file of the wrong kind, size or
    name, or one the malware scanner finds infected or cannot scan."""
    fields = _holder_fields(holder)
    policy.require(by, DocumentAction.UPLOAD, holder, "You may not upload documents here.")
    problems = _check_words(kind=kind, title=title, description=description)
    if upload is None:
        problems["file"] = "Select a file"
    if problems:
        raise ValidationError(problems)
    assert upload is not None
    name, found = checks.checked_kind(upload)
    digest = hashlib.sha256()
    size = 0
    for chunk in _chunks(upload):
        digest.update(chunk)
        size += len(chunk)
    checks.check_size(size)  # what arrived, not what was claimed
    try:
        verdict = scanning.configured_scanner().scan(_chunks(upload))
    except scanning.ScannerUnavailable as exc:
        raise checks.refuse(
            "The file could not be checked for viruses. Try again later, or tell your "
            "system administrator if this keeps happening"
        ) from exc
    if verdict.infected:
        raise checks.refuse(f"The selected file contains a virus ({verdict.found})")
    storage = documents_storage()
    upload.seek(0)
    stored_name = storage.save(random_name(), upload)
    try:
        with transaction.atomic():
            return Document.objects.create(
                **fields,
                kind=kind,
                title=title.strip(),
                description=description.strip(),
                original_filename=name,
                content_type=found.mime,
                size=size,
                sha256=digest.hexdigest(),
                stored_name=stored_name,
                scan_result=verdict.result,
                uploaded_by=by,
            )
    except BaseException:
        storage.delete(stored_name)  # nothing kept when the row is not
        raise


@transaction.atomic
def delete_document(*, by: User, document: Document, reason: str) -> Document:
    """Delete ``document`` with a reason: hidden from lists and no longer downloaded, its
    row and history kept (who, when, why)."""
    locked = Document.objects.select_for_update().get(pk=document.pk)
    if locked.is_deleted:
        raise InvalidState("This document has already been deleted.")
    policy.require(
        by,
        DocumentAction.DELETE,
        locked,
        "Only whoever uploaded a document, soon after, or a team manager may delete it.",
    )
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the document is being deleted"})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": f"The reason must be {REASON_MAX} characters or fewer"})
    locked.deleted_at = timezone.now()
    locked.deleted_by = by
    locked.deletion_reason = reason.strip()
    locked._change_reason = "Deleted"  # type: ignore[attr-defined]
    locked.save(update_fields=["deleted_at", "deleted_by", "deletion_reason"])
    return locked


def upload_signed_consent_form(
    *,
    by: User,
    consent: ConsentRecord,
    title: str,
    description: str = "",
    upload: UploadedFile | None,
) -> Document:
    """Keep the signed form of ``consent`` as a consent form document on its person,
    linked to the record. Refused as any upload is, and by those who may not record a
    withdrawal from the record (who works with the person now)."""
    policy.require(
        by, ConsentAction.WITHDRAW, consent, "You may not add a signed form to this consent."
    )
    with transaction.atomic():
        document = upload_document(
            by=by,
            holder=consent.person,
            kind=DocumentKind.CONSENT_FORM,
            title=title,
            description=description,
            upload=upload,
        )
        try:
            document.consent_record = consent
            document._change_reason = "Linked to its consent record"  # type: ignore[attr-defined]
            document.save(update_fields=["consent_record"])
        except BaseException:
            documents_storage().delete(document.stored_name)  # nothing kept when the row is not
            raise
    return document
