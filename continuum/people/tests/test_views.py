"""The people pages as practitioners use them: search, a person's record in tabs, adding
and changing a person, and emergency access. Every page of a person's record writes
exactly one access-log row; nothing else writes one."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from continuum.access.models import BreakGlassGrant, Involvement, InvolvementReason
from continuum.accounts.models import Role
from continuum.audit.models import AccessAction, AccessLogEntry
from continuum.organisations.models import Council
from continuum.people import services
from continuum.people.identifiers import synthetic_upn
from continuum.people.models import Person
from continuum.people.tests.builders import DOB, a_person, new_person_data
from continuum.tests.pages import shows

pytestmark = pytest.mark.django_db

REASON = "Child brought to A&E alone; need to check for existing plans"


# --- search ----------------------------------------------------------------------------


def test_search_finds_by_misspelt_name_and_shows_the_row(signed_in: Client, jon: Person) -> None:
    response = signed_in.get(reverse("people:search"), {"q": "smyth jon"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 person found" in page
    results = page.split('id="results-heading"', 1)[1]
    # Enough to pick the person (issue 10, finding 4): name, date of birth, council and a
    # partial identifier; not the whole NHS number or the address.
    assert "Jon Smith" in results and "*** *** 5919" in results
    assert "943 476 5919" not in results and "TS18 1LD" not in results
    assert "Stockton-on-Tees" in results
    # A search is not a read of a record, but it is logged: one row for the search.
    assert AccessLogEntry.objects.get().action == "search"


def test_search_counts_only_people_the_user_may_see(
    signed_in: Client, jon: Person, hartlepool: Council
) -> None:
    a_person(council=hartlepool, given_name="Jon", family_name="Smith")
    a_person(council=jon.council, given_name="Jon", family_name="Smith", is_restricted=True)
    response = signed_in.get(reverse("people:search"), {"q": "jon smith"})
    assert response.context["count"] == 1
    assert "1 person found" in response.content.decode()


def test_search_with_no_results_gives_guidance(signed_in: Client, jon: Person) -> None:
    page = signed_in.get(reverse("people:search"), {"q": "zebedee"}).content.decode()
    assert "0 people found" in page
    assert "check the spelling" in page
    assert "Request emergency access" not in page


def test_search_rejects_an_invalid_nhs_number_naming_the_field(signed_in: Client) -> None:
    page = signed_in.get(reverse("people:search"), {"nhs_number": "123"}).content.decode()
    assert "There is a problem" in page
    assert "Enter a valid NHS number" in page


def test_analysts_cannot_search_people(client: Client, make_user: Callable[..., Any]) -> None:
    client.force_login(make_user(Role.PERFORMANCE_ANALYST))
    assert client.get(reverse("people:search"), {"q": "smith"}).status_code == 403


# --- a person's record ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url_name", "action"),
    [
        ("people:detail", AccessAction.VIEW_RECORD),
        ("people:household", AccessAction.VIEW_RECORD),
        ("people:chronology", AccessAction.VIEW_CHRONOLOGY),
        ("people:access-log", AccessAction.VIEW_RECORD),
        ("people:history", AccessAction.VIEW_HISTORY),
        ("people:edit", AccessAction.VIEW_RECORD),
    ],
)
def test_each_page_of_a_record_writes_exactly_one_access_log_row(
    signed_in: Client, worker: Any, jon: Person, url_name: str, action: str
) -> None:
    response = signed_in.get(reverse(url_name, args=[jon.pk]))
    assert response.status_code == 200
    assert "Jon Smith" in response.content.decode()
    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.subject_id, entry.action) == (worker, jon.pk, action)
    assert entry.break_glass_reason == ""
    assert str(entry.request_id) == response["X-Request-ID"]


def test_the_summary_shows_identity_identifiers_and_addresses(
    signed_in: Client, jon: Person
) -> None:
    page = signed_in.get(reverse("people:detail", args=[jon.pk])).content.decode()
    assert "moj-identity-bar" in page and "moj-sub-navigation" in page
    assert "27 March 2019" in page and "943 476 5919" in page
    assert "1 High Street, Stockton, TS18 1LD" in page
    assert "Who has looked at this record" in page


def test_the_access_log_tab_lists_each_look(signed_in: Client, jon: Person) -> None:
    signed_in.get(reverse("people:detail", args=[jon.pk]))
    response = signed_in.get(reverse("people:access-log", args=[jon.pk]))
    assert len(response.context["entries"]) == 2
    assert "Front-door worker" in response.content.decode()


def test_a_partner_sees_an_involved_record_but_not_who_looked_at_it(
    client: Client, make_user: Callable[..., Any], jon: Person
) -> None:
    partner = make_user(Role.PARTNER_PRACTITIONER, council=jon.council)
    Involvement.objects.create(user=partner, person=jon, reason=InvolvementReason.REFERRER)
    client.force_login(partner)
    page = client.get(reverse("people:detail", args=[jon.pk])).content.decode()
    assert "Jon Smith" in page
    assert "Who has looked at this record" not in page
    assert client.get(reverse("people:access-log", args=[jon.pk])).status_code == 403
    assert AccessLogEntry.objects.count() == 1


@pytest.mark.parametrize("url_name", ["people:detail", "people:history", "people:edit"])
def test_a_record_the_user_may_not_see_is_404_and_not_logged(
    signed_in: Client, hartlepool: Council, url_name: str
) -> None:
    elsewhere = a_person(council=hartlepool)
    assert signed_in.get(reverse(url_name, args=[elsewhere.pk])).status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_household_and_relationships_read_both_ways(signed_in: Client, jon: Person) -> None:
    mum = a_person(council=jon.council, given_name="Jane", family_name="Smith", kind="adult")
    services.add_relationship(
        from_person=mum,
        to_person=jon,
        kind="parent",
        recorded_by=None,
        has_parental_responsibility=True,
    )
    household = services.create_household(council=jon.council, name="Smith", created_by=None)
    for person in (mum, jon):
        services.add_household_member(household=household, person=person, added_by=None)
    page = signed_in.get(reverse("people:household", args=[jon.pk])).content.decode()
    assert "Smith household" in page and "Jane Smith" in page and "Parent" in page
    page = signed_in.get(reverse("people:household", args=[mum.pk])).content.decode()
    assert "Child" in page and "Jon Smith" in page


def test_chronology_and_change_history(signed_in: Client, worker: Any, jon: Person) -> None:
    services.update_person(person=jon, changed_by=worker, expected_version=1, given_name="Jonathan")
    page = signed_in.get(reverse("people:chronology", args=[jon.pk])).content.decode()
    assert "moj-timeline" in page and "Record created" in page
    page = signed_in.get(reverse("people:history", args=[jon.pk])).content.decode()
    assert "First name: Jon → Jonathan" in page
    assert shows(page, worker)


# --- adding a person --------------------------------------------------------------------------


def test_adding_a_person_with_no_duplicates_creates_them_in_the_users_council(
    signed_in: Client, stockton: Council
) -> None:
    response = signed_in.post(
        reverse("people:create"),
        new_person_data(line_1="4 Church Lane", town="Stockton", postcode="ts19 0aa"),
    )
    person = Person.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[person.pk])
    assert person.council == stockton
    assert person.addresses.get().postcode == "TS19 0AA"
    assert person.chronology.get().title == "Record created"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"nhs_number": "943 476 5918"}, "nhs_number", "Enter a valid NHS number"),
        ({"upn": "E801200012001"}, "upn", "Enter a valid UPN"),
        (
            {"postcode": "TS18", "line_1": "1 Road", "town": "Stockton"},
            "postcode",
            "Enter a real UK postcode",
        ),
        (
            {"date_of_birth_year": str(date.today().year + 1)},
            "date_of_birth",
            "Date of birth must be today or in the past",
        ),
        ({"date_of_birth_month": "13"}, "date_of_birth", "Date of birth must be a real date"),
        ({"family_name": ""}, "family_name", "Enter a last name"),
        (
            {"date_of_death_day": "1", "date_of_death_month": "1", "date_of_death_year": "2017"},
            "date_of_death",
            "The date of death must be on or after the date of birth",
        ),
        ({"upn_unknown_reason": "UN9"}, "upn_unknown_reason", "Select a reason from the list"),
        ({"disabilities": "HEAR2"}, "disabilities", "Select disabilities from the list"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(
    signed_in: Client, overrides: dict[str, str], field: str, message: str
) -> None:
    response = signed_in.post(reverse("people:create"), new_person_data(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    page = response.content.decode()
    assert "There is a problem" in page and message in page
    assert f'href="#id_{field}"' in page
    assert not Person.objects.exists()


def test_census_details_are_recorded_and_shown(signed_in: Client) -> None:
    data: dict[str, Any] = new_person_data(
        upn_unknown_reason="UN6",
        date_of_death_day="3",
        date_of_death_month="11",
        date_of_death_year="2025",
    )
    data["disabilities"] = ["MOB", "HAND"]
    response = signed_in.post(reverse("people:create"), data)
    assert response.status_code == 302
    person = Person.objects.get()
    assert person.disabilities == ["MOB", "HAND"]
    assert person.upn_unknown_reason == "UN6"
    assert person.date_of_death == date(2025, 11, 3)
    page = signed_in.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert "Not known: Child is not looked after and the council is unable" in page
    assert "3 November 2025" in page
    assert "Mobility" in page and "Hand function" in page


@pytest.mark.parametrize(
    ("disabilities", "upn_reason", "field"),
    [
        (["NONE", "AUT"], "", "disabilities"),
        (["NONE"], "UN1", "upn_unknown_reason"),
    ],
)
def test_no_disability_stands_alone_and_a_upn_needs_no_reason(
    signed_in: Client, disabilities: list[str], upn_reason: str, field: str
) -> None:
    data: dict[str, Any] = new_person_data(
        upn=synthetic_upn(random.Random(4), la_code="808", year=2022),
        upn_unknown_reason=upn_reason,
    )
    data["disabilities"] = disabilities
    response = signed_in.post(reverse("people:create"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Person.objects.exists()


def test_an_unborn_child_needs_an_expected_date_not_a_date_of_birth(signed_in: Client) -> None:
    response = signed_in.post(reverse("people:create"), new_person_data(kind="unborn"))
    assert "expected_date_of_birth" in response.context["form"].errors
    due = date.today() + timedelta(days=90)
    response = signed_in.post(
        reverse("people:create"),
        new_person_data(
            kind="unborn",
            date_of_birth_day="",
            date_of_birth_month="",
            date_of_birth_year="",
            expected_date_of_birth_day=str(due.day),
            expected_date_of_birth_month=str(due.month),
            expected_date_of_birth_year=str(due.year),
        ),
    )
    assert response.status_code == 302
    assert Person.objects.get().expected_date_of_birth == due


def test_possible_duplicates_are_shown_before_a_new_record_is_added(
    signed_in: Client, jon: Person
) -> None:
    data = new_person_data(
        given_name="John",
        family_name="Smyth",
        date_of_birth_day="27",
        date_of_birth_month="3",
        date_of_birth_year="2019",
    )
    response = signed_in.post(reverse("people:create"), data)
    page = response.content.decode()
    assert "Is this one of these people?" in page
    assert reverse("people:detail", args=[jon.pk]) in page
    assert Person.objects.count() == 1
    response = signed_in.post(reverse("people:create-confirm"))
    assert response.status_code == 302
    assert Person.objects.filter(given_name="John", family_name="Smyth").exists()


def test_the_same_nhs_number_is_offered_as_the_existing_record_only(
    signed_in: Client, jon: Person
) -> None:
    response = signed_in.post(reverse("people:create"), new_person_data(nhs_number="9434765919"))
    page = response.content.decode()
    assert "already exists" in page
    assert "This is a new person" not in page
    assert Person.objects.count() == 1


def test_a_partner_chooses_only_among_the_councils_their_organisation_serves(
    client: Client, make_user: Callable[..., Any], stockton: Council, hartlepool: Council
) -> None:
    partner = make_user(Role.PARTNER_PRACTITIONER, council=stockton)
    partner.organisation.serves.add(hartlepool)
    client.force_login(partner)
    page = client.get(reverse("people:create")).content.decode()
    assert "Hartlepool" in page and "Stockton-on-Tees" in page and "Middlesbrough" not in page
    other = Council.objects.create(
        name="Elsewhere", dfe_la_code="999", ons_code="E06999999", child_population=1
    )
    response = client.post(reverse("people:create"), new_person_data(council=str(other.pk)))
    assert "council" in response.context["form"].errors
    assert not Person.objects.exists()
    response = client.post(reverse("people:create"), new_person_data(council=str(hartlepool.pk)))
    person = Person.objects.get()
    assert person.council == hartlepool
    assert Involvement.objects.get(user=partner, person=person).source == "people.create"
    assert client.get(response["Location"]).status_code == 200


def test_posted_fields_outside_the_form_change_nothing(signed_in: Client) -> None:
    signed_in.post(reverse("people:create"), new_person_data(is_restricted="on"))
    assert Person.objects.get().is_restricted is False


# --- changing a person ------------------------------------------------------------------------


def test_editing_saves_with_the_current_version(
    signed_in: Client, worker: Any, jon: Person
) -> None:
    data = new_person_data(
        given_name="Jonathan",
        family_name="Smith",
        date_of_birth_day="27",
        date_of_birth_month="3",
        date_of_birth_year="2019",
        nhs_number="9434765919",
        version="1",
    )
    response = signed_in.post(reverse("people:edit", args=[jon.pk]), data)
    assert response.status_code == 302
    jon.refresh_from_db()
    assert (jon.given_name, jon.version) == ("Jonathan", 2)
    assert jon.history.latest().history_user == worker


def test_editing_a_record_changed_meanwhile_is_refused_with_a_clear_message(
    signed_in: Client, worker: Any, jon: Person
) -> None:
    services.update_person(person=jon, changed_by=worker, expected_version=1, given_name="Johnny")
    data = new_person_data(given_name="Jonathan", family_name="Smith", version="1")
    response = signed_in.post(reverse("people:edit", args=[jon.pk]), data)
    assert response.status_code == 200
    assert "changed by someone else" in response.content.decode()
    jon.refresh_from_db()
    assert jon.given_name == "Johnny"


def test_partners_cannot_edit(client: Client, make_user: Callable[..., Any], jon: Person) -> None:
    partner = make_user(Role.PARTNER_PRACTITIONER, council=jon.council)
    Involvement.objects.create(user=partner, person=jon, reason=InvolvementReason.REFERRER)
    client.force_login(partner)
    assert client.get(reverse("people:edit", args=[jon.pk])).status_code == 403


# --- emergency access -------------------------------------------------------------------------


def test_emergency_access_by_nhs_number_to_another_councils_record(
    signed_in: Client, worker: Any, hartlepool: Council
) -> None:
    elsewhere = services.create_person(
        created_by=None,
        council=hartlepool,
        given_name="Kai",
        family_name="Lee",
        date_of_birth=DOB,
        nhs_number="9434765919",
    )
    page = signed_in.get(reverse("people:search"), {"q": "943 476 5919"}).content.decode()
    assert "0 people found" in page and "Request emergency access" in page
    assert "Kai" not in page
    url = reverse("people:break-glass")
    response = signed_in.post(url, {"nhs_number": "9434765919", "reason": "too short"})
    assert "in a sentence or two" in response.content.decode()
    assert not BreakGlassGrant.objects.exists()
    response = signed_in.post(url, {"nhs_number": "9434765919", "reason": REASON})
    assert response["Location"] == reverse("people:detail", args=[elsewhere.pk])
    page = signed_in.get(response["Location"]).content.decode()
    assert "Kai Lee" in page and "emergency access" in page
    entry = AccessLogEntry.objects.exclude(action="search").get()
    assert (entry.user, entry.subject_id, entry.break_glass_reason) == (
        worker,
        elsewhere.pk,
        REASON,
    )


def test_emergency_access_never_reveals_a_restricted_record(
    signed_in: Client, hartlepool: Council
) -> None:
    services.create_person(
        created_by=None,
        council=hartlepool,
        given_name="Kai",
        family_name="Lee",
        date_of_birth=DOB,
        nhs_number="9434765919",
        is_restricted=True,
    )
    page = signed_in.get(reverse("people:search"), {"nhs_number": "9434765919"}).content.decode()
    assert "Request emergency access" not in page
    response = signed_in.get(reverse("people:break-glass"), {"nhs_number": "9434765919"})
    assert response.status_code == 404


def test_partners_are_never_offered_emergency_access(
    client: Client, make_user: Callable[..., Any], hartlepool: Council
) -> None:
    a_person(council=hartlepool, nhs_number="9434765919")
    client.force_login(make_user(Role.PARTNER_PRACTITIONER))
    page = client.get(reverse("people:search"), {"q": "9434765919"}).content.decode()
    assert "Request emergency access" not in page
    assert (
        client.get(reverse("people:break-glass"), {"nhs_number": "9434765919"}).status_code == 404
    )
