"""Issue 10, finding 5, through a contact's new children: a new child whose NHS number is
on a record the referrer may not see gets the answer an unused number gets; a partner who
makes a second record of a child already known (same name, date of birth and council) is
told nothing, and the front door sees the repeat and a hint of the open episode."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import Role, User
from continuum.front_door.models import Contact
from continuum.front_door.tests.api_support import post
from continuum.front_door.tests.contacts_support import flow_token, signed_in, submitted_contact
from continuum.organisations.models import Council
from continuum.people.choices import ChronologyCategory
from continuum.people.models import MatchBasis, Person, PossibleMatch
from continuum.people.services import record_chronology_event
from continuum.people.tests.builders import a_person

API = "/api/v1/contacts"
UNUSED_NHS = "9996531597"
HIDDEN_NHS = "9992678534"
CLIVE_BORN = date(2015, 9, 14)


def contact_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "referral_source": "2A",
        "concerns": "Arrives hungry most days; shoes worn through.",
        "referrer_view_of_level": 2,
        "family_agreement": "agreed",
        "agreement_obtained_by": "Priya Patel",
        "agreement_obtained_on": timezone.localdate().isoformat(),
    }
    body.update(overrides)
    return body


@pytest.mark.parametrize("hidden_from", ["a front-door worker", "a school"])
def test_a_new_childs_hidden_nhs_number_gets_the_answer_an_unused_one_gets(
    client: Client,
    stockton: Council,
    worker: User,
    teacher: User,
    hidden_from: str,
) -> None:
    hidden = a_person(
        council=stockton, given_name="Nell", family_name="Quarry", nhs_number=HIDDEN_NHS
    )
    if hidden_from == "a front-door worker":
        hidden.is_restricted = True
        hidden.save()
        client.force_login(worker)
    else:
        client.force_login(teacher)
    answers = []
    for nhs_number in (UNUSED_NHS, HIDDEN_NHS):
        response = post(
            client,
            API,
            contact_body(new_children=[{"family_name": "Ashby", "nhs_number": nhs_number}]),
        )
        answers.append(response)
    assert [r.status_code for r in answers] == [201, 201]
    assert set(answers[0].json()) == set(answers[1].json())
    assert answers[1].json()["is_repeat"] is False
    text = answers[1].content.decode()
    assert str(hidden.pk) not in text and "Quarry" not in text
    second = Person.objects.get(nhs_number=HIDDEN_NHS, family_name="Ashby")
    assert PossibleMatch.objects.get(new_person=second).existing_person == hidden


def test_a_second_clive_franklin_is_caught_and_the_front_door_sees_the_repeat(
    client: Client,
    make_user: Callable[..., User],
    stockton: Council,
    worker: User,
) -> None:
    clive = a_person(
        council=stockton, given_name="Clive", family_name="Franklin", date_of_birth=CLIVE_BORN
    )
    earlier = submitted_contact(by=worker, council=stockton, children=[clive])
    Contact.objects.filter(pk=earlier.pk).update(received_at=timezone.now() - timedelta(days=40))
    record_chronology_event(
        person=clive,
        occurred_on=timezone.localdate() - timedelta(days=30),
        category=ChronologyCategory.EARLY_HELP,
        title="Early help allocated: lead professional from Tees Family Support",
        recorded_by=worker,
    )
    volunteer = make_user(Role.PARTNER_PRACTITIONER, council=stockton)
    client.force_login(volunteer)
    # Searching what they can see, the volunteer finds no Clive and adds him again.
    assert client.get("/api/v1/people", {"q": "Clive Franklin"}).json()["count"] == 0
    made = post(
        client,
        API,
        contact_body(
            new_children=[
                {
                    "given_name": "Clive",
                    "family_name": "Franklin",
                    "date_of_birth": CLIVE_BORN.isoformat(),
                }
            ]
        ),
    )
    assert made.status_code == 201
    submitted = post(
        client, f"{API}/{made.json()['id']}/submit", {"version": made.json()["version"]}
    )
    assert submitted.status_code == 200
    # Nothing about the first Clive reaches the volunteer.
    for response in (made, submitted, client.get(f"{API}/{made.json()['id']}")):
        assert str(clive.pk) not in response.content.decode()
        assert "Early help" not in response.content.decode()
    assert client.get(f"{API}/{made.json()['id']}").json()["is_repeat"] is False
    page = client.get(reverse("front_door:contact", args=[made.json()["id"]])).content.decode()
    assert "may already be known" not in page and str(clive.pk) not in page
    assert "Repeat contact" not in page
    assert client.get(reverse("front_door:queue")).status_code == 403

    second = Person.objects.exclude(pk=clive.pk).get(family_name="Franklin")
    match = PossibleMatch.objects.get()
    assert (match.new_person, match.existing_person, match.basis) == (
        second,
        clive,
        MatchBasis.NAME_AND_DATE_OF_BIRTH,
    )
    # The front door sees the repeat, the earlier contact and a hint of the open episode.
    client.force_login(worker)
    page = client.get(reverse("front_door:contact", args=[made.json()["id"]])).content.decode()
    assert "Repeat contact" in page
    assert reverse("front_door:contact", args=[earlier.pk]) in page
    assert "This child may already be known" in page
    assert reverse("people:detail", args=[clive.pk]) in page
    assert "Early help allocated: lead professional from Tees Family Support" in page
    assert reverse("people:possible-match", args=[match.pk]) in page
    queue = client.get(reverse("front_door:queue")).content.decode()
    # Both contacts in the queue, the earlier and this one, are about one child.
    assert queue.count("May already be known") == 2


@pytest.mark.parametrize("nhs_number", [UNUSED_NHS, HIDDEN_NHS])
def test_the_contact_pages_add_a_new_child_with_a_hidden_nhs_number_as_with_an_unused_one(
    stockton: Council, worker: User, nhs_number: str
) -> None:
    hidden = a_person(
        council=stockton,
        given_name="Nell",
        family_name="Quarry",
        nhs_number=HIDDEN_NHS,
        is_restricted=True,
    )
    client = signed_in(worker)
    token = flow_token(client.get(reverse("front_door:contact-new")))
    entered = {
        "role": "child",
        "kind": "child",
        "given_name": "Amy",
        "family_name": "Ashby",
        "date_of_birth_day": "2",
        "date_of_birth_month": "1",
        "date_of_birth_year": "2018",
        "sex": "F",
        "ethnicity": "NOBT",
        "nhs_number": nhs_number,
    }
    response = client.post(
        reverse("front_door:contact-new-person", args=[token]), entered, follow=True
    )
    page = response.content.decode()
    assert "Amy Ashby added to the record and to this contact." in page
    assert "already exists" not in page and "Quarry" not in page
    added = Person.objects.get(given_name="Amy", family_name="Ashby")
    matched = PossibleMatch.objects.filter(new_person=added, existing_person=hidden).exists()
    assert matched == (nhs_number == HIDDEN_NHS)


@pytest.mark.parametrize("nhs_number", [UNUSED_NHS, HIDDEN_NHS])
def test_police_entering_a_victim_with_a_hidden_nhs_number_get_the_same_answer(
    client: Client, stockton: Council, officer: User, nhs_number: str
) -> None:
    hidden = a_person(
        council=stockton, given_name="Nell", family_name="Quarry", nhs_number=HIDDEN_NHS
    )
    client.force_login(officer)
    body = {
        "incident_at": (timezone.now() - timedelta(hours=8)).isoformat(),
        "new_victim": {"given_name": "Marnie", "family_name": "Oakes", "nhs_number": nhs_number},
        "children": [{"new_person": {"given_name": "Tia", "family_name": "Oakes"}}],
        "dash_risk": "medium",
        "dash_ticks": 11,
        "repeat_incidents_12_months": 2,
        "reporting_officer": "PC Dana Hollis",
        "reporting_officer_number": "4471",
        "summary": "Neighbour called 999.",
    }
    response = post(client, "/api/v1/domestic-abuse-notifications", body)
    assert response.status_code == 201
    assert str(hidden.pk) not in response.content.decode()
    victim = Person.objects.get(given_name="Marnie", family_name="Oakes")
    matched = PossibleMatch.objects.filter(new_person=victim, existing_person=hidden).exists()
    assert matched == (nhs_number == HIDDEN_NHS)
