"""The subject access bundle: made in the background with everything held about the
person (sensitive notes included), other people's details marked for the reviewer, the
release only after the identity check and a decision on every marked item, with the
redacted items replaced; the release logged with the SHA-256 of what was released; reads
only by the lead handling the open request, each one access-logged."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from continuum.accounts.models import User
from continuum.audit.models import AccessLogEntry
from continuum.errors import InvalidState, NotPermitted
from continuum.people.models import Person
from continuum.rights import services
from continuum.rights.bundle import builds
from continuum.rights.bundle.content import REDACTED
from continuum.rights.bundle.sections import SECTIONS
from continuum.rights.choices import BundleState, RedactionDecision
from continuum.rights.models import MarkedItem, RightsRequest, SubjectAccessBundle

pytestmark = pytest.mark.django_db


def _made(ig_lead: User, access_request: RightsRequest) -> SubjectAccessBundle:
    bundle = builds.request_draft(by=ig_lead, request=access_request)
    return builds.run(bundle.pk)


def _texts(data: dict[str, Any]) -> list[str]:
    return [
        field["text"]
        for section in data["sections"]
        for record in section["records"]
        for field in record["fields"]
    ]


def test_the_draft_is_made_in_the_background_with_everything_held(
    ig_lead: User,
    access_request: RightsRequest,
    records: dict[str, Any],
    family: dict[str, Person],
    worker: User,
) -> None:
    client = Client()
    client.force_login(worker)
    client.get(reverse("people:detail", args=[family["child"].pk]))
    bundle = builds.request_draft(by=ig_lead, request=access_request)
    # Asking only enqueues the task; nothing is read in the request.
    task = DBTaskResult.objects.get()
    assert task.task_path == "continuum.rights.tasks.build_bundle_task"
    assert task.args_kwargs["args"] == [bundle.pk]
    assert bundle.state == BundleState.QUEUED and bundle.content is None
    with pytest.raises(InvalidState, match="already being made"):
        builds.request_draft(by=ig_lead, request=access_request)

    done = builds.run(bundle.pk)
    assert done.state == BundleState.DONE and done.percent_done == 100
    data = done.content
    assert data is not None
    assert [s["key"] for s in data["sections"]] == [
        "person",
        "chronology",
        "contacts",
        "notifications",
        "early_help",
        "statutory",
        "attendance",
        "case_notes",
        "documents",
        "consent",
        "access_log",
    ]
    assert len(SECTIONS) == len(data["sections"])
    texts = _texts(data)
    assert "Elowen" in texts and "Quarrington" in texts
    # The sensitive case note is the person's data too.
    assert "Elowen spoke about school; the note is sensitive." in texts
    assert "Support with routines and school attendance after social care." in texts
    access = next(s for s in data["sections"] if s["key"] == "access_log")
    assert worker.organisation is not None
    assert worker.organisation.name in _texts({"sections": [access]})
    pdf = SubjectAccessBundle.objects.values_list("pdf", flat=True).get(pk=bundle.pk)
    assert pdf is not None and bytes(pdf).startswith(b"%PDF-")
    # A second delivery of the task finds nothing to do.
    assert builds.run(bundle.pk).state == BundleState.DONE


def test_other_peoples_details_are_marked_for_the_reviewer(
    ig_lead: User, access_request: RightsRequest, records: dict[str, Any]
) -> None:
    bundle = _made(ig_lead, access_request)
    marked = {(item.label, item.text, item.reason) for item in bundle.marked_items.all()}
    assert ("Child", "Tobias Quarrington", "Another person's details") in marked
    assert ("Also in the household", "Morwenna Quarrington", "Another person's details") in marked
    assert ("Referrer name", "Petroc Angarrack", "The referrer's details") in marked
    assert not any(text == "Elowen Quarrington" for _, text, _ in marked)


def test_the_release_waits_for_the_identity_check_and_every_decision(
    ig_lead: User, access_request: RightsRequest, records: dict[str, Any]
) -> None:
    with pytest.raises(InvalidState, match="identity"):
        builds.request_release(by=ig_lead, request=access_request)
    services.record_identity_check(by=ig_lead, request=access_request, method="photo_id_seen")
    access_request.refresh_from_db()
    with pytest.raises(InvalidState, match="Make the bundle"):
        builds.request_release(by=ig_lead, request=access_request)
    bundle = _made(ig_lead, access_request)
    items = list(bundle.marked_items.all())
    assert len(items) >= 3
    for item in items[1:]:
        builds.decide_item(by=ig_lead, item=item, decision=RedactionDecision.RELEASE)
    with pytest.raises(InvalidState, match="1 marked item still needs a decision"):
        builds.request_release(by=ig_lead, request=access_request)
    assert not SubjectAccessBundle.objects.filter(is_release=True).exists()


def test_the_release_replaces_what_was_redacted_and_is_logged(
    ig_lead: User, access_request: RightsRequest, records: dict[str, Any], client: Client
) -> None:
    services.record_identity_check(by=ig_lead, request=access_request, method="photo_id_seen")
    access_request.refresh_from_db()
    draft = _made(ig_lead, access_request)
    for item in draft.marked_items.all():
        decision = (
            RedactionDecision.REDACT
            if item.text == "Tobias Quarrington"
            else RedactionDecision.RELEASE
        )
        builds.decide_item(by=ig_lead, item=item, decision=decision)
    release = builds.run(builds.request_release(by=ig_lead, request=access_request).pk)
    assert release.state == BundleState.DONE and release.content is not None
    texts = _texts(release.content)
    assert "Tobias Quarrington" not in texts and REDACTED in texts
    assert "Petroc Angarrack" in texts
    assert "mark" not in json.dumps(release.content["sections"]).replace("marked", "")

    client.force_login(ig_lead)
    before = AccessLogEntry.objects.filter(subject_id=access_request.person_id).count()
    response = client.post(reverse("rights:release", args=[release.pk]))
    assert response.status_code == 303
    release.refresh_from_db()
    assert release.released_by == ig_lead and release.released_at is not None
    pdf = client.get(reverse("rights:bundle-file", args=[release.pk, "pdf"]))
    assert hashlib.sha256(pdf.content).hexdigest() == release.pdf_sha256
    data = client.get(reverse("rights:bundle-file", args=[release.pk, "json"]))
    assert data["Content-Type"] == "application/json"
    assert hashlib.sha256(data.content).hexdigest() == release.json_sha256
    # The release and each download: one access-log row each, for the person.
    after = AccessLogEntry.objects.filter(subject_id=access_request.person_id, user=ig_lead).count()
    assert after - before == 3
    with pytest.raises(InvalidState, match="already been released"):
        builds.release(by=ig_lead, bundle=release, http_request=response.wsgi_request)


def test_only_the_lead_handling_the_open_request_reads_the_bundle(
    ig_lead: User,
    make_user: Any,
    stockton: Any,
    manager: User,
    hartlepool_ig_lead: User,
    access_request: RightsRequest,
    records: dict[str, Any],
    client: Client,
) -> None:
    bundle = _made(ig_lead, access_request)
    colleague = make_user("information_governance_lead", council=stockton, username="ig2.stockton")
    urls = [
        reverse("rights:bundle", args=[bundle.pk]),
        reverse("rights:bundle-file", args=[bundle.pk, "pdf"]),
        reverse("rights:review", args=[bundle.pk]),
    ]
    client.force_login(ig_lead)
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]
    for user, expected in ((colleague, 403), (hartlepool_ig_lead, 404), (manager, 403)):
        client.force_login(user)
        assert [client.get(url).status_code for url in urls] == [expected] * 3, user
    with pytest.raises(NotPermitted):
        builds.request_draft(by=colleague, request=access_request)
    # Closing the request ends the lead's reading.
    services.close_request(
        by=ig_lead, request=access_request, state="refused", outcome="Manifestly unfounded."
    )
    client.force_login(ig_lead)
    assert [client.get(url).status_code for url in urls] == [403] * 3


def test_the_review_page_records_a_decision_per_item_and_refuses_a_bad_one(
    ig_lead: User, access_request: RightsRequest, records: dict[str, Any], client: Client
) -> None:
    bundle = _made(ig_lead, access_request)
    item = bundle.marked_items.first()
    assert item is not None
    client.force_login(ig_lead)
    page = client.get(reverse("rights:review", args=[bundle.pk]))
    assert item.text in page.content.decode()
    bad = client.post(reverse("rights:review", args=[bundle.pk]), {f"item-{item.pk}": "shred"})
    assert (
        bad.status_code == 400 and "Select whether to release or redact it" in bad.content.decode()
    )
    assert MarkedItem.objects.get(pk=item.pk).decision == ""
    good = client.post(reverse("rights:review", args=[bundle.pk]), {f"item-{item.pk}": "redact"})
    assert good.status_code == 303
    assert MarkedItem.objects.get(pk=item.pk).decision == "redact"


def test_the_progress_page_refreshes_until_the_bundle_is_ready(
    ig_lead: User, access_request: RightsRequest, records: dict[str, Any], client: Client
) -> None:
    client.force_login(ig_lead)
    asked = client.post(reverse("rights:make-draft", args=[access_request.pk]))
    assert asked.status_code == 303
    waiting = client.get(asked["Location"])
    assert waiting["Refresh"] == "3" and 'data-testid="progress"' in waiting.content.decode()
    builds.run(SubjectAccessBundle.objects.get().pk)
    ready = client.get(asked["Location"])
    assert "Refresh" not in ready and "Download the PDF" in ready.content.decode()


def test_closing_the_request_clears_the_bundles_contents_but_keeps_the_record_of_them(
    ig_lead: User, access_request: RightsRequest, records: dict[str, Any]
) -> None:
    bundle = _made(ig_lead, access_request)
    assert bundle.marked_items.exclude(text="").exists()
    services.close_request(
        by=ig_lead, request=access_request, state="completed", outcome="Bundle sent."
    )
    bundle.refresh_from_db()
    assert bundle.content is None and bundle.pdf is None
    assert bundle.pdf_sha256 and bundle.requested_by == ig_lead
    assert not bundle.marked_items.exclude(text="").exists()


def test_a_build_whose_worker_died_does_not_stop_the_bundle_being_asked_for_again(
    ig_lead: User, access_request: RightsRequest
) -> None:
    stuck = builds.request_draft(by=ig_lead, request=access_request)
    SubjectAccessBundle.objects.filter(pk=stuck.pk).update(
        requested_at=stuck.requested_at - builds.STALE_AFTER * 2
    )
    again = builds.request_draft(by=ig_lead, request=access_request)
    stuck.refresh_from_db()
    assert stuck.state == BundleState.FAILED and again.state == BundleState.QUEUED


def test_the_documents_held_are_listed_and_offered_for_download_with_the_bundle(
    ig_lead: User,
    worker: User,
    access_request: RightsRequest,
    records: dict[str, Any],
    client: Client,
    settings: Any,
    tmp_path: Any,
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from continuum.documents.services import upload_document
    from continuum.documents.tests.files import PDF

    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "continuum.documents.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": tmp_path / "documents"},
        },
    }
    document = upload_document(
        by=worker,
        holder=access_request.person,
        kind="report",
        title="School report",
        upload=SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf"),
    )
    bundle = _made(ig_lead, access_request)
    assert bundle.content is not None
    assert "School report" in _texts(bundle.content) or any(
        r["title"] == "School report" for s in bundle.content["sections"] for r in s["records"]
    )
    client.force_login(ig_lead)
    link = reverse("rights:document", args=[access_request.pk, document.pk])
    assert link in client.get(reverse("rights:review", args=[bundle.pk])).content.decode()
    before = AccessLogEntry.objects.filter(user=ig_lead).count()
    response = client.get(link)
    assert response.status_code == 200 and response.getvalue() == PDF
    assert AccessLogEntry.objects.filter(user=ig_lead).count() == before + 1
    # Not a document held about the person: not found.
    other = reverse("rights:document", args=[access_request.pk, access_request.pk])
    assert client.get(other).status_code == 404


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_makes_the_bundle_the_page_asked_for(
    ig_lead: User, access_request: RightsRequest, client: Client
) -> None:
    from django.core.management import call_command

    client.force_login(ig_lead)
    asked = client.post(reverse("rights:make-draft", args=[access_request.pk]))
    assert "Waiting to start" in client.get(asked["Location"]).content.decode()
    # The worker, as `manage.py db_worker` runs it beside the web server.
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    ready = client.get(asked["Location"])
    assert "Refresh" not in ready and "Download the JSON file" in ready.content.decode()
    bundle = SubjectAccessBundle.objects.get()
    data = client.get(reverse("rights:bundle-file", args=[bundle.pk, "json"])).json()
    assert data["person"]["name"] == access_request.person.full_name


def test_the_persons_consent_and_its_withdrawal_are_in_the_bundle_with_the_parent_marked(
    ig_lead: User, access_request: RightsRequest, eh_worker: User
) -> None:
    from continuum.consent import services as consent_services
    from continuum.consent.choices import GivenBy, ObtainedHow
    from continuum.people.choices import PersonKind
    from continuum.testing import factories

    child = access_request.person
    parent: Any = factories.PersonFactory(
        council=child.council, kind=PersonKind.ADULT, given_name="Morwenna", family_name="Tull"
    )
    consent = consent_services.record_consent(
        by=eh_worker,
        person=child,
        given_by=GivenBy.PARENT,
        given_by_person=parent,
        agrees_to_early_help=True,
        shares_with_taf=False,
        obtained_how=ObtainedHow.SIGNED_FORM,
        obtained_on=access_request.received_on,
        notes="Mum agreed at the first home visit.",
    )
    consent_services.withdraw_consent(
        by=eh_worker,
        consent=consent,
        withdrawn_on=access_request.received_on,
        told_how=ObtainedHow.PHONE,
        early_help=True,
    )
    data = _made(ig_lead, access_request).content
    assert data is not None
    section = next(s for s in data["sections"] if s["key"] == "consent")
    titles = [record["title"] for record in section["records"]]
    assert len(titles) == 2 and titles[1].startswith("Consent withdrawn")
    assert "Mum agreed at the first home visit." in _texts({"sections": [section]})
    parent_fields = [
        field
        for record in section["records"]
        for field in record["fields"]
        if field["text"] == "Morwenna Tull"
    ]
    assert parent_fields and all(field.get("mark") for field in parent_fields)
