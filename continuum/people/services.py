"""Changing the shared case record. Every function is keyword-only, typed and atomic;
every change is versioned with its author (django-simple-history).
"""

from __future__ import annotations

import logging
import re
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from continuum.access import policy
from continuum.access.models import BreakGlassGrant, InvolvementReason
from continuum.access.services import record_involvement
from continuum.accounts.models import User
from continuum.errors import InvalidState
from continuum.optimistic_locking import claim_version
from continuum.organisations.models import Council
from continuum.people import matching, name_keys
from continuum.people.choices import (
    AliasKind,
    ChronologyCategory,
    PersonKind,
    RelationshipKind,
    sensitivity_for,
)
from continuum.people.identifiers import normalise_nhs_number, normalise_upn
from continuum.people.models import (
    SEARCH_FIELDS,
    Address,
    ChronologyEvent,
    Household,
    HouseholdMember,
    NameKey,
    Person,
    PersonAlias,
    Relationship,
)
from continuum.people.policies import PeopleAction
from continuum.people.validators import normalise_postcode

# The fields of a person that people may set on creation and change later, in the order
# the person's form asks for them.
PERSON_FIELDS = (
    "kind",
    "given_name",
    "middle_names",
    "family_name",
    "date_of_birth",
    "expected_date_of_birth",
    "date_of_death",
    "sex",
    "gender_identity",
    "ethnicity",
    "first_language",
    "disabilities",
    "disability_detail",
    "nhs_number",
    "upn",
    "upn_unknown_reason",
)
# Relationships that read the same from either side.
SYMMETRIC_RELATIONSHIPS = frozenset(
    {RelationshipKind.SIBLING, RelationshipKind.HALF_SIBLING, RelationshipKind.PARTNER}
)


BREAK_GLASS_MIN_REASON = 20
BREAK_GLASS_MAX_HOURS = 72
# A reason for emergency access is a real sentence or two (issue 10, finding 12): at least
# BREAK_GLASS_MIN_REASON characters and BREAK_GLASS_MIN_WORDS words, of which at least
# BREAK_GLASS_MIN_DISTINCT_WORDS differ, using at least BREAK_GLASS_MIN_LETTERS different
# letters, mostly letters, and no character four times in a row.
BREAK_GLASS_MIN_WORDS = 6
BREAK_GLASS_MIN_DISTINCT_WORDS = 5
BREAK_GLASS_MIN_LETTERS = 10
BREAK_GLASS_REASON_HELP = (
    "Say in a sentence or two why you need to see this record now, for example "
    "\u201cPolice found the child alone at 2am and we need to check for a safety plan\u201d. "
    "Use at least {words} different words; repeated letters or words are not a reason."
)
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?")
_RUN_OF_FOUR = re.compile(r"(.)\1{3}")
security_log = logging.getLogger("continuum.security")
# How long a partner who entered a person they are not otherwise involved with sees them.
CREATOR_ACCESS = timedelta(days=30)
# A child is under 18: adding someone this age or older as a child needs confirming.
ADULT_AGE = 18


def birth_date_errors(
    *, kind: str, date_of_birth: date | None, expected_date_of_birth: date | None
) -> dict[str, list[str]]:
    """A new child needs a date of birth, and an unborn child the expected date of birth:
    one of the two, whichever fits (``Person.clean`` refuses the other)."""
    if kind == PersonKind.CHILD and date_of_birth is None:
        return {
            "date_of_birth": [
                "Enter the child's date of birth. For an unborn child, select Unborn child "
                "and enter the expected date of birth instead."
            ]
        }
    if kind == PersonKind.UNBORN and expected_date_of_birth is None:
        return {"expected_date_of_birth": ["Enter the unborn child's expected date of birth."]}
    return {}


def age_if_adult(date_of_birth: date | None, *, today: date | None = None) -> int | None:
    """The age of someone born on ``date_of_birth`` when it is 18 or over (None when younger
    or not known): adding them as a child needs the user to confirm it."""
    if date_of_birth is None:
        return None
    today = today or timezone.localdate()
    birthday_to_come = (today.month, today.day) < (date_of_birth.month, date_of_birth.day)
    age = today.year - date_of_birth.year - birthday_to_come
    return age if age >= ADULT_AGE else None


STALE_PERSON = (
    "This record was changed by someone else (version {current}) after you opened it "
    "(version {expected}). Nothing was saved: review the current record and make your "
    "change again."
)


def _normalise_person_fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"Unknown person fields: {', '.join(sorted(unknown))}")
    cleaned = dict(fields)
    for name in (
        "given_name",
        "middle_names",
        "family_name",
        "gender_identity",
        "first_language",
        "disability_detail",
    ):
        if name in cleaned:
            cleaned[name] = (cleaned[name] or "").strip()
    if "nhs_number" in cleaned:
        cleaned["nhs_number"] = normalise_nhs_number(cleaned["nhs_number"] or "") or None
    if "upn" in cleaned:
        cleaned["upn"] = normalise_upn(cleaned["upn"] or "") or None
    return cleaned


def _full_clean_person(person: Person) -> None:
    """Validate, naming each field. (Identifier clashes are ``people.matching``'s.)"""
    try:
        person.full_clean(exclude=["created_by"])
    except ValidationError as exc:
        errors: dict[str, list[str]] = {}
        for field, field_errors in exc.error_dict.items():
            messages: list[str] = []
            for error in field_errors:
                if error.code == "future_date" and field == "date_of_birth":
                    messages.append("Date of birth must be today or in the past.")
                else:
                    messages.extend(error.messages)
            errors[field] = messages
        raise ValidationError(errors) from exc


def _save_with_author(obj: Any, *, author: User | None) -> None:
    obj._history_user = author
    obj.save()


def _refresh_name_keys(person: Person) -> None:
    """Bring the person's match keys for search up to date with their names and aliases:
    the stored columns (``Person.search_*``, written without a history row) and the
    ``NameKey`` rows."""
    aliases = list(person.aliases.values_list("given_name", "family_name"))
    person.set_search_keys(aliases)
    Person.objects.filter(pk=person.pk).update(
        **{name: getattr(person, name) for name in SEARCH_FIELDS}
    )
    tokens = name_keys.name_tokens(
        person.given_name,
        person.middle_names,
        person.family_name,
        *(name for alias in aliases for name in alias),
    )
    keys = name_keys.name_keys(tokens)
    NameKey.objects.filter(person=person).exclude(key__in=keys).delete()
    existing = set(NameKey.objects.filter(person=person).values_list("key", flat=True))
    NameKey.objects.bulk_create(
        [NameKey(person=person, key=key) for key in sorted(keys - existing)]
    )


def councils_for_new_person(*, user: User) -> list[Council]:
    """The councils ``user`` may create a person in: their own council if they work for one,
    otherwise the councils their organisation serves."""
    council = policy.council_of(user)
    if council is not None:
        return [council]
    if user.organisation_id is None or user.organisation is None:
        return []
    return list(user.organisation.serves.order_by("name"))


@transaction.atomic
def create_person(
    *,
    created_by: User | None,
    council: Council,
    aliases: tuple[dict[str, str], ...] | list[dict[str, str]] = (),
    address: dict[str, Any] | None = None,
    is_restricted: bool = False,
    **fields: Any,
) -> Person:
    """Create a person's record, with aliases and a current address if given.

    Raises ``ValidationError`` naming the field when anything is wrong, or when the NHS
    number or UPN is on a record the creator can see; nothing is saved. One they cannot see
    changes nothing in the answer: the record is saved and marked as a possible match.
    ``is_restricted`` is for callers that decide restriction (never taken from a form).
    A creator who would not otherwise see the record (a partner) is recorded as involved.
    """
    if created_by is not None and council not in councils_for_new_person(user=created_by):
        raise ValidationError({"council": ["Choose a council you work in."]})
    person = Person(
        council=council,
        created_by=created_by,
        is_restricted=is_restricted,
        **_normalise_person_fields(fields),
    )
    _full_clean_person(person)
    matching.refuse_visible_identifier_clash(user=created_by, person=person)
    _save_with_author(person, author=created_by)
    for alias in aliases:
        add_alias(person=person, added_by=created_by, **alias)
    if address:
        add_address(person=person, added_by=created_by, **address)
    _refresh_name_keys(person)
    record_chronology_event(
        person=person,
        occurred_on=timezone.localdate(),
        category=ChronologyCategory.RECORD,
        title="Record created",
        detail=f"Created by {created_by} ({created_by.organisation})" if created_by else "",
        source="people.create",
        recorded_by=created_by,
    )
    if (
        created_by is not None
        and not policy.visible(created_by, Person).filter(pk=person.pk).exists()
    ):
        # Long enough to finish the referral or notification they are writing; lasting
        # access comes from that (as referrer), never from having typed the record.
        record_involvement(
            user=created_by,
            person=person,
            reason=InvolvementReason.OTHER,
            source="people.create",
            ends_at=timezone.now() + CREATOR_ACCESS,
        )
    # A record the creator may not see with the same identifiers, or name, date of birth
    # and council: saved all the same, and the holding council told; the creator is not.
    matching.find_and_record_matches(person=person, user=created_by)
    return person


@transaction.atomic
def update_person(
    *, person: Person, changed_by: User | None, expected_version: int, **fields: Any
) -> Person:
    """Change a person's details, refusing if the record changed since ``expected_version``.

    Raises ``ConcurrentChange`` on a conflict (never a silent overwrite) and
    ``ValidationError`` naming the field for bad input; either way nothing is saved.
    """
    current = Person.objects.get(pk=person.pk)
    before = {name: getattr(current, name) for name in ("nhs_number", "upn")}
    for name, value in _normalise_person_fields(fields).items():
        setattr(current, name, value)
    _full_clean_person(current)
    # Only an identifier being changed is checked: two linked records may share one.
    matching.refuse_visible_identifier_clash(
        user=changed_by,
        person=current,
        fields=[name for name, value in before.items() if getattr(current, name) != value],
    )
    claim_version(current, expected_version, message=STALE_PERSON)
    _save_with_author(current, author=changed_by)
    _refresh_name_keys(current)
    matching.find_and_record_matches(person=current, user=changed_by)
    return current


@transaction.atomic
def add_alias(
    *,
    person: Person,
    added_by: User | None,
    given_name: str = "",
    family_name: str = "",
    kind: str = AliasKind.KNOWN_AS,
) -> PersonAlias:
    alias = PersonAlias(
        person=person, kind=kind, given_name=given_name.strip(), family_name=family_name.strip()
    )
    if not alias.given_name and not alias.family_name:
        raise ValidationError({"given_name": ["Enter a first name or a last name for the alias."]})
    alias.full_clean()
    _save_with_author(alias, author=added_by)
    _refresh_name_keys(person)
    return alias


@transaction.atomic
def add_address(
    *,
    person: Person,
    added_by: User | None,
    line_1: str,
    town: str,
    postcode: str,
    line_2: str = "",
    start_date: date | None = None,
    end_date: date | None = None,
) -> Address:
    """Add an address. A new current address ends the person's previous current one."""
    try:
        normalised = normalise_postcode(postcode)
    except ValidationError as exc:
        raise ValidationError({"postcode": exc.messages}) from exc
    address = Address(
        person=person,
        line_1=line_1.strip(),
        line_2=line_2.strip(),
        town=town.strip(),
        postcode=normalised,
        start_date=start_date,
        end_date=end_date,
    )
    address.full_clean()
    if end_date is not None and start_date is not None and end_date < start_date:
        raise ValidationError({"end_date": ["The end date must be on or after the start date."]})
    if end_date is None:
        ended_on = start_date or timezone.localdate()
        for previous in person.addresses.filter(end_date__isnull=True):
            previous.end_date = max(ended_on, previous.start_date or ended_on)
            _save_with_author(previous, author=added_by)
    _save_with_author(address, author=added_by)
    return address


@transaction.atomic
def create_household(*, council: Council, name: str, created_by: User | None) -> Household:
    household = Household(council=council, name=name.strip())
    household.full_clean()
    _save_with_author(household, author=created_by)
    return household


@transaction.atomic
def add_household_member(
    *,
    household: Household,
    person: Person,
    added_by: User | None,
    start_date: date | None = None,
) -> HouseholdMember:
    if HouseholdMember.objects.filter(household=household, person=person).exists():
        raise ValidationError({"person": [f"{person} is already a member of {household}."]})
    member = HouseholdMember(household=household, person=person, start_date=start_date)
    _save_with_author(member, author=added_by)
    record_chronology_event(
        person=person,
        occurred_on=start_date or timezone.localdate(),
        category=ChronologyCategory.FAMILY,
        title=f"Joined the {household}",
        detail="",
        source=f"people.household:{household.pk}",
        recorded_by=added_by,
    )
    return member


@transaction.atomic
def add_relationship(
    *,
    from_person: Person,
    to_person: Person,
    kind: str,
    recorded_by: User | None,
    has_parental_responsibility: bool = False,
) -> Relationship:
    """Record that ``from_person`` is the ``kind`` of ``to_person``."""
    if from_person.pk == to_person.pk:
        raise ValidationError({"to_person": ["A person cannot have a relationship to themself."]})
    same = Q(from_person=from_person, to_person=to_person, kind=kind)
    if kind in SYMMETRIC_RELATIONSHIPS:
        same |= Q(from_person=to_person, to_person=from_person, kind=kind)
    if Relationship.objects.filter(same).exists():
        label = RelationshipKind(kind).label.lower()
        raise ValidationError(
            {
                "kind": [
                    f"This {label} relationship between {from_person} and {to_person} "
                    "is already recorded."
                ]
            }
        )
    relationship = Relationship(
        from_person=from_person,
        to_person=to_person,
        kind=kind,
        has_parental_responsibility=has_parental_responsibility,
    )
    relationship.full_clean()
    _save_with_author(relationship, author=recorded_by)
    return relationship


@transaction.atomic
def record_chronology_event(
    *,
    person: Person,
    occurred_on: date,
    category: str,
    title: str,
    detail: str = "",
    source: str = "",
    recorded_by: User | None,
    sensitivity: str = "",
) -> ChronologyEvent:
    """Add a significant event to a person's chronology (other apps call this). Its
    sensitivity follows its category unless given."""
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": ["The event date must be today or in the past."]})
    event = ChronologyEvent(
        person=person,
        occurred_on=occurred_on,
        category=category,
        sensitivity=sensitivity or sensitivity_for(category),
        title=title,
        detail=detail,
        source=source,
        recorded_by=recorded_by,
    )
    event.full_clean(exclude=["recorded_by"])
    _save_with_author(event, author=recorded_by)
    return event


def reason_problem(reason: str) -> str | None:
    """Why ``reason`` is not a real reason for emergency access, or None if it is."""
    text = " ".join(reason.split())
    words = [word.lower() for word in _WORD.findall(text)]
    letters = {char.lower() for char in text if char.isalpha()}
    visible = [char for char in text if not char.isspace()]
    mostly_letters = sum(char.isalpha() for char in visible) * 3 >= len(visible) * 2
    if (
        len(text) < BREAK_GLASS_MIN_REASON
        or len(words) < BREAK_GLASS_MIN_WORDS
        or len(set(words)) < BREAK_GLASS_MIN_DISTINCT_WORDS
        or len(letters) < BREAK_GLASS_MIN_LETTERS
        or not mostly_letters
        or _RUN_OF_FOUR.search(text.lower())
    ):
        return BREAK_GLASS_REASON_HELP.format(words=BREAK_GLASS_MIN_DISTINCT_WORDS)
    return None


def _check_weekly_cap(user: User, now: Any) -> None:
    """At most ``settings.BREAK_GLASS_GRANTS_PER_WEEK`` grants in any 7 days. The user's
    row is locked first, so two requests at once cannot both take the last one."""
    cap: int = settings.BREAK_GLASS_GRANTS_PER_WEEK
    User.objects.select_for_update().filter(pk=user.pk).first()
    recent = BreakGlassGrant.objects.filter(user=user, granted_at__gt=now - timedelta(days=7))
    if recent.count() >= cap:
        times = "time" if cap == 1 else "times"
        raise InvalidState(
            f"You have used emergency access {cap} {times} in the last 7 days, the most "
            "allowed. Ask the council that holds the record to share what you need, or "
            "contact your information governance lead."
        )


@transaction.atomic
def break_glass(*, user: User, person: Person, reason: str, hours: int = 24) -> BreakGlassGrant:
    """Grant ``user`` emergency access to ``person`` for ``hours``, with a recorded reason.

    Refused (``NotPermitted``) unless the policy allows break-glass for this user and
    record; the reason must be a real sentence (``reason_problem``); no more than
    ``settings.BREAK_GLASS_GRANTS_PER_WEEK`` grants per user in 7 days (``InvalidState``).
    Reads made through the grant carry the reason in the access log. The holding council's
    information governance lead is told at once (their review page, and the security log),
    reviews the grant and may revoke it.
    """
    policy.require(
        user,
        PeopleAction.BREAK_GLASS,
        person,
        "Emergency access is not available for this record.",
    )
    reason = " ".join(reason.split())
    problem = reason_problem(reason)
    if problem:
        raise ValidationError({"reason": [problem]})
    if not 1 <= hours <= BREAK_GLASS_MAX_HOURS:
        raise ValidationError(
            {"hours": [f"Emergency access lasts from 1 to {BREAK_GLASS_MAX_HOURS} hours."]}
        )
    now = timezone.now()
    _check_weekly_cap(user, now)
    grant = BreakGlassGrant.objects.create(
        user=user,
        person=person,
        reason=reason,
        granted_at=now,
        expires_at=now + timedelta(hours=hours),
    )
    security_log.warning(
        "Break-glass grant %s: user id %s opened a record held by council %s; its "
        "information governance lead is to review it",
        grant.pk,
        user.pk,
        person.council.dfe_la_code,
    )
    return grant
