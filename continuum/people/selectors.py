"""Reading the shared case record. Every read that returns people starts from
``policy.visible(user, Person)``, so nothing the user may not see is returned or counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.contrib.postgres.search import TrigramWordSimilarity
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    F,
    FloatField,
    IntegerField,
    Model,
    Prefetch,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Greatest, Lower
from django.utils import timezone

from continuum.access import policy
from continuum.access.models import BreakGlassGrant, Involvement
from continuum.accounts.models import User
from continuum.people import name_keys
from continuum.people.choices import (
    RELATIONSHIP_INVERSE,
    ChronologySensitivity,
    RelationshipKind,
)
from continuum.people.identifiers import is_valid_nhs_number, normalise_nhs_number
from continuum.people.models import (
    Address,
    ChronologyEvent,
    Household,
    HouseholdMember,
    NameKey,
    Person,
    PersonAlias,
    Relationship,
)
from continuum.people.policies import (
    PeopleAction,
    chronology_categories_for,
    reads_council_only_detail,
)
from continuum.people.record_links import links_for
from continuum.people.search_terms import split_query
from continuum.people.validators import normalise_postcode
from continuum.ui.history import HistoryEntry, history_entries

# Name search ranks at most this many candidates and returns at most this many people.
MAX_CANDIDATES = 2000
MAX_NAME_RESULTS = 500

_OUTWARD_CODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")


# --- search ------------------------------------------------------------------------------


def _postcode_filter(postcode: str) -> Q | None:
    """Full postcodes match exactly (however typed); an outward code ('TS18') matches
    every postcode in that district. None when it is neither."""
    text = postcode.strip().upper()
    if not text:
        return None
    try:
        return Q(postcode=normalise_postcode(text))
    except ValidationError:
        compact = text.replace(" ", "")
        if _OUTWARD_CODE.match(compact):
            return Q(postcode__startswith=compact + " ")
    return None


def _name_candidates(people: QuerySet[Person], tokens: list[str]) -> QuerySet[Person]:
    keys = name_keys.name_keys(tokens)
    reach = Q(pk__in=NameKey.objects.filter(key__in=keys).values("person"))
    for token in tokens:
        reach |= Q(given_name__istartswith=token) | Q(family_name__istartswith=token)
        alias_match = Q(given_name__istartswith=token) | Q(family_name__istartswith=token)
        reach |= Q(pk__in=PersonAlias.objects.filter(alias_match).values("person"))
    return people.filter(reach)


def _rank_by_name(people: QuerySet[Person], name: str) -> QuerySet[Person]:
    tokens = name_keys.name_tokens(name)
    if not tokens:
        return people.none()
    rows = list(
        _name_candidates(people, tokens).values_list(
            "pk", "given_name", "middle_names", "family_name"
        )[:MAX_CANDIDATES]
    )
    alias_names: dict[Any, list[str]] = {}
    for person_id, given, family in PersonAlias.objects.filter(
        person__in=[row[0] for row in rows]
    ).values_list("person", "given_name", "family_name"):
        alias_names.setdefault(person_id, []).extend([given, family])
    scored: list[tuple[float, str, str, Any]] = []
    for pk, given, middle, family in rows:
        own = name_keys.name_tokens(given, middle, family)
        score = name_keys.match_score(tokens, own)
        aliases = alias_names.get(pk)
        if aliases:
            alias_score = name_keys.match_score(tokens, own + name_keys.name_tokens(*aliases))
            if alias_score is not None:
                # A match through an alias ranks a little below the same match by name.
                score = max(score or 0.0, alias_score - 0.01)
        if score is not None:
            scored.append((-score, family.lower(), given.lower(), pk))
    scored.sort()
    ranked = [pk for *_, pk in scored[:MAX_NAME_RESULTS]]
    if not ranked:
        return people.none()
    order = Case(
        *[When(pk=pk, then=Value(position)) for position, pk in enumerate(ranked)],
        output_field=IntegerField(),
    )
    return people.filter(pk__in=ranked).annotate(search_rank=order).order_by("search_rank")


# --- name search in PostgreSQL: match keys, ranking and the page in one query ------------

# Scores of one query word against a person's names (the Python ranking's, ``name_keys``):
# the same word, the start of one of their words, a word that sounds the same; otherwise
# how alike the word is to the closest of theirs (pg_trgm's word similarity, 0..1).
EXACT, PREFIX, SOUNDS_ALIKE = 1.0, 0.9, name_keys.SIMILAR_ENOUGH + 0.01
# A match only through an alias ranks a little below the same match by name.
ALIAS_PENALTY = 0.01


def _token_score(column: str, token: str, keys: list[str]) -> Case:
    """How well ``token`` matches the names stored in ``column``, as SQL."""
    whens = [When(**{f"{column}__contains": f" {token} "}, then=Value(EXACT))]
    if len(token) >= 2:
        whens.append(When(**{f"{column}__contains": f" {token}"}, then=Value(PREFIX)))
    if keys and column == "search_all_names":
        whens.append(When(search_keys__has_any_keys=keys, then=Value(SOUNDS_ALIKE)))
    return Case(*whens, default=TrigramWordSimilarity(token, column), output_field=FloatField())


def _token_matches(token: str, keys: list[str]) -> Q:
    """People one of whose names (or aliases) ``token`` matches. Each part is answered by
    a GIN index: pg_trgm for LIKE and word similarity, jsonb for the phonetic keys."""
    if len(token) < 2:
        return Q(search_all_names__contains=f" {token} ")
    match = Q(search_all_names__contains=f" {token}") | Q(
        search_all_names__trigram_word_similar=token
    )
    if keys:
        match |= Q(search_keys__has_any_keys=keys)
    return match


def _rank_by_name_in_sql(people: QuerySet[Person], name: str) -> QuerySet[Person]:
    """``people`` whose names match every word of ``name`` (in any order, tolerant of
    spelling), best match first, scored, ordered and paged by the database."""
    tokens = name_keys.name_tokens(name)[: name_keys.MAX_QUERY_TOKENS]
    if not tokens:
        return people.none()
    own_scores, all_scores = [], []
    for token in tokens:
        # Soundex keys are left out here: one ("J500") is shared by most short J-names,
        # so it would make thousands of candidates; Metaphone and NYSIIS are sharper.
        keys = sorted(k for k in name_keys.token_keys(token) if not k.startswith("S:"))
        people = people.filter(_token_matches(token, keys))
        own_scores.append(_token_score("search_names", token, keys))
        all_scores.append(_token_score("search_all_names", token, keys))
    count = Value(float(len(tokens)))
    own = sum(own_scores[1:], own_scores[0]) / count
    every = sum(all_scores[1:], all_scores[0]) / count - Value(ALIAS_PENALTY)
    return people.annotate(search_rank=Greatest(own, every, output_field=FloatField())).order_by(
        "-search_rank", Lower("family_name"), Lower("given_name"), "pk"
    )


def search_people(
    *,
    user: User,
    query: str = "",
    date_of_birth: date | None = None,
    nhs_number: str = "",
    postcode: str = "",
) -> QuerySet[Person]:
    """The people ``user`` may see who match every criterion given.

    ``query`` is free text: an NHS number, a date or a postcode in it is routed to that
    field, and the rest is matched against names and aliases, tolerant of spelling and of
    word order, best match first. With no criteria at all: everyone the user may see.
    """
    people = policy.visible(user, Person).select_related("council")
    terms = split_query(query)
    date_of_birth = date_of_birth or terms.date_of_birth
    nhs_number = normalise_nhs_number(nhs_number or terms.nhs_number)
    postcode = postcode or terms.postcode
    if nhs_number:
        people = people.filter(nhs_number=nhs_number)
    if date_of_birth:
        people = people.filter(
            Q(date_of_birth=date_of_birth) | Q(expected_date_of_birth=date_of_birth)
        )
    if postcode:
        where = _postcode_filter(postcode)
        if where is None:
            return people.none()
        people = people.filter(pk__in=Address.objects.filter(where).values("person"))
    if terms.name:
        if connection.vendor == "postgresql":
            return _rank_by_name_in_sql(people, terms.name)
        # Elsewhere (SQLite, for development): candidates by phonetic key or name start,
        # ranked in Python.
        return _rank_by_name(people, terms.name)
    return people.order_by("family_name", "given_name", "pk")


def with_current_addresses(people: QuerySet[Person]) -> QuerySet[Person]:
    """``people`` with their current addresses prefetched as ``current_addresses``."""
    return people.prefetch_related(
        Prefetch(
            "addresses",
            queryset=Address.objects.filter(end_date__isnull=True).order_by("-start_date"),
            to_attr="current_addresses",
        )
    )


def possible_duplicates(
    *,
    user: User,
    given_name: str,
    family_name: str,
    date_of_birth: date | None,
    nhs_number: str,
) -> list[Person]:
    """People the user may see who may be the person being entered: the same NHS number
    first, then a similar name with the same date of birth."""
    found: list[Person] = []
    visible = policy.visible(user, Person).select_related("council")
    nhs_number = normalise_nhs_number(nhs_number or "")
    if nhs_number:
        found.extend(visible.filter(nhs_number=nhs_number))
    if date_of_birth and (given_name.strip() or family_name.strip()):
        for person in search_people(
            user=user, query=f"{given_name} {family_name}", date_of_birth=date_of_birth
        ):
            if person not in found:
                found.append(person)
    return found


# --- break-glass -----------------------------------------------------------------------------


def break_glass_candidate(*, user: User, nhs_number: str) -> Person | None:
    """The record emergency access could open for a search by exact NHS number.

    Only when the user sees no record with that number, one exists in another council, it
    is not restricted, and the policy allows this user break-glass to it. Otherwise None,
    so a restricted record's existence is never revealed.
    """
    nhs_number = normalise_nhs_number(nhs_number or "")
    if not is_valid_nhs_number(nhs_number):
        return None
    if policy.visible(user, Person).filter(nhs_number=nhs_number).exists():
        return None
    person = Person.objects.filter(nhs_number=nhs_number, is_restricted=False).first()
    if person is None or not policy.can(user, PeopleAction.BREAK_GLASS, person):
        return None
    return person


def active_break_glass(*, user: User, person: Person) -> BreakGlassGrant | None:
    """The user's current emergency-access grant for ``person``, if any."""
    now = timezone.now()
    return (
        BreakGlassGrant.objects.filter(
            user=user,
            person=person,
            granted_at__lte=now,
            expires_at__gt=now,
            revoked_at__isnull=True,
        )
        .order_by("-granted_at")
        .first()
    )


def break_glass_for_read(*, user: User, person: Person) -> BreakGlassGrant | None:
    """The grant through which ``user`` is reading ``person``'s record, or None when they
    reach it anyway (their own council, or an involvement)."""
    council = policy.council_of(user)
    if council is not None and person.council_id == council.pk:
        return None
    if Involvement.objects.active().filter(user=user, person=person).exists():
        return None
    return active_break_glass(user=user, person=person)


# --- one person's record ---------------------------------------------------------------------


@dataclass(frozen=True)
class RelatedPerson:
    person: Person
    # What the related person is to the person whose record this is, e.g. "Parent".
    label: str
    has_parental_responsibility: bool


@dataclass(frozen=True)
class HouseholdView:
    household: Household
    start_date: date | None
    end_date: date | None
    members: list[HouseholdMember]


def relationships_of(*, user: User, person: Person) -> list[RelatedPerson]:
    """The person's relationships in both directions, to people ``user`` may see."""
    visible = policy.visible(user, Person)
    related: list[RelatedPerson] = []
    outgoing = Relationship.objects.filter(from_person=person, to_person__in=visible)
    for relationship in outgoing.select_related("to_person"):
        related.append(
            RelatedPerson(
                person=relationship.to_person,
                label=RELATIONSHIP_INVERSE[relationship.kind],
                has_parental_responsibility=False,
            )
        )
    incoming = Relationship.objects.filter(to_person=person, from_person__in=visible)
    for relationship in incoming.select_related("from_person"):
        related.append(
            RelatedPerson(
                person=relationship.from_person,
                label=RelationshipKind(relationship.kind).label,
                has_parental_responsibility=relationship.has_parental_responsibility,
            )
        )
    return sorted(related, key=lambda r: (r.label, r.person.family_name, r.person.given_name))


def households_of(*, user: User, person: Person) -> list[HouseholdView]:
    """The households the person belongs or belonged to, with the members ``user`` may see."""
    visible = policy.visible(user, Person)
    views: list[HouseholdView] = []
    for membership in HouseholdMember.objects.filter(person=person).select_related("household"):
        members = (
            HouseholdMember.objects.filter(household=membership.household, person__in=visible)
            .select_related("person")
            .order_by("person__date_of_birth", "person__family_name")
        )
        views.append(
            HouseholdView(
                household=membership.household,
                start_date=membership.start_date,
                end_date=membership.end_date,
                members=list(members),
            )
        )
    return views


def addresses_of(*, person: Person) -> QuerySet[Address]:
    return person.addresses.order_by("end_date", "-start_date", "-pk")


def aliases_of(*, person: Person) -> QuerySet[PersonAlias]:
    return person.aliases.order_by("kind", "family_name", "given_name")


def chronology_of(*, person: Person, user: User) -> QuerySet[ChronologyEvent]:
    """The entries of ``person``'s chronology ``user`` reads: only the categories their
    involvement needs (``policies.CHRONOLOGY_VISIBILITY``). Each carries ``detail_withheld``:
    true for a council-only entry (a front-door decision's rationale) read by anyone but the
    council's staff, whose ``shown_detail`` is then empty."""
    events = person.chronology.filter(category__in=chronology_categories_for(user, person))
    if reads_council_only_detail(user):
        events = events.annotate(detail_withheld=Value(False), shown_detail=F("detail"))
    else:
        council_only = Q(sensitivity=ChronologySensitivity.COUNCIL_ONLY)
        events = events.annotate(
            detail_withheld=Case(
                When(council_only & ~Q(detail=""), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            shown_detail=Case(
                When(council_only, then=Value("")),
                default=F("detail"),
                output_field=TextField(),
            ),
        )
    return events.select_related("recorded_by", "recorded_by__organisation").order_by(
        "-occurred_on", "-recorded_at", "-pk"
    )


def chronology_with_links(*, person: Person, user: User) -> list[ChronologyEvent]:
    """``chronology_of``, each entry carrying ``record_url`` and ``record_link_text``: the
    page of the contact or episode it came from, when ``user`` may open it (else None;
    ``record_links``)."""
    events = list(chronology_of(person=person, user=user))
    links = links_for(user, (e.source for e in events if e.source))
    for event in events:
        url, text = links.get(event.source, (None, ""))
        event.record_url = url  # type: ignore[attr-defined]
        event.record_link_text = text  # type: ignore[attr-defined]
    return events


# --- change history --------------------------------------------------------------------------


# Fields of the record's history that mean nothing to a reader.
HIDDEN_HISTORY_FIELDS = frozenset(
    {"version", "created_at", "created_by", "person", "is_restricted"}
)
# A person's record reads "created" where other histories say "added".
PERSON_HISTORY_KINDS = {"+": "Created", "~": "Changed", "-": "Removed"}


def change_history(*, person: Person) -> list[HistoryEntry]:
    """Who changed what on the record, and when: details, addresses and names, newest first."""
    person_records = list(
        Person.history.filter(id=person.pk)
        .select_related("history_user", "history_user__organisation")
        .order_by("history_date", "history_id")
    )
    address_records = list(
        Address.history.filter(person_id=person.pk)
        .select_related("history_user", "history_user__organisation")
        .order_by("history_date", "history_id")
    )
    alias_records = list(
        PersonAlias.history.filter(person_id=person.pk)
        .select_related("history_user", "history_user__organisation")
        .order_by("history_date", "history_id")
    )

    def entries_of(records: list[Any], model: type[Model], what: str) -> list[HistoryEntry]:
        return history_entries(
            records,
            model,
            what,
            hidden=HIDDEN_HISTORY_FIELDS,
            kinds=PERSON_HISTORY_KINDS,
            name_added=model is not Person,
        )

    entries = [
        # The record's own creation reads plainly, without repeating the name.
        replace(entry, what="Record") if entry.kind == PERSON_HISTORY_KINDS["+"] else entry
        for entry in entries_of(person_records, Person, "Personal details")
    ]
    entries += entries_of(address_records, Address, "Address")
    entries += entries_of(alias_records, PersonAlias, "Other name")
    return sorted(entries, key=lambda e: e.at, reverse=True)
