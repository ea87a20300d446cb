"""The work API under /api/v1/work: the user's work tray (the same sections and items as
their home page, every item), and their reminders: set one on a record they may see, mark
one done or dismiss it. A reminder on a record they can no longer see is 404."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from continuum.access import policy
from continuum.access.requests import user_of
from continuum.ui.api import MessageOut
from continuum.work import selectors, services
from continuum.work.models import RecordKind, Reminder
from continuum.work.policies import WorkAction
from continuum.work.records import url_of, visible_record

router = Router(tags=["work"])


class WorkItemOut(Schema):
    title: str
    url: str
    detail: str
    due: date | None
    overdue: bool
    urgent: bool
    tag: str
    reminder: uuid.UUID | None = Field(None, description="The reminder's id, for reminders.")


class WorkSectionOut(Schema):
    key: str
    heading: str
    count: int
    overdue: int
    urgent: int
    items: list[WorkItemOut] = Field(description="Every item: urgent, then overdue, first.")


class WorkOut(Schema):
    sections: list[WorkSectionOut]


class ReminderIn(Schema):
    record_kind: RecordKind = Field(description="What the reminder is on.")
    record_id: uuid.UUID
    due_on: date = Field(description="Today or later, within 5 years.")
    text: str = Field(description="Up to 500 characters.")


class ReminderOut(Schema):
    id: uuid.UUID
    record_kind: RecordKind
    record_id: uuid.UUID
    url: str
    due_on: date
    text: str
    created_at: datetime
    done_at: datetime | None
    dismissed_at: datetime | None

    @staticmethod
    def resolve_url(reminder: Reminder) -> str:
        return url_of(reminder.record_kind, reminder.record_id)


@router.get("", response=WorkOut, summary="Your work tray")
def work(request: HttpRequest) -> dict[str, object]:
    user = user_of(request)
    policy.require(user, WorkAction.VIEW)
    return {
        "sections": [
            {
                "key": s.key,
                "heading": s.heading,
                "count": s.count,
                "overdue": s.overdue,
                "urgent": s.urgent,
                "items": [
                    {
                        "title": i.title,
                        "url": i.url,
                        "detail": i.detail,
                        "due": i.due,
                        "overdue": i.overdue,
                        "urgent": i.urgent,
                        "tag": i.tag,
                        "reminder": i.reminder_id or None,
                    }
                    for i in s.items
                ],
            }
            for s in selectors.tray_for(user=user)
        ]
    }


@router.post("/reminders", response={201: ReminderOut}, summary="Set a reminder on a record")
def set_reminder(request: HttpRequest, payload: ReminderIn) -> Status[Reminder]:
    user = user_of(request)
    reminder = services.set_reminder(
        user=user,
        record_kind=payload.record_kind,
        record_id=payload.record_id,
        due_on=payload.due_on,
        text=payload.text,
    )
    return Status(201, reminder)


def _visible_reminder(request: HttpRequest, reminder_id: uuid.UUID) -> Reminder:
    user = user_of(request)
    reminder = policy.get_visible_or_404(user, Reminder, reminder_id)
    if visible_record(user, reminder.record_kind, reminder.record_id) is None:
        raise Http404
    return reminder


@router.post(
    "/reminders/{reminder_id}/done",
    response={200: ReminderOut, 409: MessageOut},
    summary="Mark a reminder done",
)
def complete_reminder(request: HttpRequest, reminder_id: uuid.UUID) -> Reminder:
    return services.complete_reminder(reminder=_visible_reminder(request, reminder_id))


@router.post(
    "/reminders/{reminder_id}/dismiss",
    response={200: ReminderOut, 409: MessageOut},
    summary="Dismiss a reminder",
)
def dismiss_reminder(request: HttpRequest, reminder_id: uuid.UUID) -> Reminder:
    return services.dismiss_reminder(reminder=_visible_reminder(request, reminder_id))
