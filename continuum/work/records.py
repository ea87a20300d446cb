"""The records a reminder (or a work item) may point at: for each kind, its model, the page
it opens and the words that name it. Whoever reads a reminder sees it only while the policy
lets them see its record."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.urls import reverse

from continuum.access import policy
from continuum.early_help.models import Episode
from continuum.front_door.models import Contact
from continuum.people.models import Person
from continuum.ui.dates import govuk_date
from continuum.work.models import RecordKind


@dataclass(frozen=True)
class Kind:
    model: type[Model]
    url_name: str


KINDS: dict[str, Kind] = {
    RecordKind.PERSON: Kind(Person, "people:detail"),
    RecordKind.CONTACT: Kind(Contact, "front_door:contact"),
    RecordKind.EPISODE: Kind(Episode, "early_help:episode"),
}


def url_of(kind: str, record_id: uuid.UUID) -> str:
    return reverse(KINDS[kind].url_name, args=[record_id])


def title_of(kind: str, record: Any) -> str:
    if kind == RecordKind.PERSON:
        return str(record.full_name)
    if kind == RecordKind.CONTACT:
        return f"Contact received {govuk_date(record.received_at)}"
    return f"The {record.household.name} family's early help"


def visible_record(user: Any, kind: str, record_id: uuid.UUID | str) -> Model | None:
    """The record if ``user`` may see it, else None (as if it did not exist)."""
    found = KINDS.get(kind)
    if found is None:
        return None
    try:
        return policy.visible(user, found.model).filter(pk=record_id).first()
    except (ValueError, TypeError, ValidationError):
        return None


def visible_records(
    user: Any, pairs: Iterable[tuple[str, uuid.UUID]]
) -> dict[tuple[str, str], Any]:
    """Of ``(kind, id)`` pairs, those ``user`` may see: one query per kind."""
    ids: dict[str, set[uuid.UUID]] = defaultdict(set)
    for kind, record_id in pairs:
        ids[kind].add(record_id)
    seen: dict[tuple[str, str], Any] = {}
    for kind, wanted in ids.items():
        found = KINDS.get(kind)
        if found is None:
            continue
        rows = policy.visible(user, found.model).filter(pk__in=wanted)
        if found.model is Episode:
            rows = rows.select_related("household")
        for record in rows:
            seen[(kind, str(record.pk))] = record
    return seen
