"""Legal holds: placed on a person (every record about them) or on one record, by the
council's information governance lead or by the rights register (a restriction of
processing); lifted with a reason. A held record is never disposed of."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from continuum.accounts.models import User
from continuum.early_help.models import Episode
from continuum.errors import InvalidState
from continuum.front_door.models import Contact, DomesticAbuseNotification
from continuum.organisations.models import Council
from continuum.people.models import Person
from continuum.retention.choices import HeldKind
from continuum.retention.models import LegalHold, RetentionSchedule
from continuum.retention.services.schedule import ensure_schedule

_MODELS: dict[str, Any] = {
    HeldKind.CONTACT: Contact,
    HeldKind.EPISODE: Episode,
    HeldKind.NOTIFICATION: DomesticAbuseNotification,
    HeldKind.PERSON: Person,
}


def held_record(kind: str, record_id: Any) -> Any | None:
    """The record of ``kind`` with ``record_id``, or None (an id that does not parse too)."""
    model = _MODELS.get(kind)
    if model is None:
        return None
    try:
        return model.objects.filter(pk=record_id).first()
    except (ValueError, ValidationError):
        return None


def _save(obj: Any, *, by: User) -> None:
    obj._history_user = by
    obj.save()


@transaction.atomic
def place_legal_hold(
    *,
    person: Person | None = None,
    record_kind: str | None = None,
    record_id: Any = None,
    reason: str,
    placed_by: User,
) -> LegalHold:
    """Hold a person (and every record about them) or one record (kind and id) from
    disposal until the hold is lifted."""
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors["reason"] = ["Enter why the records must be kept."]
    if person is None and not record_kind:
        errors["record_kind"] = ["Choose what to hold: a person or one record."]
    if person is not None and record_kind:
        errors["record_kind"] = ["Hold a person or one record, not both."]
    council: Council | None = None
    if person is not None:
        council = person.council
        record_kind, record_id = "", ""
    elif record_kind:
        if record_kind not in HeldKind.values:
            errors["record_kind"] = ["Choose a contact, an episode, a notification or a person."]
        else:
            record = held_record(record_kind, record_id)
            if record is None:
                errors["record_id"] = [
                    f"There is no {HeldKind(record_kind).label.lower()} with that reference."
                ]
            elif record_kind == HeldKind.PERSON:
                person, record_kind, record_id = record, "", ""
                council = record.council
            else:
                council = record.council
                record_id = str(record.pk)
    if errors:
        raise ValidationError(errors)
    assert council is not None
    # Taken in turn with disposing of a record (``runs._lock_schedule``): a hold placed
    # while a run is carried out is seen by it.
    ensure_schedule(council)
    RetentionSchedule.objects.select_for_update().get(council=council)
    hold = LegalHold(
        council=council,
        person=person,
        record_kind=record_kind or "",
        record_id=str(record_id or ""),
        reason=reason.strip(),
        placed_by=placed_by,
    )
    _save(hold, by=placed_by)
    return hold


@transaction.atomic
def lift_legal_hold(*, hold: LegalHold, reason: str, lifted_by: User) -> LegalHold:
    """End the hold, with the reason; disposal may then reach the records again."""
    if not reason.strip():
        raise ValidationError({"reason": ["Enter why the hold is lifted."]})
    hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if hold.lifted_at is not None:
        raise InvalidState("This legal hold has already been lifted.")
    hold.lifted_at = timezone.now()
    hold.lifted_by = lifted_by
    hold.lift_reason = reason.strip()
    _save(hold, by=lifted_by)
    return hold


def active_holds(council: Council) -> Any:
    return LegalHold.objects.filter(council=council, lifted_at__isnull=True)


class Holds:
    """The council's legal holds standing at one moment, asked record by record."""

    def __init__(self, council: Council) -> None:
        self.people: set[str] = set()
        self.records: set[tuple[str, str]] = set()
        for person_id, kind, record_id in active_holds(council).values_list(
            "person_id", "record_kind", "record_id"
        ):
            if person_id:
                self.people.add(str(person_id))
            else:
                self.records.add((kind, record_id))

    def holds(
        self,
        kind: str,
        record_id: Any,
        people: Iterable[Any] = (),
        also: Iterable[tuple[str, str]] = (),
    ) -> bool:
        """Is the record, a record disposed of with it (``also``) or anyone it is about
        held?"""
        if kind == HeldKind.PERSON and str(record_id) in self.people:
            return True
        if (kind, str(record_id)) in self.records or any(r in self.records for r in also):
            return True
        return any(str(p) in self.people for p in people)
