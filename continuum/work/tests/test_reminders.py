"""Personal reminders on a record (issue 12): set from the record's page, in the user's work
from the day they are due (overdue first), done or dismissed; only ever the user's own, and
never revealing a record the user can no longer see."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from continuum.access import services as access
from continuum.access.models import InvolvementReason
from continuum.accounts.models import User
from continuum.early_help.models import Episode
from continuum.front_door.tests.contacts_support import submitted_contact
from continuum.organisations.models import Council
from continuum.people.models import Person
from continuum.tests.builders import a_person
from continuum.work import services
from continuum.work.models import RecordKind, Reminder
from continuum.work.selectors import tray_for

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def reminders_in_tray(user: User) -> list[str]:
    found = {s.key: s for s in tray_for(user=user)}
    return [item.title for item in found["reminders"].items] if "reminders" in found else []


def date_fields(day: date) -> dict[str, object]:
    return {"due_on_day": day.day, "due_on_month": day.month, "due_on_year": day.year}


def test_a_reminder_set_on_a_persons_record_is_in_the_users_work(
    eh_worker: User, child: Person
) -> None:
    client = signed_in(eh_worker)
    tab = client.get(reverse("work:person-reminders", args=[child.pk]))
    assert tab.status_code == 200 and "Set a reminder" in tab.content.decode()
    detail = client.get(reverse("people:detail", args=[child.pk])).content.decode()
    assert reverse("work:person-reminders", args=[child.pk]) in detail  # the tab
    new = reverse("work:reminder-new", args=["person", child.pk])
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(new, {**date_fields(tomorrow), "text": "Ring the school nurse"})
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[child.pk])
    reminder = Reminder.objects.get()
    assert (reminder.user, reminder.record_kind, reminder.record_id) == (
        eh_worker,
        RecordKind.PERSON,
        child.pk,
    )
    assert reminders_in_tray(eh_worker) == ["Ring the school nurse"]
    home = client.get(reverse("web:home")).content.decode()
    assert "Ring the school nurse" in home and child.full_name in home


def test_overdue_reminders_come_first_and_done_or_dismissed_ones_go(
    eh_worker: User, child: Person
) -> None:
    today = timezone.localdate()
    later = services.set_reminder(
        user=eh_worker,
        record_kind=RecordKind.PERSON,
        record_id=child.pk,
        due_on=today + timedelta(days=5),
        text="Later",
    )
    late = services.set_reminder(
        user=eh_worker,
        record_kind=RecordKind.PERSON,
        record_id=child.pk,
        due_on=today,
        text="Late",
    )
    Reminder.objects.filter(pk=late.pk).update(due_on=today - timedelta(days=2))
    found = {s.key: s for s in tray_for(user=eh_worker)}["reminders"]
    assert [i.title for i in found.items] == ["Late", "Later"] and found.overdue == 1
    client = signed_in(eh_worker)
    assert client.post(reverse("work:reminder-done", args=[late.pk])).status_code == 302
    assert client.post(
        reverse("work:reminder-dismiss", args=[later.pk]), {"next": "https://evil.example/"}
    )["Location"] == reverse("web:home")
    assert reminders_in_tray(eh_worker) == []
    late.refresh_from_db()
    later.refresh_from_db()
    assert late.done_at is not None and later.dismissed_at is not None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": ""}, "Say what the reminder is for."),
        ({"text": "x" * 501}, "The reminder must be 500 characters or fewer."),
        (
            {"due_on_day": "", "due_on_month": "", "due_on_year": ""},
            "Enter the date the reminder is due.",
        ),
        ({"due_on_day": "31", "due_on_month": "2", "due_on_year": "2030"}, "must be a real date"),
        ({"past": True}, "must be today or in the future"),
        ({"far": True}, "within the next 5 years"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_is_set(
    eh_worker: User, child: Person, fields: dict[str, object], message: str
) -> None:
    today = timezone.localdate()
    data: dict[str, object] = {**date_fields(today), "text": "Ring the school nurse"}
    if fields.pop("past", False):
        data.update(date_fields(today - timedelta(days=1)))
    if fields.pop("far", False):
        data.update(date_fields(today.replace(year=today.year + 6)))
    data.update(fields)
    response = signed_in(eh_worker).post(
        reverse("work:reminder-new", args=["person", child.pk]), data
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert not Reminder.objects.exists()


def test_nobody_sets_a_reminder_on_a_record_they_may_not_see_or_on_something_else(
    eh_worker: User, hartlepool: Council
) -> None:
    hidden = a_person(hartlepool)
    client = signed_in(eh_worker)
    today = timezone.localdate()
    for kind in ("person", "contact", "episode", "gossip"):
        url = reverse("work:reminder-new", args=[kind, hidden.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {**date_fields(today), "text": "x"}).status_code == 404
    assert not Reminder.objects.exists()


def test_a_reminder_on_a_record_the_user_can_no_longer_see_is_never_revealed(
    teacher: User, worker: User, stockton: Council, child: Person
) -> None:
    grant = access.record_involvement(
        user=teacher, person=child, reason=InvolvementReason.OTHER, source="test:reminder"
    )
    reminder = services.set_reminder(
        user=teacher,
        record_kind=RecordKind.PERSON,
        record_id=child.pk,
        due_on=timezone.localdate(),
        text="Check in with the family",
    )
    assert reminders_in_tray(teacher) == ["Check in with the family"]
    access.end_involvement(user=teacher, person=child, source=grant.source)
    assert reminders_in_tray(teacher) == []
    client = signed_in(teacher)
    home = client.get(reverse("web:home")).content.decode()
    assert "Check in with the family" not in home and child.full_name not in home
    assert client.post(reverse("work:reminder-done", args=[reminder.pk])).status_code == 404
    api = client.get("/api/v1/work").json()
    assert "Check in with the family" not in str(api)
    answer = client.post(
        f"/api/v1/work/reminders/{reminder.pk}/done", {}, content_type="application/json"
    )
    assert answer.status_code == 404
    reminder.refresh_from_db()
    assert reminder.done_at is None


def test_someone_elses_reminder_is_404(eh_worker: User, worker: User, child: Person) -> None:
    theirs = services.set_reminder(
        user=worker,
        record_kind=RecordKind.PERSON,
        record_id=child.pk,
        due_on=timezone.localdate(),
        text="Theirs",
    )
    client = signed_in(eh_worker)
    assert client.post(reverse("work:reminder-dismiss", args=[theirs.pk])).status_code == 404
    assert reminders_in_tray(eh_worker) == []


def test_reminders_on_a_contact_and_an_episode_from_their_pages(
    worker: User, manager: User, stockton: Council, episode: Episode
) -> None:
    contact = submitted_contact(by=worker, council=stockton)
    client = signed_in(manager)
    page = client.get(reverse("front_door:contact", args=[contact.pk])).content.decode()
    new_on_contact = reverse("work:reminder-new", args=["contact", contact.pk])
    assert new_on_contact in page
    page = client.get(reverse("early_help:episode", args=[episode.pk])).content.decode()
    new_on_episode = reverse("work:reminder-new", args=["episode", episode.pk])
    assert new_on_episode in page
    today = timezone.localdate()
    client.post(new_on_contact, {**date_fields(today), "text": "Chase the school"})
    client.post(new_on_episode, {**date_fields(today), "text": "Book the panel"})
    assert sorted(reminders_in_tray(manager)) == ["Book the panel", "Chase the school"]
    page = client.get(reverse("early_help:episode", args=[episode.pk])).content.decode()
    assert "Book the panel" in page and "Chase the school" not in page


def test_the_api_sets_and_closes_reminders_and_refuses_bad_input(
    eh_worker: User, child: Person
) -> None:
    client = signed_in(eh_worker)
    today = timezone.localdate()
    body = {
        "record_kind": "people.person",
        "record_id": str(child.pk),
        "due_on": today.isoformat(),
        "text": "Ring the school nurse",
    }
    made = client.post("/api/v1/work/reminders", body, content_type="application/json")
    assert made.status_code == 201
    assert made.json()["url"] == reverse("people:detail", args=[child.pk])
    for bad, field in [
        ({"text": " "}, "text"),
        ({"due_on": (today - timedelta(days=1)).isoformat()}, "due_on"),
        ({"record_kind": "front_door.notification"}, "record_kind"),
        ({"record_id": "not-an-id"}, "record_id"),
    ]:
        answer = client.post(
            "/api/v1/work/reminders", {**body, **bad}, content_type="application/json"
        )
        assert answer.status_code == 422, bad
        assert field in str(answer.json())
    assert Reminder.objects.count() == 1
    reminder_id = made.json()["id"]
    done = client.post(
        f"/api/v1/work/reminders/{reminder_id}/done", {}, content_type="application/json"
    )
    assert done.status_code == 200 and done.json()["done_at"]
    again = client.post(
        f"/api/v1/work/reminders/{reminder_id}/dismiss", {}, content_type="application/json"
    )
    assert again.status_code == 409
