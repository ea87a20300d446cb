"""Requests that used to fail on the server (issue 10, finding 14), found by fuzzing and by
hand: a form-encoded or multipart body sent to the JSON API, numbers beyond what a database
integer holds, and a NUL character in text. Each now answers 4xx with a clear message, and
nothing is saved.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from continuum.accounts.models import User
from continuum.documents.models import Document
from continuum.front_door.models import Contact, TriageMeeting
from continuum.front_door.tests.contacts_support import in_screening, indicator, submitted_contact
from continuum.organisations.models import Council
from continuum.people.models import Person

pytestmark = pytest.mark.django_db

BEYOND_64_BITS = ("9223372036854775808", "99999999999999999999999")


@pytest.fixture
def browser(worker: User) -> Client:
    """A signed-in browser as a real one is: CSRF checked, and a server error answered as
    one (not raised into the test)."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(worker)
    client.get("/")
    return client


def token(client: Client) -> str:
    return str(client.cookies["csrftoken"].value)


@pytest.fixture
def contact(worker: User, stockton: Council, child: Person) -> Contact:
    return in_screening(
        submitted_contact(
            by=worker, council=stockton, children=[child], indicator_codes=(indicator(2).code,)
        ),
        by=worker,
    )


# --- bodies the JSON API does not read --------------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("multipart/form-data", b"held_at=2026-01-01"),
        ("multipart/form-data; boundary=xyz", b'{"held_at": "2026-01-01T10:00"}'),
        (
            "multipart/form-data; boundary=xyz",
            b'--xyz\r\nContent-Disposition: form-data; name="held_at"\r\n\r\n1\r\n--xyz--\r\n',
        ),
        ("application/x-www-form-urlencoded", b"held_at=2026-01-01"),
        ("text/plain", b'{"held_at": "2026-01-01T10:00"}'),
    ],
)
def test_a_body_that_is_not_json_is_refused_with_415_and_saves_nothing(
    browser: Client, content_type: str, body: bytes
) -> None:
    response = browser.post(
        "/api/v1/triage-meetings",
        data=body,
        content_type=content_type,
        HTTP_X_CSRFTOKEN=token(browser),
    )
    assert response.status_code == 415, response.content[:300]
    assert response["Content-Type"] == "application/json"
    assert "application/json" in response.json()["detail"]
    assert not TriageMeeting.objects.exists()


def test_every_post_of_the_api_refuses_a_multipart_body(browser: Client, contact: Contact) -> None:
    for url in (
        "/api/v1/people",
        "/api/v1/contacts",
        f"/api/v1/contacts/{contact.pk}/status",
        f"/api/v1/contacts/{contact.pk}/decision",
        "/api/v1/episodes",
        f"/api/v1/contacts/{contact.pk}/notes",
    ):
        response = browser.post(
            url,
            data=b'{"a": 1}',
            content_type="multipart/form-data; boundary=xyz",
            HTTP_X_CSRFTOKEN=token(browser),
        )
        assert response.status_code == 415, url
    contact.refresh_from_db()
    assert not hasattr(contact, "decision") or contact.decision is None


def test_a_page_form_posted_as_multipart_without_a_boundary_is_a_bad_request(
    browser: Client,
) -> None:
    before = Person.objects.count()
    response = browser.post(
        reverse("people:create"),
        data=b"given_name=Amy",
        content_type="multipart/form-data",
        HTTP_X_CSRFTOKEN=token(browser),
    )
    assert response.status_code == 400
    assert Person.objects.count() == before


# --- numbers beyond 64 bits -------------------------------------------------------------------


@pytest.mark.parametrize("number", BEYOND_64_BITS)
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/people",
        "/api/v1/contacts",
        "/api/v1/domestic-abuse-notifications",
        "/api/v1/episodes",
        "/api/v1/allocation-panels",
    ],
)
def test_an_offset_beyond_64_bits_answers_422_naming_it(
    browser: Client, url: str, number: str
) -> None:
    response = browser.get(url, {"offset": number})
    assert response.status_code == 422, response.content[:300]
    assert [error["loc"] for error in response.json()["detail"]] == [["query", "offset"]]


@pytest.mark.parametrize("number", BEYOND_64_BITS)
def test_a_lead_professional_id_beyond_64_bits_answers_422_naming_it(
    browser: Client, number: str
) -> None:
    response = browser.get("/api/v1/episodes", {"lead_professional": number})
    assert response.status_code == 422, response.content[:300]
    assert [error["loc"] for error in response.json()["detail"]] == [["query", "lead_professional"]]


@pytest.mark.parametrize("number", BEYOND_64_BITS)
def test_a_path_id_beyond_64_bits_is_not_found(browser: Client, number: str) -> None:
    assert browser.get(f"/api/v1/triage-meetings/{number}").status_code == 404


def test_a_number_beyond_64_bits_in_a_body_answers_422_naming_it_and_changes_nothing(
    browser: Client, contact: Contact
) -> None:
    response = browser.post(
        f"/api/v1/contacts/{contact.pk}/status",
        data=json.dumps(
            {"status": "awaiting_information", "note": "Asked", "version": int(BEYOND_64_BITS[1])}
        ),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token(browser),
    )
    assert response.status_code == 422, response.content[:300]
    assert [error["loc"] for error in response.json()["detail"]] == [["body", "payload", "version"]]
    version = contact.version
    contact.refresh_from_db()
    assert contact.version == version


@pytest.mark.parametrize(
    "page", ["/people/", "/front-door/", "/front-door/domestic-abuse/", "/audit/", "/early-help/"]
)
def test_a_page_number_beyond_64_bits_is_never_a_server_error(browser: Client, page: str) -> None:
    response = browser.get(page, {"page": "99999999999999999999"})
    assert response.status_code in (200, 403, 404)


# --- NUL characters ---------------------------------------------------------------------------


def test_a_nul_in_a_name_sent_to_the_api_answers_422_naming_it_and_saves_nothing(
    browser: Client,
) -> None:
    before = Person.objects.count()
    response = browser.post(
        "/api/v1/people",
        data='{"given_name": "Am\\u0000y", "family_name": "Brown", "date_of_birth": "2018-01-02"}',
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token(browser),
    )
    assert response.status_code == 422, response.content[:300]
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "payload", "given_name"]
    assert "NUL" in error["msg"]
    assert Person.objects.count() == before


def test_a_nul_in_a_query_answers_422_on_the_api_and_400_on_a_page(browser: Client) -> None:
    api = browser.get("/api/v1/people", {"q": "Am\x00y"})
    assert api.status_code == 422
    assert [error["loc"] for error in api.json()["detail"]] == [["query", "q"]]

    page = browser.get(reverse("people:search"), {"q": "Am\x00y"})
    assert page.status_code == 400
    assert "NUL" in page.content.decode()
    for refusal in (api, page):  # with the security headers of every answer
        assert "default-src 'self'" in refusal["Content-Security-Policy"]
        assert refusal["Cache-Control"] == "no-store"


def test_a_nul_in_a_name_on_a_form_is_a_bad_request_and_saves_nothing(
    browser: Client,
) -> None:
    before = Person.objects.count()
    response = browser.post(
        reverse("people:create"),
        {
            "kind": "child",
            "given_name": "Am\x00y",
            "family_name": "Brown",
            "date_of_birth_day": "2",
            "date_of_birth_month": "1",
            "date_of_birth_year": "2018",
            "sex": "F",
            "ethnicity": "NOBT",
            "csrfmiddlewaretoken": token(browser),
        },
    )
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()
    assert Person.objects.count() == before


def test_someone_not_signed_in_is_told_so_first_whatever_they_send() -> None:
    """The API refuses who it is (401) before it reads any input, as the route sweep asks."""
    for content_type, body in (
        ("multipart/form-data; boundary=xyz", b'{"a": 1}'),
        ("application/json", b'{"given_name": "Am\\u0000y"}'),
    ):
        response = Client(raise_request_exception=False).post(
            "/api/v1/people", data=body, content_type=content_type
        )
        assert response.status_code == 401


# --- case notes (issue 12) --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (
            '{"note_type": "phone_call", "occurred_at": "2026-01-05T10:00", "text": "A\\u0000"}',
            "text",
        ),
        (
            '{"note_type": "phone_call", "occurred_at": "99999-01-05T10:00", "text": "Rang"}',
            "occurred_at",
        ),
        ('{"note_type": "phone_call", "occurred_at": "2026-01-05T10:00"}', "text"),
        ('{"note_type": 7, "occurred_at": "2026-01-05T10:00", "text": "Rang"}', "note_type"),
    ],
)
def test_a_case_note_the_database_could_not_store_answers_422_naming_it(
    browser: Client, contact: Contact, body: str, field: str
) -> None:
    from continuum.case_notes.models import CaseNote

    response = browser.post(
        f"/api/v1/contacts/{contact.pk}/notes",
        data=body,
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token(browser),
    )
    assert response.status_code == 422, response.content[:300]
    assert field in {str(error["loc"][-1]) for error in response.json()["detail"]}
    assert not CaseNote.objects.exists()


def test_a_case_note_version_beyond_64_bits_answers_422(browser: Client, contact: Contact) -> None:
    created = browser.post(
        f"/api/v1/contacts/{contact.pk}/notes",
        data='{"note_type": "phone_call", "occurred_at": "2026-01-05T10:00", "text": "Rang"}',
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token(browser),
    )
    assert created.status_code == 201, created.content[:300]
    response = browser.patch(
        f"/api/v1/notes/{created.json()['id']}",
        data=json.dumps({"version": int(BEYOND_64_BITS[1]), "text": "Rang twice"}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token(browser),
    )
    assert response.status_code == 422, response.content[:300]
    assert [error["loc"] for error in response.json()["detail"]] == [["body", "payload", "version"]]


# --- documents (issue 12): the one API endpoint besides imports that takes a multipart form ---


@pytest.fixture
def documents_root(settings: Any, tmp_path: Any) -> Any:
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "continuum.documents.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": tmp_path / "documents"},
        },
    }
    return tmp_path / "documents"


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", b'{"title": "x", "kind": "report"}'),
        ("multipart/form-data", b"title=x"),
        ("multipart/form-data; boundary=xyz", b"not a multipart body at all"),
        ("text/plain", b"title=x"),
    ],
)
def test_a_document_upload_that_is_not_a_proper_form_is_refused_and_stores_nothing(
    browser: Client, child: Person, documents_root: Any, content_type: str, body: bytes
) -> None:
    response = browser.post(
        "/api/v1/documents", data=body, content_type=content_type, HTTP_X_CSRFTOKEN=token(browser)
    )
    assert 400 <= response.status_code < 500, response.content[:300]
    assert not Document.objects.exists()


def test_a_nul_in_a_document_title_is_refused_on_the_api_and_the_page(
    browser: Client, child: Person, documents_root: Any
) -> None:
    pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    form = {"kind": "report", "title": "Report\x00", "person": str(child.pk), "file": pdf}
    response = browser.post("/api/v1/documents", form, HTTP_X_CSRFTOKEN=token(browser))
    assert response.status_code == 422, response.content[:300]
    assert [error["loc"] for error in response.json()["detail"]] == [["query", "title"]]
    pdf.seek(0)
    page = reverse("documents:person", args=[child.pk])
    assert browser.post(page, form, HTTP_X_CSRFTOKEN=token(browser)).status_code == 400
    assert not Document.objects.exists()
