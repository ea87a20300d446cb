"""Whole journeys through the API, as the partners and the front door make them."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from continuum.accounts.models import User
from continuum.front_door.choices import ContactStatus
from continuum.front_door.tests import triage_support as support
from continuum.front_door.tests.api_support import post

CONTACTS = "/api/v1/contacts"


def test_a_school_refers_the_front_door_decides_and_the_school_reads_the_outcome(
    teacher: User, worker: User
) -> None:
    school, front_door = Client(), Client()
    school.force_login(teacher)
    front_door.force_login(worker)

    # The school makes a draft about a child new to the record, then submits it.
    draft = post(
        school,
        CONTACTS,
        {
            "referral_source": "2A",
            "concerns": "Often hungry; has said there is no food at home at weekends.",
            "referrer_view_of_level": 2,
            "indicator_codes": support.indicator_codes(2),
            "new_children": [
                {"given_name": "Esme", "family_name": "Ward", "date_of_birth": "2016-05-14"}
            ],
            "family_agreement": "agreed",
            "agreement_obtained_by": teacher.get_full_name(),
            "agreement_obtained_on": timezone.localdate().isoformat(),
        },
    )
    assert draft.status_code == 201, draft.content
    contact_id = draft.json()["id"]
    submitted = post(
        school, f"{CONTACTS}/{contact_id}/submit", {"version": draft.json()["version"]}
    )
    assert submitted.status_code == 200
    assert submitted.json()["status"] == ContactStatus.SUBMITTED
    assert submitted.json()["level"] is None

    # The front door sees it in its list, screens it and decides it.
    queue = front_door.get(CONTACTS, {"status": "submitted"}).json()
    assert [item["id"] for item in queue["items"]] == [contact_id]
    item = queue["items"][0]
    assert item["is_overdue"] is False
    assert item["decision_due_date"] > timezone.localdate().isoformat()
    screening = post(
        front_door,
        f"{CONTACTS}/{contact_id}/status",
        {"status": "in_screening", "version": item["version"]},
    )
    assert screening.status_code == 200
    decided = post(
        front_door,
        f"{CONTACTS}/{contact_id}/decision",
        {
            "level": 2,
            "indicator_codes": support.indicator_codes(2),
            "outcome": "eh_single",
            "rationale": "The school's family support worker will lead, with food bank help.",
            "version": screening.json()["version"],
        },
    )
    assert decided.status_code == 200, decided.content
    assert decided.json()["status"] == ContactStatus.DECIDED

    # The school reads the outcome: the level and outcome, not the front door's workings.
    outcome = school.get(f"{CONTACTS}/{contact_id}").json()
    assert outcome["status"] == ContactStatus.DECIDED
    assert outcome["level"] == 2
    assert outcome["outcome"] == "eh_single"
    assert outcome["outcome_label"] == "Early help, single agency"
    assert outcome["decided_at"] is not None
    assert outcome["decision"] is None
    listed = school.get(CONTACTS).json()
    assert listed["count"] == 1 and listed["items"][0]["outcome"] == "eh_single"


def test_police_notify_a_joint_triage_makes_a_contact_and_the_front_door_decides_it(
    officer: User, worker: User
) -> None:
    police, front_door = Client(), Client()
    police.force_login(officer)
    front_door.force_login(worker)

    notified = post(
        police,
        "/api/v1/domestic-abuse-notifications",
        {
            "incident_at": (timezone.now() - timedelta(hours=9)).isoformat(),
            "new_victim": {"given_name": "Kerry", "family_name": "Blythe"},
            "alleged_perpetrator_description": "Ex-partner, not named by the victim",
            "children": [
                {"new_person": {"given_name": "Alfie", "family_name": "Blythe"}, "present": True}
            ],
            "dash_risk": "high",
            "dash_ticks": 15,
            "repeat_incidents_12_months": 3,
            "reporting_officer": "PC Dana Hollis",
            "reporting_officer_number": "4471",
        },
    )
    assert notified.status_code == 201, notified.content
    notification = notified.json()

    meeting = post(
        front_door,
        "/api/v1/triage-meetings",
        {
            "held_at": timezone.now().isoformat(),
            "attendance": [
                {"agency": "police", "name": "DS Amir Khan"},
                {"agency": "idva", "name": "Jo Fletcher"},
                {"agency": "childrens_services", "name": worker.get_full_name()},
                {"agency": "health", "name": "Nurse Kay Obi"},
                {"agency": "education", "name": "Lee Grant"},
            ],
        },
    ).json()
    triaged = post(
        front_door,
        f"/api/v1/domestic-abuse-notifications/{notification['id']}/triage",
        {
            "meeting": meeting["id"],
            "version": notification["version"],
            "safety_planning": "IDVA to see the victim today; refuge place offered.",
            "marac_referral": True,
            "marac_basis": "ticks",
        },
    )
    assert triaged.status_code == 200, triaged.content
    contact_id = triaged.json()["triage"]["children_contact"]["id"]

    contact = front_door.get(f"{CONTACTS}/{contact_id}").json()
    assert contact["status"] == ContactStatus.IN_SCREENING
    decided = post(
        front_door,
        f"{CONTACTS}/{contact_id}/decision",
        {
            "level": 4,
            "indicator_codes": support.indicator_codes(4),
            "outcome": "s47",
            "rationale": "Child present at a high-risk incident; strategy discussion today.",
            "version": contact["version"],
        },
    )
    assert decided.status_code == 200, decided.content

    # Police see the triage outcome, and that a contact was made, but not the contact.
    seen = police.get(f"/api/v1/domestic-abuse-notifications/{notification['id']}").json()
    assert seen["status"] == "triaged"
    assert seen["triage"]["marac_referral"] is True
    assert seen["triage"]["children_contact"] == {"present": True, "id": None, "status": None}
    assert police.get(f"{CONTACTS}/{contact_id}").status_code == 404
