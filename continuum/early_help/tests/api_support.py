"""Helpers for the early help API tests: JSON calls as a signed-in user, and the fields a
422 names. (No tests here.)"""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from continuum.accounts.models import User
from continuum.early_help.models import Episode

API = "/api/v1"
Response = Any  # the test client's response, with .json()


def url(episode: Episode | str, suffix: str = "") -> str:
    pk = episode.pk if isinstance(episode, Episode) else episode
    return f"{API}/episodes/{pk}{suffix}"


class Api:
    """A test client speaking JSON, signed in as ``user`` (anonymous when None)."""

    def __init__(self, user: User | None = None) -> None:
        self.client = Client()
        if user is not None:
            self.client.force_login(user)

    def call(self, method: str, path: str, body: Any = None) -> Response:
        send = getattr(self.client, method.lower())
        if method.upper() in {"GET", "DELETE"} and body is None:
            return send(path)
        return send(path, json.dumps(body or {}, default=str), content_type="application/json")

    def get(self, path: str) -> Response:
        return self.call("GET", path)

    def post(self, path: str, body: Any = None) -> Response:
        return self.call("POST", path, body)

    def put(self, path: str, body: Any = None) -> Response:
        return self.call("PUT", path, body)

    def patch(self, path: str, body: Any = None) -> Response:
        return self.call("PATCH", path, body)

    def delete(self, path: str) -> Response:
        return self.call("DELETE", path)


def named_fields(response: Response) -> set[str]:
    """The fields a 422 names (the last name in each entry's ``loc``)."""
    assert response.status_code == 422, response.content
    names = set()
    for entry in response.json()["detail"]:
        named = [part for part in entry["loc"] if isinstance(part, str)]
        names.add(named[-1])
    return names


def ok(response: Response, status: int = 200) -> Any:
    assert response.status_code == status, response.content
    return response.json()
