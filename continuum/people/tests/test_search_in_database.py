"""Person search ranked and paged by PostgreSQL (issue 16): stored match keys kept by the
services, the ranking the Python one had (the same word, then a word's start, then a
word that sounds alike, then a close spelling; any order; aliases a little lower), and
never anyone the user may not see, not even in a count."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from continuum.audit.models import AccessAction, AccessLogEntry
from continuum.organisations.models import Council
from continuum.people import name_keys, search_bench, selectors, services
from continuum.people.models import Person
from continuum.people.search_terms import NOTHING_TO_SEARCH
from continuum.people.tests.builders import DOB, a_person

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the ranking in SQL is PostgreSQL's"
)


def add(council: Council, given: str, family: str, **fields: Any) -> Person:
    fields.setdefault("date_of_birth", DOB)
    return services.create_person(
        created_by=None, council=council, given_name=given, family_name=family, **fields
    )


def names(people: Any) -> list[str]:
    return [p.full_name for p in people]


@on_postgresql
def test_the_same_word_ranks_above_a_start_above_a_sound_alike(
    worker: Any, stockton: Council
) -> None:
    add(stockton, "Amy", "Smithson")  # "smith" starts a word
    add(stockton, "Amy", "Smyth")  # sounds like "smith"
    add(stockton, "Amy", "Smith")  # the same word
    add(stockton, "Amy", "Brown")  # nothing like it
    assert names(selectors.search_people(user=worker, query="amy smith")) == [
        "Amy Smith",
        "Amy Smithson",
        "Amy Smyth",
    ]


@on_postgresql
def test_word_order_does_not_matter_and_ties_read_by_last_then_first_name(
    worker: Any, stockton: Council
) -> None:
    add(stockton, "Zoe", "Khan")
    add(stockton, "Aisha", "Khan")
    add(stockton, "Khan", "Ali")
    assert names(selectors.search_people(user=worker, query="khan")) == [
        "Khan Ali",
        "Aisha Khan",
        "Zoe Khan",
    ]
    assert names(selectors.search_people(user=worker, query="khan aisha")) == ["Aisha Khan"]


@on_postgresql
def test_a_match_through_an_alias_ranks_just_below_the_same_match_by_name(
    worker: Any, stockton: Council
) -> None:
    add(stockton, "Robert", "Jones", aliases=[{"given_name": "Bobby", "family_name": ""}])
    add(stockton, "Bobby", "Jones")
    assert names(selectors.search_people(user=worker, query="bobby jones")) == [
        "Bobby Jones",
        "Robert Jones",
    ]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("jonhson", "Amy Johnson"), ("mcdonlad", "Ben McDonald"), ("Wiliams Cara", "Cara Williams")],
)
def test_a_misspelt_name_is_found(
    worker: Any, stockton: Council, typed: str, expected: str
) -> None:
    add(stockton, "Amy", "Johnson")
    add(stockton, "Ben", "McDonald")
    add(stockton, "Cara", "Williams")
    add(stockton, "Dan", "Patel")
    assert names(selectors.search_people(user=worker, query=typed))[:1] == [expected]


def test_people_the_user_may_not_see_are_never_returned_or_counted(
    worker: Any, stockton: Council, hartlepool: Council
) -> None:
    seen = add(stockton, "Jonny", "Smithers")
    # Better matches the worker may not see: another council's, and a restricted record.
    add(hartlepool, "Jon", "Smith")
    add(stockton, "Jon", "Smith", is_restricted=True)
    results = selectors.search_people(user=worker, query="jon smith")
    assert results.count() == 1
    assert list(results) == [seen]
    assert list(results.values_list("pk", flat=True)[:5]) == [seen.pk]


def test_the_keys_follow_a_change_of_name_and_a_new_alias(worker: Any, stockton: Council) -> None:
    person = add(stockton, "Amy", "Brown")
    assert list(selectors.search_people(user=worker, query="amy brown")) == [person]
    person = services.update_person(
        person=person, changed_by=None, expected_version=person.version, family_name="Green"
    )
    assert not selectors.search_people(user=worker, query="brown").exists()
    assert list(selectors.search_people(user=worker, query="amy green")) == [person]
    services.add_alias(person=person, added_by=None, family_name="Whitfield")
    assert list(selectors.search_people(user=worker, query="amy whitfield")) == [person]
    stored = Person.objects.values("search_names", "search_all_names", "search_keys").get(
        pk=person.pk
    )
    assert stored == name_keys.search_columns("Amy", "", "Green", [("", "Whitfield")])
    assert stored["search_names"] == " amy green "
    # Derived keys are no part of the record's history.
    assert not hasattr(Person.history.model, "search_names")


def test_people_made_by_other_writers_have_keys_too(worker: Any, stockton: Council) -> None:
    person = a_person(council=stockton, given_name="Maisie", family_name="O'Connor")
    assert list(selectors.search_people(user=worker, query="oconnor maisie")) == [person]


def test_a_query_too_long_or_only_punctuation_is_answered_clearly(
    signed_in: Client, stockton: Council
) -> None:
    add(stockton, "Amy", "Brown")
    for typed, message in [("?!*&", NOTHING_TO_SEARCH), ("a" * 201, "at most 200 characters")]:
        response = signed_in.get(reverse("people:search"), {"q": typed})
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not response.context["searched"]
    assert not AccessLogEntry.objects.filter(action=AccessAction.SEARCH).exists()


def test_the_api_refuses_a_query_of_only_punctuation(signed_in: Client) -> None:
    response = signed_in.get("/api/v1/people", {"q": "--//..."})
    assert response.status_code == 422
    assert NOTHING_TO_SEARCH in response.content.decode()
    too_long = signed_in.get("/api/v1/people", {"q": "a" * 201})
    assert too_long.status_code == 422


def test_more_query_words_than_counted_are_ignored(worker: Any, stockton: Council) -> None:
    person = add(stockton, "Amy", "Brown")
    query = "amy brown " + " ".join(["zzzz"] * 20)
    # Only the first words count (``name_keys.MAX_QUERY_TOKENS``), so this finds nobody
    # rather than failing, however long the query.
    assert person not in selectors.search_people(user=worker, query=query)
    assert list(selectors.search_people(user=worker, query="amy brown")) == [person]


def test_the_bench_draws_queries_and_times_each_search(worker: Any, stockton: Council) -> None:
    for given, family in [("Amy", "Brown"), ("Ben", "Green"), ("Cara", "Williams")]:
        add(stockton, given, family)
    queries = search_bench.sample_queries(12, seed=1)
    assert len(queries) == 12
    assert queries == search_bench.sample_queries(12, seed=1)
    timings = search_bench.time_searches(worker, queries)
    assert len(timings) == 12
    assert all(t > 0 for t in timings)
