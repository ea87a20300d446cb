"""One history-diff renderer: when, who, what, and each field from what to what."""

from __future__ import annotations

from typing import Any, cast

import pytest

from continuum.people.models import Person
from continuum.testing import factories
from continuum.ui.history import NOT_RECORDED, history_entries, shown

pytestmark = pytest.mark.django_db


def records(person: Person) -> Any:
    return Person.history.filter(id=person.pk).order_by("history_date", "history_id")


def test_an_addition_then_each_change_with_its_fields_from_what_to_what() -> None:
    person = cast(Person, factories.PersonFactory(given_name="Ada", middle_names="", sex="F"))
    person.given_name, person.middle_names = "Adah", "Rose"
    person.save()

    added, changed = history_entries(records(person), Person, "Personal details")

    assert (added.kind, added.what, added.changes) == ("Added", "Personal details", [])
    assert changed.kind == "Changed"
    assert {(c.field, c.old, c.new) for c in changed.changes} == {
        ("First name", "Ada", "Adah"),
        ("Middle names", NOT_RECORDED, "Rose"),
    }


def test_a_change_to_hidden_fields_only_is_no_entry_and_an_addition_may_name_its_record() -> None:
    person = cast(Person, factories.PersonFactory(given_name="Ada", family_name="Lovelace"))
    person.version += 1
    person.save()

    entries = history_entries(
        records(person), Person, "Record", hidden={"version"}, name_added=True
    )

    assert [(e.kind, e.what) for e in entries] == [("Added", f"Record: {person}")]


def test_values_read_as_people_read_them(stockton: Any) -> None:
    assert shown(Person, "council", stockton.pk) == stockton.name
    assert shown(Person, "sex", "F") == "Female"
    assert shown(Person, "given_name", "") == NOT_RECORDED
