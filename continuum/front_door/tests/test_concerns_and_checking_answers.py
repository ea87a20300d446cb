"""A contact says what the concerns are, and the answers are checked before it goes in
(issue 12, rough edge 3): submitting needs written concerns or at least one presenting need
(the service, the pages and the API, each refusal naming ``concerns`` and changing
nothing); the details page's "Continue" leads to the GOV.UK check-answers page, whose
"Change" links go back to each part, and the contact is submitted from there."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from continuum.accounts.models import User
from continuum.audit.models import AccessLogEntry
from continuum.front_door import services
from continuum.front_door.choices import ContactStatus
from continuum.front_door.models import Contact
from continuum.front_door.tests.contacts_support import (
    contact_counts,
    contact_form,
    details,
    flow_token,
    form_errors,
    indicator,
    signed_in,
)
from continuum.organisations.models import Council
from continuum.people.models import Person
from continuum.testing import factories

pytestmark = pytest.mark.django_db

NO_CONCERNS = {"concerns": ""}


def _draft(teacher: User, stockton: Council, child: Person, **overrides: str) -> Contact:
    return services.record_contact(
        recorded_by=teacher, council=stockton, details=details(**overrides), children=[child]
    )


# --- the service ------------------------------------------------------------------------------


def test_a_contact_with_no_concerns_cannot_be_submitted(
    teacher: User, stockton: Council, child: Person
) -> None:
    draft = _draft(teacher, stockton, child, concerns="  ")
    with pytest.raises(ValidationError) as refused:
        services.submit_contact(contact=draft, by=teacher, expected_version=draft.version)
    assert list(refused.value.message_dict) == ["concerns"]
    draft.refresh_from_db()
    assert draft.status == ContactStatus.DRAFT


def test_recording_and_submitting_at_once_without_concerns_saves_nothing(
    teacher: User, stockton: Council, child: Person
) -> None:
    before = contact_counts()
    with pytest.raises(ValidationError) as refused:
        services.record_contact(
            recorded_by=teacher,
            council=stockton,
            details=details(concerns=""),
            children=[child],
            submit=True,
        )
    assert "concerns" in refused.value.message_dict
    assert contact_counts() == before


@pytest.mark.parametrize(
    ("concerns", "codes"),
    [("Often hungry.", ()), ("", ("ticked",)), ("Often hungry.", ("ticked",))],
)
def test_written_concerns_or_a_presenting_need_is_enough(
    teacher: User, stockton: Council, child: Person, concerns: str, codes: tuple[str, ...]
) -> None:
    contact = services.record_contact(
        recorded_by=teacher,
        council=stockton,
        details=details(concerns=concerns),
        children=[child],
        indicator_codes=[indicator(2).code for _ in codes],
        submit=True,
    )
    assert contact.status == ContactStatus.SUBMITTED


# --- the pages --------------------------------------------------------------------------------


def _details_url(client: Client, child: Person, referrer: User) -> str:
    factories.InvolvementFactory.create(user=referrer, person=child)
    token = flow_token(client.get(reverse("front_door:contact-new")))
    people = reverse("front_door:contact-people", args=[token])
    client.post(people, {"action": "add", "person": child.pk, "role": "child"})
    return reverse("front_door:contact-details", args=[token])


def test_continuing_without_concerns_is_refused_at_the_field_with_consent_problems_too(
    teacher: User, stockton: Council, child: Person
) -> None:
    client = signed_in(teacher)
    url = _details_url(client, child, teacher)
    before = contact_counts()
    response = client.post(
        url, contact_form(council=stockton, action="continue", family_agreement="", **NO_CONCERNS)
    )
    errors = form_errors(response)
    assert "Describe the concerns" in " ".join(errors["concerns"])
    assert "family_agreement" in errors  # every problem at once
    assert contact_counts() == before
    # A draft may still be saved without them.
    saved = client.post(url, contact_form(council=stockton, action="draft", **NO_CONCERNS))
    assert saved.status_code == 302


def test_continue_leads_to_checking_the_answers_then_submitting(
    teacher: User, stockton: Council, child: Person
) -> None:
    client = signed_in(teacher)
    url = _details_url(client, child, teacher)
    onward = client.post(url, contact_form(council=stockton, action="continue"))
    contact = Contact.objects.get()
    check_url = reverse("front_door:contact-check", args=[contact.pk])
    assert onward["Location"] == check_url
    assert contact.status == ContactStatus.DRAFT

    page = client.get(check_url)
    text = page.content.decode()
    assert "Check your answers before submitting the contact" in text
    assert child.full_name in text and contact.concerns in text
    change = reverse("front_door:contact-change", args=[contact.pk])
    for part in ("people", "received", "referrer", "concerns", "consent"):
        assert f'href="{change}?part={part}"' in text, part
    assert not page.context["missing"]

    submitted = client.post(
        reverse("front_door:contact-submit", args=[contact.pk]), {"version": contact.version}
    )
    assert submitted["Location"] == reverse("front_door:contact", args=[contact.pk])
    contact.refresh_from_db()
    assert contact.status == ContactStatus.SUBMITTED
    # Submitted: the check page now sends you to the contact.
    assert client.get(check_url)["Location"] == reverse("front_door:contact", args=[contact.pk])


def test_each_change_link_goes_back_to_its_part(
    teacher: User, stockton: Council, child: Person
) -> None:
    draft = _draft(teacher, stockton, child)
    client = signed_in(teacher)
    change = reverse("front_door:contact-change", args=[draft.pk])
    people = client.get(change, {"part": "people"})["Location"]
    assert "/people" in people
    assert child.full_name in client.get(people).content.decode()
    consent = client.get(change, {"part": "consent"})["Location"]
    assert consent.endswith("/details#consent")
    assert client.get(consent.split("#")[0]).status_code == 200
    assert client.get(change, {"part": "nonsense"})["Location"].endswith("/details")


def test_submitting_from_the_check_page_without_concerns_comes_back_to_it_changing_nothing(
    teacher: User, stockton: Council, child: Person
) -> None:
    draft = _draft(teacher, stockton, child, concerns="")
    client = signed_in(teacher)
    check = client.get(reverse("front_door:contact-check", args=[draft.pk]))
    [missing] = check.context["missing"]
    assert missing["href"].endswith("?part=concerns")
    before = contact_counts()
    response = client.post(
        reverse("front_door:contact-submit", args=[draft.pk]), {"version": draft.version}
    )
    assert response.status_code == 200
    assert "Check your answers" in response.content.decode()
    assert [e["href"].split("?")[1] for e in response.context["errors"]] == ["part=concerns"]
    assert contact_counts() == before


def test_only_the_drafts_maker_checks_its_answers_and_each_look_is_logged(
    teacher: User, worker: User, stockton: Council, child: Person
) -> None:
    draft = _draft(teacher, stockton, child)
    url = reverse("front_door:contact-check", args=[draft.pk])
    assert signed_in(worker).get(url).status_code in (403, 404)
    before = AccessLogEntry.objects.filter(subject_id=child.pk).count()
    assert signed_in(teacher).get(url).status_code == 200
    assert AccessLogEntry.objects.filter(subject_id=child.pk).count() == before + 1


# --- the API ----------------------------------------------------------------------------------


def test_the_api_refuses_to_submit_a_contact_with_no_concerns_naming_the_field(
    client: Client, teacher: User, stockton: Council, child: Person
) -> None:
    draft = _draft(teacher, stockton, child, concerns="")
    client.force_login(teacher)
    before = contact_counts()
    response = client.post(
        f"/api/v1/contacts/{draft.pk}/submit",
        data=json.dumps({"version": draft.version}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [["contact", "concerns"]]
    assert contact_counts() == before
