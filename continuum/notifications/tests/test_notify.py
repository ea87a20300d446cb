"""Notifications: ``notify`` writes one in the app for each recipient and queues an email
that names no one; the worker sends it to the local outbox (no Notify key, as in the demo
and the tests) or through GOV.UK Notify's client, here to a local server that speaks
Notify's API; the pages and the API show each user their own, and nobody else's."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any as SettingsWrapper

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from continuum.accounts.models import Role, User
from continuum.notifications import services
from continuum.notifications.models import (
    EMAIL_SENTENCES,
    Email,
    EmailChannel,
    EmailState,
    Notification,
    NotificationKind,
)
from continuum.notifications.sending import send_email
from continuum.notifications.tests.fake_notify import (
    API_KEY,
    REFUSED_ADDRESS,
    SERVICE_ID,
    FakeNotify,
)

LINK = "/front-door/contacts/00000000-0000-0000-0000-000000000001/"


def tell(*users: User | None, **overrides: object) -> list[Notification]:
    arguments: dict[str, object] = {
        "recipients": list(users),
        "kind": NotificationKind.OUTCOME,
        "subject": "The front door has decided your contact: see the outcome",
        "link": LINK,
    }
    arguments.update(overrides)
    return services.notify(**arguments)  # type: ignore[arg-type]


# --- the service -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_notify_writes_one_unread_notification_each_and_queues_an_email_naming_no_one(
    teacher: User, worker: User, settings: SettingsWrapper
) -> None:
    settings.CONTINUUM_BASE_URL = "https://continuum.example.gov.uk"
    made = tell(teacher, teacher, worker, None)
    assert [n.recipient for n in made] == [teacher, worker]
    assert all(not n.is_read for n in made)
    email = Email.objects.get(recipient=teacher)
    assert email.state == EmailState.QUEUED and email.to_address == teacher.email
    assert email.sentence == EMAIL_SENTENCES[NotificationKind.OUTCOME]
    assert email.link == "https://continuum.example.gov.uk" + LINK
    assert DBTaskResult.objects.count() == 2


@pytest.mark.django_db
def test_whoever_did_it_inactive_users_and_users_without_an_address_get_no_email(
    teacher: User, worker: User, manager: User
) -> None:
    manager.is_active = False
    manager.save()
    worker.email = ""
    worker.save()
    made = tell(teacher, worker, manager, exclude=teacher)
    assert [n.recipient for n in made] == [worker]
    assert not Email.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "gossip"}, "kind"),
        ({"subject": "  "}, "subject"),
        ({"link": "https://elsewhere.example.com/"}, "link"),
        ({"link": "//elsewhere.example.com/"}, "link"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(
    teacher: User, overrides: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        tell(teacher, **overrides)
    assert field in refused.value.message_dict
    assert not Notification.objects.exists() and not Email.objects.exists()


# --- sending ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_sends_the_email_to_the_outbox_when_notify_is_not_set_up(
    teacher: User, settings: SettingsWrapper
) -> None:
    settings.GOVUK_NOTIFY_API_KEY = ""
    tell(teacher)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    email = Email.objects.get()
    assert (email.state, email.channel) == (EmailState.SENT, EmailChannel.OUTBOX)
    assert email.sent_at is not None


@pytest.fixture
def fake_notify(settings: SettingsWrapper, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeNotify]:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    fake = FakeNotify().start()
    settings.CONTINUUM_DEMO = False
    settings.GOVUK_NOTIFY_API_KEY = API_KEY
    settings.GOVUK_NOTIFY_BASE_URL = fake.base_url
    settings.GOVUK_NOTIFY_TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
    settings.GOVUK_NOTIFY_TEMPLATES = {"taf_invitation": "0b8f1c3e-7a3f-4c3e-9d6a-2f1e1c1d1b1a"}
    yield fake
    fake.stop()


@pytest.mark.django_db
def test_an_email_goes_through_notifys_client_with_only_the_sentence_and_the_link(
    teacher: User, fake_notify: FakeNotify, settings: SettingsWrapper
) -> None:
    settings.CONTINUUM_BASE_URL = "https://continuum.example.gov.uk"
    tell(teacher)
    email = send_email(email_id=Email.objects.get().pk)
    assert (email.state, email.channel) == (EmailState.SENT, EmailChannel.NOTIFY)
    assert email.provider_id
    [body] = fake_notify.received
    assert body == {
        "email_address": teacher.email,
        "template_id": "f33517ff-2a88-4f6e-b855-c550268ce08a",
        "personalisation": {
            "sentence": EMAIL_SENTENCES[NotificationKind.OUTCOME],
            "link": "https://continuum.example.gov.uk" + LINK,
        },
        "reference": str(email.pk),
    }
    [claims] = fake_notify.tokens
    assert claims["iss"] == SERVICE_ID
    # Sending again does nothing: the email has gone.
    send_email(email_id=email.pk)
    assert len(fake_notify.received) == 1


@pytest.mark.django_db
def test_a_kind_may_have_its_own_notify_template(teacher: User, fake_notify: FakeNotify) -> None:
    tell(teacher, kind=NotificationKind.TAF_INVITATION, subject="You have been added to a TAF")
    send_email(email_id=Email.objects.get().pk)
    assert fake_notify.received[0]["template_id"] == "0b8f1c3e-7a3f-4c3e-9d6a-2f1e1c1d1b1a"


@pytest.mark.django_db
def test_an_email_notify_refuses_is_recorded_as_failed_with_notifys_reason(
    make_user: object, fake_notify: FakeNotify
) -> None:
    user = make_user(Role.PARTNER_PRACTITIONER, email=REFUSED_ADDRESS)  # type: ignore[operator]
    tell(user)
    email = send_email(email_id=Email.objects.get().pk)
    assert email.state == EmailState.FAILED
    assert "Can't send to this recipient" in email.error
    assert Notification.objects.get().recipient == user  # the app still tells them


@pytest.mark.django_db
def test_demo_mode_never_sends_through_notify(
    teacher: User, fake_notify: FakeNotify, settings: SettingsWrapper
) -> None:
    settings.CONTINUUM_DEMO = True
    tell(teacher)
    email = send_email(email_id=Email.objects.get().pk)
    assert email.channel == EmailChannel.OUTBOX and not fake_notify.received


# --- the pages and the API -------------------------------------------------------------------


@pytest.mark.django_db
def test_the_list_shows_the_users_own_unread_first_and_marks_them_read(
    client: Client, teacher: User, worker: User
) -> None:
    [old] = tell(teacher, subject="An older notification")
    [new] = tell(teacher, subject="A newer notification")
    tell(worker, subject="Someone else's notification")
    services.mark_read(notification=new, by=teacher)
    client.force_login(teacher)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Someone else" not in page
    assert page.index("An older notification") < page.index("A newer notification")
    assert "Notifications (1)" in page  # the count in the navigation
    response = client.post(reverse("notifications:read", args=[old.pk]), {"open": "1"})
    assert response.status_code == 302 and response["Location"] == LINK
    old.refresh_from_db()
    assert old.is_read
    assert "Notifications (" not in client.get(reverse("notifications:list")).content.decode()


@pytest.mark.django_db
def test_nobody_marks_or_sees_anothers_notification(
    client: Client, teacher: User, worker: User
) -> None:
    [theirs] = tell(worker)
    client.force_login(teacher)
    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    assert (
        client.post(f"/api/v1/notifications/{theirs.pk}/read", {}, "application/json").status_code
        == 404
    )
    assert (
        client.post("/api/v1/notifications/not-an-id/read", {}, "application/json").status_code
        == 422
    )
    assert client.get("/api/v1/notifications").json() == {"items": [], "count": 0}
    theirs.refresh_from_db()
    assert not theirs.is_read


@pytest.mark.django_db
def test_mark_all_read(client: Client, teacher: User) -> None:
    tell(teacher)
    tell(teacher)
    client.force_login(teacher)
    assert client.post(reverse("notifications:read-all")).status_code == 302
    assert not Notification.objects.filter(read_at__isnull=True).exists()


@pytest.mark.django_db
def test_the_api_lists_and_marks_the_users_notifications(client: Client, teacher: User) -> None:
    [first] = tell(teacher, urgent=True)
    client.force_login(teacher)
    listed = client.get("/api/v1/notifications").json()
    assert listed["count"] == 1
    assert listed["items"][0]["id"] == str(first.pk) and listed["items"][0]["urgent"] is True
    assert listed["items"][0]["link"] == LINK and listed["items"][0]["read_at"] is None
    answer = client.post(f"/api/v1/notifications/{first.pk}/read", {}, "application/json")
    assert answer.status_code == 200 and answer.json()["read_at"]
    assert client.get("/api/v1/notifications?unread=true").json()["count"] == 0
    assert client.get("/api/v1/notifications?limit=0").status_code == 422


@pytest.mark.django_db
def test_the_outbox_shows_each_user_their_own_emails_and_the_administrator_all(
    client: Client, teacher: User, worker: User, make_user: object, settings: SettingsWrapper
) -> None:
    settings.GOVUK_NOTIFY_API_KEY = ""
    tell(teacher)
    tell(worker)
    admin = make_user(Role.SYSTEM_ADMINISTRATOR, email="admin@example.org")  # type: ignore[operator]
    client.force_login(teacher)
    page = client.get(reverse("notifications:outbox")).content.decode()
    assert teacher.email in page and worker.email not in page
    client.force_login(admin)
    page = client.get(reverse("notifications:outbox")).content.decode()
    assert teacher.email in page and worker.email in page


@pytest.mark.django_db
def test_there_is_no_outbox_when_emails_go_through_notify(
    client: Client, teacher: User, settings: SettingsWrapper
) -> None:
    settings.GOVUK_NOTIFY_API_KEY = API_KEY
    settings.CONTINUUM_DEMO = False
    client.force_login(teacher)
    assert client.get(reverse("notifications:outbox")).status_code == 403
