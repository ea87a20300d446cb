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


def _panel(request: Any, kind: str, slug: str) -> Panel | None:
    match = getattr(request, "resolver_match", None)
    record_id = match.kwargs.get("pk") if match else None
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


def contact_reminders(request: Any) -> Panel | None:
    return _panel(request, RecordKind.CONTACT, "contact")


def episode_reminders(request: Any) -> Panel | None:
    """On the episode's summary tab only (not on every tab)."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.url_name != "episode":
        return None
    return _panel(request, RecordKind.EPISODE, "episode")
