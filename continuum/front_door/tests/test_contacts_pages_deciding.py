"""The contact pages for screening and deciding a contact: every refusal re-renders with a
message naming the field and saves nothing; two people at once never overwrite each other;
a decision awaiting sign-off; and what the front door and the referrer each see of the
contact afterwards."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import User
from continuum.audit.models import AccessAction, AccessLogEntry
from continuum.front_door import services
from continuum.front_door.choices import ContactStatus, Outcome
from continuum.front_door.models import Contact, ContactDecision, SharingDecision
from continuum.front_door.tests.contacts_support import (
    contact_counts,
    details,
    form_errors,
    in_screening,
    indicator,
    signed_in,
    submitted_contact,
)
from continuum.organisations.models import Council
from continuum.people.models import Person
from continuum.testing import factories


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


# --- screening and deciding ------------------------------------------------------------------


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
    client = signed_in(worker)
    before = contact_counts()
    response = client.post(
        reverse("front_door:contact-decide", args=[screening.pk]),
        _decision(screening, **overrides),
    )
    assert response.status_code == 200
    assert any(message in error for error in form_errors(response)[field])
    assert contact_counts() == before
    screening.refresh_from_db()
    assert screening.status == ContactStatus.IN_SCREENING


def test_the_suggestion_is_shown_beside_the_choice_and_recomputed_without_saving(
    worker: User, screening: Contact
) -> None:
    client = signed_in(worker)
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
    first, second = signed_in(worker), signed_in(manager)
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
    response = signed_in(worker).post(
        reverse("front_door:contact-status", args=[contact.pk]),
        {"version": seen, "move": "start"},
    )
    assert response.status_code == 200
    assert "Someone else changed this contact" in response.content.decode()
    contact.refresh_from_db()
    assert contact.status == ContactStatus.SUBMITTED


def test_an_invalid_move_is_refused_with_a_clear_message(worker: User, screening: Contact) -> None:
    response = signed_in(worker).post(
        reverse("front_door:contact-status", args=[screening.pk]),
        {"version": screening.version, "move": "close"},
    )
    assert "cannot be moved to closed" in response.content.decode()
    screening.refresh_from_db()
    assert screening.status == ContactStatus.IN_SCREENING


def test_requesting_information_needs_a_note(worker: User, screening: Contact) -> None:
    response = signed_in(worker).post(
        reverse("front_door:contact-request-information", args=[screening.pk]),
        {"version": screening.version, "note": ""},
    )
    assert "note" in form_errors(response)
    screening.refresh_from_db()
    assert screening.status == ContactStatus.IN_SCREENING


def test_a_decision_not_to_share_needs_its_reason(worker: User, screening: Contact) -> None:
    client = signed_in(worker)
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
    assert "reason" in form_errors(response)
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
    client = signed_in(worker)
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
    assert "Sign off or return the decision" not in page.content.decode()

    # The referrer is not told an outcome that is not final.
    referrer_page = signed_in(teacher).get(reverse("front_door:contact", args=[contact.pk]))
    assert "No further action" not in referrer_page.content.decode()

    # The manager's home page lists it in their work tray; the manager signs it off.
    manager_client = signed_in(manager)
    home = manager_client.get(reverse("web:home")).content.decode()
    assert "Decisions waiting for your sign-off" in home
    assert reverse("front_door:contact", args=[contact.pk]) in home
    manager_page = manager_client.get(reverse("front_door:contact", args=[contact.pk]))
    assert "Sign off or return the decision" in manager_page.content.decode()
    contact.refresh_from_db()
    signed = manager_client.post(
        reverse("front_door:contact-sign-off", args=[contact.pk]),
        {"version": contact.version, "answer": "agreed"},
    )
    assert signed.status_code == 302
    contact.refresh_from_db()
    assert contact.status == ContactStatus.DECIDED
    assert ContactDecision.objects.get().signed_off_by == manager
    assert "No further action" in (
        signed_in(teacher).get(reverse("front_door:contact", args=[contact.pk])).content.decode()
    )


# --- what each reader sees of a contact ------------------------------------------------------


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
    response = signed_in(worker).get(reverse("front_door:letter", args=[screening.pk]))
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
    page = signed_in(worker).get(reverse("front_door:contact", args=[later.pk]))
    assert page.context["history"] == [earlier]
    assert "Repeat contact" in page.content.decode()

    # A referrer sees neither the flag's history nor the other contact.
    factories.InvolvementFactory.create(user=teacher, person=child)
    own = services.record_contact(
        recorded_by=teacher, council=stockton, details=details(), children=[child], submit=True
    )
    referrer_page = signed_in(teacher).get(reverse("front_door:contact", args=[own.pk]))
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
    client = signed_in(worker)
    client.get(reverse("front_door:queue"))  # a list reads nobody's record
    assert not AccessLogEntry.objects.exists()
    client.get(reverse("front_door:contact", args=[contact.pk]))
    logged = list(AccessLogEntry.objects.values_list("subject_id", "action", "user"))
    assert sorted(logged) == sorted(
        (person.pk, AccessAction.VIEW_RECORD, worker.pk) for person in (child, sibling, mother)
    )
