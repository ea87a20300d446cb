"""Issue 10, finding 4: lists and searches show what is needed to pick a person (name, date
of birth, council, a partial identifier) and nothing more, and every search leaves one
access-log row naming who searched, the terms, how many matched and which records were
shown. The detail page and endpoint keep the whole record."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from continuum.audit.models import AccessAction, AccessLogEntry
from continuum.organisations.models import Council
from continuum.people.choices import Disability, Ethnicity
from continuum.people.models import Person
from continuum.people.tests.builders import a_person

pytestmark = pytest.mark.django_db

URL = "/api/v1/people"
# What a list never shows: whole identifiers, addresses, ethnicity, disability and the rest
# of the record.
NOT_IN_A_LIST = {
    "nhs_number",
    "upn",
    "addresses",
    "ethnicity",
    "disabilities",
    "upn_unknown_reason",
    "date_of_death",
    "aliases",
    "households",
    "gender_identity",
    "first_language",
    "middle_names",
    "sex",
}


def _many_people(council: Council, n: int) -> list[Person]:
    people = [
        a_person(council=council, ethnicity=Ethnicity.WBRI, disabilities=[Disability.AUTISM])
        for _ in range(n)
    ]
    for person in people[:3]:
        person.addresses.create(line_1="1 High Street", town="Stockton", postcode="TS18 1LD")
    return people


def test_the_api_list_at_its_largest_page_shows_no_identifiers_addresses_or_sensitive_fields(
    signed_in: Client, worker: Any, stockton: Council
) -> None:
    people = _many_people(stockton, 205)

    response = signed_in.get(URL, {"limit": 200})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 205
    assert len(body["items"]) == 200
    text = response.content.decode()
    for person in people:
        assert person.nhs_number and person.nhs_number not in text
        assert person.upn and person.upn not in text
    assert "TS18" not in text
    for item in body["items"]:
        assert not NOT_IN_A_LIST & set(item), sorted(NOT_IN_A_LIST & set(item))
        assert set(item) == {
            "id",
            "council",
            "council_name",
            "kind",
            "given_name",
            "family_name",
            "date_of_birth",
            "expected_date_of_birth",
            "partial_identifier",
        }
        assert item["partial_identifier"].startswith("*** *** ")


def test_the_api_list_leaves_one_access_log_row_naming_terms_count_and_the_records_shown(
    signed_in: Client, worker: Any, stockton: Council
) -> None:
    _many_people(stockton, 205)

    body = signed_in.get(URL, {"limit": "200", "offset": "0", "q": ""}).json()

    entry = AccessLogEntry.objects.get()
    assert entry.user == worker
    assert entry.action == AccessAction.SEARCH
    assert entry.subject_id is None
    assert entry.result_count == 205
    assert entry.search_terms and "limit=200" in entry.search_terms
    shown = set(entry.shown.values_list("subject_id", flat=True))
    assert {str(s) for s in shown} == {item["id"] for item in body["items"]}


def test_an_api_search_records_its_terms(signed_in: Client, jon: Person) -> None:
    body = signed_in.get(URL, {"q": "smyth jon", "postcode": "TS18"}).json()

    assert body["count"] == 1
    assert body["items"][0]["partial_identifier"] == "*** *** 5919"
    entry = AccessLogEntry.objects.get()
    terms = entry.search_terms or ""
    assert "q=smyth jon" in terms and "postcode=TS18" in terms
    assert list(entry.shown.values_list("subject_id", flat=True)) == [jon.pk]


def test_without_an_nhs_number_the_partial_identifier_is_the_end_of_the_upn(
    signed_in: Client, stockton: Council
) -> None:
    person = a_person(council=stockton, nhs_number=None, family_name="Quillfeather")

    [item] = signed_in.get(URL, {"q": "Quillfeather"}).json()["items"]

    upn = person.upn or ""
    assert upn and item["partial_identifier"] == "*********" + upn[-4:]
    assert upn not in str(item)


def test_the_detail_endpoint_still_gives_the_whole_record(signed_in: Client, jon: Person) -> None:
    body = signed_in.get(f"{URL}/{jon.pk}").json()
    assert body["nhs_number"] == "9434765919"
    assert body["addresses"][0]["postcode"] == "TS18 1LD"


def test_the_openapi_document_describes_the_list_without_the_whole_record(
    signed_in: Client,
) -> None:
    document = signed_in.get("/api/v1/openapi.json").json()
    list_schema = document["paths"]["/api/v1/people"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["schema"]["$ref"].rsplit("/", 1)[-1]
    item_ref = document["components"]["schemas"][list_schema]["properties"]["items"]["items"]
    item = document["components"]["schemas"][item_ref["$ref"].rsplit("/", 1)[-1]]
    assert "partial_identifier" in item["properties"]
    assert not NOT_IN_A_LIST & set(item["properties"])


def test_the_search_page_shows_a_partial_identifier_and_leaves_one_row(
    signed_in: Client, worker: Any, jon: Person
) -> None:
    response = signed_in.get(reverse("people:search"), {"q": "Smith"})

    # The results (the form's hint gives an example NHS number that happens to be Jon's).
    page = response.content.decode().split('id="results-heading"', 1)[1]
    assert "Jon Smith" in page
    assert "*** *** 5919" in page
    assert "943 476 5919" not in page and "9434765919" not in page
    assert "TS18" not in page
    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.action, entry.result_count) == (worker, AccessAction.SEARCH, 1)
    assert "q=Smith" in (entry.search_terms or "")
    assert list(entry.shown.values_list("subject_id", flat=True)) == [jon.pk]


def test_a_search_that_finds_nobody_is_still_logged(signed_in: Client) -> None:
    signed_in.get(reverse("people:search"), {"q": "Nobody-Here"})
    entry = AccessLogEntry.objects.get()
    assert entry.result_count == 0
    assert not entry.shown.exists()


def test_an_invalid_search_is_not_a_search_and_leaves_no_row(signed_in: Client) -> None:
    signed_in.get(reverse("people:search"), {"date_of_birth": "32/13/2020"})
    assert not AccessLogEntry.objects.exists()


def test_the_records_who_has_looked_tab_lists_the_searches_that_showed_them(
    client: Client, worker: Any, manager: Any, jon: Person
) -> None:
    client.force_login(worker)
    client.get(reverse("people:search"), {"q": "Smith"})
    client.force_login(manager)

    page = client.get(reverse("people:access-log", args=[jon.pk])).content.decode()

    assert "Searched for people" in page
    assert "frontdoor.stockton" in page
    assert "q=Smith" not in page  # the terms are for the log's own reviewers
