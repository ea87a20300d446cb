"""The API's one translation of refusals: 422 naming each field, 409 for a conflict or a
state that does not allow the change, 403 for what the policy does not allow."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from ninja import NinjaAPI

from continuum.errors import ConcurrentChange, InvalidState, NotPermitted
from continuum.ui.api import BODY, FieldLocations, install_error_handlers


@pytest.fixture(scope="module")
def api() -> NinjaAPI:
    api = NinjaAPI(urls_namespace="error-translation-test")
    install_error_handlers(api)
    return api


def answer(api: NinjaAPI, exc: Exception) -> tuple[int, object]:
    response = api.on_exception(RequestFactory().post("/"), exc)
    return response.status_code, json.loads(response.content)["detail"]


def test_field_errors_answer_422_each_naming_its_body_field(api: NinjaAPI) -> None:
    status, detail = answer(
        api,
        ValidationError({"referrer_name": ["Enter it."], "new_children.0.nhs_number": ["Bad."]}),
    )
    assert status == 422
    assert detail == [
        {"loc": ["body", "payload", "referrer_name"], "msg": "Enter it.", "type": "value_error"},
        {
            "loc": ["body", "payload", "new_children", 0, "nhs_number"],
            "msg": "Bad.",
            "type": "value_error",
        },
    ]


def test_a_message_without_a_field_points_at_the_body(api: NinjaAPI) -> None:
    status, detail = answer(api, ValidationError("No version of the framework is current."))
    assert status == 422
    assert detail == [
        {"loc": list(BODY), "msg": "No version of the framework is current.", "type": "value_error"}
    ]


@pytest.mark.parametrize(
    "refusal",
    [ConcurrentChange("Someone else changed this plan."), InvalidState("The episode is closed.")],
)
def test_a_conflict_or_a_state_refusal_answers_409_with_its_message(
    api: NinjaAPI, refusal: Exception
) -> None:
    assert answer(api, refusal) == (409, str(refusal))


def test_what_the_policy_refuses_answers_403(api: NinjaAPI) -> None:
    assert answer(api, NotPermitted("Only a team manager allocates.")) == (
        403,
        "Only a team manager allocates.",
    )


def test_an_endpoint_may_say_where_the_services_fields_are() -> None:
    locations = FieldLocations(
        renamed={"presenting_indicators": (*BODY, "indicator_codes"), "child": ("path", "child_id")}
    )
    assert locations.of("presenting_indicators") == ["body", "payload", "indicator_codes"]
    assert locations.of("child") == ["path", "child_id"]
    assert locations.of("concerns") == ["body", "payload", "concerns"]
    assert FieldLocations(under=("contact",)).of("lawful_basis") == ["contact", "lawful_basis"]
