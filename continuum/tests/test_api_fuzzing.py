"""Schemathesis over the whole OpenAPI document, in-process (Django's WSGI handler, no
server), signed in as three roles.

Every operation of ``/api/v1/`` is called with generated requests, valid and invalid
(schemathesis' examples, coverage and fuzzing phases), sent in turn as a front-door worker,
a police officer and a performance analyst (sessions from the root fixtures, with their
CSRF token), so each operation is tried as all three. No answer may be a server error, and
every answer has the content type, headers and body the document gives its status.
Bounded and repeatable: a few fuzzed examples per operation, derandomised; about 3,000
requests, under a minute of CPU.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.utils import timezone
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from ninja import Schema
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
)

from continuum.accounts.models import User
from continuum.api import api
from continuum.case_notes.choices import NoteType
from continuum.case_notes.services import record_note
from continuum.documents.models import Document
from continuum.documents.services import upload_document
from continuum.early_help.tests.builders import make_episode, make_family, make_place
from continuum.front_door.tests import triage_support
from continuum.front_door.tests.contacts_support import in_screening, indicator, submitted_contact
from continuum.organisations.models import Council
from continuum.people.models import Person

ROLES = ("worker", "officer", "analyst")
KNOWN_RECORDS = (
    "contact_id",
    "notification_id",
    "meeting_id",
    "episode_id",
    "person_id",
    "child_id",
    "note_id",
    "document_id",
)
EXAMPLES_PER_OPERATION = 4
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
# A refusal the document does not list (401, 404, 422) is not a failure here: the checks
# are that nothing fails on the server, and that what is described is answered as described.
CHECKS = [
    not_a_server_error,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = WSGIHandler()
# Whose turn it is: the generated requests of each operation go to the roles in turn.
_turns = itertools.count()


def _records(worker: User, officer: User, stockton: Council) -> dict[str, Callable[[], Any]]:
    """How to make a real record for each path parameter, so that generated requests reach
    past the lookup: a contact in screening, a notification, a triage meeting, an episode
    and a child. Each is made when an operation first needs it."""
    family = make_family(stockton)
    return {
        "contact_id": lambda: (
            in_screening(
                submitted_contact(
                    by=worker,
                    council=stockton,
                    children=[family.child],
                    indicator_codes=(indicator(2).code,),
                ),
                by=worker,
            ).pk
        ),
        "notification_id": lambda: triage_support.notify(by=officer, council=stockton).pk,
        "meeting_id": lambda: triage_support.meeting(by=worker, council=stockton).pk,
        "episode_id": lambda: (
            make_episode(
                council=stockton,
                locality=(place := make_place(stockton, "Fuzz")).locality,
                team=place.team,
                household=family.household,
                opened_by=worker,
                children=[family.child],
            ).pk
        ),
        "person_id": lambda: family.child.pk,
        "child_id": lambda: family.child.pk,
        # A case note (issue 12) on a contact in screening, by the front-door worker.
        "note_id": lambda: (
            record_note(
                by=worker,
                contact=in_screening(
                    submitted_contact(
                        by=worker,
                        council=stockton,
                        children=[family.child],
                        indicator_codes=(indicator(2).code,),
                    ),
                    by=worker,
                ),
                note_type=NoteType.PHONE_CALL,
                occurred_at=timezone.now() - timedelta(hours=1),
                text="Rang the school about attendance.",
            ).pk
        ),
        "document_id": lambda: _a_document(on=family.child, by=worker).pk,
    }


def _a_document(*, on: Person, by: User) -> Document:
    """A small PDF on the child's record, stored, so that its content is downloaded."""
    return upload_document(
        by=by,
        holder=on,
        kind="consent_form",
        title="Signed consent",
        upload=SimpleUploadedFile("consent.pdf", PDF, content_type="application/pdf"),
    )


def _browser_of(user: User) -> dict[str, Any]:
    """The cookies and headers of a browser signed in as ``user``."""
    client = Client()
    client.force_login(user)
    request = RequestFactory().get("/")
    token = get_token(request)
    cookies = {
        "sessionid": client.cookies["sessionid"].value,
        "csrftoken": request.META["CSRF_COOKIE"],
    }
    return {"cookies": cookies, "headers": {"X-CSRFToken": token}}


@pytest.fixture
def records(worker: User, officer: User, stockton: Council) -> dict[str, Any]:
    """Real ids for the path parameters an operation has, made on first use."""
    makers = _records(worker, officer, stockton)
    made: dict[str, Any] = {}

    class Ids(dict[str, Any]):
        def __missing__(self, name: str) -> Any:
            if name not in made:
                made[name] = makers[name]()
            return made[name]

    return Ids()


@pytest.fixture
def browsers(
    request: pytest.FixtureRequest, settings: Any, tmp_path: Path
) -> Iterator[list[dict[str, Any]]]:
    """A signed-in browser for each role. The API's rate limits are raised for this test
    only, so that its many requests are all answered rather than refused with 429."""
    settings.CONTINUUM_API_RATE_PER_USER = "100000/min"
    # Documents the operations download are kept in a folder of the test's own.
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "continuum.documents.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": tmp_path / "documents"},
        },
    }
    settings.CONTINUUM_API_RATE_PER_ADDRESS = "100000/min"
    signed_in = [_browser_of(request.getfixturevalue(role)) for role in ROLES]
    # Requests run in the test's transaction, as with Django's test client: the handler
    # must not close the connection at the start and end of each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield signed_in
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.django_db
def test_no_request_to_the_api_gets_a_server_error(
    case: Any, browsers: list[dict[str, Any]], records: dict[str, Any]
) -> None:
    turn = next(_turns)
    browser = browsers[turn % len(browsers)]
    # Every other request names real records, so that it reaches the endpoint's own checks.
    if turn % 2 and case.path_parameters:
        for name in case.path_parameters:
            if name in KNOWN_RECORDS:
                case.path_parameters[name] = records[name]
    response = case.call(cookies=browser["cookies"], headers=browser["headers"])
    case.validate_response(response, checks=CHECKS)


def _schemas(base: type[Schema]) -> Iterator[type[Schema]]:
    for schema_class in base.__subclasses__():
        yield schema_class
        yield from _schemas(schema_class)


def test_every_schema_of_the_api_has_its_own_name() -> None:
    """The OpenAPI document names each schema by its class: two classes of one name would
    describe one of them with the other's fields."""
    modules_by_name: dict[str, set[str]] = defaultdict(set)
    for schema_class in _schemas(Schema):
        if schema_class.__module__.startswith("continuum."):
            modules_by_name[schema_class.__name__].add(schema_class.__module__)
    assert {name: m for name, m in modules_by_name.items() if len(m) > 1} == {}


def test_two_schemas_of_one_name_do_not_overwrite_each_other_in_the_document() -> None:
    """Found by the fuzzing: the thresholds' indicators and the performance indicators were
    both ``IndicatorOut``, so the document described one list with the other's fields."""
    document = api.get_openapi_schema()
    components = document["components"]["schemas"]

    def item_fields(path: str) -> set[str]:
        answer = document["paths"][path]["get"]["responses"][200]["content"]
        page = components[answer["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]]
        item = page["properties"]["items"]["items"]["$ref"].rsplit("/", 1)[-1]
        return set(components[item]["properties"])

    assert {"level", "domain", "guidance"} <= item_fields("/api/v1/thresholds/indicators")
    assert {"name", "measure", "dimensions"} <= item_fields("/api/v1/indicators")
