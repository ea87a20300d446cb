"""Recording case notes, changing them within the edit window, and adding addenda.

Each service asks the policy, checks the whole input (every problem keyed by its field,
nothing saved), and is atomic. Every version of a note is kept by django-simple-history
with its author; a note recorded also writes an entry in each child's chronology, linking
back to the note (its content stays on the note, behind the note's own rules).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import User
from continuum.case_notes.choices import NoteType
from continuum.case_notes.models import Addendum, CaseNote, ChildSeen
from continuum.case_notes.policies import CaseNoteAction, record_of
from continuum.early_help.models import Episode
from continuum.errors import InvalidState
from continuum.front_door.models import Contact
from continuum.optimistic_locking import claim_version
from continuum.people.choices import ChronologyCategory
from continuum.people.models import ChronologyEvent, Person
from continuum.people.services import record_chronology_event

# For each child of the record, by id: (seen, seen alone).
ChildrenSeen = Mapping[uuid.UUID, tuple[bool, bool]]

TEXT_REQUIRED = "Enter the note."
WINDOW_CLOSED = (
    "This note can no longer be changed: its author may change it for {minutes} minutes "
    "after recording it. Add an addendum instead."
)


def edit_minutes() -> int:
    return int(settings.CASE_NOTE_EDIT_MINUTES)


def editable_until(note: CaseNote) -> datetime:
    return note.recorded_at + timedelta(minutes=edit_minutes())


def within_edit_window(note: CaseNote, now: datetime | None = None) -> bool:
    return (now or timezone.now()) < editable_until(note)


def children_of(record: Episode | Contact) -> list[Person]:
    """The children a note on ``record`` records as seen or not: the episode's children, or
    the children named on the contact; youngest last."""
    if isinstance(record, Episode):
        return list(record.children.order_by("date_of_birth", "pk"))
    return list(
        Person.objects.filter(contact_links__contact=record).order_by("date_of_birth", "pk")
    )


def _source(note: CaseNote) -> str:
    return f"case_notes.note:{note.pk}"


def _check(
    *,
    record: Episode | Contact,
    note_type: str,
    occurred_at: datetime | None,
    text: str,
    children_seen: ChildrenSeen,
) -> dict[uuid.UUID, tuple[bool, bool]]:
    """Every problem with a note's input at once, keyed by field; the children seen, one
    entry for each child of the record, otherwise."""
    errors: dict[str, list[str]] = {}
    if note_type not in NoteType.values:
        errors["note_type"] = ["Choose the type of note."]
    if occurred_at is None:
        errors["occurred_at"] = ["Enter the date and time of the contact or visit."]
    elif occurred_at > timezone.now():
        errors["occurred_at"] = ["The date and time of the contact or visit must be in the past."]
    if not text.strip():
        errors["text"] = [TEXT_REQUIRED]
    children = {child.pk: child for child in children_of(record)}
    unknown = [str(pk) for pk in children_seen if pk not in children]
    if unknown:
        errors["children_seen"] = [f"Not a child of this record: {', '.join(unknown)}."]
    alone_not_seen = [
        children[pk].full_name
        for pk, (seen, alone) in children_seen.items()
        if pk in children and alone and not seen
    ]
    if alone_not_seen:
        errors.setdefault("children_seen", []).append(
            f"A child seen alone was seen: {', '.join(alone_not_seen)} is marked seen alone "
            "but not seen."
        )
    if errors:
        raise ValidationError(errors)
    return {pk: children_seen.get(pk, (False, False)) for pk in children}


def _save(obj: Any, *, by: User) -> None:
    obj._history_user = by
    obj.save()


@transaction.atomic
def record_note(
    *,
    by: User,
    episode: Episode | None = None,
    contact: Contact | None = None,
    note_type: str,
    occurred_at: datetime | None,
    text: str,
    present: str = "",
    sensitive: bool = False,
    children_seen: ChildrenSeen | None = None,
) -> CaseNote:
    """A note on ``episode`` or ``contact`` (exactly one), with a chronology entry for each
    of its children linking back to it."""
    if (episode is None) == (contact is None):
        raise ValueError("A case note is on an episode or a contact, exactly one.")
    record: Episode | Contact = episode if episode is not None else contact  # type: ignore[assignment]
    policy.require(by, CaseNoteAction.WRITE, record, "You may not write notes on this record.")
    seen = _check(
        record=record,
        note_type=note_type,
        occurred_at=occurred_at,
        text=text,
        children_seen=children_seen or {},
    )
    assert occurred_at is not None
    note = CaseNote(
        episode=episode,
        contact=contact,
        note_type=note_type,
        occurred_at=occurred_at,
        present=present.strip(),
        text=text.strip(),
        sensitive=sensitive,
        author=by,
        author_organisation=by.organisation,
    )
    _save(note, by=by)
    for child_id, (was_seen, alone) in seen.items():
        _save(ChildSeen(note=note, child_id=child_id, seen=was_seen, seen_alone=alone), by=by)
        record_chronology_event(
            person=Person.objects.get(pk=child_id),
            occurred_on=timezone.localdate(occurred_at),
            category=ChronologyCategory.EARLY_HELP if episode else ChronologyCategory.CONTACT,
            title=f"Case note: {note.get_note_type_display().lower()}",
            source=_source(note),
            recorded_by=by,
        )
    return note


@transaction.atomic
def edit_note(
    *,
    note: CaseNote,
    by: User,
    expected_version: int,
    note_type: str,
    occurred_at: datetime | None,
    text: str,
    present: str = "",
    sensitive: bool = False,
    children_seen: ChildrenSeen | None = None,
) -> CaseNote:
    """Change a note: its author, within the edit window. The version before is kept."""
    policy.require(by, CaseNoteAction.EDIT, note, "Only the note's author may change it.")
    if not within_edit_window(note):
        raise InvalidState(WINDOW_CLOSED.format(minutes=edit_minutes()))
    seen = _check(
        record=record_of(note),
        note_type=note_type,
        occurred_at=occurred_at,
        text=text,
        children_seen=children_seen or {},
    )
    assert occurred_at is not None
    claim_version(note, expected_version, what="note")
    moved = timezone.localdate(occurred_at) != timezone.localdate(note.occurred_at)
    note.note_type = note_type
    note.occurred_at = occurred_at
    note.present = present.strip()
    note.text = text.strip()
    note.sensitive = sensitive
    _save(note, by=by)
    rows = {row.child_id: row for row in note.children_seen.all()}
    for child_id, (was_seen, alone) in seen.items():
        row = rows.get(child_id) or ChildSeen(note=note, child_id=child_id)
        if row.pk is None or (row.seen, row.seen_alone) != (was_seen, alone):
            row.seen, row.seen_alone = was_seen, alone
            _save(row, by=by)
    title = f"Case note: {note.get_note_type_display().lower()}"
    for event in ChronologyEvent.objects.filter(source=_source(note)):
        if moved or event.title != title:
            event.occurred_on = timezone.localdate(occurred_at)
            event.title = title
            _save(event, by=by)
    return note


@transaction.atomic
def add_addendum(*, note: CaseNote, by: User, text: str) -> Addendum:
    """An addendum beneath the note; the note itself is not changed."""
    policy.require(
        by, CaseNoteAction.ADD_ADDENDUM, note, "You may not add an addendum to this note."
    )
    if not text.strip():
        raise ValidationError({"text": ["Enter the addendum."]})
    addendum = Addendum(
        note=note, text=text.strip(), author=by, author_organisation=by.organisation
    )
    _save(addendum, by=by)
    return addendum
