"""Disposing of case notes with the record they sit on (issue 13), called by the
``retention`` app: the notes, their addenda, the children seen, the chronology entries
written from them and every historical copy are deleted (no indicator counts them)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q

from continuum.case_notes.models import Addendum, CaseNote, ChildSeen
from continuum.people.disposal import delete_chronology_from, delete_with_history


def delete_notes_on(*, contact_ids: Iterable[Any] = (), episode_ids: Iterable[Any] = ()) -> int:
    """Delete every note on the contacts and episodes named; how many notes went."""
    notes = CaseNote.objects.filter(
        Q(contact_id__in=list(contact_ids)) | Q(episode_id__in=list(episode_ids))
    )
    ids = list(notes.values_list("pk", flat=True))
    if not ids:
        return 0
    delete_chronology_from(f"case_notes.note:{pk}" for pk in ids)
    delete_with_history(Addendum.objects.filter(note_id__in=ids))
    delete_with_history(ChildSeen.objects.filter(note_id__in=ids))
    return delete_with_history(CaseNote.objects.filter(pk__in=ids))
