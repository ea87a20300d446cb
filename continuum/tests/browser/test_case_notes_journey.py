"""A case note with a document in a real headless browser, with axe-core on every page
(issue 12): a lead professional at a voluntary organisation opens their episode, records a
home visit (who was there, each child seen and seen alone) on its "Case notes" tab, reads
it back, finds it in the episode's timeline, linking to the note, and uploads the signed
consent form from the visit on the same episode's Documents tab."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pytest
from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import Role, User
from continuum.case_notes.models import CaseNote
from continuum.documents.models import Document
from continuum.early_help.choices import EpisodeStatus
from continuum.early_help.models import Episode
from continuum.organisations.models import Council, Organisation, OrganisationKind
from continuum.people.choices import PersonKind
from continuum.people.models import Person
from continuum.testing import factories
from continuum.tests.browser.axe import assert_accessible
from continuum.tests.browser.signing_in import sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

    Browse = Callable[[Callable[[Page], None]], None]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)


@pytest.fixture
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


def an_episode_led_by_a_voluntary_organisation(stockton: Council) -> tuple[User, Episode]:
    trust = cast(
        Organisation,
        factories.OrganisationFactory(
            name="Stockton Family Support Trust", kind=OrganisationKind.VOLUNTARY, serves=[stockton]
        ),
    )
    lead = cast(
        User,
        factories.UserFactory(
            role=Role.EARLY_HELP_PRACTITIONER,
            organisation=trust,
            username="lead.trust",
            first_name="Lena",
            last_name="Haddow",
        ),
    )
    today = timezone.localdate()
    children = [
        cast(
            Person,
            factories.PersonFactory(
                council=stockton,
                kind=PersonKind.CHILD,
                given_name=name,
                family_name="Tarrant",
                date_of_birth=date(today.year - age, 3, 1),
            ),
        )
        for name, age in (("Maisie", 9), ("Alfie", 3))
    ]
    episode = cast(
        Episode,
        factories.EpisodeFactory(
            council=stockton,
            children=children,
            status=EpisodeStatus.ALLOCATED,
            lead_professional=lead,
            lead_professional_organisation=trust,
            allocation_reason="Knows the family from the parenting group.",
            allocated_at=timezone.now() - timedelta(days=3),
        ),
    )
    return lead, episode


def test_a_lead_professional_records_a_home_visit_sees_it_in_the_timeline_and_adds_a_document(
    browse: Browse, stockton: Council, documents_root: Path, tmp_path: Path
) -> None:
    lead, episode = an_episode_led_by_a_voluntary_organisation(stockton)
    username = lead.username
    summary = reverse("early_help:episode", args=[episode.pk])
    visited = timezone.localtime() - timedelta(hours=2)
    documents = reverse("documents:episode", args=[episode.pk])
    pdf = tmp_path / "signed-consent.pdf"
    pdf.write_bytes(PDF)

    def journey(page: Page) -> None:
        sign_in(page, username)
        page.goto(summary)
        page.get_by_role("link", name="Case notes").click()
        assert_accessible(page, "the episode's case notes, none yet")
        page.get_by_role("link", name="Add a case note").click()
        assert_accessible(page, "adding a case note")
        page.get_by_role("button", name="Save note").click()
        assert page.get_by_text("There is a problem").is_visible()
        assert_accessible(page, "adding a case note, with errors")
        page.get_by_label("Home visit").check()
        page.get_by_label("Day").fill(str(visited.day))
        page.get_by_label("Month").fill(str(visited.month))
        page.get_by_label("Year").fill(str(visited.year))
        page.get_by_label("Time").fill(visited.strftime("%H:%M"))
        page.get_by_label("Who was present (optional)").fill("Mum, Maisie and Alfie")
        seen = page.get_by_role("group", name="Which children were seen?")
        seen.get_by_label("Maisie Tarrant").check()
        seen.get_by_label("Alfie Tarrant").check()
        alone = page.get_by_role("group", name="Which children were seen alone?")
        alone.get_by_label("Maisie Tarrant").check()
        page.get_by_label("Note", exact=True).fill(
            "Maisie read to me from her school book and showed me her room. Alfie was "
            "playing with his cars; Mum says nursery mornings are going well."
        )
        page.get_by_role("button", name="Save note").click()
        page.get_by_text("The case note has been recorded.").wait_for()
        assert page.get_by_test_id("note-text").inner_text().startswith("Maisie read to me")
        assert_accessible(page, "the case note")
        page.get_by_role("link", name="All case notes").click()
        page.get_by_role("link", name="History").click()
        assert_accessible(page, "the episode's timeline with the case note")
        page.get_by_role("link", name="Case note: home visit").click()
        page.wait_for_url(lambda url: "/case-notes/" in url)
        assert page.get_by_role("heading", level=1).inner_text().startswith("Home visit")

        # The consent form signed at the visit, on the same episode.
        page.goto(summary)
        page.get_by_role("link", name="Documents", exact=True).click()
        page.wait_for_url(lambda url: url.endswith(documents))
        page.get_by_label("Signed consent form").check()
        page.get_by_label("Title").fill("Consent signed at the home visit")
        page.get_by_label("Upload a file").set_input_files(str(pdf))
        page.get_by_role("button", name="Upload the document").click()
        page.wait_for_url(lambda url: "/documents/" in url and url != documents)
        assert page.get_by_role("heading", name="Consent signed at the home visit").is_visible()
        assert_accessible(page, "the consent form uploaded after the visit")
        page.goto(documents)
        assert page.get_by_role("link", name="Consent signed at the home visit").is_visible()
        page.get_by_role("link", name="Case notes", exact=True).click()
        assert page.get_by_role("link", name="Home visit").first.is_visible()

    browse(journey)
    note = CaseNote.objects.get(episode=episode)
    assert note.author == lead
    seen = {row.child.given_name: (row.seen, row.seen_alone) for row in note.children_seen.all()}
    assert seen == {"Maisie": (True, True), "Alfie": (True, False)}
    document = Document.objects.get()
    assert document.episode_id == episode.pk and document.uploaded_by == lead
    assert (documents_root / document.stored_name).read_bytes() == PDF
