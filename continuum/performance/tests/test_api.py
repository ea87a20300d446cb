"""The indicators API: the catalogue, values, who may ask, and clear refusals."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from continuum.accounts.models import User
from continuum.organisations.models import Council
from continuum.performance import catalogue
from continuum.performance.tests import engine_helpers as h

pytestmark = pytest.mark.django_db

CATALOGUE = "/api/v1/indicators"
CONTACTS = "/api/v1/indicators/fd_contacts_per_10k/values"


@pytest.fixture
def api(client: Client, manager: User, hartlepool: Council) -> Client:
    """Signed in as Stockton's team manager, who compares every council (Hartlepool too)
    and sees Stockton's detail only."""
    client.force_login(manager)
    return client


@pytest.fixture
def contacts(stockton: Council, hartlepool: Council) -> None:
    """October 2026: Stockton 15 contacts (10 North, 5 South), Hartlepool 6; 10,000
    children in each. (Five or more each: fewer would be suppressed, see test_disclosure.)"""
    north = h.team(stockton, "North Front Door", "Stockton North")
    south = h.team(stockton, "South Front Door", "Stockton South")
    for council in (stockton, hartlepool):
        h.population(council, 2026, 2500)
    someone = h.child(stockton, date(2018, 1, 1))
    for day, team in [(1, north)] * 10 + [(3, south)] * 5:
        h.contact(stockton, h.at(date(2026, 10, day)), children=[someone], team=team)
    elsewhere = h.child(hartlepool, date(2018, 1, 1))
    for _ in range(6):
        h.contact(hartlepool, h.at(date(2026, 10, 5)), children=[elsewhere])


def test_the_catalogue(api: Client) -> None:
    response = api.get(CATALOGUE)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(catalogue.CATALOGUE) == len(body["items"])
    first = {i["code"]: i for i in body["items"]}["fd_decided_within_1wd_pct"]
    assert first["unit"] == "percent" and first["polarity"] == "up"
    assert {"key": "team", "name": "Team"} in first["dimensions"]
    assert "rolling_12_months" in body["period_kinds"]


def test_values_for_each_council_and_combined(
    api: Client, contacts: None, stockton: Council, hartlepool: Council
) -> None:
    response = api.get(
        CONTACTS,
        {
            "council": [stockton.dfe_la_code, str(hartlepool.pk)],
            "from": "2026-10",
            "to": "2026-10",
            "combined": "true",
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["from"], body["to"], body["period_kind"]) == ("2026-10", "2026-10", "month")
    values = {(v["council"], v["category"]): v for v in body["values"]}
    assert values[(stockton.dfe_la_code, None)]["numerator"] == 15
    assert values[(stockton.dfe_la_code, None)]["value"] == 15.0
    assert values[(hartlepool.dfe_la_code, None)]["value"] == 6.0
    both = values[(None, None)]
    assert (both["numerator"], both["denominator"], both["value"]) == (21, 20000, 10.5)
    assert not any(v["suppressed"] for v in body["values"])
    assert both["period"] == "October 2026"


def test_quarters_and_every_council_by_default(api: Client, contacts: None) -> None:
    body = api.get(CONTACTS, {"period": "quarter", "from": "2026-12", "to": "2026-12"}).json()
    assert {v["period"] for v in body["values"]} == {"Q3 2026-27"}
    assert len(body["councils"]) == 2


def test_a_breakdown_of_the_managers_own_council(
    api: Client, contacts: None, stockton: Council
) -> None:
    response = api.get(
        CONTACTS,
        {"council": stockton.dfe_la_code, "from": "2026-10", "to": "2026-10", "dimension": "team"},
    )
    assert response.status_code == 200, response.content
    values = {v["category"]: v["numerator"] for v in response.json()["values"]}
    assert values == {None: 15, "North Front Door": 10, "South Front Door": 5}


def test_no_breakdown_of_another_councils_detail(api: Client, hartlepool: Council) -> None:
    response = api.get(
        CONTACTS, {"council": hartlepool.dfe_la_code, "from": "2026-10", "dimension": "team"}
    )
    assert response.status_code == 403
    assert "Hartlepool" in response.json()["detail"]
    # Without a dimension the same council's totals are fine.
    assert api.get(CONTACTS, {"council": hartlepool.dfe_la_code}).status_code == 200


def test_only_dashboard_users(client: Client, worker: User) -> None:
    client.force_login(worker)
    assert client.get(CATALOGUE).status_code == 403
    assert client.get(CONTACTS).status_code == 403


def test_signed_out(client: Client) -> None:
    assert client.get(CATALOGUE).status_code == 401


def test_unknown_indicator(api: Client) -> None:
    assert api.get("/api/v1/indicators/no_such_thing/values").status_code == 404


def _problems(response: Any) -> dict[str, str]:
    assert response.status_code == 422, response.content
    return {tuple(p["loc"])[-1]: p["msg"] for p in response.json()["detail"]}


@pytest.mark.parametrize(
    ("params", "parameter", "words"),
    [
        ({"period": "fortnight"}, "period", "Unknown period"),
        ({"from": "2026-10", "to": "2026-09"}, "from", "must not be after"),
        ({"from": "2026-13"}, "from", "01 to 12"),
        ({"to": "October"}, "to", "YYYY-MM"),
        ({"from": "2010-01", "to": "2020-01"}, "to", "at most 120 months"),
        ({"council": "999"}, "council", "No council you may compare"),
        ({"dimension": "shoe_size"}, "dimension", "Unknown dimension"),
        ({"combined": "perhaps"}, "combined", "combined=true"),
    ],
)
def test_bad_parameters(
    api: Client, stockton: Council, params: dict[str, str], parameter: str, words: str
) -> None:
    problems = _problems(api.get(CONTACTS, params))
    assert words in problems[parameter]


def test_a_dimension_the_indicator_does_not_split_by(api: Client, stockton: Council) -> None:
    response = api.get(
        "/api/v1/indicators/fd_da_triaged_within_1wd_pct/values",
        {"council": stockton.dfe_la_code, "dimension": "team"},
    )
    assert "cannot be split by team" in _problems(response)["dimension"]
