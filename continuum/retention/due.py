"""What the council's schedule says is due for disposal on a day: each record by kind and
id with the day it fell due, never its content. Records already disposed of and records a
legal hold stands on are left out; holds are asked again when a run is carried out.

Which people each record is about (``people_of``) is also what a hold on a person reaches
and what decides whether a person still has a record held about them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django.db.models import Max

from continuum.early_help.models import Episode
from continuum.front_door.choices import Outcome
from continuum.front_door.models import (
    Contact,
    ContactAdult,
    ContactChild,
    DomesticAbuseNotification,
    NotificationChild,
)
from continuum.organisations.models import Council
from continuum.people.models import HouseholdMember, Person
from continuum.retention.choices import HeldKind, ItemOutcome, RecordKind, RetentionEvent
from continuum.retention.models import DisposalItem, RetentionSchedule
from continuum.retention.services.holds import Holds
from continuum.statutory.models import CensusChild, StatutoryInvolvement
from continuum.timescales.months import add_months

# The schedule's kind for each kind of record a run lists.
SCHEDULE_KIND = {
    HeldKind.CONTACT: RecordKind.CONTACT_NFA,
    HeldKind.EPISODE: RecordKind.EPISODE,
    HeldKind.NOTIFICATION: RecordKind.NOTIFICATION,
    HeldKind.PERSON: RecordKind.PERSON,
}


@dataclass(frozen=True)
class Due:
    kind: str  # a HeldKind
    record_id: str
    due_on: date


def disposed(council: Council) -> dict[tuple[str, str], date]:
    """The council's records already disposed of, with the day each was."""
    rows = DisposalItem.objects.filter(
        run__council=council, outcome=ItemOutcome.DISPOSED
    ).values_list("record_kind", "record_id", "disposed_at")
    return {(k, i): (at.date() if at else date.min) for k, i, at in rows}


def people_of(kind: str, record_ids: list[Any]) -> dict[str, set[str]]:
    """For each record of ``kind``, the ids of the people it is about."""
    found: dict[str, set[str]] = defaultdict(set)

    def add(rows: Any) -> None:
        for record_id, person_id in rows:
            if person_id:
                found[str(record_id)].add(str(person_id))

    if kind == HeldKind.CONTACT:
        add(
            ContactChild.objects.filter(contact_id__in=record_ids).values_list(
                "contact_id", "person_id"
            )
        )
        add(
            ContactAdult.objects.filter(contact_id__in=record_ids).values_list(
                "contact_id", "person_id"
            )
        )
    elif kind == HeldKind.NOTIFICATION:
        notifications = DomesticAbuseNotification.objects.filter(pk__in=record_ids)
        add(notifications.values_list("pk", "victim_id"))
        add(notifications.values_list("pk", "alleged_perpetrator_id"))
        add(
            NotificationChild.objects.filter(notification_id__in=record_ids).values_list(
                "notification_id", "person_id"
            )
        )
    elif kind == HeldKind.EPISODE:
        episodes = Episode.objects.filter(pk__in=record_ids)
        add(
            Episode.children.through.objects.filter(episode_id__in=record_ids).values_list(
                "episode_id", "person_id"
            )
        )
        households = dict(episodes.values_list("household_id", "pk"))
        add(
            (households[h], p)
            for h, p in HouseholdMember.objects.filter(household_id__in=households).values_list(
                "household_id", "person_id"
            )
        )
    elif kind == HeldKind.PERSON:
        for pk in record_ids:
            found[str(pk)].add(str(pk))
    return found


def goes_with(kind: str, record_ids: list[Any]) -> dict[str, list[tuple[str, str]]]:
    """For each record, the other records disposed of with it: an episode takes the
    contact that opened it."""
    if kind != HeldKind.EPISODE:
        return {}
    rows = Episode.objects.filter(pk__in=record_ids, front_door_decision__isnull=False)
    return {
        str(pk): [(HeldKind.CONTACT, str(contact_id))]
        for pk, contact_id in rows.values_list("pk", "front_door_decision__contact_id")
    }


def _due_contacts(council: Council, months: int) -> Iterator[tuple[Any, date]]:
    rows = Contact.objects.filter(
        council=council, decision__outcome=Outcome.NO_FURTHER_ACTION
    ).values_list("pk", "decision__decided_at")
    for pk, decided_at in rows:
        if decided_at is not None:
            yield pk, add_months(decided_at.date(), months)


def _due_episodes(council: Council, months: int, event: str) -> Iterator[tuple[Any, date]]:
    rows = (
        Episode.objects.filter(council=council, end_date__isnull=False)
        .annotate(youngest=Max("children__date_of_birth"))
        .values_list("pk", "end_date", "youngest")
    )
    for pk, ended, youngest in rows:
        end_date = cast(date, ended)
        start = end_date
        if event == RetentionEvent.YOUNGEST_CHILD_25:
            born = cast(date, youngest or end_date)  # no child's birth known: 25 years on
            start = max(add_months(born, 25 * 12), end_date)
        yield pk, add_months(start, months)


def _due_notifications(council: Council, months: int) -> Iterator[tuple[Any, date]]:
    rows = DomesticAbuseNotification.objects.filter(council=council).values_list(
        "pk", "received_at"
    )
    for pk, received_at in rows:
        yield pk, add_months(received_at.date(), months)


def _records_about_people(council: Council) -> dict[str, list[tuple[str, str]]]:
    """For each of the council's people, the records (kind, id) about them that a
    schedule disposes of."""
    about: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for kind, model in (
        (HeldKind.CONTACT, Contact),
        (HeldKind.EPISODE, Episode),
        (HeldKind.NOTIFICATION, DomesticAbuseNotification),
    ):
        ids = list(model.objects.filter(council=council).values_list("pk", flat=True))
        for record_id, people in people_of(kind, ids).items():
            for person_id in people:
                about[person_id].append((kind, record_id))
    return about


def _due_people(
    council: Council, months: int, disposed_of: dict[tuple[str, str], date]
) -> Iterator[tuple[Any, date]]:
    """People none of whose records is still held: due ``months`` after the last of them
    was disposed of (or after they were recorded, if there was none). A statutory
    record about them (not in this schedule) keeps them."""
    gone = dict(disposed_of)
    about = _records_about_people(council)
    # A contact that opened an episode goes with the episode.
    for contact_id, episode_id in Episode.objects.filter(
        council=council, front_door_decision__isnull=False
    ).values_list("front_door_decision__contact_id", "pk"):
        episode_gone = gone.get((HeldKind.EPISODE, str(episode_id)))
        if episode_gone is not None:
            gone.setdefault((HeldKind.CONTACT, str(contact_id)), episode_gone)
    statutory = {
        str(p)
        for p in StatutoryInvolvement.objects.filter(person__council=council).values_list(
            "person_id", flat=True
        )
    } | {
        str(p)
        for p in CensusChild.objects.filter(person__council=council).values_list(
            "person_id", flat=True
        )
    }
    for pk, created_at in Person.objects.filter(council=council).values_list("pk", "created_at"):
        key = str(pk)
        if key in statutory:
            continue
        records = about.get(key, [])
        if any((kind, rid) not in gone for kind, rid in records):
            continue
        last = max((gone[r] for r in records), default=created_at.date())
        yield pk, add_months(last, months)


def list_due(
    council: Council, as_of: date, *, progress: Callable[[int, int], None] | None = None
) -> list[Due]:
    """Everything the council's schedule says is due on ``as_of``, not yet disposed of
    and not held, oldest first within each kind."""
    schedule = RetentionSchedule.objects.get(council=council)
    rules = {r.kind: r for r in schedule.rules.all()}
    gone = disposed(council)
    holds = Holds(council)
    kinds: list[tuple[str, Callable[[], Iterator[tuple[Any, date]]]]] = [
        (
            HeldKind.CONTACT,
            lambda: _due_contacts(council, rules[RecordKind.CONTACT_NFA].period_months),
        ),
        (
            HeldKind.EPISODE,
            lambda: _due_episodes(
                council, rules[RecordKind.EPISODE].period_months, rules[RecordKind.EPISODE].event
            ),
        ),
        (
            HeldKind.NOTIFICATION,
            lambda: _due_notifications(council, rules[RecordKind.NOTIFICATION].period_months),
        ),
        (
            HeldKind.PERSON,
            lambda: _due_people(council, rules[RecordKind.PERSON].period_months, gone),
        ),
    ]
    found: list[Due] = []
    for step, (kind, rows) in enumerate(kinds, start=1):
        due = [(str(pk), on) for pk, on in rows() if on <= as_of and (kind, str(pk)) not in gone]
        ids = [pk for pk, _ in due]
        people, also = people_of(kind, ids), goes_with(kind, ids)
        found.extend(
            Due(kind, pk, on)
            for pk, on in sorted(due, key=lambda d: (d[1], d[0]))
            if not holds.holds(kind, pk, people.get(pk, ()), also.get(pk, ()))
        )
        if progress:
            progress(step, len(kinds))
    return found
