"""Links from a chronology entry to the record it came from (a front-door contact, an early
help episode), which apps above ``people`` register from their ``AppConfig.ready``, so
``people`` imports none of them (issue 12, rough edge 9).

An entry names its record in ``ChronologyEvent.source`` as ``"<kind>:<id>"``
(``"front_door.contact:<uuid>"``, ``"early_help.episode:<uuid>"``). For a kind, the app
registers a function that takes the reader and the ids in the entries shown and answers the
address of each record the reader may open, asking the access policy once for all of them
(one query a kind, whatever the length of the chronology). An entry whose record the
reader may not open has no link.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# (reader, ids) -> {id: the address of the record's page}, only for records they may open.
Linker = Callable[[Any, list[str]], Mapping[str, str]]


@dataclass(frozen=True)
class RecordLink:
    kind: str  # the source's prefix, e.g. "front_door.contact"
    text: str  # what the link says, e.g. "the contact"
    links: Linker


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
        for record_id, address in link.links(user, sorted(ids)).items():
            found[f"{kind}:{record_id}"] = (address, link.text)
    return found
