"""Typed shortcuts over the shared factories for the people tests."""

from __future__ import annotations

from typing import Any, cast

from continuum.people.models import Person
from continuum.testing.factories import PersonFactory


def a_person(**fields: Any) -> Person:
    """A synthetic person (valid test-range NHS number and UPN unless given)."""
    return cast(Person, PersonFactory(**fields))
