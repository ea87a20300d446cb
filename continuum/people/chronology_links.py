"""Where a chronology entry leads: apps above ``people`` that write entries say, for the
sources they write (``"case_notes.note:<id>"``), the page of the record it came from,
registered from their ``AppConfig.ready`` as policies are. The page itself decides who may
read it; an entry whose source has no link registered is shown without one."""

from __future__ import annotations

from collections.abc import Callable

LinkFn = Callable[[str], str | None]  # the id after the prefix -> the URL, or None

_links: dict[str, LinkFn] = {}


def register_chronology_link(prefix: str, link: LinkFn) -> None:
    """Link entries whose source is ``"<prefix>:<id>"``."""
    _links[prefix] = link


def link_for(source: str) -> str | None:
    prefix, _, identifier = source.partition(":")
    link = _links.get(prefix)
    return link(identifier) if link is not None and identifier else None
