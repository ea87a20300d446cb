"""Every URL pattern the project defines, and a concrete URL for each.

Walks Django's resolver recursively through includes (the pages, the django-ninja API and
the Django admin). Used by the route sweep, and by the permission matrix to find every page
and API endpoint of a person's record.
"""

from __future__ import annotations

import functools
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import (
    IntConverter,
    PathConverter,
    SlugConverter,
    StringConverter,
    UUIDConverter,
)
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern

Pattern = RoutePattern | RegexPattern | LocalePrefixPattern


@dataclass(frozen=True)
class Route:
    """One URL pattern, with the chain of patterns from the root that leads to it."""

    patterns: tuple[Pattern, ...]
    name: str | None

    @property
    def route(self) -> str:
        """The route as Django's ResolverMatch.route spells it."""
        joined = ""
        for pattern in self.patterns:
            part = str(pattern)
            joined += part[1:] if joined and part.startswith("^") else part
        return joined

    def url(self, uuid_value: uuid.UUID) -> str:
        return "/" + "".join(_fill(pattern, uuid_value) for pattern in self.patterns)

    @property
    def parameters(self) -> dict[str, object]:
        """The converters of the route's parameters, by name (none for regex patterns)."""
        found: dict[str, object] = {}
        for pattern in self.patterns:
            found.update(getattr(pattern, "converters", {}))
        return found

    @property
    def takes_uuid(self) -> bool:
        return any(isinstance(conv, UUIDConverter) for conv in self.parameters.values())


def _walk(
    entries: list[URLPattern | URLResolver],
    chain: tuple[Pattern, ...] = (),
    namespace: str = "",
) -> Iterator[Route]:
    for entry in entries:
        here = (*chain, entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}{entry.namespace}:"
            yield from _walk(entry.url_patterns, here, inner)
        else:
            yield Route(here, f"{namespace}{entry.name}" if entry.name else None)


def all_routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns))


def url_name_exists(name: str) -> bool:
    return any(route.name == name for route in all_routes())


# Tabs of a person's record that other apps add and that whoever may see the person opens
# (the user's own reminders on the record, issue 12).
OTHER_PERSON_PAGES = frozenset({"work:person-reminders", "consent:person"})


@functools.cache
def person_page_names() -> list[str]:
    """Every page of a person's record (people:detail and its tabs), found in the URLconf."""
    return sorted(
        route.name
        for route in all_routes()
        if route.name
        and (route.name.startswith("people:") or route.name in OTHER_PERSON_PAGES)
        and route.name != "people:edit"
        and list(route.parameters) == ["pk"]
    )


@functools.cache
def person_api_routes() -> list[tuple[str, str]]:
    """Every API endpoint of one person's record: (URL name, parameter)."""
    found = []
    for route in all_routes():
        if route.name and route.route.startswith("api/v1/people/"):
            parameters = list(route.parameters)
            if parameters == ["person_id"]:
                found.append((route.name, parameters[0]))
    return sorted(found)


# --- building a concrete URL -----------------------------------------------------------

_PLAIN_SAMPLES: dict[type, str] = {
    IntConverter: "1",
    StringConverter: "x",
    SlugConverter: "x",
    PathConverter: "x",
}
# Tried in order for converters and regex groups nobody has told us about.
_CANDIDATES = ("1", "x", "2026-01-05", "X1", str(uuid.UUID(int=1)))
_ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>(?:[^()]|\([^()]*\))*)\)")
_ALTERNATIVES = re.compile(r"^[\w-]+(\|[\w-]+)*$")


def _sample_for(converter: object, uuid_value: uuid.UUID) -> str:
    if isinstance(converter, UUIDConverter):
        return str(uuid_value)
    for kind, sample in _PLAIN_SAMPLES.items():
        if type(converter) is kind:
            return sample
    regex = str(getattr(converter, "regex", ".+"))
    for candidate in _CANDIDATES:
        if re.fullmatch(regex, candidate):
            return candidate
    raise AssertionError(f"No sample value for converter {converter!r}; add one to the sweep.")


def _sample_for_regex(body: str) -> str:
    if _ALTERNATIVES.match(body):  # e.g. the admin's (?P<app_label>auth|people|...)
        return body.split("|")[0]
    for candidate in _CANDIDATES:
        if re.fullmatch(body, candidate):
            return candidate
    raise AssertionError(f"No sample value for regex group {body!r}; add one to the sweep.")


def _fill(pattern: Pattern, uuid_value: uuid.UUID) -> str:
    text = str(pattern)
    if isinstance(pattern, LocalePrefixPattern):
        return pattern.language_prefix
    if isinstance(pattern, RoutePattern):
        converters = pattern.converters
        return _ROUTE_PARAMETER.sub(
            lambda m: _sample_for(converters[m["parameter"]], uuid_value), text
        )
    text = text.removeprefix("^").removesuffix("$").removesuffix(r"\Z")
    text = _REGEX_GROUP.sub(lambda m: _sample_for_regex(m["body"]), text)
    return text.replace("\\", "")
