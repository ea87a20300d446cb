"""What is typed into the one search box is routed to the field it belongs to."""

from __future__ import annotations

from datetime import date

import pytest

from continuum.people.search_terms import SearchTerms, parse_date, split_query


@pytest.mark.parametrize(
    ("typed", "terms"),
    [
        ("smyth jon", SearchTerms(name="smyth jon")),
        ("943 476 5919", SearchTerms(nhs_number="9434765919")),
        ("9434765919", SearchTerms(nhs_number="9434765919")),
        ("27/3/2019", SearchTerms(date_of_birth=date(2019, 3, 27))),
        ("2019-03-27", SearchTerms(date_of_birth=date(2019, 3, 27))),
        ("27 March 2019", SearchTerms(date_of_birth=date(2019, 3, 27))),
        ("ts181ld", SearchTerms(postcode="TS18 1LD")),
        ("TS18 1LD", SearchTerms(postcode="TS18 1LD")),
        ("TS18", SearchTerms(postcode="TS18")),
        (
            "Jon Smith 27/3/2019 TS18 1LD",
            SearchTerms(name="Jon Smith", date_of_birth=date(2019, 3, 27), postcode="TS18 1LD"),
        ),
    ],
)
def test_free_text_is_routed_to_its_field(typed: str, terms: SearchTerms) -> None:
    assert split_query(typed) == terms


def test_an_impossible_date_is_not_taken_for_a_date() -> None:
    assert parse_date("31/2/2019") is None
    assert split_query("31/2/2019").date_of_birth is None


@pytest.mark.parametrize("typed", ["27/3/2019", "27-3-2019", "27.03.2019", "2019-3-27"])
def test_dates_are_read_day_first_or_iso(typed: str) -> None:
    assert parse_date(typed) == date(2019, 3, 27)
