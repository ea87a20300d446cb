"""A new child (issue 12, rough edge 4): nothing is chosen for the user (who the person is,
their sex, disability); a child needs a date of birth, an unborn child the expected date;
and someone 18 or over is recorded as a child only when the user confirms it. On the people
pages and the contact's "enter a new child" step."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from continuum.organisations.models import Council
from continuum.people.models import Person
from continuum.people.services import age_if_adult, birth_date_errors
from continuum.people.tests.builders import new_person_data

pytestmark = pytest.mark.django_db


def _years_ago(years: int) -> date:
    today = timezone.localdate()
    return today.replace(year=today.year - years)


def _born(day: date) -> dict[str, str]:
    return {
        "date_of_birth_day": str(day.day),
        "date_of_birth_month": str(day.month),
        "date_of_birth_year": str(day.year),
    }


NO_DATE = {"date_of_birth_day": "", "date_of_birth_month": "", "date_of_birth_year": ""}


def checked(html: str, name: str) -> list[str]:
    """The values of the inputs named ``name`` that start ticked."""
    return [
        value
        for attributes in re.findall(rf'<input[^>]*name="{name}"[^>]*>', html)
        if " checked" in attributes
        for value in re.findall(r'value="([^"]*)"', attributes)
    ]


# --- the rules --------------------------------------------------------------------------------


def test_a_child_needs_a_date_of_birth_and_an_unborn_child_the_expected_date() -> None:
    assert list(birth_date_errors(kind="child", date_of_birth=None, expected_date_of_birth=None))
    assert (
        birth_date_errors(kind="child", date_of_birth=date(2018, 1, 2), expected_date_of_birth=None)
        == {}
    )
    assert list(
        birth_date_errors(kind="unborn", date_of_birth=None, expected_date_of_birth=None)
    ) == ["expected_date_of_birth"]
    assert birth_date_errors(kind="adult", date_of_birth=None, expected_date_of_birth=None) == {}


def test_someone_is_an_adult_from_their_18th_birthday() -> None:
    today = date(2026, 12, 5)
    assert age_if_adult(date(2008, 12, 6), today=today) is None  # 18 tomorrow
    assert age_if_adult(date(2008, 12, 5), today=today) == 18
    assert age_if_adult(date(1990, 6, 1), today=today) == 36
    assert age_if_adult(None, today=today) is None


# --- the people pages -------------------------------------------------------------------------


def test_nothing_is_chosen_for_the_user(signed_in: Client) -> None:
    html = signed_in.get(reverse("people:create")).content.decode()
    for name in ("kind", "sex", "disabilities"):
        assert f'name="{name}"' in html
        assert checked(html, name) == [], name


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": ""}, "kind"),
        ({"sex": ""}, "sex"),
        (NO_DATE, "date_of_birth"),
        ({"kind": "unborn", **NO_DATE}, "expected_date_of_birth"),
    ],
)
def test_unanswered_questions_are_refused_at_their_field_and_nothing_is_saved(
    signed_in: Client, overrides: dict[str, str], field: str
) -> None:
    response = signed_in.post(reverse("people:create"), new_person_data(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Person.objects.exists()


def test_a_36_year_old_is_added_as_a_child_only_once_confirmed(
    signed_in: Client, stockton: Council
) -> None:
    data = new_person_data(**_born(_years_ago(36)))
    warned = signed_in.post(reverse("people:create"), data)
    assert warned.status_code == 200
    assert "confirm_age" in warned.context["form"].errors
    assert "This person is 36 years old" in warned.content.decode()
    assert not Person.objects.exists()
    confirmed = signed_in.post(reverse("people:create"), {**data, "confirm_age": "on"})
    assert confirmed.status_code == 302
    assert Person.objects.get().kind == "child"


def test_an_adult_needs_no_confirming(signed_in: Client) -> None:
    response = signed_in.post(
        reverse("people:create"), new_person_data(kind="adult", **_born(_years_ago(36)))
    )
    assert response.status_code == 302
