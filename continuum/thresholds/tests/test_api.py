"""The threshold framework's JSON API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from continuum.accounts.models import Role, User
from continuum.organisations.models import Council
from continuum.thresholds.models import FrameworkVersion

pytestmark = pytest.mark.django_db

INDICATORS = "/api/v1/thresholds/indicators"
SUGGEST = "/api/v1/thresholds/suggest"


@pytest.fixture
def api(client: Client, make_user: Callable[..., User], version: FrameworkVersion) -> Client:
    client.force_login(make_user(Role.PARTNER_PRACTITIONER))
    return client


def post(client: Client, body: dict[str, Any]) -> Any:
    return client.post(SUGGEST, body, content_type="application/json")


def test_the_current_indicators_are_listed(api: Client) -> None:
    response = api.get(INDICATORS)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(body["items"]) == 48
    first = body["items"][0]
    assert first["code"] == "DEV-1-01"
    assert first["domain"] == "developmental-needs"
    assert first["status"] == "shared" and first["shared"] is None
    assert body["version"] == 1


def test_a_councils_effective_framework(api: Client, hartlepool_variation: Council) -> None:
    body = api.get(INDICATORS, {"council": "805"}).json()
    by_code = {i["code"]: i for i in body["items"]}
    assert body["council"] == "805"
    assert by_code["DEV-2-01"]["status"] == "changed"
    assert by_code["DEV-2-01"]["level"] == 3
    assert by_code["DEV-2-01"]["shared"]["level"] == 2
    assert by_code["HPL-FAM-2-01"]["status"] == "added"
    assert "FAM-1-03" not in by_code
    assert body["count"] == 48

    with_removed = api.get(INDICATORS, {"council": "805", "include_removed": "true"}).json()
    assert {i["code"]: i["status"] for i in with_removed["items"]}["FAM-1-03"] == "removed"


def test_an_unknown_council_is_422_naming_the_field(api: Client) -> None:
    response = api.get(INDICATORS, {"council": "999"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "council"


def test_suggest_answers_level_and_reasons(api: Client) -> None:
    response = post(api, {"indicator_codes": ["DEV-2-01", "PAR-2-01", "FAM-2-02"]})
    assert response.status_code == 200
    body = response.json()
    assert body["level"] == 3
    assert any("multi-agency" in r for r in body["reasons"])


def test_suggest_with_level_4_mentions_a_strategy_discussion(api: Client) -> None:
    body = post(api, {"indicator_codes": ["FAM-4-01"]}).json()
    assert body["level"] == 4
    assert any("strategy discussion" in r for r in body["reasons"])


def test_suggest_with_nothing_selected_suggests_no_level(api: Client) -> None:
    body = post(api, {"indicator_codes": []}).json()
    assert body["level"] is None
    assert body["reasons"]


def test_suggest_uses_a_councils_local_levels(api: Client, hartlepool_variation: Council) -> None:
    assert post(api, {"indicator_codes": ["DEV-2-01"]}).json()["level"] == 2
    local = post(api, {"indicator_codes": ["DEV-2-01"], "council": "805"}).json()
    assert local["level"] == 3


def test_unknown_codes_are_422_naming_them(api: Client) -> None:
    response = post(api, {"indicator_codes": ["DEV-2-01", "BOGUS-1", "DEV-9-99"]})
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["loc"][-1] == "indicator_codes"
    assert "BOGUS-1" in detail["msg"] and "DEV-9-99" in detail["msg"]
    assert "DEV-2-01" not in detail["msg"]


def test_a_code_not_used_by_the_council_is_422(api: Client, hartlepool_variation: Council) -> None:
    response = post(api, {"indicator_codes": ["FAM-1-03"], "council": "805"})
    assert response.status_code == 422
    assert "Hartlepool" in response.json()["detail"][0]["msg"]


@pytest.mark.parametrize(
    "body",
    [{}, {"indicator_codes": "DEV-2-01"}, {"indicator_codes": [{"code": 1}]}],
)
def test_malformed_bodies_are_422(api: Client, body: dict[str, Any]) -> None:
    response = post(api, body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] in {"indicator_codes", 0}


def test_signed_out_and_roleless_users_get_401(
    client: Client, make_user: Callable[..., User], version: FrameworkVersion
) -> None:
    assert client.get(INDICATORS).status_code == 401
    client.force_login(make_user(""))
    assert client.get(INDICATORS).status_code == 401
    assert post(client, {"indicator_codes": ["DEV-1-01"]}).status_code == 401


@pytest.mark.parametrize("role", [role.value for role in Role])
def test_every_role_may_read_the_framework(
    client: Client, make_user: Callable[..., User], version: FrameworkVersion, role: str
) -> None:
    client.force_login(make_user(role))
    assert client.get(INDICATORS).status_code == 200
    assert post(client, {"indicator_codes": ["DEV-1-01"]}).json()["level"] == 1
