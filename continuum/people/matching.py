"""Possible matches: a new record that may be a second record of a child already known.

Whatever a user may not see must not change the answer they get (decision 0008). So a new
record whose NHS number or UPN is already on a record its author cannot see, or whose name,
date of birth and council are those of such a record, is saved like any other and marked as
a ``PossibleMatch``; its author is told nothing. The front door of the council holding the
existing record sees the match in its work, and someone there who may see both records
links them (each record then shows the other; nothing is merged, moved or deleted) or marks
them not the same. Either decision can be undone; every change keeps its history.

A clash with a record the author *can* see is different: they are told, with the record,
so that they use it instead of adding a second one.

Verbs (``find_and_record_matches``, ``link_records``, ``mark_not_the_same``,
``reopen_match``) are keyword-only and atomic; reads start from ``policy.visible``.
"""

from __future__ import annotations

import uuid
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import User
from continuum.errors import InvalidState
from continuum.optimistic_locking import claim_version
from continuum.people import name_keys
from continuum.people.choices import ChronologyCategory
from continuum.people.models import (
    ChronologyEvent,
    MatchBasis,
    MatchStatus,
    Person,
    PersonAlias,
    PossibleMatch,
)
from continuum.people.policies import PeopleAction
from continuum.ui.dates import govuk_date

IDENTIFIER_KNOWN = (
    "A record you can see already exists with this {label}: {person}, {council}. "
    "Use that record instead of adding a second one."
)
_IDENTIFIERS = (("nhs_number", "NHS number"), ("upn", "UPN"))
# Advisory locks taken while checking identifiers live in this key space (high 32 bits).
_LOCK_SPACE = 0x7E0500
# Name and date of birth matches are looked for among at most this many records.
MAX_NAME_CANDIDATES = 50

STALE_MATCH = (
    "Someone else decided this possible match after you opened it. Nothing was saved: "
    "review it again."
)
# The moves a decision may make: from each status, the statuses it may go to.
MATCH_MOVES = {
    MatchStatus.OPEN: {MatchStatus.LINKED, MatchStatus.NOT_THE_SAME},
    MatchStatus.LINKED: {MatchStatus.OPEN},
    MatchStatus.NOT_THE_SAME: {MatchStatus.OPEN},
}


# --- when a record is created or its identifiers change -------------------------------------


def refuse_visible_identifier_clash(
    *, user: User | None, person: Person, fields: Iterable[str] = ("nhs_number", "upn")
) -> None:
    """Refuse, naming the record, when ``person``'s NHS number or UPN (those of ``fields``:
    the ones being entered) is already on another record ``user`` may see (any record when
    there is no user, as in an import). A record they may not see is never mentioned."""
    _serialise_creates_with(person)
    scope = Person.objects.all() if user is None else policy.visible(user, Person)
    errors: dict[str, list[str]] = {}
    for field, label in _IDENTIFIERS:
        value = getattr(person, field)
        if not value or field not in fields:
            continue
        known = (
            scope.filter(**{field: value})
            .exclude(pk=person.pk)
            .select_related("council")
            .order_by("created_at")
            .first()
        )
        if known is not None:
            errors[field] = [
                IDENTIFIER_KNOWN.format(
                    label=label,
                    person=_describe(known),
                    council=known.council.name,
                )
            ]
    if errors:
        raise ValidationError(errors)


def _serialise_creates_with(person: Person) -> None:
    """Two people entering the same NHS number or UPN at once are checked one after the
    other (the identifiers are not unique in the database any more): on PostgreSQL a
    transaction-scoped advisory lock per identifier; SQLite already runs one writer at a
    time."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for tag, (field, _) in enumerate(_IDENTIFIERS, start=1):
            value = getattr(person, field)
            if value:
                key = (_LOCK_SPACE + tag) << 32 | zlib.crc32(value.encode())
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _describe(person: Person) -> str:
    born = f", born {govuk_date(person.date_of_birth)}" if person.date_of_birth else ""
    return f"{person.full_name}{born}"


def _name_and_birth_candidates(person: Person, among: QuerySet[Person]) -> list[Person]:
    """Records in ``among`` of the same council and date of birth whose names are close to
    ``person``'s (by the search's own name keys, tolerant of spelling and word order)."""
    tokens = name_keys.name_tokens(person.given_name, person.family_name)
    if person.date_of_birth is None or not tokens:
        return []
    candidates = list(
        among.filter(council_id=person.council_id, date_of_birth=person.date_of_birth)
        .exclude(pk=person.pk)
        .order_by("created_at")[:MAX_NAME_CANDIDATES]
    )
    aliases: dict[uuid.UUID, list[str]] = {}
    for person_id, given, family in PersonAlias.objects.filter(
        person__in=[c.pk for c in candidates]
    ).values_list("person", "given_name", "family_name"):
        aliases.setdefault(person_id, []).extend([given, family])
    found = []
    for candidate in candidates:
        own = name_keys.name_tokens(
            candidate.given_name,
            candidate.middle_names,
            candidate.family_name,
            *aliases.get(candidate.pk, []),
        )
        if name_keys.match_score(tokens, own) is not None:
            found.append(candidate)
    return found


@transaction.atomic
def find_and_record_matches(*, person: Person, user: User | None) -> list[PossibleMatch]:
    """Mark ``person`` as a possible match of each record ``user`` may not see that has
    their NHS number or UPN, or a close name with the same date of birth and council.

    Returns the matches (for the holding councils, never for ``user``: callers must not
    show or count them to the user). Nothing when there is no user.
    """
    if user is None:
        return []
    hidden = Person.objects.exclude(pk__in=policy.visible(user, Person).values("pk")).exclude(
        pk=person.pk
    )
    found: dict[uuid.UUID, tuple[Person, str]] = {}
    for field, on in (("nhs_number", MatchBasis.NHS_NUMBER), ("upn", MatchBasis.UPN)):
        value = getattr(person, field)
        if value:
            for other in hidden.filter(**{field: value}):
                found.setdefault(other.pk, (other, on))
    for other in _name_and_birth_candidates(person, hidden):
        found.setdefault(other.pk, (other, MatchBasis.NAME_AND_DATE_OF_BIRTH))
    matches = []
    for other, basis in found.values():
        already = PossibleMatch.objects.filter(
            Q(new_person=person, existing_person=other)
            | Q(new_person=other, existing_person=person)
        ).first()
        if already is None:
            match = PossibleMatch(new_person=person, existing_person=other, basis=basis)
            match._history_user = user  # type: ignore[attr-defined]
            match.save()
            already = match
        matches.append(already)
    return matches


@transaction.atomic
def record_matches_for_review(
    *, person: Person, others: Iterable[Person], by: User
) -> list[PossibleMatch]:
    """Mark ``person`` as a possible match of each of ``others`` (records its author may
    see, with a similar name and the same date of birth), for the front door holding them
    to review. For imports, which cannot stop to ask which record a row means."""
    matches = []
    for other in others:
        if other.pk == person.pk:
            continue
        already = PossibleMatch.objects.filter(
            Q(new_person=person, existing_person=other)
            | Q(new_person=other, existing_person=person)
        ).first()
        if already is None:
            already = PossibleMatch(
                new_person=person, existing_person=other, basis=MatchBasis.NAME_AND_DATE_OF_BIRTH
            )
            already._history_user = by  # type: ignore[attr-defined]
            already.save()
        matches.append(already)
    return matches


# --- the holding council's decision ----------------------------------------------------------


def _decide(
    *, match: PossibleMatch, by: User, expected_version: int, to_status: str, note: str
) -> PossibleMatch:
    policy.require(by, PeopleAction.DECIDE_MATCH, match, "You may not decide this match.")
    current = PossibleMatch.objects.select_for_update().get(pk=match.pk)
    if to_status not in MATCH_MOVES[MatchStatus(current.status)]:
        raise InvalidState(
            f"This possible match is already marked “{current.get_status_display()}”."
        )
    note = " ".join(note.split())
    if len(note) > 500:
        raise ValidationError({"note": ["Keep the note to 500 characters or fewer."]})
    claim_version(current, expected_version, what="possible match", message=STALE_MATCH)
    current.status = to_status
    current.note = note
    current.decided_by = by if to_status != MatchStatus.OPEN else None
    current.decided_at = timezone.now() if to_status != MatchStatus.OPEN else None
    current._history_user = by  # type: ignore[attr-defined]
    current.save()
    return current


@transaction.atomic
def link_records(
    *, match: PossibleMatch, by: User, expected_version: int, note: str = ""
) -> PossibleMatch:
    """The two records are the same child: link them, so each shows the other to whoever
    may see both. Nothing is merged or deleted, and ``reopen_match`` undoes it."""
    return _decide(
        match=match,
        by=by,
        expected_version=expected_version,
        to_status=MatchStatus.LINKED,
        note=note,
    )


@transaction.atomic
def mark_not_the_same(
    *, match: PossibleMatch, by: User, expected_version: int, note: str = ""
) -> PossibleMatch:
    """The two records are of different people: the match is closed."""
    return _decide(
        match=match,
        by=by,
        expected_version=expected_version,
        to_status=MatchStatus.NOT_THE_SAME,
        note=note,
    )


@transaction.atomic
def reopen_match(
    *, match: PossibleMatch, by: User, expected_version: int, note: str = ""
) -> PossibleMatch:
    """Undo a decision: the match is to review again (and the records no longer linked)."""
    return _decide(
        match=match,
        by=by,
        expected_version=expected_version,
        to_status=MatchStatus.OPEN,
        note=note,
    )


# --- reads ------------------------------------------------------------------------------------


def matches_for_review(*, user: User, status: str = MatchStatus.OPEN) -> QuerySet[PossibleMatch]:
    """The possible matches ``user``'s council holds, in ``status``, oldest first."""
    return (
        policy.visible(user, PossibleMatch)
        .filter(status=status)
        .select_related(
            "new_person__council", "existing_person__council", "decided_by__organisation"
        )
        .order_by("found_at" if status == MatchStatus.OPEN else "-decided_at")
    )


def count_to_review(*, user: User) -> int:
    return policy.visible(user, PossibleMatch).filter(status=MatchStatus.OPEN).count()


@dataclass(frozen=True)
class MatchedRecord:
    """Another record that may be, or is, the same child, as one user may see it."""

    person: Person
    match: PossibleMatch
    # The latest early help entry in the other record's chronology, as a hint of an open
    # episode (or None).
    latest_early_help: ChronologyEvent | None = None

    @property
    def is_linked(self) -> bool:
        return self.match.status == MatchStatus.LINKED


def matched_records(*, user: User, person: Person) -> list[MatchedRecord]:
    """The records linked to ``person`` and, for the council reviewing them, its open
    possible matches, where ``user`` may see the other record too. Never a match whose
    other record they may not see."""
    visible_people = policy.visible(user, Person).values("pk")
    reviewable = policy.visible(user, PossibleMatch).values("pk")
    matches = (
        PossibleMatch.objects.filter(Q(new_person=person) | Q(existing_person=person))
        .filter(Q(status=MatchStatus.LINKED) | Q(status=MatchStatus.OPEN, pk__in=reviewable))
        .select_related("new_person__council", "existing_person__council")
        .order_by("found_at")
    )
    records = []
    for match in matches:
        other = match.existing_person if match.new_person_id == person.pk else match.new_person
        if not Person.objects.filter(pk=other.pk, pk__in=visible_people).exists():
            continue
        latest = (
            ChronologyEvent.objects.filter(person=other, category=ChronologyCategory.EARLY_HELP)
            .order_by("-occurred_on", "-recorded_at")
            .first()
        )
        records.append(MatchedRecord(person=other, match=match, latest_early_help=latest))
    return records


def people_with_other_records(*, user: User, person_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """Of ``person_ids``, those ``matched_records`` would show ``user`` another record for
    (in one query, for lists such as the front-door queue)."""
    ids = list(person_ids)
    visible = policy.visible(user, Person).values("pk")
    live = PossibleMatch.objects.filter(
        Q(status=MatchStatus.LINKED)
        | Q(status=MatchStatus.OPEN, pk__in=policy.visible(user, PossibleMatch).values("pk"))
    )
    found = set(
        live.filter(new_person__in=ids, existing_person__in=visible).values_list(
            "new_person", flat=True
        )
    )
    found |= set(
        live.filter(existing_person__in=ids, new_person__in=visible).values_list(
            "existing_person", flat=True
        )
    )
    return found


def matched_person_ids(person_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """The records linked or possibly matching any of ``person_ids`` (not those marked not
    the same), for the contact's repeat check. The caller filters what its user may see."""
    ids = list(person_ids)
    live = PossibleMatch.objects.filter(status__in=[MatchStatus.OPEN, MatchStatus.LINKED])
    found: set[uuid.UUID] = set(
        live.filter(new_person__in=ids).values_list("existing_person", flat=True)
    )
    found |= set(live.filter(existing_person__in=ids).values_list("new_person", flat=True))
    return found - set(ids)
