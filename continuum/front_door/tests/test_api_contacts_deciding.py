"""The contacts API, screening and deciding: the status moves the workflow allows, and the
threshold decision. Bad input answers 422 naming the field with nothing saved; conflicts
answer 409 with a clear message."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from continuum.accounts.models import User
from continuum.front_door.choices import ContactStatus
from continuum.front_door.models import Contact, ContactDecision
from continuum.front_door.tests import triage_support as support
from continuum.front_door.tests.api_support import contact_rows, fields_named, post
from continuum.organisations.models import Council

API = "/api/v1/contacts"


# --- status moves ----------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["closed", "decided", "draft", "lost"])
def test_a_status_move_the_workflow_does_not_allow_answers_422_and_saves_nothing(
    client: Client, contact: Contact, worker: User, bad: str
) -> None:
    client.force_login(worker)
    url = f"{API}/{contact.pk}/status"
    before = contact_rows()
    response = post(client, url, {"status": bad, "version": contact.version})
    assert fields_named(response) == {"status"}, bad
    assert contact_rows() == before


def test_screening_starts_from_the_current_version_and_asking_for_information_needs_a_note(
    client: Client, contact: Contact, worker: User
) -> None:
    client.force_login(worker)
    url = f"{API}/{contact.pk}/status"
    stale = post(client, url, {"status": "in_screening", "version": contact.version - 1})
    assert stale.status_code == 409

    moved = post(client, url, {"status": "in_screening", "version": contact.version})
    assert moved.status_code == 200
    assert moved.json()["status"] == ContactStatus.IN_SCREENING
    waiting = post(
        client, url, {"status": "awaiting_information", "version": moved.json()["version"]}
    )
    assert fields_named(waiting) == {"note"}


# --- the decision ----------------------------------------------------------------------------


def decision_body(contact: Contact, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "level": 2,
        "indicator_codes": support.indicator_codes(2),
        "outcome": "eh_single",
        "rationale": "School and health visitor can support the family together.",
        "version": contact.version,
    }
    body.update(overrides)
    return body


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"indicator_codes": []}, "indicator_codes"),
        ({"indicator_codes": ["NOPE-1"]}, "indicator_codes"),
        ({"level": 1, "outcome": "s47"}, "outcome"),
        ({"level": 5}, "level"),
        ({"outcome": "prison"}, "outcome"),
        ({"rationale": "  "}, "rationale"),
        ({"level": "two"}, "level"),
    ],
)
def test_a_bad_decision_answers_422_naming_the_field_and_saves_nothing(
    client: Client, screening: Contact, worker: User, overrides: dict[str, Any], field: str
) -> None:
    client.force_login(worker)
    before = contact_rows()
    response = post(client, f"{API}/{screening.pk}/decision", decision_body(screening, **overrides))
    assert field in fields_named(response)
    assert contact_rows() == before
    screening.refresh_from_db()
    assert screening.status == ContactStatus.IN_SCREENING


def test_a_level_unlike_the_frameworks_suggestion_needs_a_reason(
    client: Client, screening: Contact, worker: User
) -> None:
    client.force_login(worker)
    body = decision_body(screening, level=1, outcome="advice")  # level 2 indicators
    assert fields_named(post(client, f"{API}/{screening.pk}/decision", body)) == {
        "difference_reason"
    }
    body["difference_reason"] = "Need already met by the school's own support."
    assert post(client, f"{API}/{screening.pk}/decision", body).status_code == 200


def test_a_second_decision_or_a_concurrent_one_answers_409(
    client: Client, screening: Contact, worker: User, colleague: User
) -> None:
    opened = screening.version
    client.force_login(colleague)
    first = post(client, f"{API}/{screening.pk}/decision", decision_body(screening))
    assert first.status_code == 200
    assert first.json()["status"] == ContactStatus.DECIDED

    client.force_login(worker)
    before = contact_rows()
    stale = post(client, f"{API}/{screening.pk}/decision", decision_body(screening, version=opened))
    assert stale.status_code == 409
    assert "already has a decision" in stale.json()["detail"]
    current = first.json()["version"]
    second = post(
        client, f"{API}/{screening.pk}/decision", decision_body(screening, version=current)
    )
    assert second.status_code == 409
    assert contact_rows() == before
    assert ContactDecision.objects.get(contact=screening).decided_by == colleague


def test_a_decision_on_a_contact_not_yet_in_screening_answers_409(
    client: Client, contact: Contact, worker: User
) -> None:
    client.force_login(worker)
    response = post(client, f"{API}/{contact.pk}/decision", decision_body(contact))
    assert response.status_code == 409
    assert "start screening" in response.json()["detail"]


def test_the_decision_is_shown_in_full_to_the_front_door(
    client: Client, stockton: Council, screening: Contact, worker: User
) -> None:
    client.force_login(worker)
    body = post(
        client,
        f"{API}/{screening.pk}/decision",
        decision_body(screening, council="999", decided_by=1, status="closed"),
    ).json()
    assert body["level"] == 2 and body["outcome"] == "eh_single"
    assert body["outcome_label"] == "Early help, single agency"
    assert body["decided_at"] is not None
    assert body["council"] == stockton.dfe_la_code
    assert body["decision"]["indicator_codes"] == support.indicator_codes(2)
    assert body["decision"]["suggested_level"] == 2
    assert body["decision"]["rationale"].startswith("School and health visitor")
