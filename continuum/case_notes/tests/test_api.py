"""The case notes API: record on an episode and a contact, read (one access-log row per
child), change within the window (409 after, 403 for anyone but the author), versions,
addenda; a sensitive note answered without its content; bad input 422 naming each field,
changing nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from continuum.accounts.models import User
from continuum.audit.models import AccessAction, AccessLogEntry
from continuum.case_notes.models import Addendum, CaseNote
from continuum.early_help.models import Episode
from continuum.front_door.models import Contact
from continuum.people.models import Person

pytestmark = pytest.mark.django_db


def signed_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def body(children: list[Person], **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "note_type": "home_visit",
        "occurred_at": (timezone.now() - timedelta(hours=1)).isoformat(),
        "present": "Dad and both children",
        "text": "Dad has started the parenting course; Maisie's attendance is improving.",
        "children_seen": [
            {"child": str(children[0].pk), "seen": True, "seen_alone": True},
            {"child": str(children[1].pk), "seen": True},
        ],
    }
    data.update(changes)
    return data


def post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data, content_type="application/json")


def locations(response: Any) -> set[str]:
    return {str(entry["loc"][-1]) for entry in response.json()["detail"]}


def test_record_list_read_change_and_add_an_addendum(
    client: Client, episode: Episode, lead: User, children: list[Person]
) -> None:
    signed_in(client, lead)
    url = f"/api/v1/episodes/{episode.pk}/notes"
    created = post(client, url, body(children))
    assert created.status_code == 201, created.content
    note = created.json()
    assert note["content_withheld"] is False and note["author"] == "Lena Haddow"
    assert {(c["seen"], c["seen_alone"]) for c in note["children_seen"]} == {
        (True, True),
        (True, False),
    }
    listed = client.get(url).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == note["id"]
    before = AccessLogEntry.objects.count()
    read = client.get(f"/api/v1/notes/{note['id']}")
    assert read.status_code == 200 and read.json()["text"].startswith("Dad has started")
    rows = AccessLogEntry.objects.order_by("-id")[:2]
    assert AccessLogEntry.objects.count() == before + len(children)
    assert {row.subject_id for row in rows} == {child.pk for child in children}
    assert {row.action for row in rows} == {AccessAction.API_READ}
    changed = client.patch(
        f"/api/v1/notes/{note['id']}",
        {"version": note["version"], "text": "Dad has finished week one of the course."},
        content_type="application/json",
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["text"] == "Dad has finished week one of the course."
    assert changed.json()["note_type"] == "home_visit"
    versions = client.get(f"/api/v1/notes/{note['id']}/versions").json()
    assert versions["count"] == 2 and versions["items"][1]["changed"] == ["Note"]
    added = post(client, f"/api/v1/notes/{note['id']}/addenda", {"text": "Course confirmed."})
    assert added.status_code == 201
    assert client.get(f"/api/v1/notes/{note['id']}").json()["addenda"][0]["text"] == (
        "Course confirmed."
    )


def test_after_the_window_a_change_answers_409_and_changes_nothing(
    client: Client, episode: Episode, lead: User, children: list[Person]
) -> None:
    signed_in(client, lead)
    note = post(client, f"/api/v1/episodes/{episode.pk}/notes", body(children)).json()
    CaseNote.objects.filter(pk=note["id"]).update(
        recorded_at=timezone.now() - timedelta(minutes=61)
    )
    response = client.patch(
        f"/api/v1/notes/{note['id']}",
        {"version": note["version"], "text": "Rewritten"},
        content_type="application/json",
    )
    assert response.status_code == 409 and "addendum" in response.json()["detail"]
    assert CaseNote.objects.get(pk=note["id"]).text.startswith("Dad has started")


def test_only_the_author_changes_a_note(
    client: Client, episode: Episode, lead: User, eh_worker: User, children: list[Person]
) -> None:
    note = post(signed_in(client, lead), f"/api/v1/episodes/{episode.pk}/notes", body(children))
    signed_in(client, eh_worker)
    response = client.patch(
        f"/api/v1/notes/{note.json()['id']}",
        {"version": 1, "text": "Not mine"},
        content_type="application/json",
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"note_type": "coffee"}, {"note_type"}),
        ({"text": "  "}, {"text"}),
        ({"occurred_at": (timezone.now() + timedelta(days=1)).isoformat()}, {"occurred_at"}),
        ({"occurred_at": "yesterday"}, {"occurred_at"}),
        ({"children_seen": [{"child": "not-a-uuid"}]}, {"child"}),
        ({"text": None}, {"text"}),
    ],
)
def test_bad_input_answers_422_naming_the_field_and_saves_nothing(
    client: Client,
    episode: Episode,
    lead: User,
    children: list[Person],
    changes: dict[str, Any],
    fields: set[str],
) -> None:
    signed_in(client, lead)
    response = post(client, f"/api/v1/episodes/{episode.pk}/notes", body(children, **changes))
    assert response.status_code == 422, response.content
    assert fields <= locations(response)
    assert not CaseNote.objects.exists()


def test_seen_alone_without_seen_and_a_stranger_child_answer_422(
    client: Client, episode: Episode, lead: User, children: list[Person], child: Person
) -> None:
    signed_in(client, lead)
    seen = [
        {"child": str(children[0].pk), "seen": False, "seen_alone": True},
        {"child": str(child.pk), "seen": True},
    ]
    response = post(
        client, f"/api/v1/episodes/{episode.pk}/notes", body(children, children_seen=seen)
    )
    assert response.status_code == 422 and locations(response) == {"children_seen"}
    assert not CaseNote.objects.exists()


def test_an_empty_addendum_answers_422(
    client: Client, episode: Episode, lead: User, children: list[Person]
) -> None:
    signed_in(client, lead)
    note = post(client, f"/api/v1/episodes/{episode.pk}/notes", body(children)).json()
    response = post(client, f"/api/v1/notes/{note['id']}/addenda", {"text": ""})
    assert response.status_code == 422 and locations(response) == {"text"}
    assert not Addendum.objects.exists()


def test_a_sensitive_note_is_answered_without_its_content(
    client: Client, episode: Episode, lead: User, taf_partner: User, children: list[Person]
) -> None:
    signed_in(client, lead)
    note = post(
        client, f"/api/v1/episodes/{episode.pk}/notes", body(children, sensitive=True)
    ).json()
    signed_in(client, taf_partner)
    answer = client.get(f"/api/v1/notes/{note['id']}").json()
    assert answer["content_withheld"] is True
    assert answer["author_organisation"] == "Stockton Family Support Trust"
    assert all(
        answer[key] is None
        for key in ("text", "present", "author", "children_seen", "addenda", "version")
    )
    assert client.get(f"/api/v1/notes/{note['id']}/versions").json()["count"] == 0
    listed = client.get(f"/api/v1/episodes/{episode.pk}/notes").json()["items"]
    assert listed[0]["content_withheld"] is True and listed[0]["text"] is None
    refused = post(client, f"/api/v1/notes/{note['id']}/addenda", {"text": "Seen at school."})
    assert refused.status_code == 403 and not Addendum.objects.exists()


def test_notes_on_a_contact(
    client: Client, contact: Contact, worker: User, eh_worker: User, teacher: User, child: Person
) -> None:
    signed_in(client, worker)
    url = f"/api/v1/contacts/{contact.pk}/notes"
    data = body([child, child], note_type="phone_call", children_seen=[])
    created = post(client, url, data)
    assert created.status_code == 201 and created.json()["contact"] == str(contact.pk)
    signed_in(client, eh_worker)
    assert client.get(url).json()["count"] == 1
    assert post(client, url, data).status_code == 403
    Contact.objects.filter(pk=contact.pk).update(created_by=teacher)
    signed_in(client, teacher)
    assert client.get(url).status_code == 404
    assert client.get(f"/api/v1/notes/{created.json()['id']}").status_code == 404
    assert CaseNote.objects.count() == 1
