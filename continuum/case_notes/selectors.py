"""Reading case notes, always from ``policy.visible``: the notes on a record, one note as a
reader sees it (in full, or only that a sensitive note exists), and its versions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Prefetch, QuerySet

from continuum.access import policy
from continuum.accounts.models import User
from continuum.case_notes.models import Addendum, CaseNote, ChildSeen
from continuum.case_notes.policies import reads_content_of
from continuum.early_help.models import Episode
from continuum.front_door.models import Contact
from continuum.people.models import Person


def notes(user: User) -> QuerySet[CaseNote]:
    """The notes ``user`` sees, with what a page or an answer shows of them."""
    return (
        policy.visible(user, CaseNote)
        .select_related(
            "author",
            "author_organisation",
            "episode",
            "episode__household",
            "contact",
        )
        .prefetch_related(
            Prefetch(
                "children_seen",
                queryset=ChildSeen.objects.select_related("child").order_by(
                    "child__date_of_birth", "pk"
                ),
            ),
            Prefetch(
                "addenda",
                queryset=Addendum.objects.select_related("author", "author_organisation"),
            ),
        )
    )


def notes_on(
    *, user: User, episode: Episode | None = None, contact: Contact | None = None
) -> QuerySet[CaseNote]:
    """The notes on one episode or contact, newest contact or visit first."""
    found = notes(user)
    if episode is not None:
        found = found.filter(episode=episode)
    if contact is not None:
        found = found.filter(contact=contact)
    return found.order_by("-occurred_at", "-recorded_at", "pk")


@dataclass(frozen=True)
class ShownNote:
    """A note as one reader sees it: ``readable`` False for a sensitive note they may not
    read, whose content (text, who was present, children seen, author, addenda) is then
    withheld."""

    note: CaseNote
    readable: bool

    @property
    def children_seen(self) -> list[ChildSeen]:
        return list(self.note.children_seen.all()) if self.readable else []

    @property
    def addenda(self) -> list[Addendum]:
        return list(self.note.addenda.all()) if self.readable else []


def shown(user: User, note: CaseNote) -> ShownNote:
    return ShownNote(note=note, readable=reads_content_of(user, note))


def shown_notes(user: User, found: QuerySet[CaseNote] | list[CaseNote]) -> list[ShownNote]:
    return [shown(user, note) for note in found]


def subjects_of(note: CaseNote) -> list[Any]:
    """The people a read of the note is about (for the access log): the record's children."""
    if note.episode_id is not None:
        return list(
            Person.objects.filter(early_help_episodes=note.episode_id).values_list("pk", flat=True)
        )
    return list(
        Person.objects.filter(contact_links__contact=note.contact_id).values_list("pk", flat=True)
    )


@dataclass(frozen=True)
class Version:
    number: int
    at: datetime
    who: Any
    note_type: str
    occurred_at: datetime
    present: str
    text: str
    sensitive: bool
    changed: list[str] = field(default_factory=list)


_COMPARED = (
    ("note_type", "Type of note"),
    ("occurred_at", "Date and time"),
    ("present", "Who was present"),
    ("text", "Note"),
    ("sensitive", "Sensitive"),
)


def versions_of(note: CaseNote) -> list[Version]:
    """Every version of the note, the first first, each saying what it changed."""
    records = note.history.select_related("history_user", "history_user__organisation").order_by(
        "history_date", "history_id"
    )
    versions: list[Version] = []
    previous: Any = None
    labels = dict(CaseNote._meta.get_field("note_type").flatchoices)
    for number, record in enumerate(records, start=1):
        changed = []
        if previous is not None:
            changed = [
                label
                for name, label in _COMPARED
                if getattr(record, name) != getattr(previous, name)
            ]
        versions.append(
            Version(
                number=number,
                at=record.history_date,
                who=record.history_user,
                note_type=str(labels.get(record.note_type, record.note_type)),
                occurred_at=record.occurred_at,
                present=record.present,
                text=record.text,
                sensitive=record.sensitive,
                changed=changed,
            )
        )
        previous = record
    return versions
