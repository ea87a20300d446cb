"""Documents on a person's record (a tab) and on a contact (a panel on its page, and its
documents page); who may see and upload them; deleting one with a reason (the uploader
soon after, or a team manager), kept in its history."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import User
from continuum.audit.models import AccessLogEntry
from continuum.documents.models import Document
from continuum.documents.services import upload_document
from continuum.documents.tests import files
from continuum.early_help.models import Episode
from continuum.front_door.tests.contacts_support import submitted_contact
from continuum.organisations.models import Council
from continuum.people.models import Person
from continuum.testing import factories

pytestmark = pytest.mark.django_db


def _form(name: str = "consent.pdf", content: bytes = files.PDF) -> dict[str, Any]:
    return {"kind": "consent_form", "title": "Signed consent", "file": files.upload(name, content)}


def test_a_document_on_a_person_is_a_tab_of_their_record(
    client: Client, worker: User, child: Person
) -> None:
    client.force_login(worker)
    record = client.get(reverse("people:detail", args=[child.pk])).content.decode()
    url = reverse("documents:person", args=[child.pk])
    assert url in record  # the Documents tab
    response = client.post(url, _form())
    assert response.status_code == 303
    document = Document.objects.get()
    assert document.person == child
    before = AccessLogEntry.objects.count()
    page = client.get(url)
    assert page.status_code == 200
    assert "Signed consent" in page.content.decode()
    assert AccessLogEntry.objects.count() == before + 1  # the tab is a read of the record


def test_the_upload_form_is_a_govuk_file_upload(
    client: Client, worker: User, child: Person
) -> None:
    client.force_login(worker)
    page = client.get(reverse("documents:person", args=[child.pk])).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'class="govuk-file-upload"' in page
    assert 'accept=".pdf,.docx' in page


def test_a_contact_shows_its_documents_and_its_referrer_sees_only_their_own(
    client: Client, worker: User, teacher: User, stockton: Council, child: Person
) -> None:
    contact = submitted_contact(by=teacher, council=stockton, children=[child])
    client.force_login(teacher)
    url = reverse("documents:contact", args=[contact.pk])
    assert client.post(url, _form()).status_code == 303
    theirs = Document.objects.get()
    client.force_login(worker)
    page = client.get(reverse("front_door:contact", args=[contact.pk])).content.decode()
    assert reverse("documents:detail", args=[theirs.pk]) in page  # the panel
    ours = upload_document(
        by=worker,
        holder=contact,
        kind="letter",
        title="Outcome letter draft",
        upload=files.upload("letter.pdf", files.PDF),
    )
    client.force_login(teacher)
    page = client.get(url).content.decode()
    assert "Signed consent" in page
    assert "Outcome letter draft" not in page
    assert client.get(reverse("documents:detail", args=[ours.pk])).status_code == 404


def test_a_partner_without_involvement_cannot_see_or_upload(
    client: Client, teacher: User, child: Person, worker: User
) -> None:
    document = upload_document(
        by=worker,
        holder=child,
        kind="report",
        title="Report",
        upload=files.upload("r.pdf", files.PDF),
    )
    client.force_login(teacher)
    assert client.get(reverse("documents:person", args=[child.pk])).status_code == 404
    assert client.post(reverse("documents:person", args=[child.pk]), _form()).status_code == 404
    for name in ("documents:detail", "documents:download", "documents:delete"):
        assert client.get(reverse(name, args=[document.pk])).status_code == 404
    assert Document.objects.count() == 1


def test_a_team_member_who_only_reads_the_episode_cannot_upload(
    client: Client, worker: User, episode: Episode
) -> None:
    """A front-door worker sees the council's episodes but does not work on them."""
    client.force_login(worker)
    page = client.get(reverse("documents:episode", args=[episode.pk]))
    assert page.status_code == 200
    assert "Upload a document" not in page.content.decode()
    assert client.post(reverse("documents:episode", args=[episode.pk]), _form()).status_code == 403
    assert not Document.objects.exists()


def _document(by: User, episode: Episode) -> Document:
    return upload_document(
        by=by, holder=episode, kind="plan", title="Plan", upload=files.upload("p.pdf", files.PDF)
    )


def test_the_uploader_deletes_soon_after_with_a_reason_and_it_stays_in_history(
    client: Client, lead: User, episode: Episode
) -> None:
    document = _document(lead, episode)
    client.force_login(lead)
    url = reverse("documents:delete", args=[document.pk])
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400
    assert "Enter why the document is being deleted" in refused.content.decode()
    assert client.post(url, {"reason": "Wrong family"}).status_code == 303
    document.refresh_from_db()
    assert document.is_deleted
    assert (document.deleted_by, document.deletion_reason) == (lead, "Wrong family")
    assert document.history.count() == 2
    page = client.get(reverse("documents:episode", args=[episode.pk])).content.decode()
    assert "Deleted documents (1)" in page
    assert "Wrong family" in page
    assert client.get(reverse("documents:download", args=[document.pk])).status_code == 404
    assert "deleted" in client.get(reverse("documents:detail", args=[document.pk])).content.decode()


def test_after_an_hour_only_a_manager_may_delete(
    client: Client, lead: User, manager: User, episode: Episode
) -> None:
    document = _document(lead, episode)
    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        client.force_login(lead)
        url = reverse("documents:delete", args=[document.pk])
        assert client.post(url, {"reason": "Mine"}).status_code == 403
        client.force_login(manager)
        assert client.post(url, {"reason": "Duplicate of the signed copy"}).status_code == 303
    document.refresh_from_db()
    assert document.deleted_by == manager


def test_a_download_through_emergency_access_records_its_reason(
    client: Client, hartlepool_manager: User, child: Person, worker: User
) -> None:
    document = upload_document(
        by=worker,
        holder=child,
        kind="report",
        title="Report",
        upload=files.upload("r.pdf", files.PDF),
    )
    factories.BreakGlassGrantFactory(
        user=hartlepool_manager, person=child, reason="Child presented at A&E out of area"
    )
    client.force_login(hartlepool_manager)
    assert client.get(reverse("documents:download", args=[document.pk])).status_code == 200
    entry = AccessLogEntry.objects.get(user=hartlepool_manager)
    assert (entry.subject_id, entry.break_glass_reason) == (
        child.pk,
        "Child presented at A&E out of area",
    )


def test_a_download_of_a_contacts_document_is_a_read_of_each_childs_record(
    client: Client, worker: User, stockton: Council, child: Person
) -> None:
    sibling = cast(Person, factories.PersonFactory(council=stockton))
    contact = submitted_contact(by=worker, council=stockton, children=[child, sibling])
    document = upload_document(
        by=worker,
        holder=contact,
        kind="letter",
        title="Letter",
        upload=files.upload("l.pdf", files.PDF),
    )
    client.force_login(worker)
    before = AccessLogEntry.objects.count()
    assert client.get(reverse("documents:download", args=[document.pk])).status_code == 200
    rows = AccessLogEntry.objects.order_by("pk")[before:]
    assert sorted(str(row.subject_id) for row in rows) == sorted([str(child.pk), str(sibling.pk)])
