"""Links from a child's chronology to the early help episode an entry came from, for
readers who may open it (``people.record_links``; issue 12, rough edge 9)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from django.urls import reverse

from continuum.access import policy
from continuum.early_help.models import Episode
from continuum.people.record_links import RecordLink, register_record_link


def _ids(values: list[str]) -> list[uuid.UUID]:
    found = []
    for value in values:
        try:
            found.append(uuid.UUID(value))
        except ValueError:
            continue
    return found


def episode_links(user: Any, ids: list[str]) -> Mapping[str, str]:
    """The episode page of each of ``ids`` the reader may open (one query)."""
    visible = policy.visible(user, Episode).filter(pk__in=_ids(ids)).values_list("pk", flat=True)
    return {str(pk): reverse("early_help:episode", args=[pk]) for pk in visible}


def register() -> None:
    register_record_link(
        RecordLink(kind="early_help.episode", text="the early help episode", links=episode_links)
    )
