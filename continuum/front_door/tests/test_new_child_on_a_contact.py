"""A new child on a contact (issue 12, rough edge 4), in the contact's "who is it about"
step: entering a new child, nothing is chosen for the user and a date of birth is needed;
someone 18 or over, new or already on the record, is added as a child only once the user
confirms it."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import User
from continuum.front_door.tests.contacts_support import flow_token, signed_in
from continuum.organisations.models import Council
from continuum.people.models import Person
from continuum.people.tests.test_new_child import NO_DATE, checked
from continuum.testing import factories

pytestmark = pytest.mark.django_db


def _years_ago(years: int) -> date:
    today = timezone.localdate()
    return today.replace(year=today.year - years)


def _people_url(client: Client) -> str:
    token = flow_token(client.get(reverse("front_door:contact-new")))
    return reverse("front_door:contact-people", args=[token])


def _new_child(born: date | None, **overrides: str) -> dict[str, str]:
    data = {
        "role": "child",
        "kind": "child",
        "given_name": "Ivy",
        "family_name": "Lark",
        "sex": "F",
        "ethnicity": "NOBT",
        **(
            {
                "date_of_birth_day": str(born.day),
                "date_of_birth_month": str(born.month),
                "date_of_birth_year": str(born.year),
            }
            if born
            else NO_DATE
        ),
    }
    data.update(overrides)
    return data


def test_entering_a_new_child_starts_with_nothing_chosen(worker: User) -> None:
    client = signed_in(worker)
    new_person = _people_url(client).replace("/people", "/new-person")
    for role in ("child", "adult"):
        html = client.get(new_person, {"role": role}).content.decode()
        for name in ("kind", "sex", "disabilities"):
            assert checked(html, name) == [], (role, name)


def test_a_new_child_needs_a_date_of_birth(worker: User) -> None:
    client = signed_in(worker)
    new_person = _people_url(client).replace("/people", "/new-person")
    before = Person.objects.count()
    response = client.post(new_person, _new_child(None))
    assert response.status_code == 200
    assert "Enter the child's date of birth" in " ".join(
        response.context["form"].errors["date_of_birth"]
    )
    assert Person.objects.count() == before


def test_a_new_child_of_36_is_added_only_once_confirmed(worker: User) -> None:
    client = signed_in(worker)
    people = _people_url(client)
    new_person = people.replace("/people", "/new-person")
    before = Person.objects.count()
    warned = client.post(new_person, _new_child(_years_ago(36)))
    assert warned.status_code == 200
    assert "This person is 36 years old" in warned.content.decode()
    assert Person.objects.count() == before
    added = client.post(new_person, _new_child(_years_ago(36), confirm_age="on"))
    assert added["Location"] == people
    assert client.get(people).context["children"][0].family_name == "Lark"


def test_adding_someone_on_the_record_aged_18_or_over_as_a_child_asks_first(
    worker: User, stockton: Council
) -> None:
    grown: Person = factories.PersonFactory(  # type: ignore[assignment]
        council=stockton, date_of_birth=_years_ago(36)
    )
    client = signed_in(worker)
    people = _people_url(client)
    asked = client.post(people, {"action": "add", "person": grown.pk, "role": "child"})
    assert asked.status_code == 200
    assert asked.context["confirm"]["age"] == 36
    assert "is 36 years old" in asked.content.decode()
    assert asked.context["children"] == []
    # As a parent or carer: no question.
    as_adult = client.post(
        people, {"action": "add", "person": grown.pk, "role": "adult", "relationship": "Mother"}
    )
    assert as_adult["Location"] == people
    confirmed = client.post(
        people, {"action": "add", "person": grown.pk, "role": "child", "confirm_age": "on"}
    )
    assert confirmed["Location"] == people
    assert client.get(people).context["children"] == [grown]


def test_adding_a_child_under_18_asks_nothing(worker: User, child: Person) -> None:
    client = signed_in(worker)
    people = _people_url(client)
    added = client.post(people, {"action": "add", "person": child.pk, "role": "child"})
    assert added["Location"] == people
