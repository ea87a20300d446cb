"""Records of Stockton at different points of their retention: a contact ending in no
further action decided seven years ago (due under the default six years) with a case note
and a document, one decided a year ago (not due), one ending in advice seven years ago
(not a kind the schedule disposes of), an episode closed whose youngest child is 26 (due)
and one whose youngest child is 20 (not due), a domestic-abuse notification received seven
years ago (due) and one last month (not due)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, cast

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from continuum.accounts.models import User
from continuum.case_notes.models import CaseNote
from continuum.documents.models import Document
from continuum.documents.storage import documents_storage
from continuum.early_help.choices import EpisodeStatus
from continuum.early_help.models import Episode
from continuum.front_door.choices import Outcome
from continuum.front_door.models import Contact, ContactDecision, DomesticAbuseNotification
from continuum.organisations.models import Council
from continuum.people.models import Person
from continuum.retention.services import ensure_schedule
from continuum.testing import factories


@pytest.fixture(autouse=True)
def documents_root(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "documents"
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "continuum.documents.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": root},
        },
    }
    return root


def years_ago(years: int) -> date:
    today = timezone.localdate()
    return today.replace(year=today.year - years, day=min(today.day, 28))


def decided(contact: Contact, outcome: str, on: date, by: User) -> Contact:
    at = timezone.make_aware(datetime(on.year, on.month, on.day, 10))
    Contact.objects.filter(pk=contact.pk).update(received_at=at - timedelta(days=1), decided_at=at)
    ContactDecision.objects.create(
        contact=contact,
        level=1,
        outcome=outcome,
        rationale="Needs met by universal services.",
        decided_by=by,
        decided_at=at,
    )
    return contact


def closed_episode(council: Council, youngest_born: date) -> Episode:
    child = factories.PersonFactory(council=council, date_of_birth=youngest_born)
    episode = cast(Episode, factories.EpisodeFactory(council=council, children=[child]))
    Episode.objects.filter(pk=episode.pk).update(
        status=EpisodeStatus.CLOSED,
        start_date=youngest_born + timedelta(days=3000),
        end_date=youngest_born + timedelta(days=3300),
    )
    return episode


def note_on(
    *, by: User, contact: Contact | None = None, episode: Episode | None = None
) -> CaseNote:
    return CaseNote.objects.create(
        contact=contact,
        episode=episode,
        note_type="phone_call",
        occurred_at=timezone.now() - timedelta(days=1),
        text="Spoke to mum about school.",
        author=by,
        author_organisation=by.organisation,
    )


def document_on(*, by: User, **holder: Any) -> Document:
    name = documents_storage().save("test-file", ContentFile(b"%PDF-1.4 test"))
    return cast(Document, factories.DocumentFactory(uploaded_by=by, stored_name=name, **holder))


@dataclass
class Records:
    nfa_due: Contact
    nfa_recent: Contact
    advice_old: Contact
    episode_due: Episode
    episode_recent: Episode
    notification_due: DomesticAbuseNotification
    notification_recent: DomesticAbuseNotification
    note_due: CaseNote
    note_recent: CaseNote
    document_due: Document
    episode_note: CaseNote
    episode_document: Document


@pytest.fixture
def records(stockton: Council, manager: User) -> Records:
    ensure_schedule(stockton)
    nfa_due = decided(
        cast(Contact, factories.ContactFactory(council=stockton)),
        Outcome.NO_FURTHER_ACTION,
        years_ago(7),
        manager,
    )
    nfa_recent = decided(
        cast(Contact, factories.ContactFactory(council=stockton)),
        Outcome.NO_FURTHER_ACTION,
        years_ago(1),
        manager,
    )
    advice_old = decided(
        cast(Contact, factories.ContactFactory(council=stockton)),
        Outcome.INFORMATION_AND_ADVICE,
        years_ago(7),
        manager,
    )
    episode_due = closed_episode(stockton, years_ago(26))
    episode_recent = closed_episode(stockton, years_ago(20))
    old = timezone.now() - timedelta(days=7 * 366)
    notification_due = cast(
        DomesticAbuseNotification,
        factories.NotificationFactory(council=stockton, received_at=old, incident_at=old),
    )
    notification_recent = cast(
        DomesticAbuseNotification, factories.NotificationFactory(council=stockton)
    )
    return Records(
        nfa_due=nfa_due,
        nfa_recent=nfa_recent,
        advice_old=advice_old,
        episode_due=episode_due,
        episode_recent=episode_recent,
        notification_due=notification_due,
        notification_recent=notification_recent,
        note_due=note_on(by=manager, contact=nfa_due),
        note_recent=note_on(by=manager, contact=nfa_recent),
        document_due=document_on(by=manager, contact=nfa_due),
        episode_note=note_on(by=manager, episode=episode_due),
        episode_document=document_on(by=manager, episode=episode_due),
    )


def people_of(contact: Contact) -> list[Person]:
    return list(contact.children.all())
