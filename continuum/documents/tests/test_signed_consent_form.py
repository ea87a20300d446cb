"""The signed form of a consent record (issue 13): uploaded from the record's page as a
consent form document on the person, linked to the record and shown on its page (a panel
documents adds, ``ui.panels`` "consent.record"); refused uploads keep nothing."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import User
from continuum.audit.models import AccessLogEntry
from continuum.consent import services as consent_services
from continuum.consent.choices import GivenBy, InformationKind, ObtainedHow
from continuum.consent.models import ConsentRecord
from continuum.documents.choices import DocumentKind
from continuum.documents.models import Document
from continuum.documents.tests import files
from continuum.people.choices import PersonKind
from continuum.people.models import Person
from continuum.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def consent(eh_worker: User, child: Person) -> ConsentRecord:
    mother = cast(Person, factories.PersonFactory(council=child.council, kind=PersonKind.ADULT))
    return consent_services.record_consent(
        by=eh_worker,
        person=child,
        given_by=GivenBy.PARENT,
        given_by_person=mother,
        agrees_to_early_help=True,
        shares_with_taf=True,
        information_kinds=[InformationKind.FAMILY],
        obtained_how=ObtainedHow.SIGNED_FORM,
        obtained_on=timezone.localdate(),
    )


def test_the_signed_form_is_uploaded_linked_and_shown_on_the_consent_record(
    client: Client, eh_worker: User, consent: ConsentRecord
) -> None:
    client.force_login(eh_worker)
    detail_url = reverse("consent:detail", args=[consent.pk])
    page = client.get(detail_url).content.decode()
    assert "No signed form has been uploaded." in page
    upload_url = reverse("documents:consent", args=[consent.pk])
    assert upload_url in page
    response = client.post(
        upload_url, {"title": "Signed consent form", "file": files.upload("form.pdf", files.PDF)}
    )
    assert response.status_code == 303
    assert response["Location"] == detail_url
    document = Document.objects.get()
    assert document.kind == DocumentKind.CONSENT_FORM
    assert document.person == consent.person
    assert document.consent_record == consent
    before = AccessLogEntry.objects.count()
    page = client.get(detail_url).content.decode()
    assert reverse("documents:detail", args=[document.pk]) in page
    assert AccessLogEntry.objects.count() == before + 1  # one row: the panel adds none
    # It is also among the person's documents.
    on_person = client.get(reverse("documents:person", args=[consent.person_id]))
    assert reverse("documents:detail", args=[document.pk]) in on_person.content.decode()


def test_a_refused_upload_keeps_nothing_and_says_why(
    client: Client, eh_worker: User, consent: ConsentRecord, documents_root: Path
) -> None:
    client.force_login(eh_worker)
    response = client.post(
        reverse("documents:consent", args=[consent.pk]),
        {"title": "", "file": files.upload("form.pdf", files.EXECUTABLE)},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'href="#id_title"' in page
    assert not Document.objects.exists()
    assert not documents_root.exists() or not any(documents_root.rglob("*"))


def test_those_who_do_not_work_with_the_person_may_not_upload_it(
    client: Client, eh_worker: User, hartlepool_manager: User, consent: ConsentRecord
) -> None:
    client.force_login(hartlepool_manager)
    url = reverse("documents:consent", args=[consent.pk])
    assert client.get(url).status_code == 404
    response = client.post(url, {"title": "Form", "file": files.upload("form.pdf", files.PDF)})
    assert response.status_code == 404
    assert not Document.objects.exists()
