"""Issue 10, finding 5: identifiers must not reveal hidden records.

Creating a person with the NHS number or UPN of a record the user may not see (a
restricted child, another council's) gets the same answer as an unused number; the new
record is saved and marked as a possible match, which the council holding the other record
sees in its front door's work and decides there. A record the user *can* see is named, so
they use it. Nothing about the hidden record reaches the user who created the new one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from continuum.access.services import grant_restricted_access
from continuum.accounts.models import Role, User
from continuum.audit.models import AccessLogEntry
from continuum.errors import InvalidState
from continuum.organisations.models import Council
from continuum.people import matching, services
from continuum.people.models import MatchBasis, MatchStatus, Person, PossibleMatch
from continuum.people.tests.builders import a_person, new_person_data

UNUSED_NHS = "9996531597"
HIDDEN_NHS = "9992678534"
HIDDEN_UPN = "A808634220029"
API = "/api/v1/people"


@pytest.fixture(params=["restricted child", "another council's child"])
def hidden(request: Any, stockton: Council, hartlepool: Council) -> Person:
    """A record Stockton's front-door worker may not see, with NHS number and UPN."""
    if request.param == "restricted child":
        return a_person(
            council=stockton,
            given_name="Nell",
            family_name="Quarry",
            nhs_number=HIDDEN_NHS,
            upn=HIDDEN_UPN,
            is_restricted=True,
        )
    return a_person(
        council=hartlepool,
        given_name="Nell",
        family_name="Quarry",
        nhs_number=HIDDEN_NHS,
        upn=HIDDEN_UPN,
    )


def _page_answer(client: Client, **fields: str) -> tuple[int, str]:
    response = client.post(reverse("people:create"), new_person_data(**fields), follow=True)
    return response.status_code, response.content.decode()


# --- the same answer as an unused number -----------------------------------------------------


@pytest.mark.parametrize("field", ["nhs_number", "upn"])
def test_the_people_page_answers_a_hidden_records_identifier_as_an_unused_one(
    client: Client, worker: User, hidden: Person, field: str
) -> None:
    client.force_login(worker)
    unused = {"nhs_number": UNUSED_NHS, "upn": "W808765620965"}[field]
    taken = {"nhs_number": HIDDEN_NHS, "upn": HIDDEN_UPN}[field]
    unused_status, unused_page = _page_answer(client, **{field: unused})
    taken_status, taken_page = _page_answer(client, given_name="Ava", **{field: taken})
    assert unused_status == taken_status == 200
    assert "You have added a record for Amy Brown" in unused_page
    assert "You have added a record for Ava Brown" in taken_page
    for page in (taken_page,):
        assert "already exists" not in page
        assert "Nell" not in page and "Quarry" not in page and "Hartlepool" not in page
        assert "possible match" not in page.lower()
    new = Person.objects.get(given_name="Ava")
    assert getattr(new, field) == taken
    assert PossibleMatch.objects.get(new_person=new).existing_person == hidden


@pytest.mark.parametrize("field", ["nhs_number", "upn"])
def test_the_api_answers_a_hidden_records_identifier_as_an_unused_one(
    client: Client, worker: User, hidden: Person, field: str
) -> None:
    client.force_login(worker)
    unused = {"nhs_number": UNUSED_NHS, "upn": "W808765620965"}[field]
    taken = {"nhs_number": HIDDEN_NHS, "upn": HIDDEN_UPN}[field]
    body = {"family_name": "Brown", "date_of_birth": "2018-01-02"}
    first = client.post(API, {**body, field: unused}, content_type="application/json")
    second = client.post(API, {**body, field: taken}, content_type="application/json")
    assert first.status_code == second.status_code == 201
    assert set(first.json()) == set(second.json())
    text = second.content.decode()
    assert str(hidden.pk) not in text and "Quarry" not in text
    assert PossibleMatch.objects.filter(existing_person=hidden).count() == 1


def test_a_partner_is_answered_the_same_and_involved_only_with_their_own_record(
    make_user: Callable[..., User], stockton: Council, child: Person
) -> None:
    partner = make_user(Role.PARTNER_PRACTITIONER, council=stockton)
    new = services.create_person(
        created_by=partner,
        council=stockton,
        given_name="Kit",
        family_name="Harbour",
        nhs_number=child.nhs_number,
    )
    assert new.nhs_number == child.nhs_number
    from continuum.access import policy

    seen = set(policy.visible(partner, Person).values_list("pk", flat=True))
    assert seen == {new.pk}


# --- a record the user can see is named -------------------------------------------------------


def test_a_record_the_user_can_see_is_named_so_they_use_it(
    client: Client, worker: User, child: Person
) -> None:
    client.force_login(worker)
    refused = client.post(
        API,
        {"family_name": "Brown", "nhs_number": child.nhs_number},
        content_type="application/json",
    )
    assert refused.status_code == 422
    (error,) = refused.json()["detail"]
    assert error["loc"][-1] == "nhs_number"
    assert child.full_name in error["msg"] and "already exists" in error["msg"]
    # The page shows the record to pick instead of adding a second one.
    page = client.post(reverse("people:create"), new_person_data(nhs_number=str(child.nhs_number)))
    text = page.content.decode()
    assert reverse("people:detail", args=[child.pk]) in text
    assert "This is a new person" not in text
    assert Person.objects.count() == 1
    assert not PossibleMatch.objects.exists()


def test_changing_a_number_to_a_hidden_records_is_saved_and_matched(
    worker: User, hidden: Person, stockton: Council
) -> None:
    mine = services.create_person(created_by=worker, council=stockton, family_name="Brown")
    changed = services.update_person(
        person=mine, changed_by=worker, expected_version=mine.version, nhs_number=HIDDEN_NHS
    )
    assert changed.nhs_number == HIDDEN_NHS
    assert PossibleMatch.objects.get().basis == MatchBasis.NHS_NUMBER


def test_a_linked_second_record_can_still_be_changed(
    manager: User, restricted_pair: tuple[Person, Person, PossibleMatch]
) -> None:
    known, new, match = restricted_pair
    matching.link_records(match=match, by=manager, expected_version=match.version)
    # The manager sees both records, which share an NHS number: changing other details of
    # either is not refused for it; entering the number on a third record is.
    changed = services.update_person(
        person=new, changed_by=manager, expected_version=new.version, given_name="Nell"
    )
    assert changed.given_name == "Nell" and changed.nhs_number == known.nhs_number
    third = services.create_person(created_by=manager, council=known.council, family_name="Ash")
    with pytest.raises(ValidationError) as refused:
        services.update_person(
            person=third,
            changed_by=manager,
            expected_version=third.version,
            nhs_number=known.nhs_number,
        )
    assert "already exists" in refused.value.message_dict["nhs_number"][0]


# --- name, date of birth and council ---------------------------------------------------------


def test_a_similar_name_with_the_same_birth_date_and_council_is_a_possible_match(
    make_user: Callable[..., User], stockton: Council, hartlepool: Council
) -> None:
    partner = make_user(Role.PARTNER_PRACTITIONER, council=stockton)
    born = date(2016, 5, 4)
    known = a_person(
        council=stockton, given_name="Clive", family_name="Franklin", date_of_birth=born
    )
    a_person(council=hartlepool, given_name="Clive", family_name="Franklin", date_of_birth=born)
    a_person(
        council=stockton, given_name="Clive", family_name="Franklin", date_of_birth=date(2016, 5, 5)
    )
    a_person(council=stockton, given_name="Olive", family_name="Frost", date_of_birth=born)
    new = services.create_person(
        created_by=partner,
        council=stockton,
        given_name="Clive",
        family_name="Franklyn",
        date_of_birth=born,
    )
    match = PossibleMatch.objects.get()
    assert (match.new_person, match.existing_person) == (new, known)
    assert match.basis == MatchBasis.NAME_AND_DATE_OF_BIRTH


# --- the holding council is told and decides ---------------------------------------------------


@pytest.fixture
def restricted_pair(
    worker: User, manager: User, stockton: Council
) -> tuple[Person, Person, PossibleMatch]:
    """A restricted Stockton child the manager may see, and the second record Stockton's
    front-door worker (not on its access list) made with the child's NHS number."""
    known = a_person(
        council=stockton,
        given_name="Nell",
        family_name="Quarry",
        nhs_number=HIDDEN_NHS,
        is_restricted=True,
    )
    grant_restricted_access(person=known, user=manager, reason="Allocated", granted_by=None)
    new = services.create_person(
        created_by=worker,
        council=stockton,
        given_name="Nel",
        family_name="Quarry",
        nhs_number=HIDDEN_NHS,
    )
    return known, new, PossibleMatch.objects.get()


def test_the_holding_councils_front_door_sees_the_match_in_its_work(
    client: Client,
    worker: User,
    manager: User,
    restricted_pair: tuple[Person, Person, PossibleMatch],
) -> None:
    known, new, match = restricted_pair
    client.force_login(manager)
    queue = client.get(reverse("front_door:queue")).content.decode()
    assert "1 possible match to review" in queue
    assert reverse("people:possible-matches") in queue
    listed = client.get(reverse("people:possible-matches")).content.decode()
    assert reverse("people:possible-match", args=[match.pk]) in listed
    assert "Nell Quarry" in listed and "The same NHS number" in listed
    # The worker who made the second record is told nothing of it.
    client.force_login(worker)
    assert "possible match" not in client.get(reverse("front_door:queue")).content.decode()
    listed = client.get(reverse("people:possible-matches")).content.decode()
    assert "Nell Quarry" not in listed and str(match.pk) not in listed
    assert client.get(reverse("people:possible-match", args=[match.pk])).status_code == 404
    assert "Nell Quarry" not in client.get(reverse("people:detail", args=[new.pk])).content.decode()


def test_someone_who_sees_both_links_them_and_each_shows_the_other(
    client: Client,
    worker: User,
    manager: User,
    restricted_pair: tuple[Person, Person, PossibleMatch],
) -> None:
    known, new, match = restricted_pair
    client.force_login(manager)
    before = AccessLogEntry.objects.count()
    review = client.get(reverse("people:possible-match", args=[match.pk]))
    assert review.status_code == 200
    # One access-log row for each record shown.
    assert AccessLogEntry.objects.count() == before + 2
    logged = AccessLogEntry.objects.order_by("-id")[:2].values_list("subject_id", flat=True)
    assert set(logged) == {known.pk, new.pk}
    done = client.post(
        reverse("people:possible-match", args=[match.pk]),
        {"decision": "link", "version": str(match.version), "note": "Same GP and school."},
    )
    assert done.status_code == 302
    match.refresh_from_db()
    assert match.status == MatchStatus.LINKED and match.decided_by == manager
    # Nothing is merged or deleted; each record shows the other to the manager.
    assert Person.objects.filter(pk__in=[known.pk, new.pk]).count() == 2
    page = client.get(reverse("people:detail", args=[new.pk])).content.decode()
    assert reverse("people:detail", args=[known.pk]) in page and "Linked record" in page
    page = client.get(reverse("people:detail", args=[known.pk])).content.decode()
    assert reverse("people:detail", args=[new.pk]) in page
    # ... but never to the worker, who may not see the restricted record.
    client.force_login(worker)
    page = client.get(reverse("people:detail", args=[new.pk])).content.decode()
    assert "Linked record" not in page and "Nell Quarry" not in page
    # The decision can be undone.
    client.force_login(manager)
    client.post(
        reverse("people:possible-match", args=[match.pk]),
        {"decision": "reopen", "version": str(match.version)},
    )
    match.refresh_from_db()
    assert match.status == MatchStatus.OPEN and match.decided_by is None
    assert match.history.count() == 3


def test_marking_not_the_same_closes_the_match_and_a_second_decision_is_refused(
    manager: User, restricted_pair: tuple[Person, Person, PossibleMatch]
) -> None:
    _, _, match = restricted_pair
    decided = matching.mark_not_the_same(match=match, by=manager, expected_version=match.version)
    assert decided.status == MatchStatus.NOT_THE_SAME
    with pytest.raises(InvalidState):
        matching.link_records(match=decided, by=manager, expected_version=decided.version)
    assert matching.count_to_review(user=manager) == 0


def test_only_someone_who_sees_both_records_may_decide(
    client: Client,
    hartlepool_manager: User,
    make_user: Callable[..., User],
    stockton: Council,
    hartlepool: Council,
) -> None:
    known = a_person(
        council=hartlepool, given_name="Nell", family_name="Quarry", nhs_number=HIDDEN_NHS
    )
    worker = make_user(Role.FRONT_DOOR_WORKER, council=stockton)
    services.create_person(
        created_by=worker, council=stockton, family_name="Quarry", nhs_number=HIDDEN_NHS
    )
    match = PossibleMatch.objects.get(existing_person=known)
    # Hartlepool holds the record and is told; it cannot see Stockton's new record.
    assert matching.count_to_review(user=hartlepool_manager) == 1
    client.force_login(hartlepool_manager)
    page = client.get(reverse("people:possible-match", args=[match.pk]))
    assert page.status_code == 200
    assert "Quarry" in page.content.decode()
    refused = client.post(
        reverse("people:possible-match", args=[match.pk]),
        {"decision": "link", "version": str(match.version)},
    )
    assert refused.status_code == 403
    match.refresh_from_db()
    assert match.status == MatchStatus.OPEN


# --- the API ------------------------------------------------------------------------------------


MATCHES_API = "/api/v1/possible-matches"


def test_the_api_lists_and_decides_matches_for_the_holding_councils_front_door(
    client: Client,
    worker: User,
    manager: User,
    teacher: User,
    restricted_pair: tuple[Person, Person, PossibleMatch],
) -> None:
    known, new, match = restricted_pair
    client.force_login(manager)
    listed = client.get(MATCHES_API).json()
    assert listed["count"] == 1
    (item,) = listed["items"]
    assert item["existing_person"] == str(known.pk) and item["new_person"] == str(new.pk)
    assert item["basis"] == "nhs_number" and item["status"] == "open"
    url = f"{MATCHES_API}/{match.pk}/decision"
    stale = client.post(url, {"decision": "link", "version": 9}, content_type="application/json")
    assert stale.status_code == 409
    bad = client.post(url, {"decision": "merge", "version": 1}, content_type="application/json")
    assert bad.status_code == 422
    done = client.post(url, {"decision": "link", "version": 1}, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "linked"
    again = client.post(url, {"decision": "link", "version": 2}, content_type="application/json")
    assert again.status_code == 409
    assert client.get(MATCHES_API, {"status": "linked"}).json()["count"] == 1
    # The worker who made the new record, and a school, are told nothing.
    client.force_login(worker)
    assert client.get(MATCHES_API, {"status": "linked"}).json()["count"] == 0
    refused = client.post(
        url, {"decision": "reopen", "version": 2}, content_type="application/json"
    )
    assert refused.status_code == 404
    client.force_login(teacher)
    assert client.get(MATCHES_API).status_code == 403
    match.refresh_from_db()
    assert match.status == MatchStatus.LINKED


def test_the_api_does_not_name_a_new_record_the_reviewer_cannot_see(
    client: Client,
    hartlepool_manager: User,
    make_user: Callable[..., User],
    stockton: Council,
    hartlepool: Council,
) -> None:
    known = a_person(council=hartlepool, family_name="Quarry", nhs_number=HIDDEN_NHS)
    worker = make_user(Role.FRONT_DOOR_WORKER, council=stockton)
    new = services.create_person(
        created_by=worker, council=stockton, family_name="Quarry", nhs_number=HIDDEN_NHS
    )
    client.force_login(hartlepool_manager)
    (item,) = client.get(MATCHES_API).json()["items"]
    assert item["existing_person"] == str(known.pk)
    assert item["new_person"] is None and item["new_person_council"] == stockton.dfe_la_code
    assert str(new.pk) not in client.get(MATCHES_API).content.decode()
    url = f"{MATCHES_API}/{item['id']}/decision"
    refused = client.post(url, {"decision": "link", "version": 1}, content_type="application/json")
    assert refused.status_code == 403


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({}, "Select whether these records are of the same person."),
        ({"decision": "merge"}, "Select whether these records are of the same person."),
        ({"decision": "link", "note": "x" * 501}, "Ensure this value has at most 500"),
    ],
)
def test_a_bad_decision_is_shown_at_its_field_and_changes_nothing(
    client: Client,
    manager: User,
    restricted_pair: tuple[Person, Person, PossibleMatch],
    posted: dict[str, str],
    message: str,
) -> None:
    _, _, match = restricted_pair
    client.force_login(manager)
    response = client.post(
        reverse("people:possible-match", args=[match.pk]), {"version": "1", **posted}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    match.refresh_from_db()
    assert (match.status, match.version) == (MatchStatus.OPEN, 1)


def test_a_decision_on_a_version_someone_else_changed_is_refused(
    client: Client, manager: User, restricted_pair: tuple[Person, Person, PossibleMatch]
) -> None:
    _, _, match = restricted_pair
    matching.mark_not_the_same(match=match, by=manager, expected_version=1)
    matching.reopen_match(match=match, by=manager, expected_version=2)
    client.force_login(manager)
    response = client.post(
        reverse("people:possible-match", args=[match.pk]), {"version": "1", "decision": "link"}
    )
    assert response.status_code == 400
    assert "Someone else decided this possible match" in response.content.decode()
    match.refresh_from_db()
    assert match.status == MatchStatus.OPEN
