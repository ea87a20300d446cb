"""Case notes over JSON: the notes on an episode and on a contact (list, record), one note
(read; change within the edit window, 409 after; its versions) and addenda.

A sensitive note a reader may not read answers ``content_withheld: true`` with its date,
type and author's organisation only (the other fields null). Every read writes one
access-log row for each child of the note's episode or contact.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.responses import Status

from continuum.access import policy
from continuum.access.requests import user_of
from continuum.audit.models import AccessAction
from continuum.audit.services import log_access
from continuum.case_notes import selectors, services
from continuum.case_notes.choices import NoteType
from continuum.case_notes.models import Addendum, CaseNote
from continuum.case_notes.policies import contacts_noted_by
from continuum.early_help.models import Episode
from continuum.front_door.models import Contact
from continuum.ui.api import MessageOut, WholeList, paginated

router = Router(tags=["case notes"])


# --- schemas ---------------------------------------------------------------------------------


class ChildSeenIn(Schema):
    child: uuid.UUID = Field(description="A child of the episode or contact.")
    seen: bool = False
    seen_alone: bool = Field(False, description="A child seen alone was seen: needs seen.")


class NoteIn(Schema):
    note_type: str = Field(description=", ".join(NoteType.values))
    occurred_at: datetime = Field(
        description="When the contact or visit happened (not in the future); local time "
        "(Europe/London) unless an offset is given."
    )
    present: str = Field("", description="Who was present.")
    text: str = Field(description="The note.")
    sensitive: bool = Field(
        False,
        description="Read only by the lead professional's organisation and the council's staff.",
    )
    children_seen: list[ChildSeenIn] = Field(
        default_factory=list, description="Children not listed were not seen."
    )


class NotePatch(Schema):
    version: int = Field(description="The version you read; a stale one answers 409.", ge=1)
    note_type: str | None = None
    occurred_at: datetime | None = None
    present: str | None = None
    text: str | None = None
    sensitive: bool | None = None
    children_seen: list[ChildSeenIn] | None = None


class AddendumIn(Schema):
    text: str


class AddendumOut(Schema):
    id: int
    text: str
    author: str
    author_organisation: str | None
    recorded_at: datetime

    @staticmethod
    def resolve_author(addendum: Addendum) -> str:
        return addendum.author.get_full_name() or addendum.author.username

    @staticmethod
    def resolve_author_organisation(addendum: Addendum) -> str | None:
        organisation = addendum.author_organisation
        return organisation.name if organisation else None


class ChildSeenOut(Schema):
    child: uuid.UUID
    name: str
    seen: bool
    seen_alone: bool


class NoteOut(Schema):
    id: uuid.UUID
    episode: uuid.UUID | None
    contact: uuid.UUID | None
    note_type: str
    occurred_at: datetime
    recorded_at: datetime
    sensitive: bool
    author_organisation: str | None
    content_withheld: bool = Field(
        description="A sensitive note you may not read: only its date, type and author's "
        "organisation are given."
    )
    version: int | None
    editable_until: datetime | None
    author: str | None
    present: str | None
    text: str | None
    children_seen: list[ChildSeenOut] | None
    addenda: list[AddendumOut] | None


class VersionOut(Schema):
    number: int
    at: datetime
    by: str | None
    note_type: str
    occurred_at: datetime
    present: str
    text: str
    sensitive: bool
    changed: list[str]


def _out(shown: selectors.ShownNote) -> dict[str, object]:
    note = shown.note
    answer: dict[str, object] = {
        "id": note.pk,
        "episode": note.episode_id,
        "contact": note.contact_id,
        "note_type": note.note_type,
        "occurred_at": note.occurred_at,
        "recorded_at": note.recorded_at,
        "sensitive": note.sensitive,
        "author_organisation": note.author_organisation.name if note.author_organisation else None,
        "content_withheld": not shown.readable,
    }
    if not shown.readable:
        return {
            **answer,
            **dict.fromkeys(
                (
                    "version",
                    "editable_until",
                    "author",
                    "present",
                    "text",
                    "children_seen",
                    "addenda",
                )
            ),
        }
    return {
        **answer,
        "version": note.version,
        "editable_until": services.editable_until(note),
        "author": note.author.get_full_name() or note.author.username,
        "present": note.present,
        "text": note.text,
        "children_seen": [
            {
                "child": row.child_id,
                "name": row.child.full_name,
                "seen": row.seen,
                "seen_alone": row.seen_alone,
            }
            for row in shown.children_seen
        ],
        "addenda": shown.addenda,
    }


# --- helpers ---------------------------------------------------------------------------------


def _log(request: HttpRequest, subjects: list[uuid.UUID]) -> None:
    user = user_of(request)
    for subject in subjects:
        log_access(request=request, user=user, subject_id=subject, action=AccessAction.API_READ)


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def _seen(rows: list[ChildSeenIn]) -> dict[uuid.UUID, tuple[bool, bool]]:
    return {row.child: (row.seen, row.seen_alone) for row in rows}


def _contact(request: HttpRequest, contact_id: uuid.UUID) -> Contact:
    contact = contacts_noted_by(user_of(request)).filter(pk=contact_id).first()
    if contact is None:
        raise Http404
    return contact


def _note(request: HttpRequest, note_id: uuid.UUID) -> CaseNote:
    policy.get_visible_or_404(user_of(request), CaseNote, note_id)
    return selectors.notes(user_of(request)).get(pk=note_id)


def _record(request: HttpRequest, record: Episode | Contact, payload: NoteIn) -> Status[dict]:
    on = {"episode": record} if isinstance(record, Episode) else {"contact": record}
    note = services.record_note(
        by=user_of(request),
        **on,
        note_type=payload.note_type,
        occurred_at=_aware(payload.occurred_at),
        present=payload.present,
        text=payload.text,
        sensitive=payload.sensitive,
        children_seen=_seen(payload.children_seen),
    )
    found = selectors.notes(user_of(request)).get(pk=note.pk)
    return Status(201, _out(selectors.shown(user_of(request), found)))


# --- endpoints -------------------------------------------------------------------------------


@router.get("/episodes/{episode_id}/notes", response=list[NoteOut], summary="An episode's notes")
@paginated(WholeList)
def episode_notes(request: HttpRequest, episode_id: uuid.UUID) -> list[dict[str, object]]:
    """Newest contact or visit first."""
    user = user_of(request)
    episode = policy.get_visible_or_404(user, Episode, episode_id)
    _log(request, list(episode.children.values_list("pk", flat=True)))
    found = selectors.notes_on(user=user, episode=episode)
    return [_out(shown) for shown in selectors.shown_notes(user, found)]


@router.post(
    "/episodes/{episode_id}/notes",
    response={201: NoteOut, 409: MessageOut},
    summary="Record a note on an episode",
)
def record_episode_note(
    request: HttpRequest, episode_id: uuid.UUID, payload: NoteIn
) -> Status[dict]:
    """The lead professional, the council's early help staff and the TAF's members, while
    the episode is open."""
    episode = policy.get_visible_or_404(user_of(request), Episode, episode_id)
    return _record(request, episode, payload)


@router.get("/contacts/{contact_id}/notes", response=list[NoteOut], summary="A contact's notes")
@paginated(WholeList)
def contact_notes(request: HttpRequest, contact_id: uuid.UUID) -> list[dict[str, object]]:
    """The staff of the contact's council who see it; never the referrer."""
    user = user_of(request)
    contact = _contact(request, contact_id)
    _log(request, list(contact.child_links.values_list("person_id", flat=True)))
    found = selectors.notes_on(user=user, contact=contact)
    return [_out(shown) for shown in selectors.shown_notes(user, found)]


@router.post(
    "/contacts/{contact_id}/notes",
    response={201: NoteOut, 409: MessageOut},
    summary="Record a note on a contact",
)
def record_contact_note(
    request: HttpRequest, contact_id: uuid.UUID, payload: NoteIn
) -> Status[dict]:
    """The front door of the contact's council."""
    return _record(request, _contact(request, contact_id), payload)


@router.get("/notes/{note_id}", response=NoteOut, summary="A case note")
def get_note(request: HttpRequest, note_id: uuid.UUID) -> dict[str, object]:
    note = _note(request, note_id)
    _log(request, selectors.subjects_of(note))
    return _out(selectors.shown(user_of(request), note))


@router.patch(
    "/notes/{note_id}",
    response={200: NoteOut, 409: MessageOut},
    summary="Change a case note (its author, within the edit window)",
)
def change_note(request: HttpRequest, note_id: uuid.UUID, payload: NotePatch) -> dict[str, object]:
    """Fields left out keep their value. After ``CASE_NOTE_EDIT_MINUTES`` (60 unless set)
    answers 409: add an addendum instead. Every version is kept."""
    note = _note(request, note_id)
    current = {
        "note_type": note.note_type,
        "occurred_at": note.occurred_at,
        "present": note.present,
        "text": note.text,
        "sensitive": note.sensitive,
    }
    given = payload.dict(exclude_unset=True)
    fields = {key: given.get(key, value) for key, value in current.items()}
    if "children_seen" in given and payload.children_seen is not None:
        children_seen = _seen(payload.children_seen)
    else:
        children_seen = {
            row.child_id: (row.seen, row.seen_alone) for row in note.children_seen.all()
        }
    services.edit_note(
        note=note,
        by=user_of(request),
        expected_version=payload.version,
        note_type=fields["note_type"] or "",
        occurred_at=_aware(fields["occurred_at"]),
        present=fields["present"] or "",
        text=fields["text"] if fields["text"] is not None else "",
        sensitive=bool(fields["sensitive"]),
        children_seen=children_seen,
    )
    found = selectors.notes(user_of(request)).get(pk=note.pk)
    return _out(selectors.shown(user_of(request), found))


@router.get(
    "/notes/{note_id}/versions", response=list[VersionOut], summary="A case note's versions"
)
@paginated(WholeList)
def note_versions(request: HttpRequest, note_id: uuid.UUID) -> list[dict[str, object]]:
    """Every version, the first first; a sensitive note you may not read has none to show."""
    note = _note(request, note_id)
    _log(request, selectors.subjects_of(note))
    if not selectors.shown(user_of(request), note).readable:
        return []
    return [
        {
            **version.__dict__,
            "by": (version.who.get_full_name() or version.who.username) if version.who else None,
        }
        for version in selectors.versions_of(note)
    ]


@router.post(
    "/notes/{note_id}/addenda",
    response={201: AddendumOut, 409: MessageOut},
    summary="Add an addendum beneath a note",
)
def add_addendum(request: HttpRequest, note_id: uuid.UUID, payload: AddendumIn) -> Status[Addendum]:
    note = _note(request, note_id)
    return Status(201, services.add_addendum(note=note, by=user_of(request), text=payload.text))
