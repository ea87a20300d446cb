"""The case note pages: the episode's notes tab, adding a note, the note with its addenda
and versions, changing it within the window, an addendum after; the timeline and the
chronology linking to the note; a sensitive note shown only as existing to those who may
not read it; bad input refused at its field; one access-log row per child per read."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import User
from continuum.audit.models import AccessLogEntry
from continuum.case_notes import services
from continuum.case_notes.choices import NoteType
from continuum.case_notes.models import Addendum, CaseNote
from continuum.early_help.models import Episode
from continuum.front_door.models import Contact
from continuum.people.models import Person

pytestmark = pytest.mark.django_db

SECRET = "Mum disclosed that her ex-partner has been messaging her again."


def signed_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def form_for(when: object | None = None, **changes: object) -> dict[str, object]:
    at = timezone.localtime(when or timezone.now() - timedelta(hours=3))  # type: ignore[arg-type]
    data: dict[str, object] = {
        "note_type": NoteType.HOME_VISIT,
        "occurred_on_day": at.day,
        "occurred_on_month": at.month,
        "occurred_on_year": at.year,
        "occurred_time": at.strftime("%H:%M"),
        "present": "Mum, Maisie and Alfie",
        "text": "Maisie read to me from her school book; Alfie was napping.",
    }
    data.update(changes)
    return data


def note_by(user: User, episode: Episode, **changes: object) -> CaseNote:
    fields: dict[str, object] = {
        "note_type": NoteType.HOME_VISIT,
        "occurred_at": timezone.now() - timedelta(hours=2),
        "text": "Visited at home; the children were well.",
    }
    fields.update(changes)
    return services.record_note(by=user, episode=episode, **fields)  # type: ignore[arg-type]


def test_the_lead_records_a_home_visit_and_sees_it_on_the_tab_timeline_and_chronology(
    client: Client, episode: Episode, lead: User, eh_worker: User, children: list[Person]
) -> None:
    signed_in(client, lead)
    page = client.get(reverse("case_notes:episode-notes", args=[episode.pk]))
    assert page.status_code == 200 and "Add a case note" in page.content.decode()
    new = reverse("case_notes:episode-note-new", args=[episode.pk])
    assert client.get(new).status_code == 200
    data = form_for(
        children_seen=[str(children[0].pk), str(children[1].pk)],
        children_seen_alone=[str(children[0].pk)],
    )
    response = client.post(new, data)
    note = CaseNote.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "case_notes:note", args=[note.pk]
    )
    shown = client.get(response["Location"]).content.decode()
    assert "Maisie read to me" in shown and "Home visit" in shown
    link = reverse("case_notes:note", args=[note.pk])
    tab = client.get(reverse("case_notes:episode-notes", args=[episode.pk])).content.decode()
    assert link in tab
    timeline = client.get(reverse("early_help:history", args=[episode.pk])).content.decode()
    assert link in timeline and "Case note: home visit" in timeline
    assert (
        'href="' + reverse("case_notes:episode-notes", args=[episode.pk])
        in client.get(reverse("early_help:episode", args=[episode.pk])).content.decode()
    )
    # The child's chronology (read here by the council's practitioner) links to the note.
    signed_in(client, eh_worker)
    chronology = client.get(reverse("people:chronology", args=[children[0].pk])).content.decode()
    assert link in chronology and "Case note: home visit" in chronology


def test_bad_input_is_shown_at_each_field_and_saves_nothing(
    client: Client, episode: Episode, lead: User, children: list[Person]
) -> None:
    signed_in(client, lead)
    new = reverse("case_notes:episode-note-new", args=[episode.pk])
    response = client.post(
        new,
        form_for(
            note_type="",
            occurred_time="25:99",
            text="",
            children_seen_alone=[str(children[1].pk)],
        ),
    )
    text = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in text
    assert "Choose the type of note." in text and "Enter the note." in text
    assert "24-hour clock" in text
    assert not CaseNote.objects.exists()
    future = form_for(
        when=timezone.now() + timedelta(days=2), children_seen_alone=[str(children[1].pk)]
    )
    text = client.post(new, future).content.decode()
    assert "must be in the past" in text and "seen alone" in text
    assert not CaseNote.objects.exists()


def test_change_within_the_window_then_only_an_addendum(
    client: Client, episode: Episode, lead: User
) -> None:
    note = note_by(lead, episode)
    signed_in(client, lead)
    change = reverse("case_notes:note-change", args=[note.pk])
    assert client.get(change).status_code == 200
    data = form_for(text="Visited at home; both children were well and seen.")
    data["version"] = note.version
    assert client.post(change, data).status_code == 302
    page = client.get(reverse("case_notes:note", args=[note.pk])).content.decode()
    assert "Versions of this note (2)" in page and "Visited at home; the children" in page
    CaseNote.objects.filter(pk=note.pk).update(recorded_at=timezone.now() - timedelta(hours=2))
    data["text"] = "Too late to change"
    data["version"] = note.version + 1
    assert client.post(change, data).status_code == 302
    note.refresh_from_db()
    assert note.text.startswith("Visited at home; both")
    page = client.get(reverse("case_notes:note", args=[note.pk])).content.decode()
    assert "Change the note" not in page and "Add an addendum" in page
    addendum = reverse("case_notes:note-addendum", args=[note.pk])
    assert client.post(addendum, {"text": ""}).status_code == 200
    assert not Addendum.objects.exists()
    assert client.post(addendum, {"text": "Mum rang to confirm the next visit."}).status_code == 302
    page = client.get(reverse("case_notes:note", args=[note.pk])).content.decode()
    assert "Mum rang to confirm the next visit." in page


def test_someone_else_may_not_change_the_note(
    client: Client, episode: Episode, lead: User, eh_worker: User
) -> None:
    note = note_by(lead, episode)
    signed_in(client, eh_worker)
    assert client.get(reverse("case_notes:note", args=[note.pk])).status_code == 200
    assert client.get(reverse("case_notes:note-change", args=[note.pk])).status_code == 403


def test_a_sensitive_note_shows_others_only_that_it_exists(
    client: Client, episode: Episode, lead: User, taf_partner: User, children: list[Person]
) -> None:
    note = note_by(lead, episode, sensitive=True, text=SECRET, present="Mum only")
    services.add_addendum(note=note, by=lead, text="Police informed by Mum.")
    signed_in(client, taf_partner)
    for url in (
        reverse("case_notes:note", args=[note.pk]),
        reverse("case_notes:episode-notes", args=[episode.pk]),
        reverse("early_help:history", args=[episode.pk]),
    ):
        response = client.get(url)
        text = response.content.decode()
        assert response.status_code == 200, url
        assert SECRET[:20] not in text and "Police informed" not in text, url
        assert "Mum only" not in text and f"by {lead}" not in text, url
        assert "Sensitive" in text or "sensitive" in text, url
    page = client.get(reverse("case_notes:note", args=[note.pk])).content.decode()
    assert "Stockton Family Support Trust" in page
    assert client.get(reverse("case_notes:note-addendum", args=[note.pk])).status_code == 403
    signed_in(client, lead)
    assert SECRET in client.get(reverse("case_notes:note", args=[note.pk])).content.decode()


def test_each_read_writes_one_access_log_row_per_child(
    client: Client, episode: Episode, lead: User, children: list[Person]
) -> None:
    note = note_by(lead, episode)
    signed_in(client, lead)
    before = AccessLogEntry.objects.count()
    client.get(reverse("case_notes:note", args=[note.pk]))
    rows = AccessLogEntry.objects.order_by("-id")[: len(children)]
    assert AccessLogEntry.objects.count() == before + len(children)
    assert {row.subject_id for row in rows} == {child.pk for child in children}
    assert {row.user_id for row in rows} == {lead.pk}


def test_a_former_taf_member_sees_no_notes(
    client: Client, episode: Episode, lead: User, taf_partner: User
) -> None:
    note = note_by(lead, episode)
    episode.taf_members.filter(user=taf_partner).update(left_on=timezone.localdate())
    signed_in(client, taf_partner)
    assert client.get(reverse("case_notes:note", args=[note.pk])).status_code == 404
    assert client.get(reverse("case_notes:episode-notes", args=[episode.pk])).status_code == 404


def test_the_front_door_adds_a_note_to_a_contact(
    client: Client, contact: Contact, worker: User, teacher: User, child: Person
) -> None:
    signed_in(client, worker)
    page = client.get(reverse("front_door:contact", args=[contact.pk])).content.decode()
    notes = reverse("case_notes:contact-notes", args=[contact.pk])
    assert notes in page
    new = reverse("case_notes:contact-note-new", args=[contact.pk])
    data = form_for(note_type=NoteType.PHONE_CALL, children_seen=[])
    data.pop("children_seen")
    assert client.post(new, data).status_code == 302
    note = CaseNote.objects.get(contact=contact)
    assert reverse("case_notes:note", args=[note.pk]) in client.get(notes).content.decode()
    # A referrer (a school) does not see the front door's notes.
    Contact.objects.filter(pk=contact.pk).update(created_by=teacher)
    signed_in(client, teacher)
    assert client.get(notes).status_code == 404
    assert client.get(reverse("case_notes:note", args=[note.pk])).status_code == 404
    assert (
        notes not in client.get(reverse("front_door:contact", args=[contact.pk])).content.decode()
    )


def test_a_refused_read_writes_no_access_log_row(
    client: Client, episode: Episode, lead: User, eh_worker: User, hartlepool_manager: User
) -> None:
    note = note_by(lead, episode)
    before = AccessLogEntry.objects.count()
    signed_in(client, hartlepool_manager)
    assert client.get(reverse("case_notes:note", args=[note.pk])).status_code == 404
    assert client.get(f"/api/v1/notes/{note.pk}").status_code == 404
    signed_in(client, eh_worker)  # sees the note, may not change it
    assert client.get(reverse("case_notes:note-change", args=[note.pk])).status_code == 403
    assert AccessLogEntry.objects.count() == before
