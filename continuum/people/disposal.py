"""Disposing of records at the end of their retention (issue 13): the irreversible
anonymisation of a person, and the two tools every app's ``disposal`` module uses on its
own records, ``scrub`` (blank the free text of rows that are kept for the indicators) and
``delete_with_history`` (rows, and the copies django-simple-history keeps of them).

The performance engine reads only councils, dates, statuses, outcomes and, for people, the
month of birth and ethnicity; what it reads is kept, everything else goes. Called by the
``retention`` app, never by a page.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Cast, Concat, Left

from continuum.people.models import (
    SEARCH_FIELDS,
    Address,
    ChronologyEvent,
    Household,
    HouseholdMember,
    NameKey,
    Person,
    PersonAlias,
    PossibleMatch,
    Relationship,
)

# What a kept row's required text reads once its words are gone.
REMOVED = "Removed"


def _unique_fields(model: type[models.Model]) -> set[str]:
    names = {f.name for f in model._meta.concrete_fields if f.unique}
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint):
            names.update(constraint.fields)
    return names


def _blank_value(field: models.Field[Any, Any], unique: bool) -> Any:
    """What the field becomes: text that was written reads ``REMOVED`` (or, in a unique
    column, "removed-" and the row's own id), text that was empty or missing stays so (the
    indicators ask whether something was recorded, never what), JSON its default."""
    if isinstance(field, models.JSONField):
        return field.get_default()
    name = field.name
    if unique:
        text: Any = Concat(
            Value("removed-"), Cast("pk", models.CharField()), output_field=models.CharField()
        )
        replacement = Left(text, field.max_length) if field.max_length else text
    else:
        replacement = Value(REMOVED[: field.max_length or None])
    written = ~Q(**{name: ""}) & Q(**{f"{name}__isnull": False})
    return Case(When(written, then=replacement), default=F(name), output_field=field)


def scrub(queryset: QuerySet[Any], *, keep: Iterable[str] = ()) -> int:
    """Blank every free-text field of the rows (text without choices, JSON), except those
    named in ``keep``, and delete the rows' history. Codes (fields with choices), dates,
    numbers, flags and links stay: they are what the indicators count."""
    model = queryset.model
    kept = set(keep)
    unique = _unique_fields(model)
    values: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.is_relation or field.choices or field.name in kept:
            continue
        if isinstance(field, models.CharField | models.TextField | models.JSONField):
            values[field.name] = _blank_value(field, field.name in unique)
    pks = list(queryset.values_list("pk", flat=True))
    if not pks:
        return 0
    rows = model._default_manager.filter(pk__in=pks)
    if values:
        rows.update(**values)
    _delete_history(model, pks)
    return len(pks)


def _delete_history(model: type[models.Model], pks: list[Any]) -> None:
    history = getattr(model, "history", None)
    if history is None:
        return
    pk_name = model._meta.pk.attname if model._meta.pk else "id"
    history.model.objects.filter(**{f"{pk_name}__in": pks}).delete()


def delete_with_history(queryset: QuerySet[Any]) -> int:
    """Delete the rows and every historical copy of them; how many rows went."""
    model = queryset.model
    pks = list(queryset.values_list("pk", flat=True))
    if not pks:
        return 0
    model._default_manager.filter(pk__in=pks).delete()
    _delete_history(model, pks)
    return len(pks)


def delete_chronology_from(sources: Iterable[str]) -> int:
    """Delete the chronology entries written from the records named (``"<kind>:<id>"``)."""
    return delete_with_history(ChronologyEvent.objects.filter(source__in=list(sources)))


def anonymise_person(person_id: Any) -> None:
    """Irreversibly anonymise a person: keep the council, kind, sex, ethnicity and the
    month of birth (the 1st of it), and which household they lived in, which the
    indicators read; remove names, aliases, identifiers, addresses, relationships, the
    chronology, possible matches and every historical copy of the record (and the name of
    a household once all its members are anonymised)."""
    person = Person.objects.get(pk=person_id)
    delete_with_history(PersonAlias.objects.filter(person=person))
    NameKey.objects.filter(person=person).delete()
    delete_with_history(Address.objects.filter(person=person))
    households = list(
        HouseholdMember.objects.filter(person=person).values_list("household_id", flat=True)
    )
    # Who lived in the household stays (anonymised people, dates only): the consent
    # indicators read a family's agreement through its household's adults.
    scrub(HouseholdMember.objects.filter(person=person))
    delete_with_history(Relationship.objects.filter(Q(from_person=person) | Q(to_person=person)))
    delete_with_history(ChronologyEvent.objects.filter(person=person))
    delete_with_history(
        PossibleMatch.objects.filter(Q(new_person=person) | Q(existing_person=person))
    )
    month_of = {
        name: value.replace(day=1) if value else None
        for name in ("date_of_birth", "expected_date_of_birth")
        for value in [getattr(person, name)]
    }
    scrub(Person.objects.filter(pk=person.pk))
    _scrub_households_of_the_anonymised(households)
    Person.objects.filter(pk=person.pk).update(
        **month_of,
        date_of_death=None,
        given_name="",
        middle_names="",
        nhs_number=None,
        upn=None,
        disabilities=[],
    )
    # The match keys for search follow the names that are left.
    person = Person.objects.get(pk=person.pk)
    person.set_search_keys()
    Person.objects.filter(pk=person.pk).update(
        **{name: getattr(person, name) for name in SEARCH_FIELDS}
    )


def _scrub_households_of_the_anonymised(household_ids: list[Any]) -> None:
    """A household's name ("how the family is known") goes once every member is
    anonymised (their last name reads ``REMOVED``)."""
    still_named = HouseholdMember.objects.filter(household=OuterRef("pk")).exclude(
        person__family_name=REMOVED
    )
    scrub(Household.objects.filter(pk__in=household_ids).filter(~Exists(still_named)))
