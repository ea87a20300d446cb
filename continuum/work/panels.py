"""The "your reminders" panel on a contact's and an episode's page (``ui.panels``): the
user's open reminders on the record and a link to set one."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from continuum.access import policy
from continuum.ui.panels import Panel
from continuum.work import selectors
from continuum.work.models import RecordKind
from continuum.work.policies import WorkAction
from continuum.work.records import visible_record


def _panel(request: Any, kind: str, slug: str, shown: Any) -> Panel | None:
    record_id = getattr(shown, "pk", None)
    if record_id is None:
        return None
    record = visible_record(request.user, kind, record_id)
    if record is None or not policy.can(request.user, WorkAction.SET_REMINDER, record):
        return None
    return Panel(
        "work/_record_reminders.html",
        {
            "reminders": selectors.open_reminders_on(
                user=request.user, record_kind=kind, record_id=record_id
            ),
            "new_url": reverse("work:reminder-new", args=[slug, record_id]),
            "here": request.get_full_path(),
            "today": timezone.localdate(),
        },
    )


def contact_reminders(request: Any, contact: Any) -> Panel | None:
    """On the contact's page (which passes its contact)."""
    return _panel(request, RecordKind.CONTACT, "contact", contact)


def episode_reminders(request: Any, episode: Any) -> Panel | None:
    """On the episode's summary tab (which passes its episode)."""
    return _panel(request, RecordKind.EPISODE, "episode", episode)
