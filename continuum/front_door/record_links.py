"""Links from a child's chronology to the front-door contact an entry came from, for
readers who may open it (``people.record_links``; issue 12, rough edge 9)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from django.urls import reverse

from continuum.access import policy
from continuum.front_door.models import Contact
from continuum.people.record_links import RecordLink, register_record_link


def _ids(values: list[str]) -> list[uuid.UUID]:
    found = []
    for value in values:
        try:
            found.append(uuid.UUID(value))
        except ValueError:
            continue
    return found


def contact_links(user: Any, ids: list[str]) -> Mapping[str, str]:
    """The contact page of each of ``ids`` the reader may open (one query)."""
    visible = policy.visible(user, Contact).filter(pk__in=_ids(ids)).values_list("pk", flat=True)
    return {str(pk): reverse("front_door:contact", args=[pk]) for pk in visible}


def register() -> None:
    register_record_link(
        RecordLink(kind="front_door.contact", text="the contact", links=contact_links)
    )
