"""The contact pages with bad input: every refusal re-renders with a message naming the
field and saves nothing; extra posted fields change nothing; two people at once never
overwrite each other."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import User
from continuum.audit.models import AccessAction, AccessLogEntry
from continuum.front_door import services
from continuum.front_door.choices import ContactStatus, FamilyAgreement, Outcome
from continuum.front_door.models import (
    Contact,
    ContactChild,
    ContactDecision,
    ContactStatusChange,
    SharingDecision,
)
from continuum.front_door.tests.contacts_support import (
    contact_form,
    details,
    flow_token,
    in_screening,
    indicator,
    no_consent,
    submitted_contact,
)
from continuum.organisations.models import Council
from continuum.people.models import Person
from continuum.testing import factories


def _as(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _counts() -> tuple[int, ...]:
    return (
        Contact.objects.count(),
        ContactChild.objects.count(),
        ContactStatusChange.objects.count(),
        ContactDecision.objects.count(),
        SharingDecision.objects.count(),
    )


def _details_url(client: Client, *children: Person) -> str:
    """Start recording a contact, add ``children``, and answer the details step's URL."""
    token = flow_token(client.get(reverse("front_door:contact-new")))
    people = reverse("front_door:contact-people", args=[token])
    for person in children:
        client.post(people, {"action": "add", "person": person.pk, "role": "child"})
    return reverse("front_door:contact-details", args=[token])


def _errors(response: Any) -> dict[str, list[str]]:
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


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
    client = _as(worker)
    url = _details_url(client, child)
    before = _counts()
    response = client.post(url, contact_form(council=stockton, **overrides))
    assert response.status_code == 200
    assert any(message in error for error in _errors(response)[field])
    assert "There is a problem" in response.content.decode()
    assert _counts() == before


def test_a_contact_with_no_child_is_refused(worker: User, stockton: Council) -> None:
    client = _as(worker)
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
    client = _as(teacher)
    factories.InvolvementFactory.create(user=teacher, person=child)
    url = _details_url(client, child)
    no_agreement = {
        "family_agreement": "",
        "agreement_obtained_by": "",
        "agreement_obtained_on_day": "",
        "agreement_obtained_on_month": "",
        "agreement_obtained_on_year": "",
    }
    before = _counts()
    response = client.post(url, contact_form(council=stockton, action="submit", **no_agreement))
    assert "family_agreement" in _errors(response)
    assert _counts() == before

    saved = client.post(url, contact_form(council=stockton, action="draft", **no_agreement))
    assert saved.status_code == 302
    draft = Contact.objects.get()
    assert draft.status == ContactStatus.DRAFT
    assert draft.referrer_user == teacher


def test_declined_agreement_needs_the_lawful_basis_reason_and_justification(
    worker: User, stockton: Council, child: Person
) -> None:
    client = _as(worker)
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
    assert {"lawful_basis", "not_agreed_reason", "sharing_justification"} <= set(_errors(response))
    assert Contact.objects.count() == 0


def test_extra_posted_fields_change_nothing(
    worker: User, stockton: Council, hartlepool: Council, child: Person, teacher: User
) -> None:
    client = _as(worker)
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
    assert "council" in _errors(refused)
    assert Contact.objects.count() == 1


def test_a_new_child_who_may_already_be_recorded_is_offered_as_a_match(
    worker: User, stockton: Council
) -> None:
    child: Person = factories.PersonFactory.create(
        council=stockton, given_name="Ruby", family_name="Stone"
    )
    client = _as(worker)
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
        "disability": "unknown",
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
    client = _as(worker)
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
    client = _as(teacher)
    page = client.get(reverse("front_door:contact", args=[draft.pk]))
    assert "Submit to the front door" in page.content.decode()

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
    submitted = client.post(
        details_url, contact_form(council=stockton, action="submit", version=draft.version)
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
    client = _as(teacher)
    details_url = client.get(reverse("front_door:contact-change", args=[draft.pk]))["Location"]
    services.update_draft(
        contact=draft, by=teacher, expected_version=1, details=no_consent(concerns="In a tab")
    )
    response = client.post(details_url, contact_form(council=stockton, version=1))
    assert "Someone else changed this contact" in str(response.context["form"].errors)
    draft.refresh_from_db()
    assert draft.concerns == "In a tab"


# --- screening and deciding ------------------------------------------------------------------


def _decision(contact: Contact, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "version": contact.version,
        "level": 2,
        "indicators": [indicator(2).code],
        "outcome": Outcome.EARLY_HELP_SINGLE,
        "rationale": "Single-agency support from school is enough.",
        "difference_reason": "",
        "action": "decide",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"indicators": []}, "indicators", "Select the threshold indicators"),
        (
            {"level": 1, "indicators": [], "outcome": Outcome.STRATEGY_DISCUSSION},
            "outcome",
            "Strategy discussion (s47) does not fit level 1",
        ),
        ({"level": 3, "outcome": Outcome.EARLY_HELP_MULTI}, "difference_reason", "suggests"),
        ({"rationale": ""}, "rationale", "Explain the decision"),
        ({"level": ""}, "level", "Select a level of need"),
    ],
)
def test_a_bad_decision_re_renders_with_the_field_named_and_saves_nothing(
    worker: User,
    screening: Contact,
    overrides: dict[str, Any],
    field: str,
    message: str,
) -> None:
    if overrides.get("level") == 1:
        overrides["indicators"] = [indicator(1).code]
    client = _as(worker)
    before = _counts()
    response = client.post(
        reverse("front_door:contact-decide", args=[screening.pk]),
        _decision(screening, **overrides),
    )
    assert response.status_code == 200
    assert any(message in error for error in _errors(response)[field])
    assert _counts() == before
    screening.refresh_from_db()
    assert screening.status == ContactStatus.IN_SCREENING


def test_the_suggestion_is_shown_beside_the_choice_and_recomputed_without_saving(
    worker: User, screening: Contact
) -> None:
    client = _as(worker)
    page = client.get(reverse("front_door:contact-decide", args=[screening.pk]))
    assert page.context["suggestion"].level == 2
    assert page.context["checked"] == {indicator(2).code}  # the presenting indicator

    updated = client.post(
        reverse("front_door:contact-decide", args=[screening.pk]),
        _decision(screening, indicators=[indicator(4).code], rationale="", action="suggest"),
    )
    assert updated.status_code == 200
    assert updated.context["suggestion"].level == 4
    assert "There is a problem" not in updated.content.decode()
    assert not ContactDecision.objects.exists()


def test_the_second_of_two_workers_deciding_at_once_is_refused(
    worker: User, manager: User, screening: Contact
) -> None:
    first, second = _as(worker), _as(manager)
    second_form = second.get(reverse("front_door:contact-decide", args=[screening.pk]))
    version = second_form.context["form"].initial["version"]
    first.post(reverse("front_door:contact-decide", args=[screening.pk]), _decision(screening))
    response = second.post(
        reverse("front_door:contact-decide", args=[screening.pk]),
        _decision(
            screening,
            version=version,
            level=1,
            indicators=[indicator(1).code],
            outcome=Outcome.SIGNPOSTING,
        ),
    )
    assert response.status_code == 200
    assert "This contact already has a decision." in str(response.context["form"].errors)
    decision = ContactDecision.objects.get()
    assert decision.decided_by == worker
    assert decision.outcome == Outcome.EARLY_HELP_SINGLE


def test_a_stale_screening_move_is_refused_with_a_clear_message(
    contact: Contact, worker: User
) -> None:
    seen = contact.version
    Contact.objects.filter(pk=contact.pk).update(version=seen + 1)  # a colleague's change
    response = _as(worker).post(
        reverse("front_door:contact-status", args=[contact.pk]),
        {"version": seen, "move": "start"},
    )
    assert response.status_code == 200
    assert "Someone else changed this contact" in response.content.decode()
    contact.refresh_from_db()
    assert contact.status == ContactStatus.SUBMITTED


def test_an_invalid_move_is_refused_with_a_clear_message(worker: User, screening: Contact) -> None:
    response = _as(worker).post(
        reverse("front_door:contact-status", args=[screening.pk]),
        {"version": screening.version, "move": "close"},
    )
    assert "cannot be moved to closed" in response.content.decode()
    screening.refresh_from_db()
    assert screening.status == ContactStatus.IN_SCREENING


def test_requesting_information_needs_a_note(worker: User, screening: Contact) -> None:
    response = _as(worker).post(
        reverse("front_door:contact-request-information", args=[screening.pk]),
        {"version": screening.version, "note": ""},
    )
    assert "note" in _errors(response)
    screening.refresh_from_db()
    assert screening.status == ContactStatus.IN_SCREENING


def test_a_decision_not_to_share_needs_its_reason(worker: User, screening: Contact) -> None:
    client = _as(worker)
    url = reverse("front_door:contact-sharing-decision", args=[screening.pk])
    data = {
        "shared": "no",
        "what": "Health visitor notes",
        "with_whom": "The school",
        "purpose": "Planning support",
        "lawful_basis": "",
        "reason": "",
    }
    response = client.post(url, data)
    assert "reason" in _errors(response)
    assert not SharingDecision.objects.exists()
    data["reason"] = "Not needed for the school's support; the family asked us not to."
    assert client.post(url, data).status_code == 302
    assert SharingDecision.objects.get().shared is False


def test_no_further_action_with_a_level_3_indicator_waits_for_a_managers_sign_off(
    worker: User, manager: User, teacher: User, stockton: Council, child: Person
) -> None:
    factories.InvolvementFactory.create(user=teacher, person=child)
    contact = submitted_contact(by=teacher, council=stockton, children=[child])
    contact = in_screening(contact, by=worker)
    client = _as(worker)
    client.post(
        reverse("front_door:contact-decide", args=[contact.pk]),
        _decision(
            contact,
            level=2,
            indicators=[indicator(3).code],
            outcome=Outcome.NO_FURTHER_ACTION,
            difference_reason="Already supported by the school's pastoral team.",
        ),
    )
    page = client.get(reverse("front_door:contact", args=[contact.pk]))
    assert "Awaiting manager sign-off" in page.content.decode()
    assert "Sign off the decision" not in page.content.decode()

    # The referrer is not told an outcome that is not final.
    referrer_page = _as(teacher).get(reverse("front_door:contact", args=[contact.pk]))
    assert "No further action" not in referrer_page.content.decode()

    # The manager's home page lists it; the manager signs it off.
    request = RequestFactory().get("/")
    request.user = manager
    panel = Template("{% load contact_tags %}{% awaiting_sign_off_panel %}").render(
        Context({"request": request})
    )
    assert reverse("front_door:contact", args=[contact.pk]) in panel
    manager_client = _as(manager)
    manager_page = manager_client.get(reverse("front_door:contact", args=[contact.pk]))
    assert "Sign off the decision" in manager_page.content.decode()
    contact.refresh_from_db()
    signed = manager_client.post(
        reverse("front_door:contact-sign-off", args=[contact.pk]), {"version": contact.version}
    )
    assert signed.status_code == 302
    contact.refresh_from_db()
    assert contact.status == ContactStatus.DECIDED
    assert ContactDecision.objects.get().signed_off_by == manager
    assert "No further action" in (
        _as(teacher).get(reverse("front_door:contact", args=[contact.pk])).content.decode()
    )


def test_a_partners_home_panel_lists_their_contacts_with_the_outcome(
    teacher: User, stockton: Council, child: Person
) -> None:
    factories.InvolvementFactory.create(user=teacher, person=child)
    contact = submitted_contact(by=teacher, council=stockton, children=[child])
    request = RequestFactory().get("/")
    request.user = teacher
    panel = Template("{% load contact_tags %}{% my_contacts_panel %}").render(
        Context({"request": request})
    )
    assert reverse("front_door:contact", args=[contact.pk]) in panel
    assert "Not decided yet" in panel


def test_the_letter_waits_for_a_decision(worker: User, screening: Contact) -> None:
    response = _as(worker).get(reverse("front_door:letter", args=[screening.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("front_door:contact", args=[screening.pk])


def test_the_repeat_history_shows_only_contacts_the_user_may_see(
    worker: User, teacher: User, stockton: Council, child: Person
) -> None:
    earlier = submitted_contact(
        by=worker,
        council=stockton,
        children=[child],
        received_at=timezone.now() - timedelta(days=40),
    )
    later = submitted_contact(by=worker, council=stockton, children=[child])
    assert later.is_repeat
    page = _as(worker).get(reverse("front_door:contact", args=[later.pk]))
    assert page.context["history"] == [earlier]
    assert "Repeat contact" in page.content.decode()

    # A referrer sees neither the flag's history nor the other contact.
    factories.InvolvementFactory.create(user=teacher, person=child)
    own = services.record_contact(
        recorded_by=teacher, council=stockton, details=details(), children=[child], submit=True
    )
    referrer_page = _as(teacher).get(reverse("front_door:contact", args=[own.pk]))
    assert "history" not in referrer_page.context
    assert reverse("front_door:contact", args=[earlier.pk]) not in referrer_page.content.decode()


def test_reading_a_contact_writes_one_access_log_row_for_each_person_on_it(
    worker: User, stockton: Council, child: Person
) -> None:
    sibling = factories.PersonFactory.create(council=stockton)
    mother = factories.PersonFactory.create(council=stockton, kind="adult", upn=None)
    contact = services.record_contact(
        recorded_by=worker,
        council=stockton,
        details=details(),
        children=[child, sibling],
        adults=[(mother, "Mother")],
        submit=True,
    )
    client = _as(worker)
    client.get(reverse("front_door:queue"))  # a list reads nobody's record
    assert not AccessLogEntry.objects.exists()
    client.get(reverse("front_door:contact", args=[contact.pk]))
    logged = list(AccessLogEntry.objects.values_list("subject_id", "action", "user"))
    assert sorted(logged) == sorted(
        (person.pk, AccessAction.VIEW_RECORD, worker.pk) for person in (child, sibling, mother)
    )


def test_steps_of_a_draft_submitted_meanwhile_go_back_to_the_contact(
    teacher: User, stockton: Council, child: Person
) -> None:
    draft = services.record_contact(
        recorded_by=teacher, council=stockton, details=details(), children=[child]
    )
    client = _as(teacher)
    details_url = client.get(reverse("front_door:contact-change", args=[draft.pk]))["Location"]
    services.submit_contact(contact=draft, by=teacher, expected_version=draft.version)
    response = client.post(details_url, contact_form(council=stockton, version=1))
    assert response.status_code == 302
    assert response["Location"] == reverse("front_door:contact", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.status == ContactStatus.SUBMITTED


def test_steps_the_session_no_longer_holds_start_again(worker: User) -> None:
    response = _as(worker).get(
        reverse("front_door:contact-details", args=["00000000-0000-4000-8000-000000000000"])
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("front_door:my-contacts")
