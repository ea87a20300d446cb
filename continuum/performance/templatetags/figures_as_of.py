"""``{% figures_as_of_note %}``: on every performance page, when the maintained figures
were last brought up to date ("Figures as of 10:42"), and whether changes since are still
being added (issue 16, ``engine.facts``). Asking also queues the refresh when something
is waiting (``facts.request_refresh``: at most one queued)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from continuum.performance.engine import facts
from continuum.ui.dates import govuk_datetime, govuk_time

register = template.Library()


@register.inclusion_tag("performance/_figures_as_of.html")
def figures_as_of_note() -> dict[str, Any]:
    facts.request_refresh()
    as_of = facts.figures_as_of()
    if as_of is None:
        return {"as_of": None}
    today = timezone.localtime(as_of).date() == timezone.localdate()
    return {
        "as_of": govuk_time(as_of) if today else govuk_datetime(as_of),
        "waiting": facts.changes_waiting(),
    }
