"""The documents API under /api/v1/documents: list the documents on a person, a contact or
an episode; upload one (a multipart form); read one's details; download its content. Each
read of a document (details or content) writes one access-log row for each person it
concerns. A document the user may not see is 404."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status
from pydantic import Field

from continuum.access import policy
from continuum.access.requests import user_of
from continuum.audit.models import AccessAction
from continuum.documents import selectors, services
from continuum.documents.choices import FILE_KINDS, DocumentKind, ScanResult
from continuum.documents.models import Document
from continuum.documents.views import file_response
from continuum.early_help.models import Episode
from continuum.front_door.models import Contact
from continuum.people.models import Person
from continuum.ui.api import fields_at, invalid, limit_offset, paginated

router = Router(tags=["documents"])
Pages = limit_offset("DocumentPages", default=50, maximum=200)
HOLDERS: dict[str, Any] = {"person": Person, "contact": Contact, "episode": Episode}
BINARY = {"type": "string", "format": "binary"}


class DocumentOut(Schema):
    id: uuid.UUID
    person: uuid.UUID | None = Field(description="The person it is on, if on a person.")
    contact: uuid.UUID | None = Field(description="The contact it is on, if on a contact.")
    episode: uuid.UUID | None = Field(description="The episode it is on, if on an episode.")
    kind: DocumentKind
    title: str
    description: str
    original_filename: str
    content_type: str = Field(description="Detected from the file's content.")
    size: int
    sha256: str
    scan_result: ScanResult
    uploaded_by: str
    uploaded_at: datetime
    deleted_at: datetime | None
    deletion_reason: str
    content_url: str | None = Field(description="Where to download it (none once deleted).")

    @staticmethod
    def resolve_person(document: Document) -> uuid.UUID | None:
        return document.person_id

    @staticmethod
    def resolve_contact(document: Document) -> uuid.UUID | None:
        return document.contact_id

    @staticmethod
    def resolve_episode(document: Document) -> uuid.UUID | None:
        return document.episode_id

    @staticmethod
    def resolve_uploaded_by(document: Document) -> str:
        return document.uploaded_by.get_full_name() or document.uploaded_by.username

    @staticmethod
    def resolve_content_url(document: Document) -> str | None:
        return None if document.is_deleted else f"/api/v1/documents/{document.pk}/content"


class DocumentFilters(Schema):
    person: uuid.UUID | None = None
    contact: uuid.UUID | None = None
    episode: uuid.UUID | None = None


@router.get("", response=list[DocumentOut], url_name="documents-upload", summary="List documents")
@paginated(Pages)
def list_documents(request: HttpRequest, filters: Query[DocumentFilters]) -> QuerySet[Document]:
    """The documents you may see, newest first, on one person, contact or episode (give
    one of ``person``, ``contact``, ``episode``) or, with none, everywhere. Deleted
    documents are not listed."""
    given = {name: value for name, value in filters.dict().items() if value is not None}
    if len(given) > 1:
        raise invalid(
            [(("query", name), "Give one of person, contact or episode.") for name in given]
        )
    documents = policy.visible(user_of(request), Document).filter(deleted_at__isnull=True)
    for name, value in given.items():
        documents = documents.filter(**{f"{name}_id": value})
    return documents.select_related("uploaded_by").order_by("-uploaded_at", "pk")


@router.post(
    "",
    response={201: DocumentOut},
    url_name="documents-upload",
    summary="Upload a document",
)
@fields_at(under=("form",))
def upload(
    request: HttpRequest,
    file: File[UploadedFile],
    kind: Form[str],
    title: Form[str],
    description: Form[str] = "",
    person: Form[str] = "",
    contact: Form[str] = "",
    episode: Form[str] = "",
) -> Status:
    """Multipart: ``file``, ``kind``, ``title``, optional ``description``, and exactly one
    of ``person``, ``contact`` or ``episode`` (its id). The file's type is read from its
    content; a file too large is refused with 413 before it is read."""
    user = user_of(request)
    given = {
        name: value.strip()
        for name, value in (("person", person), ("contact", contact), ("episode", episode))
        if value.strip()
    }
    if len(given) != 1:
        message = "Give exactly one of person, contact or episode: the record it is on."
        names = list(given) or ["person"]
        raise invalid([(("form", name), message) for name in names])
    ((name, value),) = given.items()
    try:
        holder = policy.get_visible_or_404(user, HOLDERS[name], value)
    except Http404 as exc:
        raise invalid([(("form", name), f"There is no {name} with that id you may see.")]) from exc
    document = services.upload_document(
        by=user, holder=holder, kind=kind, title=title, description=description, upload=file
    )
    return Status(201, document)


@router.get("/{uuid:document_id}", response=DocumentOut, summary="A document's details")
def get_document(request: HttpRequest, document_id: uuid.UUID) -> Document:
    user = user_of(request)
    document = policy.get_visible_or_404(user, Document, document_id)
    selectors.log_read(request, user=user, document=document, action=AccessAction.API_READ)
    return document


@router.get(
    "/{uuid:document_id}/content",
    response={200: None},
    summary="Download a document",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file, as an attachment, of the type its content was "
                "detected as on upload.",
                "content": {kind.mime: {"schema": BINARY} for kind in FILE_KINDS},
            }
        }
    },
)
def download(request: HttpRequest, document_id: uuid.UUID) -> Any:
    user = user_of(request)
    document = policy.get_visible_or_404(user, Document, document_id)
    if document.is_deleted:
        raise Http404("This document has been deleted.")
    selectors.log_read(request, user=user, document=document, action=AccessAction.API_READ)
    return file_response(document)


class DeletionIn(Schema):
    reason: str = Field(description="Why it is deleted (kept with the document).")


@router.post(
    "/{uuid:document_id}/deletion",
    response=DocumentOut,
    summary="Delete a document (kept, with the reason)",
)
def delete_document(request: HttpRequest, document_id: uuid.UUID, body: DeletionIn) -> Document:
    """Its uploader within ``DOCUMENT_DELETE_MINUTES`` of uploading it, or a team manager of
    the record's council, with a reason. The document is no longer listed or downloaded;
    its row and history are kept. 409 if it is already deleted."""
    document = policy.get_visible_or_404(user_of(request), Document, document_id)
    return services.delete_document(by=user_of(request), document=document, reason=body.reason)
