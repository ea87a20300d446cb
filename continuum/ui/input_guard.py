"""What no request may carry, checked once for every page and endpoint before any view
reads it (``web.middleware.InputGuardMiddleware``), so that input no database can store is
refused with a clear message instead of failing on the server:

- a NUL character in text (PostgreSQL refuses it in any text column or parameter), in the
  path, a query parameter, a page's form or a JSON body;
- a whole number beyond what a database integer holds (64 bits, signed), in a JSON body;
- to the JSON API, a body that is not JSON (a form or a multipart upload, which the API
  never reads), but for the upload endpoints (``continuum.imports.uploads``), which take
  exactly one multipart form each and refuse a body larger than their file may be.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from continuum.ui.api import BODY, MAX_INTEGER, MIN_INTEGER, Loc

NUL = "\x00"
NUL_MESSAGE = "Remove the NUL character (\\u0000): text may not contain it."
TOO_LARGE_MESSAGE = f"Give a whole number from {MIN_INTEGER} to {MAX_INTEGER}."
NOT_JSON_MESSAGE = (
    "The API reads JSON only: send the request body with Content-Type: application/json."
)


def nul_in_query(query: Any) -> Iterator[tuple[Loc, str]]:
    """Where a query string or a form (a ``QueryDict``) carries a NUL, as
    ``(["query", name], msg)``."""
    for name, values in query.lists():
        if NUL in name or any(NUL in value for value in values):
            yield ("query", name.replace(NUL, "")), NUL_MESSAGE


def problems_in_json(value: Any, loc: Loc = BODY) -> Iterator[tuple[Loc, str]]:
    """Where a parsed JSON body carries text with a NUL or a number beyond 64 bits."""
    if isinstance(value, str):
        if NUL in value:
            yield loc, NUL_MESSAGE
    elif isinstance(value, bool):
        return
    elif isinstance(value, int):
        if not MIN_INTEGER <= value <= MAX_INTEGER:
            yield loc, TOO_LARGE_MESSAGE
    elif isinstance(value, dict):
        for key, item in value.items():
            if NUL in key:
                yield (*loc, key.replace(NUL, "")), NUL_MESSAGE
            else:
                yield from problems_in_json(item, (*loc, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from problems_in_json(item, (*loc, index))


def problems_in_json_body(body: bytes) -> list[tuple[Loc, str]]:
    """The problems of a JSON body; none if it is not JSON at all (the API says so)."""
    try:
        parsed = json.loads(body)
    except ValueError:
        return []
    return list(problems_in_json(parsed))


def is_json(content_type: str) -> bool:
    """``application/json``, or a JSON type such as ``application/merge-patch+json``."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )
