"""Carrying out the disposal of one record: each part deleted or anonymised by the app that
owns it, in one transaction; the counts by kind go on the certificate."""

from __future__ import annotations

from collections import Counter

from continuum.case_notes.disposal import delete_notes_on
from continuum.consent.disposal import anonymise_consent_of
from continuum.documents.disposal import delete_documents_on
from continuum.early_help.disposal import anonymise_episode
from continuum.early_help.models import Episode
from continuum.front_door.disposal import anonymise_contact, anonymise_notification
from continuum.people.disposal import anonymise_person
from continuum.retention.choices import HeldKind, RecordKind


def _contact(contact_id: str, counts: Counter[str]) -> None:
    counts[RecordKind.CASE_NOTE] += delete_notes_on(contact_ids=[contact_id])
    counts[RecordKind.DOCUMENT] += delete_documents_on(contact_ids=[contact_id])
    anonymise_contact(contact_id)


def dispose_record(kind: str, record_id: str) -> Counter[str]:
    """Dispose of the record and what sits on it; how many of each kind went."""
    counts: Counter[str] = Counter()
    if kind == HeldKind.CONTACT:
        _contact(record_id, counts)
        counts[RecordKind.CONTACT_NFA] += 1
    elif kind == HeldKind.EPISODE:
        from_contact = (
            Episode.objects.filter(pk=record_id)
            .values_list("front_door_decision__contact_id", flat=True)
            .first()
        )
        counts[RecordKind.CASE_NOTE] += delete_notes_on(episode_ids=[record_id])
        counts[RecordKind.DOCUMENT] += delete_documents_on(episode_ids=[record_id])
        anonymise_episode(record_id)
        if from_contact:  # the contact that opened the episode goes with it
            _contact(str(from_contact), counts)
        counts[RecordKind.EPISODE] += 1
    elif kind == HeldKind.NOTIFICATION:
        anonymise_notification(record_id)
        counts[RecordKind.NOTIFICATION] += 1
    elif kind == HeldKind.PERSON:
        counts[RecordKind.DOCUMENT] += delete_documents_on(person_ids=[record_id])
        anonymise_consent_of(record_id)
        anonymise_person(record_id)
        counts[RecordKind.PERSON] += 1
    else:  # pragma: no cover - the item's kind is one of the choices
        raise ValueError(f"Unknown kind of record {kind!r}.")
    return counts
