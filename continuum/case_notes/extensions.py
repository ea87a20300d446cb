"""What case notes add to other apps' pages, through their registries (registered from
``CaseNotesConfig.ready``): a "Case notes" tab on an episode and its notes in the episode's
timeline (``early_help.extensions``), a panel on the front-door contact page
(``ui.panels``), and the link from a child's chronology entry to the note
(``people.record_links``, for readers who may open it). A sensitive note a reader may not
read shows only that it exists: its date, type and the author's organisation."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.text import Truncator

from continuum.access import policy
from continuum.case_notes import selectors
from continuum.case_notes.policies import CaseNoteAction, contacts_noted_by
from continuum.early_help.extensions import (
    EpisodeTab,
    TimelineEntry,
    register_episode_tab,
    register_timeline_source,
)
from continuum.people.record_links import RecordLink, register_record_link
from continuum.ui.panels import Panel, register_panel

WITHHELD = (
    "A sensitive note: only the lead professional's organisation and the council's staff read it."
)


def episode_timeline(user: Any, episode: Any) -> list[TimelineEntry]:
    entries = []
    for shown in selectors.shown_notes(user, selectors.notes_on(user=user, episode=episode)):
        note = shown.note
        entries.append(
            TimelineEntry(
                at=note.occurred_at,
                what="Case note",
                kind=note.get_note_type_display(),
                who=note.author if shown.readable else note.author_organisation,
                href=reverse("case_notes:note", args=[note.pk]),
                summary=Truncator(note.text).words(30) if shown.readable else WITHHELD,
            )
        )
    return entries


def contact_panel(request: Any, contact: Any) -> Panel | None:
    """The contact page's case notes, for the staff of its council who see it."""
    pk = getattr(contact, "pk", None)
    user = request.user
    found = contacts_noted_by(user).filter(pk=pk).first() if pk else None
    if found is None:
        return None
    return Panel(
        template="case_notes/contact_panel.html",
        context={
            "contact": found,
            "count": policy.visible(user, "case_notes.CaseNote").filter(contact=found).count(),
            "can_write": policy.can(user, CaseNoteAction.WRITE, found),
        },
    )


def register() -> None:
    register_episode_tab(
        EpisodeTab(
            key="notes",
            text="Case notes",
            url_name="case_notes:episode-notes",
            shown=lambda user, episode: True,
        )
    )
    register_timeline_source(episode_timeline)
    register_panel("front_door.contact", contact_panel)
    register_record_link(
        RecordLink(
            kind="case_notes.note",
            text="the case note",
            model="case_notes.CaseNote",
            url_name="case_notes:note",
        )
    )
