"""The contacts API, recording: who may call each endpoint, making a contact, listing and
reading contacts, and submitting a draft. Bad input answers 422 naming the field with
nothing saved; conflicts answer 409 with a clear message."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any, cast

import pytest
from django.test import Client
from django.utils import timezone

from continuum.accounts.models import User
from continuum.audit.models import AccessAction, AccessLogEntry
from continuum.front_door.choices import ContactStatus
from continuum.front_door.models import Contact
from continuum.front_door.tests import triage_support as support
from continuum.front_door.tests.api_support import contact_rows, fields_named, post
from continuum.front_door.tests.contacts_support import in_screening, submitted_contact
from continuum.organisations.models import Council
from continuum.people.models import Person
from continuum.testing import factories

API = "/api/v1/contacts"


def consent() -> dict[str, Any]:
    return {
        "family_agreement": "agreed",
        "agreement_obtained_by": "Priya Patel",
        "agreement_obtained_on": timezone.localdate().isoformat(),
    }


def contact_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "referral_source": "2A",
        "concerns": "Arrives hungry most days; shoes worn through.",
        "referrer_view_of_level": 2,
        **consent(),
    }
    body.update(overrides)
    return body


# --- who may call what -----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["nobody signed in", "a user without a role"])
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", ""),
        ("post", ""),
        ("get", "/{id}"),
        ("post", "/{id}/submit"),
        ("post", "/{id}/decision"),
        ("post", "/{id}/status"),
    ],
)
def test_every_endpoint_answers_401_without_a_signed_in_user_with_a_role(
    client: Client, stockton: Council, contact: Contact, who: str, method: str, path: str
) -> None:
    if who == "a user without a role":
        roleless = cast(
            User,
            factories.UserFactory(
                username="no.role", role="", organisation=factories.council_services(stockton)
            ),
        )
        client.force_login(roleless)
    url = API + path.format(id=contact.pk)
    response = client.get(url) if method == "get" else post(client, url, {})
    assert response.status_code == 401, (who, method, url)


def test_another_councils_contact_is_404_and_never_listed(
    client: Client, contact: Contact, hartlepool_worker: User
) -> None:
    client.force_login(hartlepool_worker)
    assert client.get(f"{API}/{contact.pk}").status_code == 404
    decision = {
        "level": 1,
        "indicator_codes": support.indicator_codes(1),
        "outcome": "advice",
        "rationale": "Universal services.",
        "version": contact.version,
    }
    assert post(client, f"{API}/{contact.pk}/decision", decision).status_code == 404
    status = {"status": "in_screening", "version": contact.version}
    assert post(client, f"{API}/{contact.pk}/status", status).status_code == 404
    assert post(client, f"{API}/{contact.pk}/submit", {"version": 1}).status_code == 404
    assert client.get(API).json() == {"items": [], "count": 0}
    assert client.get(f"{API}/{uuid.uuid4()}").status_code == 404
    assert client.get(f"{API}/not-a-uuid").status_code in (404, 422)


def test_a_school_sees_only_the_contacts_it_made(
    client: Client, contact: Contact, teacher: User
) -> None:
    client.force_login(teacher)
    mine = post(client, API, contact_body(new_children=[{"family_name": "Ashby"}]))
    assert mine.status_code == 201

    listing = client.get(API).json()
    assert listing["count"] == 1
    assert [item["id"] for item in listing["items"]] == [mine.json()["id"]]
    assert client.get(f"{API}/{contact.pk}").status_code == 404


def test_a_school_cannot_screen_or_decide_its_own_contact(
    client: Client, stockton: Council, teacher: User
) -> None:
    client.force_login(teacher)
    made = post(client, API, contact_body(new_children=[{"family_name": "Ashby"}])).json()
    post(client, f"{API}/{made['id']}/submit", {"version": made["version"]})
    version = Contact.objects.get(pk=made["id"]).version
    status = post(
        client, f"{API}/{made['id']}/status", {"status": "in_screening", "version": version}
    )
    assert status.status_code == 403
    decision = post(
        client,
        f"{API}/{made['id']}/decision",
        {
            "level": 1,
            "indicator_codes": support.indicator_codes(1),
            "outcome": "advice",
            "rationale": "x",
            "version": version,
        },
    )
    assert decision.status_code == 403


def test_an_analyst_can_neither_list_nor_make_contacts(
    client: Client, contact: Contact, analyst: User
) -> None:
    client.force_login(analyst)
    assert client.get(API).json() == {"items": [], "count": 0}
    assert post(client, API, contact_body(children=[])).status_code == 403


# --- making a contact ------------------------------------------------------------------------


def test_the_front_door_records_a_phone_contact_as_a_draft(
    client: Client, stockton: Council, worker: User, child: Person
) -> None:
    carer = support.adult(stockton)
    client.force_login(worker)
    response = post(
        client,
        API,
        contact_body(
            how_received="phone",
            referrer_name="Priya Patel",
            referrer_organisation_name="Test Primary School",
            children=[str(child.pk)],
            adults=[{"person": str(carer.pk), "relationship": "Mother"}],
            indicator_codes=support.indicator_codes(2),
        ),
    )
    assert response.status_code == 201, response.content
    body = response.json()
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
        "version",
        "referral_source",
        "how_received",
        "children",
    ):
        assert field in body
    assert body["council"] == stockton.dfe_la_code
    assert body["status"] == ContactStatus.DRAFT
    assert body["children"] == [str(child.pk)]
    assert body["adults"] == [{"person": str(carer.pk), "relationship": "Mother"}]
    assert body["indicator_codes"] == support.indicator_codes(2)
    assert body["level"] is None and body["outcome"] is None
    assert body["referrer_organisation"] == "Test Primary School"


def test_extra_fields_posted_change_nothing(
    client: Client, stockton: Council, worker: User, teacher: User
) -> None:
    client.force_login(teacher)
    response = post(
        client,
        API,
        contact_body(
            new_children=[{"family_name": "Ashby"}],
            created_by=worker.pk,
            referrer_user=worker.pk,
            status="decided",
            is_repeat=True,
            decided_at=timezone.now().isoformat(),
            version=99,
            is_restricted=True,
        ),
    )
    assert response.status_code == 201
    contact = Contact.objects.get(pk=response.json()["id"])
    assert contact.created_by == teacher
    assert contact.referrer_user == teacher
    assert contact.referrer_organisation == teacher.organisation
    assert contact.status == ContactStatus.DRAFT
    assert not contact.is_repeat and contact.decided_at is None and contact.version == 1
    assert not contact.children.get().is_restricted


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"referral_source": "99"}, "referral_source"),
        ({"received_at": "2099-01-01T09:00:00Z"}, "received_at"),
        ({"new_children": []}, "children"),
        ({"indicator_codes": ["NOT-A-CODE"]}, "indicator_codes"),
        ({"how_received": "pigeon"}, "how_received"),
        ({"referrer_view_of_level": 7}, "referrer_view_of_level"),
        ({"new_children": [{"family_name": "Ashby", "nhs_number": "1234567890"}]}, "nhs_number"),
        (
            {"new_children": [{"family_name": "Ashby", "date_of_birth": "2099-01-01"}]},
            "date_of_birth",
        ),
        ({"new_children": [{"given_name": "No surname"}]}, "family_name"),
        ({"council": "999"}, "council"),
        ({"received_at": "yesterday"}, "received_at"),
        ({"referrer_name": "x" * 151}, "referrer_name"),
        ({"new_children": [{"family_name": "x" * 101}]}, "family_name"),
    ],
)
def test_bad_input_answers_422_naming_the_field_and_saves_nothing(
    client: Client, stockton: Council, teacher: User, overrides: dict[str, Any], field: str
) -> None:
    client.force_login(teacher)
    before = contact_rows()
    body = contact_body(new_children=[{"family_name": "Ashby"}])
    body.update(overrides)
    response = post(client, API, body)
    assert field in fields_named(response)
    assert contact_rows() == before


def test_children_must_be_people_the_user_may_see(
    client: Client, stockton: Council, teacher: User
) -> None:
    unseen = support.child(stockton)
    client.force_login(teacher)
    before = contact_rows()
    response = post(client, API, contact_body(children=[str(unseen.pk)]))
    assert fields_named(response) == {"children"}
    assert str(unseen.pk) in response.json()["detail"][0]["msg"]
    assert contact_rows() == before


def test_a_contact_to_a_council_the_school_does_not_serve_is_refused(
    client: Client, stockton: Council, hartlepool: Council, teacher: User
) -> None:
    client.force_login(teacher)
    response = post(
        client,
        API,
        contact_body(council=hartlepool.dfe_la_code, new_children=[{"family_name": "A"}]),
    )
    assert fields_named(response) == {"council"}


def test_possible_duplicates_answer_409_with_only_the_candidates_the_user_may_see(
    client: Client, stockton: Council, worker: User
) -> None:
    seen = support.child(stockton, given_name="Lily", family_name="Ashby")
    client.force_login(worker)
    new_child = {
        "given_name": "Lilly",
        "family_name": "Ashby",
        "date_of_birth": seen.date_of_birth.isoformat() if seen.date_of_birth else None,
    }
    before = contact_rows()
    response = post(client, API, contact_body(new_children=[new_child]))
    assert response.status_code == 409
    body = response.json()
    assert "not_duplicates" in body["detail"]
    assert body["possible_duplicates"][0]["entered"] == "new_children.0"
    assert [c["id"] for c in body["possible_duplicates"][0]["candidates"]] == [str(seen.pk)]
    assert contact_rows() == before

    again = post(client, API, contact_body(new_children=[new_child], not_duplicates=True))
    assert again.status_code == 201
    assert Person.objects.count() == before[1] + 1


def test_a_partner_is_not_shown_records_it_may_not_see_as_duplicates(
    client: Client, stockton: Council, teacher: User
) -> None:
    unseen = support.child(stockton, given_name="Lily", family_name="Ashby")
    client.force_login(teacher)
    response = post(
        client,
        API,
        contact_body(
            new_children=[
                {
                    "given_name": "Lily",
                    "family_name": "Ashby",
                    "date_of_birth": unseen.date_of_birth.isoformat()
                    if unseen.date_of_birth
                    else None,
                }
            ]
        ),
    )
    assert response.status_code == 201
    assert str(unseen.pk) not in response.content.decode()


# --- listing and reading ---------------------------------------------------------------------


def test_the_list_filters_by_status_council_and_overdue(
    client: Client, stockton: Council, worker: User
) -> None:
    fresh = submitted_contact(by=worker, council=stockton)
    late = submitted_contact(by=worker, council=stockton)
    Contact.objects.filter(pk=late.pk).update(received_at=timezone.now() - timedelta(days=10))
    screened = in_screening(submitted_contact(by=worker, council=stockton), by=worker)
    client.force_login(worker)

    everything = client.get(API).json()
    assert everything["count"] == 3 and len(everything["items"]) == 3
    assert {i["id"] for i in client.get(API, {"status": "submitted"}).json()["items"]} == {
        str(fresh.pk),
        str(late.pk),
    }
    overdue = client.get(API, {"overdue": "true"}).json()
    assert [i["id"] for i in overdue["items"]] == [str(late.pk)]
    assert overdue["items"][0]["is_overdue"] is True
    assert client.get(API, {"overdue": "false"}).json()["count"] == 2
    assert client.get(API, {"council": stockton.dfe_la_code}).json()["count"] == 3
    assert str(screened.pk) in {i["id"] for i in everything["items"]}
    assert client.get(API, {"limit": 1}).json() == {
        "items": [everything["items"][0]],
        "count": 3,
    }


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"status": "lost"}, "status"),
        ({"council": "000"}, "council"),
        ({"limit": 0}, "limit"),
        ({"offset": 10**20}, "offset"),
    ],
)
def test_unknown_filters_answer_422(
    client: Client, worker: User, query: dict[str, Any], field: str
) -> None:
    client.force_login(worker)
    assert fields_named(client.get(API, query)) == {field}


def test_drafts_are_seen_only_by_who_wrote_them(
    client: Client, stockton: Council, worker: User, colleague: User
) -> None:
    client.force_login(colleague)
    draft = post(client, API, contact_body(children=[str(support.child(stockton).pk)])).json()
    client.force_login(worker)
    assert client.get(f"{API}/{draft['id']}").status_code == 404
    assert client.get(API).json()["count"] == 0


def test_reading_one_contact_logs_a_row_for_each_person_on_it(
    client: Client, stockton: Council, worker: User, child: Person
) -> None:
    carer = support.adult(stockton)
    client.force_login(worker)
    made = post(
        client,
        API,
        contact_body(children=[str(child.pk)], adults=[{"person": str(carer.pk)}]),
    ).json()
    before = AccessLogEntry.objects.count()
    client.get(API)
    assert AccessLogEntry.objects.count() == before
    client.get(f"{API}/{made['id']}")
    logged = AccessLogEntry.objects.order_by("pk")[before:]
    assert sorted(str(r.subject_id) for r in logged) == sorted([str(child.pk), str(carer.pk)])
    assert {(r.user_id, r.action) for r in logged} == {(worker.pk, AccessAction.API_READ)}


# --- submitting ------------------------------------------------------------------------------


def test_a_draft_without_consent_cannot_be_submitted(
    client: Client, stockton: Council, teacher: User
) -> None:
    client.force_login(teacher)
    draft = post(
        client,
        API,
        contact_body(
            family_agreement="",
            agreement_obtained_by="",
            agreement_obtained_on=None,
            new_children=[{"family_name": "Ashby"}],
        ),
    ).json()
    before = contact_rows()
    response = post(client, f"{API}/{draft['id']}/submit", {"version": draft["version"]})
    assert fields_named(response) == {"family_agreement"}
    assert response.json()["detail"][0]["loc"] == ["contact", "family_agreement"]
    assert contact_rows() == before

    declined = post(
        client,
        API,
        contact_body(
            family_agreement="declined", new_children=[{"family_name": "Bell"}], not_duplicates=True
        ),
    ).json()
    response = post(client, f"{API}/{declined['id']}/submit", {"version": declined["version"]})
    assert fields_named(response) == {"lawful_basis", "not_agreed_reason", "sharing_justification"}


def test_submitting_twice_or_from_a_stale_version_answers_409(
    client: Client, stockton: Council, teacher: User
) -> None:
    client.force_login(teacher)
    draft = post(client, API, contact_body(new_children=[{"family_name": "Ashby"}])).json()
    stale = post(client, f"{API}/{draft['id']}/submit", {"version": draft["version"] + 5})
    assert stale.status_code == 409
    assert "Nothing was saved" in stale.json()["detail"]

    done = post(client, f"{API}/{draft['id']}/submit", {"version": draft["version"]})
    assert done.status_code == 200
    assert done.json()["status"] == ContactStatus.SUBMITTED
    again = post(client, f"{API}/{draft['id']}/submit", {"version": done.json()["version"]})
    assert again.status_code == 409
    assert "already submitted" in again.json()["detail"]
