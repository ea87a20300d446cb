"""Finding people: tolerant of spelling and order, by identifiers and postcode, and never
returning or counting anyone the user may not see."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from continuum.access import services as access_services
from continuum.access.models import InvolvementReason
from continuum.accounts.models import Role
from continuum.organisations.models import Council
from continuum.people import selectors, services
from continuum.people.choices import RelationshipKind
from continuum.people.models import Person
from continuum.people.tests.builders import DOB, a_person

pytestmark = pytest.mark.django_db


def add(council: Council, given: str, family: str, **fields: Any) -> Person:
    fields.setdefault("date_of_birth", DOB)
    return services.create_person(
        created_by=None, council=council, given_name=given, family_name=family, **fields
    )


def names(people: Any) -> list[str]:
    return [p.full_name for p in people]


def test_name_search_tolerates_spelling_and_word_order(worker: Any, stockton: Council) -> None:
    add(stockton, "Jon", "Smith")
    add(stockton, "John", "Smith")
    add(stockton, "Aisha", "Khan")
    found = names(selectors.search_people(user=worker, query="smyth jon"))
    assert set(found) == {"Jon Smith", "John Smith"}
    assert found[0] == "Jon Smith"  # the closer spelling first
    assert names(selectors.search_people(user=worker, query="Khan Aysha")) == ["Aisha Khan"]


def test_name_search_matches_aliases(worker: Any, stockton: Council) -> None:
    add(stockton, "Robert", "Jones", aliases=[{"given_name": "Bobby", "family_name": ""}])
    assert names(selectors.search_people(user=worker, query="bobby jones")) == ["Robert Jones"]


def test_search_by_date_of_birth_nhs_number_and_postcode(worker: Any, stockton: Council) -> None:
    jon = add(
        stockton,
        "Jon",
        "Smith",
        nhs_number="9434765919",
        address={"line_1": "1 High Street", "town": "Stockton", "postcode": "TS18 1LD"},
    )
    add(
        stockton,
        "Amy",
        "Brown",
        date_of_birth=date(2018, 1, 2),
        address={"line_1": "9 Low Road", "town": "Stockton", "postcode": "TS19 7AB"},
    )
    assert list(selectors.search_people(user=worker, date_of_birth=DOB)) == [jon]
    assert list(selectors.search_people(user=worker, nhs_number="943 476 5919")) == [jon]
    assert list(selectors.search_people(user=worker, postcode="ts181ld")) == [jon]
    assert list(selectors.search_people(user=worker, postcode="TS18")) == [jon]
    assert selectors.search_people(user=worker, postcode="TS1").count() == 0


@pytest.mark.parametrize(
    "typed", ["943 476 5919", "27/3/2019", "2019-03-27", "TS18 1LD", "ts18", "smith 27/3/2019"]
)
def test_free_text_is_routed_to_the_right_field(worker: Any, stockton: Council, typed: str) -> None:
    jon = add(
        stockton,
        "Jon",
        "Smith",
        nhs_number="9434765919",
        address={"line_1": "1 High Street", "town": "Stockton", "postcode": "TS18 1LD"},
    )
    add(
        stockton,
        "Amy",
        "Brown",
        date_of_birth=date(2018, 1, 2),
        address={"line_1": "9 Low Road", "town": "Stockton", "postcode": "TS20 1AB"},
    )
    assert list(selectors.search_people(user=worker, query=typed)) == [jon]


def test_another_councils_people_and_restricted_people_are_never_found_or_counted(
    worker: Any, stockton: Council, hartlepool: Council
) -> None:
    add(stockton, "Jon", "Smith")
    add(hartlepool, "Jon", "Smith", nhs_number="9434765919")
    add(stockton, "Jon", "Smyth")
    restricted = add(stockton, "Jonny", "Smith", is_restricted=True)
    results = selectors.search_people(user=worker, query="jon smith")
    assert results.count() == 2
    assert {p.council for p in results} == {stockton}
    assert restricted not in results
    assert selectors.search_people(user=worker, nhs_number="9434765919").count() == 0
    assert selectors.search_people(user=worker).count() == 2


def test_a_partner_finds_only_the_people_they_are_involved_with(
    make_user: Callable[..., Any], stockton: Council
) -> None:
    partner = make_user(Role.PARTNER_PRACTITIONER, council=stockton)
    mine = add(stockton, "Jon", "Smith")
    add(stockton, "John", "Smith")
    access_services.record_involvement(
        user=partner, person=mine, reason=InvolvementReason.REFERRER, source="test"
    )
    assert list(selectors.search_people(user=partner, query="smith")) == [mine]


def test_a_name_query_with_no_letters_finds_nobody(worker: Any, stockton: Council) -> None:
    add(stockton, "Jon", "Smith")
    assert selectors.search_people(user=worker, query="31/2/2019").count() == 0


def test_possible_duplicates_put_the_same_nhs_number_first(
    worker: Any, stockton: Council, hartlepool: Council
) -> None:
    same_number = add(
        stockton, "Jonathan", "Smithson", date_of_birth=date(2017, 1, 1), nhs_number="9434765919"
    )
    similar = add(stockton, "John", "Smyth")
    add(stockton, "John", "Smyth", date_of_birth=date(2015, 5, 5))
    add(hartlepool, "Jon", "Smith")
    found = selectors.possible_duplicates(
        user=worker,
        given_name="Jon",
        family_name="Smith",
        date_of_birth=DOB,
        nhs_number="943 476 5919",
    )
    assert found == [same_number, similar]


def test_break_glass_candidate_only_for_another_councils_unrestricted_record(
    worker: Any, make_user: Callable[..., Any], stockton: Council, hartlepool: Council
) -> None:
    elsewhere = add(hartlepool, "Jon", "Smith", nhs_number="9434765919")
    assert selectors.break_glass_candidate(user=worker, nhs_number="943 476 5919") == elsewhere
    partner = make_user(Role.PARTNER_PRACTITIONER, council=stockton)
    assert selectors.break_glass_candidate(user=partner, nhs_number="9434765919") is None
    Person.objects.filter(pk=elsewhere.pk).update(is_restricted=True)
    assert selectors.break_glass_candidate(user=worker, nhs_number="9434765919") is None
    assert selectors.break_glass_candidate(user=worker, nhs_number="9434765918") is None


def test_relationships_read_both_ways_and_hide_people_the_user_cannot_see(
    worker: Any, stockton: Council, hartlepool: Council
) -> None:
    mother = a_person(council=stockton, given_name="Jane", kind="adult")
    child = a_person(council=stockton, given_name="Tom")
    father = a_person(council=hartlepool, given_name="Dan", kind="adult")
    services.add_relationship(
        from_person=mother,
        to_person=child,
        kind=RelationshipKind.PARENT,
        recorded_by=None,
        has_parental_responsibility=True,
    )
    services.add_relationship(
        from_person=father, to_person=child, kind=RelationshipKind.PARENT, recorded_by=None
    )
    from_child = selectors.relationships_of(user=worker, person=child)
    assert [(r.person, r.label, r.has_parental_responsibility) for r in from_child] == [
        (mother, "Parent", True)
    ]
    from_mother = selectors.relationships_of(user=worker, person=mother)
    assert [(r.person, r.label) for r in from_mother] == [(child, "Child")]


def test_household_members_are_only_those_the_user_can_see(
    worker: Any, stockton: Council, hartlepool: Council
) -> None:
    child = a_person(council=stockton)
    lodger = a_person(council=hartlepool)
    household = services.create_household(council=stockton, name="Smith", created_by=None)
    for person in (child, lodger):
        services.add_household_member(household=household, person=person, added_by=None)
    [view] = selectors.households_of(user=worker, person=child)
    assert [m.person for m in view.members] == [child]


def test_change_history_says_who_changed_what(worker: Any, stockton: Council) -> None:
    person = services.create_person(
        created_by=worker,
        council=stockton,
        given_name="Jon",
        family_name="Smith",
        date_of_birth=DOB,
    )
    services.update_person(
        person=person, changed_by=worker, expected_version=1, family_name="Smyth", sex="M"
    )
    latest, created = selectors.change_history(person=person)
    assert created.kind == "Created" and created.who == worker
    assert latest.kind == "Changed" and latest.who == worker
    assert {(c.field, c.old, c.new) for c in latest.changes} == {
        ("Last name", "Smith", "Smyth"),
        ("Sex", "Not known", "Male"),
    }
