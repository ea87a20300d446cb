"""Telling people: ``notify`` writes a notification in the app for each recipient and queues
an email to each who has an address, sent in the background (``tasks.send_email_task``).

Callers (the front door, early help) say who, what kind, a subject for the app and the link
to the record; the email says only its kind's sentence and the link, never a name.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from continuum.accounts.models import User
from continuum.notifications.models import (
    EMAIL_SENTENCES,
    Email,
    Notification,
    NotificationKind,
)


def absolute_link(link: str) -> str:
    return settings.CONTINUUM_BASE_URL.rstrip("/") + "/" + link.lstrip("/")


@transaction.atomic
def notify(
    *,
    recipients: Iterable[User | None],
    kind: str,
    subject: str,
    link: str,
    urgent: bool = False,
    exclude: User | None = None,
) -> list[Notification]:
    """Notify each active recipient once (``exclude``, the user who did it, is not told)."""
    errors: dict[str, list[str]] = {}
    if kind not in NotificationKind.values:
        errors["kind"] = [f"There is no kind of notification called {kind!r}."]
    if not subject.strip():
        errors["subject"] = ["Give the notification a subject."]
    if not link.startswith("/") or link.startswith("//"):
        errors["link"] = ["A notification links to a page of Continuum (a path)."]
    if errors:
        raise ValidationError(errors)
    from continuum.notifications.tasks import send_email_task

    seen: set[int] = set()
    made = []
    for user in recipients:
        if user is None or not user.is_active or user.pk in seen:
            continue
        if exclude is not None and user.pk == exclude.pk:
            continue
        seen.add(user.pk)
        notification = Notification.objects.create(
            recipient=user, kind=kind, subject=subject.strip()[:200], link=link, urgent=urgent
        )
        made.append(notification)
        if user.email:
            email = Email.objects.create(
                notification=notification,
                recipient=user,
                to_address=user.email,
                kind=kind,
                sentence=EMAIL_SENTENCES[kind],
                link=absolute_link(link),
            )
            # Written in this transaction (the database backend): the task exists exactly
            # when the email does.
            send_email_task.enqueue(str(email.pk))
    return made


def mark_read(*, notification: Notification, by: User) -> Notification:
    """Mark the user's own notification read (reading it twice changes nothing)."""
    if notification.recipient_id != by.pk:
        raise ValidationError({"notification": ["This is not your notification."]})
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
