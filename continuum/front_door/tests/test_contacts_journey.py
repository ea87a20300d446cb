"""The journeys the front door exists for, through the pages: a front-door worker takes a
phone contact, screens and decides it; a school submits a contact and later sees its
outcome."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from continuum.accounts.models import User
from continuum.front_door.choices import ContactStatus, HowReceived, Outcome
from continuum.front_door.models import Contact
from continuum.front_door.tests.contacts_support import (
    contact_form,
    flow_token,
    indicator,
    signed_in,
)
from continuum.organisations.models import Council
from continuum.people.models import Person
from continuum.testing import factories


def _screen_and_decide(client: Client, contact: Contact, **decision: Any) -> None:
    contact.refresh_from_db()
    response = client.post(
        reverse("front_door:contact-status", args=[contact.pk]),
        {"version": contact.version, "move": "start"},
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.status == ContactStatus.IN_SCREENING

    page = client.get(reverse("front_door:contact-decide", args=[contact.pk]))
    assert page.status_code == 200
    data = {
        "version": contact.version,
        "level": 2,
        "indicators": [indicator(2).code],
        "outcome": Outcome.EARLY_HELP_SINGLE,
        "rationale": "The school will lead early help with the family hub's support.",
        "action": "decide",
    }
    data.update(decision)
    response = client.post(reverse("front_door:contact-decide", args=[contact.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    contact.refresh_from_db()
    assert contact.status == ContactStatus.DECIDED


def test_a_front_door_worker_takes_a_phone_contact_screens_and_decides_it(
    worker: User, stockton: Council
) -> None:
    child = factories.PersonFactory.create(council=stockton, given_name="Noah", family_name="Quill")
    client = signed_in(worker)

    # The navigation offers the queue and recording a contact.
    home = client.get(reverse("web:home"))
    assert reverse("front_door:queue") in home.content.decode()
    assert reverse("front_door:contact-new") in home.content.decode()

    start = client.get(reverse("front_door:contact-new"))
    assert start.status_code == 302
    token = flow_token(start)
    people_url = reverse("front_door:contact-people", args=[token])

    found = client.get(people_url, {"q": "Noah Quill"})
    assert "Noah Quill" in found.content.decode()
    client.post(people_url, {"action": "add", "person": child.pk, "role": "child"})
    onward = client.post(people_url, {"action": "continue"})
    assert onward["Location"] == reverse("front_door:contact-details", args=[token])

    details = client.get(onward["Location"])
    assert details.status_code == 200
    assert details.context["form"].initial["how_received"] == HowReceived.PHONE
    response = client.post(
        onward["Location"],
        contact_form(council=stockton, indicators=[indicator(2).code], action="continue"),
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    # Check the answers, then submit from there.
    assert response["Location"] == reverse("front_door:contact-check", args=[contact.pk])
    check = client.get(response["Location"])
    assert "Check your answers before submitting the contact" in check.content.decode()
    assert contact.status == ContactStatus.DRAFT
    response = client.post(
        reverse("front_door:contact-submit", args=[contact.pk]), {"version": contact.version}
    )
    assert response["Location"] == reverse("front_door:contact", args=[contact.pk])
    contact.refresh_from_db()
    assert contact.status == ContactStatus.SUBMITTED
    assert list(contact.children.all()) == [child]
    assert contact.referrer_user is None

    queue = client.get(reverse("front_door:queue"))
    assert [row.contact for row in queue.context["queue"].rows] == [contact]

    page = client.get(reverse("front_door:contact", args=[contact.pk]))
    assert "Start screening" in page.content.decode()

    _screen_and_decide(client, contact)
    page = client.get(reverse("front_door:contact", args=[contact.pk]))
    body = page.content.decode()
    assert "Early help, single agency" in body
    assert "Outcome letter for the referrer" in body
    letter = client.get(reverse("front_door:letter", args=[contact.pk]))
    assert letter.status_code == 200
    assert "Early help, single agency" in letter.content.decode()
    assert "print.css" in letter.content.decode()

    queue = client.get(reverse("front_door:queue"))
    assert queue.context["queue"].rows == []


def test_a_school_submits_a_contact_and_later_sees_its_outcome(
    teacher: User, worker: User, stockton: Council
) -> None:
    school = signed_in(teacher)
    token = flow_token(school.get(reverse("front_door:contact-new")))

    # The child is new to the record: entered on the spot, after the duplicate check.
    new_person = school.post(
        reverse("front_door:contact-new-person", args=[token]),
        {
            "role": "child",
            "council": stockton.pk,
            "kind": "child",
            "given_name": "Lily",
            "family_name": "Marsh",
            "date_of_birth_day": "4",
            "date_of_birth_month": "9",
            "date_of_birth_year": "2017",
            "sex": "F",
            "ethnicity": "NOBT",
        },
    )
    assert new_person.status_code == 302
    lily = Person.objects.get(family_name="Marsh")

    people = school.get(reverse("front_door:contact-people", args=[token]))
    assert people.context["children"] == [lily]
    details_url = reverse("front_door:contact-details", args=[token])
    details = school.get(details_url)
    initial = details.context["form"].initial
    assert initial["referrer_name"] == f"{teacher.first_name} {teacher.last_name}"
    assert initial["referrer_organisation_name"] == "Stockton Test Primary School"
    assert initial["referral_source"] == "2A"

    response = school.post(
        details_url,
        contact_form(council=stockton, referrer_name=teacher.get_full_name(), action="continue"),
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    school.post(
        reverse("front_door:contact-submit", args=[contact.pk]), {"version": contact.version}
    )
    contact.refresh_from_db()
    assert contact.referrer_user == teacher
    assert contact.referrer_organisation == teacher.organisation

    waiting = school.get(reverse("front_door:contact", args=[contact.pk]))
    assert "A decision is due by" in waiting.content.decode()

    front_door = signed_in(worker)
    contact.refresh_from_db()
    front_door.post(
        reverse("front_door:contact-status", args=[contact.pk]),
        {"version": contact.version, "move": "start"},
    )
    contact.refresh_from_db()
    front_door.post(
        reverse("front_door:contact-request-information", args=[contact.pk]),
        {"version": contact.version, "note": "Called the GP surgery: awaiting a call back."},
    )
    contact.refresh_from_db()
    assert contact.status == ContactStatus.AWAITING_INFORMATION
    front_door.post(
        reverse("front_door:contact-status", args=[contact.pk]),
        {"version": contact.version, "move": "resume"},
    )
    contact.refresh_from_db()
    front_door.post(
        reverse("front_door:contact-decide", args=[contact.pk]),
        {
            "version": contact.version,
            "level": 2,
            "indicators": [indicator(2).code],
            "outcome": Outcome.EARLY_HELP_SINGLE,
            "rationale": "The school will lead early help with the family hub's support.",
            "action": "decide",
        },
    )
    contact.refresh_from_db()
    assert contact.status == ContactStatus.DECIDED

    mine = school.get(reverse("front_door:my-contacts"))
    assert "Early help, single agency (level 2)" in mine.content.decode()
    home = school.get(reverse("web:home"))
    assert "Early help, single agency (level 2)" in home.content.decode()
    outcome = school.get(reverse("front_door:contact", args=[contact.pk]))
    body = outcome.content.decode()
    assert "Early help, single agency" in body
    assert "The school will lead early help" in body
    # The front door's own notes stay with the front door.
    assert "Called the GP surgery" not in body
    assert "Status history" not in body
