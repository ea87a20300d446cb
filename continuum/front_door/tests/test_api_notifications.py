"""The domestic-abuse notifications and triage meetings API: police enter notifications
and read the triage outcome, never the children's contact; the council's front door
holds meetings and triages; bad input answers 422 naming the field, nothing saved."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from continuum.accounts.models import User
from continuum.audit.models import AccessAction, AccessLogEntry
from continuum.front_door.choices import ContactStatus, DashRisk, NotificationStatus
from continuum.front_door.models import (
    Contact,
    DomesticAbuseNotification,
    TriageMeeting,
    TriageOutcome,
)
from continuum.front_door.tests import triage_support as support
from continuum.front_door.tests.api_support import fields_named, post
from continuum.organisations.models import Council
from continuum.people.models import Person

API = "/api/v1/domestic-abuse-notifications"
MEETINGS = "/api/v1/triage-meetings"


def notification_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "incident_at": (timezone.now() - timedelta(hours=8)).isoformat(),
        "new_victim": {"given_name": "Marnie", "family_name": "Oakes"},
        "new_alleged_perpetrator": {"given_name": "Dale", "family_name": "Oakes"},
        "children": [
            {"new_person": {"given_name": "Tia", "family_name": "Oakes"}, "present": True},
            {"new_person": {"given_name": "Rory", "family_name": "Oakes"}},
        ],
        "dash_risk": "medium",
        "dash_ticks": 11,
        "repeat_incidents_12_months": 2,
        "reporting_officer": "PC Dana Hollis",
        "reporting_officer_number": "4471",
        "summary": "Neighbour called 999.",
    }
    body.update(overrides)
    return body


def rows() -> tuple[int, int, int, int, int]:
    return (
        DomesticAbuseNotification.objects.count(),
        Person.objects.count(),
        TriageOutcome.objects.count(),
        Contact.objects.count(),
        TriageMeeting.objects.count(),
    )


def meeting_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "held_at": (timezone.now() - timedelta(minutes=20)).isoformat(),
        "attendance": [
            {"agency": "police", "name": "DS Amir Khan"},
            {"agency": "idva", "name": "Jo Fletcher"},
            {"agency": "childrens_services", "name": "Sam Price"},
        ],
    }
    body.update(overrides)
    return body


def triage_body(
    notification: DomesticAbuseNotification, meeting_id: int, **kw: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "meeting": meeting_id,
        "version": notification.version,
        "safety_planning": "IDVA to call today; school told.",
        "marac_referral": False,
    }
    body.update(kw)
    return body


# --- access ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", API),
        ("post", API),
        ("get", API + "/{notification}"),
        ("post", API + "/{notification}/triage"),
        ("post", MEETINGS),
        ("get", MEETINGS + "/1"),
    ],
)
def test_every_endpoint_answers_401_to_anonymous_users(
    client: Client, notification: DomesticAbuseNotification, method: str, url: str
) -> None:
    url = url.format(notification=notification.pk)
    response = client.get(url) if method == "get" else post(client, url, {})
    assert response.status_code == 401, (method, url)


def test_a_school_can_neither_enter_nor_see_notifications(
    client: Client, notification: DomesticAbuseNotification, teacher: User
) -> None:
    client.force_login(teacher)
    assert post(client, API, notification_body()).status_code == 403
    assert client.get(API).json() == {"items": [], "count": 0}
    assert client.get(f"{API}/{notification.pk}").status_code == 404


@pytest.mark.parametrize("outsider", ["other_force_officer", "hartlepool_worker"])
def test_another_council_and_another_force_get_404(
    request: pytest.FixtureRequest,
    client: Client,
    notification: DomesticAbuseNotification,
    meeting: TriageMeeting,
    outsider: str,
) -> None:
    client.force_login(request.getfixturevalue(outsider))
    assert client.get(f"{API}/{notification.pk}").status_code == 404
    assert client.get(API).json()["count"] == 0
    assert client.get(f"{MEETINGS}/{meeting.pk}").status_code == 404


def test_another_councils_meeting_cannot_triage_the_notification(
    client: Client,
    notification: DomesticAbuseNotification,
    meeting: TriageMeeting,
    hartlepool: Council,
    hartlepool_worker: User,
) -> None:
    client.force_login(hartlepool_worker)
    other_meeting = support.meeting(by=hartlepool_worker, council=hartlepool)
    response = post(
        client, f"{API}/{notification.pk}/triage", triage_body(notification, other_meeting.pk)
    )
    assert response.status_code == 404


# --- entering a notification -----------------------------------------------------------------


def test_police_enter_a_notification_with_new_people(
    client: Client, officer: User, stockton: Council
) -> None:
    client.force_login(officer)
    response = post(client, API, notification_body(created_by=1, status="triaged", version=9))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["council"] == stockton.dfe_la_code
    assert body["status"] == NotificationStatus.AWAITING_TRIAGE
    assert body["version"] == 1
    assert body["triage"] is None
    assert body["is_overdue"] is False
    assert len(body["children"]) == 2
    assert sorted(c["present"] for c in body["children"]) == [False, True]
    notification = DomesticAbuseNotification.objects.get(pk=body["id"])
    assert notification.created_by == officer
    assert notification.victim.full_name == "Marnie Oakes"

    listing = client.get(API).json()
    assert [item["id"] for item in listing["items"]] == [body["id"]]
    assert client.get(f"{API}/{body['id']}").json()["id"] == body["id"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"dash_ticks": 14}, "dash_risk"),
        ({"dash_ticks": 30, "dash_risk": "high"}, "dash_ticks"),
        ({"dash_risk": "severe"}, "dash_risk"),
        ({"incident_at": "2099-05-01T21:00:00Z"}, "incident_at"),
        ({"children": []}, "children"),
        ({"reporting_officer": " "}, "reporting_officer"),
        ({"new_victim": None}, "victim"),
        ({"repeat_incidents_12_months": -1}, "repeat_incidents_12_months"),
        ({"council": "999"}, "council"),
        ({"children": [{"present": True}]}, "children"),
        ({"new_victim": {"family_name": "Oakes", "nhs_number": "123"}}, "nhs_number"),
        ({"dash_ticks": "many"}, "dash_ticks"),
        ({"reporting_officer": "x" * 151}, "reporting_officer"),
        ({"reporting_officer_number": "x" * 21}, "reporting_officer_number"),
        ({"alleged_perpetrator_description": "x" * 201}, "alleged_perpetrator_description"),
        ({"repeat_incidents_12_months": 10**6}, "repeat_incidents_12_months"),
    ],
)
def test_bad_input_answers_422_naming_the_field_and_saves_nothing(
    client: Client, officer: User, stockton: Council, overrides: dict[str, Any], field: str
) -> None:
    client.force_login(officer)
    before = rows()
    response = post(client, API, notification_body(**overrides))
    assert field in fields_named(response)
    assert rows() == before


def test_people_must_be_on_the_record_the_officer_may_see(
    client: Client, officer: User, stockton: Council
) -> None:
    unseen = support.adult(stockton)
    client.force_login(officer)
    before = rows()
    response = post(client, API, notification_body(new_victim=None, victim=str(unseen.pk)))
    assert fields_named(response) == {"victim"}
    assert rows() == before


def test_possible_duplicates_answer_409_then_the_existing_record_is_used(
    client: Client, worker: User, stockton: Council
) -> None:
    marnie = support.adult(stockton, given_name="Marnie", family_name="Oakes")
    dob = marnie.date_of_birth.isoformat() if marnie.date_of_birth else None
    client.force_login(worker)
    before = rows()
    new_victim = {"given_name": "Marnie", "family_name": "Oakes", "date_of_birth": dob}
    response = post(client, API, notification_body(new_victim=new_victim))
    assert response.status_code == 409
    duplicates = response.json()["possible_duplicates"]
    assert duplicates[0]["entered"] == "victim"
    assert duplicates[0]["candidates"][0]["id"] == str(marnie.pk)
    assert rows() == before

    used = post(client, API, notification_body(new_victim=None, victim=str(marnie.pk)))
    assert used.status_code == 201
    assert used.json()["victim"] == str(marnie.pk)


def test_the_list_filters_by_status_risk_and_overdue(
    client: Client, officer: User, worker: User, stockton: Council
) -> None:
    high = support.notify(by=officer, council=stockton, dash_risk=DashRisk.HIGH, dash_ticks=20)
    late = support.notify(by=officer, council=stockton)
    DomesticAbuseNotification.objects.filter(pk=late.pk).update(
        received_at=timezone.now() - timedelta(days=8)
    )
    client.force_login(worker)
    assert [i["id"] for i in client.get(API, {"risk": "high"}).json()["items"]] == [str(high.pk)]
    overdue = client.get(API, {"overdue": "true"}).json()
    assert [i["id"] for i in overdue["items"]] == [str(late.pk)]
    assert overdue["items"][0]["is_overdue"] is True
    assert client.get(API, {"status": "triaged"}).json()["count"] == 0
    assert client.get(API, {"status": "awaiting_triage"}).json()["count"] == 2
    assert fields_named(client.get(API, {"risk": "extreme"})) == {"risk"}
    assert fields_named(client.get(API, {"status": "done"})) == {"status"}
    assert fields_named(client.get(API, {"offset": 10**20})) == {"offset"}


# --- meetings and triage ---------------------------------------------------------------------


def test_the_front_door_holds_a_meeting_with_attendance_by_agency(
    client: Client, worker: User, stockton: Council, officer: User
) -> None:
    force = officer.organisation
    assert force is not None
    client.force_login(worker)
    body = meeting_body()
    body["attendance"][0]["organisation"] = force.pk
    # The chair is whoever starts it; the council is their own unless they name one they
    # triage for (issue 15: hub staff), which test_hub_triage covers.
    response = post(client, MEETINGS, {**body, "chaired_by": officer.pk})
    assert response.status_code == 201, response.content
    meeting = response.json()
    assert meeting["council"] == stockton.dfe_la_code
    assert meeting["chaired_by"] == str(worker)
    assert meeting["attendance"][0] == {
        "agency": "police",
        "name": "DS Amir Khan",
        "organisation": force.name,
    }
    assert client.get(f"{MEETINGS}/{meeting['id']}").json() == meeting


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"attendance": []}, "attendance"),
        ({"attendance": [{"agency": "magistrates", "name": "A Person"}]}, "attendance"),
        (
            {"attendance": [{"agency": "police", "name": "DS Khan", "organisation": 999999}]},
            "organisation",
        ),
        ({"held_at": "2099-01-01T09:00:00Z"}, "held_at"),
        ({"attendance": [{"agency": "police"}]}, "name"),
        ({"attendance": [{"agency": "police", "name": "x" * 151}]}, "name"),
    ],
)
def test_a_bad_meeting_answers_422_and_saves_nothing(
    client: Client, worker: User, overrides: dict[str, Any], field: str
) -> None:
    client.force_login(worker)
    response = post(client, MEETINGS, meeting_body(**overrides))
    assert field in fields_named(response)
    assert not TriageMeeting.objects.exists()


def test_police_cannot_hold_meetings_or_triage(
    client: Client,
    officer: User,
    notification: DomesticAbuseNotification,
    meeting: TriageMeeting,
) -> None:
    client.force_login(officer)
    assert post(client, MEETINGS, meeting_body()).status_code == 403
    response = post(
        client, f"{API}/{notification.pk}/triage", triage_body(notification, meeting.pk)
    )
    assert response.status_code == 403
    assert client.get(f"{MEETINGS}/{meeting.pk}").status_code == 404


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"no_marac_reason": ""}, "no_marac_reason"),
        ({"marac_referral": True, "marac_basis": ""}, "marac_basis"),
        ({"marac_referral": True, "marac_basis": "hunch"}, "marac_basis"),
        ({"safety_planning": ""}, "safety_planning"),
        ({"meeting": 999999}, "meeting"),
        ({"marac_referral": "perhaps"}, "marac_referral"),
    ],
)
def test_triage_rules_answer_422_naming_the_field(
    client: Client,
    officer: User,
    worker: User,
    stockton: Council,
    meeting: TriageMeeting,
    overrides: dict[str, Any],
    field: str,
) -> None:
    notification = support.notify(
        by=officer, council=stockton, dash_risk=DashRisk.HIGH, dash_ticks=16
    )
    client.force_login(worker)
    url = f"{API}/{notification.pk}/triage"
    before = rows()
    response = post(client, url, triage_body(notification, meeting.pk, **overrides))
    assert field in fields_named(response), overrides
    assert rows() == before


def test_triage_makes_the_childrens_contact_which_police_never_see(
    client: Client, officer: User, worker: User, stockton: Council
) -> None:
    notification = support.notify(
        by=officer, council=stockton, dash_risk=DashRisk.HIGH, dash_ticks=16
    )
    client.force_login(worker)
    meeting = post(client, MEETINGS, meeting_body()).json()
    response = post(
        client,
        f"{API}/{notification.pk}/triage",
        triage_body(notification, meeting["id"], marac_referral=True, marac_basis="ticks"),
    )
    assert response.status_code == 200, response.content
    triage = response.json()["triage"]
    assert triage["marac_referral"] is True and triage["marac_basis"] == "ticks"
    contact_id = triage["children_contact"]["id"]
    assert triage["children_contact"] == {
        "present": True,
        "id": contact_id,
        "status": ContactStatus.IN_SCREENING,
    }
    assert response.json()["status"] == NotificationStatus.TRIAGED
    contact = client.get(f"/api/v1/contacts/{contact_id}").json()
    assert contact["referral_source"] == "6"
    assert contact["how_received"] == "da_notification"
    assert sorted(contact["children"]) == sorted(str(p.pk) for p in notification.children.all())
    assert {a["relationship"] for a in contact["adults"]} == {"Victim", "Alleged perpetrator"}
    assert client.get(f"{MEETINGS}/{meeting['id']}").json()["notifications_triaged"] == [
        str(notification.pk)
    ]

    client.force_login(officer)
    seen = client.get(f"{API}/{notification.pk}").json()
    assert seen["triage"]["safety_planning"] == "IDVA to call today; school told."
    assert seen["triage"]["children_contact"] == {"present": True, "id": None, "status": None}
    assert contact_id not in client.get(API).content.decode()
    assert client.get(f"/api/v1/contacts/{contact_id}").status_code == 404
    assert client.get("/api/v1/contacts").json() == {"items": [], "count": 0}


def test_a_second_triage_or_a_stale_one_answers_409(
    client: Client, worker: User, notification: DomesticAbuseNotification, meeting: TriageMeeting
) -> None:
    client.force_login(worker)
    url = f"{API}/{notification.pk}/triage"
    stale = post(
        client, url, triage_body(notification, meeting.pk, version=notification.version + 1)
    )
    assert stale.status_code == 409
    assert "Nothing was saved" in stale.json()["detail"]
    assert post(client, url, triage_body(notification, meeting.pk)).status_code == 200
    before = rows()
    again = post(
        client, url, triage_body(notification, meeting.pk, version=notification.version + 1)
    )
    assert again.status_code == 409
    assert "already been triaged" in again.json()["detail"]
    assert rows() == before


def test_unknown_ids_answer_404(client: Client, worker: User) -> None:
    client.force_login(worker)
    assert client.get(f"{API}/{uuid.uuid4()}").status_code == 404
    assert client.get(f"{MEETINGS}/424242").status_code == 404


@pytest.mark.parametrize(
    ("path", "methods"),
    [
        ("/api/v1/contacts", {"get", "post"}),
        ("/api/v1/contacts/{contact_id}", {"get"}),
        ("/api/v1/contacts/{contact_id}/submit", {"post"}),
        ("/api/v1/contacts/{contact_id}/decision", {"post"}),
        ("/api/v1/contacts/{contact_id}/status", {"post"}),
        ("/api/v1/domestic-abuse-notifications", {"get", "post"}),
        ("/api/v1/domestic-abuse-notifications/{notification_id}", {"get"}),
        ("/api/v1/domestic-abuse-notifications/{notification_id}/triage", {"post"}),
        ("/api/v1/triage-meetings", {"post"}),
        ("/api/v1/triage-meetings/{meeting_id}", {"get"}),
    ],
)
def test_the_openapi_document_lists_every_front_door_endpoint(
    client: Client, path: str, methods: set[str]
) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert methods <= set(paths[path]), path


def test_the_openapi_document_describes_a_contacts_status_timescale_and_outcome(
    client: Client,
) -> None:
    document = client.get("/api/v1/openapi.json").json()
    contact_out = document["components"]["schemas"]["ContactDetailOut"]["properties"]
    for field in (
        "id",
        "council",
        "status",
        "received_at",
        "decision_due_date",
        "decided_at",
        "level",
        "outcome",
        "is_overdue",
        "is_repeat",
    ):
        assert field in contact_out


def test_reading_one_notification_logs_a_row_for_each_person_on_it_and_listing_none(
    client: Client, officer: User, notification: DomesticAbuseNotification
) -> None:
    client.force_login(officer)
    before = AccessLogEntry.objects.count()
    client.get(API)
    assert AccessLogEntry.objects.count() == before
    client.get(f"{API}/{notification.pk}")
    rows = AccessLogEntry.objects.order_by("pk")[before:]
    assert {r.subject_id for r in rows} == {
        notification.victim_id,
        notification.alleged_perpetrator_id,
        *notification.children.values_list("pk", flat=True),
    }
    assert len(rows) == 3
    assert {r.action for r in rows} == {AccessAction.API_READ}
