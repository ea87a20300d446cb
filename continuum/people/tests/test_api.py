"""/api/v1/people: list and search, create, one person's record. The same rules as the
pages: nothing invisible is listed or counted, bad input is 422 naming the field, and each
read of a record writes exactly one access-log row."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client

from continuum.access.models import Involvement
from continuum.accounts.models import Role
from continuum.audit.models import AccessAction, AccessLogEntry
from continuum.organisations.models import Council
from continuum.people.models import Person
from continuum.people.tests.builders import a_person

pytestmark = pytest.mark.django_db

URL = "/api/v1/people"


def post(client: Client, body: dict[str, Any]) -> Any:
    return client.post(URL, data=json.dumps(body), content_type="application/json")


def error_fields(response: Any) -> set[str]:
    return {str(error["loc"][-1]) for error in response.json()["detail"]}


def test_list_searches_and_counts_only_visible_people(
    signed_in: Client, jon: Person, hartlepool: Council
) -> None:
    a_person(council=hartlepool, given_name="Jon", family_name="Smith")
    a_person(council=jon.council, given_name="Jon", family_name="Smith", is_restricted=True)
    body = signed_in.get(URL, {"q": "smyth jon"}).json()
    assert body["count"] == 1
    [item] = body["items"]
    assert item["id"] == str(jon.pk)
    assert item["council"] == "808"
    # A list shows enough to pick the person (issue 10, finding 4), not the whole record.
    assert item["partial_identifier"] == "*** *** 5919"
    assert "nhs_number" not in item and "addresses" not in item and "aliases" not in item
    assert signed_in.get(URL, {"nhs_number": "943 476 5919"}).json()["count"] == 1
    assert signed_in.get(URL, {"postcode": "TS18"}).json()["count"] == 1
    assert signed_in.get(URL, {"date_of_birth": "2019-03-27"}).json()["count"] == 1
    # Each search is one access-log row, and none is a read of a record.
    assert AccessLogEntry.objects.count() == 4
    assert set(AccessLogEntry.objects.values_list("action", flat=True)) == {AccessAction.SEARCH}


def test_list_is_paginated_with_limit_and_offset(signed_in: Client, stockton: Council) -> None:
    for _ in range(3):
        a_person(council=stockton)
    first = signed_in.get(URL, {"limit": 2}).json()
    rest = signed_in.get(URL, {"limit": 2, "offset": 2}).json()
    assert first["count"] == rest["count"] == 3
    assert len(first["items"]) == 2 and len(rest["items"]) == 1
    assert signed_in.get(URL, {"limit": 201}).status_code == 422


def test_reading_a_record_writes_exactly_one_access_log_row(
    signed_in: Client, worker: Any, jon: Person
) -> None:
    response = signed_in.get(f"{URL}/{jon.pk}")
    assert response.status_code == 200
    assert response.json()["given_name"] == "Jon"
    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.subject_id, entry.action) == (worker, jon.pk, AccessAction.API_READ)
    signed_in.get(f"{URL}/{jon.pk}/chronology")
    assert AccessLogEntry.objects.count() == 2


def test_the_chronology_lists_events(signed_in: Client, jon: Person) -> None:
    body = signed_in.get(f"{URL}/{jon.pk}/chronology").json()
    assert body["count"] == 2
    assert {item["title"] for item in body["items"]} == {
        "Record created",
        "Joined the Smith household",
    }


@pytest.mark.parametrize("restricted", [False, True])
def test_a_record_the_user_may_not_see_is_404_and_not_logged(
    signed_in: Client, hartlepool: Council, stockton: Council, restricted: bool
) -> None:
    hidden = a_person(council=stockton if restricted else hartlepool, is_restricted=restricted)
    assert signed_in.get(f"{URL}/{hidden.pk}").status_code == 404
    assert signed_in.get(f"{URL}/{hidden.pk}/chronology").status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_create_a_person(signed_in: Client, worker: Any, stockton: Council) -> None:
    response = post(
        signed_in,
        {
            "given_name": "Amy",
            "family_name": "Brown",
            "date_of_birth": "2018-01-02",
            "nhs_number": "943 476 5919",
            "upn": "d801200012001",
            "sex": "F",
            "address": {"line_1": "4 Church Lane", "town": "Stockton", "postcode": "ts19 0aa"},
            "aliases": [{"given_name": "Ames"}],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    person = Person.objects.get(pk=body["id"])
    assert (person.council, person.created_by) == (stockton, worker)
    assert body["council"] == "808"
    assert body["nhs_number"] == "9434765919" and body["upn"] == "D801200012001"
    assert body["addresses"][0]["postcode"] == "TS19 0AA"
    assert body["aliases"][0]["given_name"] == "Ames"
    assert body["upn_unknown_reason"] == "" and body["date_of_death"] is None


def test_a_child_without_a_upn_has_the_census_reason(signed_in: Client) -> None:
    response = post(
        signed_in,
        {
            "family_name": "Brown",
            "date_of_birth": "2024-01-02",
            "upn_unknown_reason": "UN1",
            "disabilities": ["HEAR", "COMM"],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["upn_unknown_reason"] == "UN1" and body["disabilities"] == ["HEAR", "COMM"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"nhs_number": "9434765918"}, "nhs_number"),
        ({"upn": "E801200012001"}, "upn"),
        ({"date_of_birth": (date.today() + timedelta(days=1)).isoformat()}, "date_of_birth"),
        ({"date_of_birth": "27/3/2019"}, "date_of_birth"),
        ({"address": {"line_1": "1 Road", "town": "Stockton", "postcode": "TS18"}}, "postcode"),
        ({"kind": "unborn"}, "expected_date_of_birth"),
        ({"sex": "X"}, "sex"),
        ({"sex": "I"}, "sex"),
        ({"council": "805"}, "council"),
        ({"upn": "D801200012001", "upn_unknown_reason": "UN1"}, "upn_unknown_reason"),
        ({"upn_unknown_reason": "UN8"}, "upn_unknown_reason"),
        ({"disabilities": ["NONE", "VIS"]}, "disabilities"),
        ({"disabilities": ["BLIND"]}, "disabilities"),
        ({"disabilities": ["VIS", "VIS"]}, "disabilities"),
        ({"date_of_death": "2010-05-01"}, "date_of_death"),
    ],
)
def test_bad_input_is_422_naming_the_field_and_saves_nothing(
    signed_in: Client, hartlepool: Council, body: dict[str, Any], field: str
) -> None:
    response = post(
        signed_in,
        {"given_name": "Amy", "family_name": "Brown", "date_of_birth": "2018-01-02", **body},
    )
    assert response.status_code == 422, response.content
    assert field in error_fields(response)
    assert not Person.objects.exists()


def test_extra_fields_change_nothing(signed_in: Client, worker: Any, stockton: Council) -> None:
    response = post(
        signed_in,
        {
            "given_name": "Amy",
            "family_name": "Brown",
            "is_restricted": True,
            "created_by": 1,
            "id": "00000000-0000-0000-0000-000000000001",
            "version": 99,
        },
    )
    assert response.status_code == 201
    person = Person.objects.get()
    assert person.is_restricted is False
    assert person.created_by == worker
    assert person.version == 1
    assert str(person.pk) != "00000000-0000-0000-0000-000000000001"


def test_a_partner_chooses_a_council_they_serve_and_is_involved(
    client: Client, make_user: Callable[..., Any], stockton: Council, hartlepool: Council
) -> None:
    partner = make_user(Role.PARTNER_PRACTITIONER, council=stockton)
    partner.organisation.serves.add(hartlepool)
    client.force_login(partner)
    ambiguous = post(client, {"family_name": "Brown"})
    assert ambiguous.status_code == 422 and "council" in error_fields(ambiguous)
    response = post(client, {"family_name": "Brown", "council": "805"})
    assert response.status_code == 201
    person = Person.objects.get()
    assert person.council == hartlepool
    assert Involvement.objects.filter(user=partner, person=person).exists()
    assert client.get(f"{URL}/{person.pk}").status_code == 200


@pytest.mark.parametrize("role", [Role.PERFORMANCE_ANALYST, Role.AUDITOR])
def test_roles_the_policy_refuses_cannot_create(
    client: Client, make_user: Callable[..., Any], role: str
) -> None:
    client.force_login(make_user(role))
    assert post(client, {"family_name": "Brown"}).status_code == 403
    assert not Person.objects.exists()


def test_analysts_cannot_list_people(client: Client, make_user: Callable[..., Any]) -> None:
    client.force_login(make_user(Role.PERFORMANCE_ANALYST))
    assert client.get(URL).status_code == 403


def test_anonymous_requests_are_refused(client: Client, jon: Person) -> None:
    assert client.get(URL).status_code == 401
    assert client.get(f"{URL}/{jon.pk}").status_code == 401
    assert not AccessLogEntry.objects.exists()
