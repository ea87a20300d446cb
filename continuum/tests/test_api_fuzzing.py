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
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
)

from continuum.accounts.models import User
from continuum.api import api

ROLES = ("worker", "officer", "analyst")
EXAMPLES_PER_OPERATION = 4
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
def browsers(request: pytest.FixtureRequest, settings: Any) -> Iterator[list[dict[str, Any]]]:
    """A signed-in browser for each role. The API's rate limits are raised for this test
    only, so that its many requests are all answered rather than refused with 429."""
    settings.CONTINUUM_API_RATE_PER_USER = "100000/min"
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
    case: Any, browsers: list[dict[str, Any]]
) -> None:
    browser = browsers[next(_turns) % len(browsers)]
    response = case.call(cookies=browser["cookies"], headers=browser["headers"])
    case.validate_response(response, checks=CHECKS)


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
