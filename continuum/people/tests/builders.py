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
