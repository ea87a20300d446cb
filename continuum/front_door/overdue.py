"""Which contacts and domestic-abuse notifications are overdue, as reads over querysets.

Both are due within one working day of receipt (Working Together): a contact's threshold
decision by ``decision_due_date``, a notification's joint triage by ``triage_due_date``,
each counted from the local date of receipt (Europe/London). Something is overdue when it
is still waiting after its due date, or when it was done after it.

The due-date functions never decrease as the date of receipt moves later, so "still
waiting and past due today" is one comparison in the database: received on or before the
latest date whose due date is before today (``latest_overdue_receipt``).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from continuum.front_door.choices import ContactStatus, NotificationStatus
from continuum.front_door.models import Contact, DomesticAbuseNotification
from continuum.timescales.working_days import (
    decision_due_date,
    latest_overdue_receipt,
    triage_due_date,
)


def start_of_local_day(day: date) -> datetime:
    """The start of ``day`` in local time (Europe/London), as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, time.min))


def local_date(moment: datetime) -> date:
    """The local date (Europe/London) of an aware ``moment``."""
    return timezone.localtime(moment).date()


def _received_by_end_of(day: date) -> Q:
    return Q(received_at__lt=start_of_local_day(day + timedelta(days=1)))


# --- notifications ---------------------------------------------------------------------------


def notification_due_date(notification: DomesticAbuseNotification) -> date:
    """When the joint triage of ``notification`` is due."""
    return triage_due_date(local_date(notification.received_at))


def notification_triaged_on(notification: DomesticAbuseNotification) -> date | None:
    triage = getattr(notification, "triage", None)
    return local_date(triage.recorded_at) if triage is not None else None


def notification_is_overdue(
    notification: DomesticAbuseNotification, today: date | None = None
) -> bool:
    """Awaiting triage past its due date, or triaged after it."""
    due = notification_due_date(notification)
    triaged_on = notification_triaged_on(notification)
    if triaged_on is not None:
        return triaged_on > due
    if notification.status == NotificationStatus.TRIAGED:
        return False
    return (today or timezone.localdate()) > due


def overdue_notifications(
    notifications: QuerySet[DomesticAbuseNotification], today: date | None = None
) -> QuerySet[DomesticAbuseNotification]:
    """The notifications in ``notifications`` that are overdue (see module docstring)."""
    today = today or timezone.localdate()
    waiting_too_long = Q(status=NotificationStatus.AWAITING_TRIAGE) & _received_by_end_of(
        latest_overdue_receipt(today, triage_due_date)
    )
    triaged_late = [
        pk
        for pk, received_at, recorded_at in notifications.filter(triage__isnull=False).values_list(
            "pk", "received_at", "triage__recorded_at"
        )
        if recorded_at is not None
        and local_date(recorded_at) > triage_due_date(local_date(received_at))
    ]
    return notifications.filter(waiting_too_long | Q(pk__in=triaged_late))


# --- contacts --------------------------------------------------------------------------------


def overdue_contacts(contacts: QuerySet[Contact], today: date | None = None) -> QuerySet[Contact]:
    """The contacts in ``contacts`` for which ``Contact.is_overdue`` is true: waiting for a
    decision past the due date, or decided after it. Drafts are never overdue."""
    today = today or timezone.localdate()
    submitted = contacts.exclude(status=ContactStatus.DRAFT)
    waiting_too_long = Q(decided_at__isnull=True) & _received_by_end_of(
        latest_overdue_receipt(today, decision_due_date)
    )
    decided_late = [
        pk
        for pk, received_at, decided_at in submitted.filter(decided_at__isnull=False).values_list(
            "pk", "received_at", "decided_at"
        )
        if decided_at is not None
        and local_date(decided_at) > decision_due_date(local_date(received_at))
    ]
    return submitted.filter(waiting_too_long | Q(pk__in=decided_late))
