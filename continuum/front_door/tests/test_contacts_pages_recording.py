"""The contact pages for recording a contact, with bad input: every refusal re-renders with
a message naming the field and saves nothing; extra posted fields change nothing; two
people at once never overwrite a draft; steps of a recording that has moved on go somewhere
sensible."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import User
from continuum.front_door import services
from continuum.front_door.choices import ContactStatus, FamilyAgreement
from continuum.front_door.models import Contact
from continuum.front_door.tests.contacts_support import (
    contact_counts,
    contact_form,
    details,
    flow_token,
    form_errors,
    no_consent,
    signed_in,
)
from continuum.organisations.models import Council
from continuum.people.models import Person
from continuum.testing import factories


def _details_url(client: Client, *children: Person) -> str:
    """Start recording a contact, add ``children``, and answer the details step's URL."""
    token = flow_token(client.get(reverse("front_door:contact-new")))
    people = reverse("front_door:contact-people", args=[token])
    for person in children:
        client.post(people, {"action": "add", "person": person.pk, "role": "child"})
    return reverse("front_door:contact-details", args=[token])


# --- recording a contact --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"received_on_year": timezone.localdate().year + 1},
            "received_on",
            "The date and time received must be now or in the past.",
        ),
        ({"received_time": "25:10"}, "received_time", "on the 24-hour clock"),
        ({"referral_source": "2Z"}, "referral_source", "Select a referral source from the list."),
        ({"referrer_name": "  "}, "referrer_name", "Enter the referrer's name."),
        ({"referrer_email": "not-an-email"}, "referrer_email", "Enter an email address"),
        ({"indicators": ["NOPE-1"]}, "indicators", "Select indicators from the threshold"),
    ],
)
def test_bad_contact_details_re_render_with_the_field_named_and_save_nothing(
    worker: User,
    stockton: Council,
    child: Person,
    overrides: dict[str, Any],
    field: str,
    message: str,
) -> None:
    client = signed_in(worker)
    url = _details_url(client, child)
    before = contact_counts()
    response = client.post(url, contact_form(council=stockton, **overrides))
    assert response.status_code == 200
    assert any(message in error for error in form_errors(response)[field])
    assert "There is a problem" in response.content.decode()
    assert contact_counts() == before


def test_a_contact_with_no_child_is_refused(worker: User, stockton: Council) -> None:
    client = signed_in(worker)
    url = _details_url(client)
    response = client.post(url, contact_form(council=stockton))
    assert (
        "Add at least one child the contact is about." in response.context["form"].errors["__all__"]
    )
    assert Contact.objects.count() == 0

    people = client.post(url.replace("/details", "/people"), {"action": "continue"})
    assert people.status_code == 200
    assert "Add at least one child the contact is about." in people.content.decode()


def test_submitting_without_consent_is_refused_and_saves_nothing_but_a_draft_can_be_saved(
    teacher: User, stockton: Council, child: Person
) -> None:
    client = signed_in(teacher)
    factories.InvolvementFactory.create(user=teacher, person=child)
    url = _details_url(client, child)
    no_agreement = {
        "family_agreement": "",
        "agreement_obtained_by": "",
        "agreement_obtained_on_day": "",
        "agreement_obtained_on_month": "",
        "agreement_obtained_on_year": "",
    }
    before = contact_counts()
    response = client.post(url, contact_form(council=stockton, action="submit", **no_agreement))
    assert "family_agreement" in form_errors(response)
    assert contact_counts() == before

    saved = client.post(url, contact_form(council=stockton, action="draft", **no_agreement))
    assert saved.status_code == 302
    draft = Contact.objects.get()
    assert draft.status == ContactStatus.DRAFT
    assert draft.referrer_user == teacher


def test_declined_agreement_needs_the_lawful_basis_reason_and_justification(
    worker: User, stockton: Council, child: Person
) -> None:
    client = signed_in(worker)
    url = _details_url(client, child)
    response = client.post(
        url,
        contact_form(
            council=stockton,
            action="submit",
            family_agreement=FamilyAgreement.DECLINED,
            agreement_obtained_by="",
            agreement_obtained_on_day="",
            agreement_obtained_on_month="",
            agreement_obtained_on_year="",
        ),
    )
    assert {"lawful_basis", "not_agreed_reason", "sharing_justification"} <= set(
        form_errors(response)
    )
    assert Contact.objects.count() == 0


def test_extra_posted_fields_change_nothing(
    worker: User, stockton: Council, hartlepool: Council, child: Person, teacher: User
) -> None:
    client = signed_in(worker)
    url = _details_url(client, child)
    response = client.post(
        url,
        contact_form(
            council=stockton,
            status=ContactStatus.DECIDED,
            created_by=teacher.pk,
            referrer_user=teacher.pk,
            is_repeat="on",
            decided_at="2026-01-01T10:00",
            version=99,
        ),
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert contact.status == ContactStatus.DRAFT
    assert contact.created_by == worker
    assert contact.referrer_user is None
    assert not contact.is_repeat
    assert contact.decided_at is None
    assert contact.version == 1

    # A council the user does not work for is not one they can choose.
    url = _details_url(client, child)
    refused = client.post(url, contact_form(council=hartlepool))
    assert "council" in form_errors(refused)
    assert Contact.objects.count() == 1


def test_a_new_child_who_may_already_be_recorded_is_offered_as_a_match(
    worker: User, stockton: Council
) -> None:
    child: Person = factories.PersonFactory.create(
        council=stockton, given_name="Ruby", family_name="Stone"
    )
    client = signed_in(worker)
    token = flow_token(client.get(reverse("front_door:contact-new")))
    assert child.date_of_birth is not None
    entered = {
        "role": "child",
        "council": stockton.pk,
        "kind": "child",
        "given_name": "Ruby",
        "family_name": "Stone",
        "date_of_birth_day": child.date_of_birth.day,
        "date_of_birth_month": child.date_of_birth.month,
        "date_of_birth_year": child.date_of_birth.year,
        "sex": "F",
        "ethnicity": "NOBT",
    }
    people_before = Person.objects.count()
    response = client.post(reverse("front_door:contact-new-person", args=[token]), entered)
    assert response.status_code == 200
    assert response.context["duplicates"] == [child]
    assert Person.objects.count() == people_before

    # Using the existing record adds it, creating nobody.
    client.post(
        reverse("front_door:contact-people", args=[token]),
        {"action": "add", "person": child.pk, "role": "child"},
    )
    people = client.get(reverse("front_door:contact-people", args=[token]))
    assert people.context["children"] == [child]

    # Or the user confirms it is someone new.
    client.post(reverse("front_door:contact-new-person", args=[token]), entered)
    confirmed = client.post(reverse("front_door:contact-new-person-confirm", args=[token]))
    assert confirmed.status_code == 302
    assert Person.objects.count() == people_before + 1


def test_a_person_the_user_cannot_see_cannot_be_added(worker: User, hartlepool: Council) -> None:
    elsewhere = factories.PersonFactory.create(council=hartlepool)
    client = signed_in(worker)
    token = flow_token(client.get(reverse("front_door:contact-new")))
    response = client.post(
        reverse("front_door:contact-people", args=[token]),
        {"action": "add", "person": elsewhere.pk, "role": "child"},
    )
    assert response.status_code == 404


def test_a_draft_is_submitted_from_its_page_once_consent_is_recorded(
    teacher: User, stockton: Council, child: Person
) -> None:
    draft = services.record_contact(
        recorded_by=teacher, council=stockton, details=no_consent(), children=[child]
    )
    client = signed_in(teacher)
    page = client.get(reverse("front_door:contact", args=[draft.pk]))
    assert reverse("front_door:contact-check", args=[draft.pk]) in page.content.decode()

    refused = client.post(
        reverse("front_door:contact-submit", args=[draft.pk]), {"version": draft.version}
    )
    assert refused.status_code == 200
    assert "Record whether the family agreed" in refused.content.decode()
    draft.refresh_from_db()
    assert draft.status == ContactStatus.DRAFT

    change = client.get(reverse("front_door:contact-change", args=[draft.pk]))
    details_url = change["Location"]
    form = client.get(details_url).context["form"]
    assert form.initial["version"] == draft.version
    to_check = client.post(
        details_url, contact_form(council=stockton, action="continue", version=draft.version)
    )
    assert to_check["Location"] == reverse("front_door:contact-check", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.status == ContactStatus.DRAFT  # not yet: the answers are checked first
    submitted = client.post(
        reverse("front_door:contact-submit", args=[draft.pk]), {"version": draft.version}
    )
    assert submitted.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ContactStatus.SUBMITTED


def test_changing_a_draft_someone_else_changed_first_is_refused(
    teacher: User, stockton: Council, child: Person
) -> None:
    draft = services.record_contact(
        recorded_by=teacher, council=stockton, details=no_consent(), children=[child]
    )
    client = signed_in(teacher)
    details_url = client.get(reverse("front_door:contact-change", args=[draft.pk]))["Location"]
    services.update_draft(
        contact=draft, by=teacher, expected_version=1, details=no_consent(concerns="In a tab")
    )
    response = client.post(details_url, contact_form(council=stockton, version=1))
    assert "Someone else changed this contact" in str(response.context["form"].errors)
    draft.refresh_from_db()
    assert draft.concerns == "In a tab"


def test_steps_of_a_draft_submitted_meanwhile_go_back_to_the_contact(
    teacher: User, stockton: Council, child: Person
) -> None:
    draft = services.record_contact(
        recorded_by=teacher, council=stockton, details=details(), children=[child]
    )
    client = signed_in(teacher)
    details_url = client.get(reverse("front_door:contact-change", args=[draft.pk]))["Location"]
    services.submit_contact(contact=draft, by=teacher, expected_version=draft.version)
    response = client.post(details_url, contact_form(council=stockton, version=1))
    assert response.status_code == 302
    assert response["Location"] == reverse("front_door:contact", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.status == ContactStatus.SUBMITTED


def test_steps_the_session_no_longer_holds_start_again(worker: User) -> None:
    response = signed_in(worker).get(
        reverse("front_door:contact-details", args=["00000000-0000-4000-8000-000000000000"])
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("front_door:my-contacts")
