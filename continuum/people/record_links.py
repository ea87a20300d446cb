"""Links from a chronology entry to the record it came from (a front-door contact, an early
help episode), which apps above ``people`` register from their ``AppConfig.ready``, so
``people`` imports none of them (issue 12, rough edge 9).

An entry names its record in ``ChronologyEvent.source`` as ``"<kind>:<id>"``
(``"front_door.contact:<uuid>"``, ``"early_help.episode:<uuid>"``). For a kind, the app
registers the model (by label) and the URL name of the record's page (taking its id); the
page of each record in the entries shown that the reader may open is found by asking the
access policy once for all of them (one query a kind, whatever the length of the
chronology). An entry whose record the reader may not open has no link.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from continuum.access import policy


@dataclass(frozen=True)
class RecordLink:
    kind: str  # the source's prefix, e.g. "front_door.contact"
    text: str  # what the link says, e.g. "the contact"
    model: str  # the record's model by label, e.g. "front_door.Contact"
    url_name: str  # its page, taking the record's id, e.g. "front_door:contact"


_kinds: dict[str, RecordLink] = {}


def register_record_link(link: RecordLink) -> None:
    _kinds[link.kind] = link


def split_source(source: str) -> tuple[str, str] | None:
    kind, sep, record_id = source.partition(":")
    return (kind, record_id) if sep and record_id else None


def links_for(user: Any, sources: Iterable[str]) -> dict[str, tuple[str, str]]:
    """For each source the reader may open: (the address, what the link says)."""
    wanted: dict[str, list[str]] = defaultdict(list)
    for source in set(sources):
        parts = split_source(source)
        if parts is not None and parts[0] in _kinds:
            wanted[parts[0]].append(parts[1])
    found: dict[str, tuple[str, str]] = {}
    for kind, ids in wanted.items():
        link = _kinds[kind]
        visible = (
            policy.visible(user, link.model).filter(pk__in=_uuids(ids)).values_list("pk", flat=True)
        )
        for pk in visible:
            found[f"{kind}:{pk}"] = (reverse(link.url_name, args=[pk]), link.text)
    return found


def _uuids(values: Iterable[str]) -> list[uuid.UUID]:
    """The ids that are UUIDs (a source naming anything else links nowhere)."""
    found = []
    for value in values:
        try:
            found.append(uuid.UUID(value))
        except ValueError:
            continue
    return found
