"""Reading documents, always from ``policy.visible``, and writing the access log for each
read: a document's page, its metadata through the API and each download is a read of the
record of each person it concerns (one row per person, as for the record's own page)."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.http import HttpRequest

from continuum.access import policy
from continuum.accounts.models import User
from continuum.audit.models import AccessAction
from continuum.audit.services import log_access
from continuum.consent.models import ConsentRecord
from continuum.documents.models import Document
from continuum.early_help.models import Episode
from continuum.front_door.models import Contact
from continuum.people.models import Person
from continuum.people.selectors import break_glass_for_read

Holder = Person | Contact | Episode


def on_filter(holder: Holder) -> dict[str, Holder]:
    if isinstance(holder, Person):
        return {"person": holder}
    if isinstance(holder, Contact):
        return {"contact": holder}
    return {"episode": holder}


def documents_on(*, user: User, holder: Holder) -> QuerySet[Document]:
    """The documents on ``holder`` that ``user`` may see, newest first (deleted ones not)."""
    return (
        policy.visible(user, Document)
        .filter(**on_filter(holder), deleted_at__isnull=True)
        .select_related("uploaded_by")
        .order_by("-uploaded_at")
    )


def deleted_on(*, user: User, holder: Holder) -> QuerySet[Document]:
    """The deleted documents on ``holder`` ``user`` may see: who deleted each and why."""
    return (
        policy.visible(user, Document)
        .filter(**on_filter(holder), deleted_at__isnull=False)
        .select_related("deleted_by")
        .order_by("-deleted_at")
    )


def subjects_of(document: Document) -> list[uuid.UUID]:
    """The people whose record a document is part of: its person, or the children of its
    contact or episode."""
    if document.person_id is not None:
        return [document.person_id]
    if document.contact_id is not None:
        return list(
            Person.objects.filter(contact_links__contact_id=document.contact_id).values_list(
                "pk", flat=True
            )
        )
    return list(
        Person.objects.filter(early_help_episodes=document.episode).values_list("pk", flat=True)
    )


def log_read(request: HttpRequest, *, user: User, document: Document, action: AccessAction) -> None:
    """One access-log row for each person whose record ``document`` is part of, with the
    reason of the emergency (break-glass) grant it is read through, as the record's own
    pages record it."""
    for person in Person.objects.filter(pk__in=subjects_of(document)).order_by("pk"):
        grant = break_glass_for_read(user=user, person=person)
        log_access(
            request=request,
            user=user,
            subject_id=person.pk,
            action=action,
            break_glass_reason=grant.reason if grant else "",
        )


def signed_forms_of(*, user: User, consent: ConsentRecord) -> QuerySet[Document]:
    """The signed forms of a consent record ``user`` may see, newest first (deleted ones
    not)."""
    return (
        policy.visible(user, Document)
        .filter(consent_record=consent, deleted_at__isnull=True)
        .select_related("uploaded_by")
        .order_by("-uploaded_at")
    )
