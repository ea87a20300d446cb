"""Helpers for the front door's API tests: posting JSON, the fields a 422 names, and the
rows a refused request to the contacts API must leave as they were."""

from __future__ import annotations

from typing import Any

from django.test import Client

from continuum.front_door.models import Contact, ContactDecision, ContactStatusChange
from continuum.people.models import Person


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


def fields_named(response: Any) -> set[str]:
    """The fields a 422 names: the last text part of each ``loc``."""
    assert response.status_code == 422, response.content
    return {
        next(str(p) for p in reversed(error["loc"]) if not isinstance(p, int))
        for error in response.json()["detail"]
    }


def contact_rows() -> tuple[int, int, int, int]:
    """How many contacts, people, decisions and status changes there are."""
    return (
        Contact.objects.count(),
        Person.objects.count(),
        ContactDecision.objects.count(),
        ContactStatusChange.objects.count(),
    )
