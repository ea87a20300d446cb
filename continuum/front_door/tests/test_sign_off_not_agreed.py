"""A team manager's sign-off can say no (issue 12, rough edge 2): "not agreed", with a
reason, returns the contact to the worker, who sees why on the contact and decides again.
The returned decision and the reason are kept; the service, the page and the API."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from continuum.accounts.models import User
from continuum.audit.models import AccessLogEntry
from continuum.errors import ConcurrentChange, InvalidState, NotPermitted
from continuum.front_door import services
from continuum.front_door.choices import ContactStatus, Outcome
from continuum.front_door.models import (
    Contact,
    ContactDecision,
    ContactStatusChange,
    DecisionNotAgreed,
)
from continuum.front_door.tests.contacts_support import indicator, signed_in

pytestmark = pytest.mark.django_db

REASON = "The school reports bruising twice this term: this needs a conversation first."


def awaiting_sign_off(contact: Contact, *, by: User) -> ContactDecision:
    """``contact`` (in screening) decided no further action against a level 3 indicator by
    the front-door worker ``by``: waiting for a team manager's sign-off."""
    return services.decide_contact(
        contact=contact,
        by=by,
        expected_version=contact.version,
        level=2,
        indicator_codes=[indicator(3).code],
        outcome=Outcome.NO_FURTHER_ACTION,
        rationale="Support from school is in place.",
        difference_reason="The school's pastoral team already meets the need.",
    )


@pytest.fixture
def decision(screening: Contact, worker: User) -> ContactDecision:
    return awaiting_sign_off(screening, by=worker)


def _state(contact: Contact) -> tuple[str, int, int, int]:
    contact.refresh_from_db()
    return (
        contact.status,
        contact.version,
        ContactDecision.objects.filter(contact=contact).count(),
        DecisionNotAgreed.objects.filter(contact=contact).count(),
    )


# --- the service ------------------------------------------------------------------------------


def test_not_agreed_returns_the_contact_to_the_worker_keeping_the_decision_and_reason(
    decision: ContactDecision, manager: User, worker: User
) -> None:
    contact = decision.contact
    returned = services.not_agree_decision(decision=decision, manager=manager, reason=REASON)
    contact.refresh_from_db()
    assert contact.status == ContactStatus.RETURNED
    assert not ContactDecision.objects.filter(contact=contact).exists()
    assert (returned.level, returned.outcome, returned.reason) == (
        2,
        Outcome.NO_FURTHER_ACTION,
        REASON,
    )
    assert returned.decided_by == worker and returned.manager == manager
    assert returned.indicator_codes == indicator(3).code
    move = ContactStatusChange.objects.filter(contact=contact).last()
    assert move is not None
    assert (move.from_status, move.to_status, move.note, move.changed_by) == (
        ContactStatus.IN_SCREENING,
        ContactStatus.RETURNED,
        REASON,
        manager,
    )
    # The returned decision's own history is kept, ending with who took it off.
    history = ContactDecision.history.filter(contact_id=contact.pk).order_by("history_date")
    assert [h.history_type for h in history] == ["+", "-"]
    assert history.last().history_user == manager


def test_the_worker_decides_again_after_a_return(
    decision: ContactDecision, manager: User, worker: User
) -> None:
    contact = decision.contact
    services.not_agree_decision(decision=decision, manager=manager, reason=REASON)
    contact.refresh_from_db()
    again = services.decide_contact(
        contact=contact,
        by=worker,
        expected_version=contact.version,
        level=3,
        indicator_codes=[indicator(3).code],
        outcome=Outcome.EARLY_HELP_MULTI,
        rationale="Agreed with the manager: a Team Around the Family.",
    )
    contact.refresh_from_db()
    assert contact.status == ContactStatus.DECIDED
    assert contact.decision == again
    assert DecisionNotAgreed.objects.filter(contact=contact).count() == 1


@pytest.mark.parametrize("reason", ["", "   "])
def test_not_agreed_needs_a_reason_and_changes_nothing(
    decision: ContactDecision, manager: User, reason: str
) -> None:
    before = _state(decision.contact)
    with pytest.raises(ValidationError) as refused:
        services.not_agree_decision(decision=decision, manager=manager, reason=reason)
    assert list(refused.value.message_dict) == ["reason"]
    assert _state(decision.contact) == before


def test_only_a_team_manager_may_return_a_decision(
    decision: ContactDecision, colleague: User
) -> None:
    before = _state(decision.contact)
    with pytest.raises(NotPermitted):
        services.not_agree_decision(decision=decision, manager=colleague, reason=REASON)
    assert _state(decision.contact) == before


def test_a_decision_not_awaiting_sign_off_cannot_be_returned(
    screening: Contact, worker: User, manager: User
) -> None:
    decision = services.decide_contact(
        contact=screening,
        by=worker,
        expected_version=screening.version,
        level=2,
        indicator_codes=[indicator(2).code],
        outcome=Outcome.EARLY_HELP_SINGLE,
        rationale="School support.",
    )
    with pytest.raises(InvalidState):
        services.not_agree_decision(decision=decision, manager=manager, reason=REASON)


def test_a_return_against_a_stale_version_is_refused(
    decision: ContactDecision, manager: User
) -> None:
    before = _state(decision.contact)
    with pytest.raises(ConcurrentChange):
        services.not_agree_decision(
            decision=decision, manager=manager, reason=REASON, expected_version=1
        )
    assert _state(decision.contact) == before


def test_nobody_moves_a_contact_to_returned_by_hand(screening: Contact, worker: User) -> None:
    with pytest.raises(ValidationError) as refused:
        services.change_status(
            contact=screening,
            to_status=ContactStatus.RETURNED,
            by=worker,
            expected_version=screening.version,
        )
    assert list(refused.value.message_dict) == ["status"]


# --- the page ---------------------------------------------------------------------------------


def test_a_manager_returns_the_decision_and_the_worker_reads_why(
    decision: ContactDecision, manager: User, worker: User
) -> None:
    contact = decision.contact
    url = reverse("front_door:contact-sign-off", args=[contact.pk])
    client = signed_in(manager)
    logged = AccessLogEntry.objects.count()
    page = client.get(url)
    assert page.status_code == 200
    assert "No, return the contact to the worker" in page.content.decode()
    # It shows the contact's people: one access-log row for each (here, its one child).
    assert AccessLogEntry.objects.count() == logged + 1
    contact.refresh_from_db()
    answered = client.post(
        url, {"version": contact.version, "answer": "not_agreed", "reason": REASON}
    )
    assert answered.status_code == 302
    assert _state(contact)[0] == ContactStatus.RETURNED

    seen = signed_in(worker).get(reverse("front_door:contact", args=[contact.pk])).content.decode()
    assert "Returned to the worker" in seen
    assert REASON in seen
    assert reverse("front_door:contact-decide", args=[contact.pk]) in seen
    queue = signed_in(worker).get(reverse("front_door:queue")).content.decode()
    assert "Returned to the worker" in queue


@pytest.mark.parametrize(
    ("posted", "field", "message"),
    [
        ({"answer": "not_agreed", "reason": ""}, "reason", "Say why you do not agree"),
        ({"answer": ""}, "answer", "Select whether you agree"),
        ({"answer": "maybe"}, "answer", "Select whether you agree"),
    ],
)
def test_the_sign_off_page_refuses_bad_answers_at_the_field(
    decision: ContactDecision, manager: User, posted: dict[str, str], field: str, message: str
) -> None:
    contact = decision.contact
    before = _state(contact)
    response = signed_in(manager).post(
        reverse("front_door:contact-sign-off", args=[contact.pk]),
        {"version": contact.version, **posted},
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert _state(contact) == before


def test_a_worker_may_not_open_the_sign_off_page(decision: ContactDecision, worker: User) -> None:
    url = reverse("front_door:contact-sign-off", args=[decision.contact.pk])
    assert signed_in(worker).get(url).status_code == 403


# --- the API ----------------------------------------------------------------------------------


def _post(client: Client, contact: Contact, body: dict[str, object]) -> object:
    return client.post(
        f"/api/v1/contacts/{contact.pk}/sign-off",
        data=json.dumps(body),
        content_type="application/json",
    )


def test_the_api_returns_a_decision_with_a_reason(
    decision: ContactDecision, manager: User, worker: User
) -> None:
    contact = decision.contact
    response = _post(
        signed_in(manager), contact, {"agreed": False, "reason": REASON, "version": contact.version}
    )
    assert response.status_code == 200, response.content  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert body["status"] == "returned"
    assert body["decision"] is None
    [returned] = body["not_agreed"]
    assert returned["reason"] == REASON and returned["outcome"] == "nfa"
    read = signed_in(worker).get(f"/api/v1/contacts/{contact.pk}").json()
    assert read["not_agreed"][0]["reason"] == REASON


def test_the_api_refuses_not_agreed_without_a_reason_naming_it(
    decision: ContactDecision, manager: User
) -> None:
    contact = decision.contact
    before = _state(contact)
    response = _post(signed_in(manager), contact, {"agreed": False, "version": contact.version})
    assert response.status_code == 422  # type: ignore[attr-defined]
    locations = [e["loc"][-1] for e in response.json()["detail"]]  # type: ignore[attr-defined]
    assert locations == ["reason"]
    assert _state(contact) == before


def test_the_api_signs_a_decision_off(decision: ContactDecision, manager: User) -> None:
    contact = decision.contact
    response = _post(signed_in(manager), contact, {"agreed": True, "version": contact.version})
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert response.json()["status"] == "decided"  # type: ignore[attr-defined]


def test_the_api_refuses_a_worker_and_a_contact_with_nothing_to_sign_off(
    decision: ContactDecision, screening: Contact, worker: User, manager: User, contact: Contact
) -> None:
    refused = _post(
        signed_in(worker), decision.contact, {"agreed": True, "version": decision.contact.version}
    )
    assert refused.status_code == 403  # type: ignore[attr-defined]
    services.sign_off_decision(decision=decision, manager=manager)
    again = _post(
        signed_in(manager), decision.contact, {"agreed": False, "reason": REASON, "version": 1}
    )
    assert again.status_code == 409  # type: ignore[attr-defined]


def test_decided_again_for_sign_off_the_contact_is_back_in_screening(
    decision: ContactDecision, manager: User, worker: User
) -> None:
    contact = decision.contact
    services.not_agree_decision(decision=decision, manager=manager, reason=REASON)
    contact.refresh_from_db()
    again = awaiting_sign_off(contact, by=worker)
    contact.refresh_from_db()
    assert again.awaiting_sign_off
    assert contact.status == ContactStatus.IN_SCREENING
    # The manager's earlier reason stays on the contact for whoever signs off next.
    page = signed_in(manager).get(reverse("front_door:contact", args=[contact.pk]))
    assert REASON in page.content.decode()


def test_the_worker_is_told_a_manager_did_not_agree_without_the_reason_in_the_email(
    decision: ContactDecision, manager: User, worker: User
) -> None:
    from continuum.notifications.models import Email, Notification, NotificationKind

    services.not_agree_decision(decision=decision, manager=manager, reason=REASON)
    told = Notification.objects.get(kind=NotificationKind.DECISION_RETURNED)
    assert told.recipient == worker
    assert told.link == reverse("front_door:contact", args=[decision.contact_id])
    email = Email.objects.get(recipient=worker, kind=NotificationKind.DECISION_RETURNED)
    assert "bruising" not in email.sentence and "bruising" not in told.subject
