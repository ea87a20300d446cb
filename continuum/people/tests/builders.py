"""Typed shortcuts over the shared factories for the people tests."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from continuum.people.models import Person
from continuum.testing.factories import PersonFactory

# Jon Smith's date of birth, and other test people's unless they need another.
DOB = date(2019, 3, 27)


def a_person(**fields: Any) -> Person:
    """A synthetic person (valid test-range NHS number and UPN unless given)."""
    return cast(Person, PersonFactory(**fields))


def new_person_data(**overrides: str) -> dict[str, str]:
    """The "add a person" page's fields for a new child, Amy Brown, with ``overrides``."""
    data = {
        "kind": "child",
        "given_name": "Amy",
        "family_name": "Brown",
        "date_of_birth_day": "2",
        "date_of_birth_month": "1",
        "date_of_birth_year": "2018",
        "sex": "F",
        "ethnicity": "NOBT",
        "disabilities": "NONE",
    }
    data.update(overrides)
    return data
