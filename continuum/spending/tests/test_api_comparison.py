"""/api/v1/spending/comparison and /api/v1/spending/deflators."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from continuum.accounts.models import Role, User
from continuum.organisations.models import Council
from continuum.spending.models import DeflatorSeries
from continuum.spending.tests import cmp_world as w
from continuum.spending.tests.cmp_world import spending_reference_data  # noqa: F401
from continuum.testing import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("spending_reference_data")]

MakeUser = Callable[..., Any]

API = "/api/v1/spending"


@pytest.fixture
def returns(stockton: Council) -> None:
    Council.objects.filter(pk=stockton.pk).update(child_population=40_000)
    ret = w.a_return(stockton, 2021, "submitted")
    w.spend(
        ret, factories.council_category(stockton, "FS", "Family support", "family_support"), 89_300
    )


def test_the_comparison_in_real_terms_per_child(
    analyst: User, client: Client, returns: None, stockton: Council
) -> None:
    client.force_login(analyst)
    response = client.get(
        f"{API}/comparison",
        {
            "councils": str(stockton.pk),
            "years": "2021-22",
            "measure": "per_child",
            "prices": "real",
        },
    )
    assert response.status_code == 200
    body = response.json()
    assert body["deflator"]["base_year"] == "2023-24"
    assert "HM Treasury" in body["prices_text"]
    [row] = body["rows"]
    assert row["total"] == 100_000.0  # 89,300 x 100 / 89.3
    assert row["value"] == row["per_child"] == 2.5  # / 40,000 children
    assert row["families_helped"] == 0 and row["per_family"] is None
    assert row["categories"]["family_support"] == 2.5
    assert row["return_status"] == "submitted"
    assert [f["kind"] for f in body["flags"]] == ["not_signed_off"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"measure": "bogus"}, "measure"),
        ({"prices": "gold"}, "prices"),
        ({"years": "next"}, "years"),
        ({"councils": "0"}, "councils"),
    ],
)
def test_bad_query_input_is_422_naming_the_field(
    analyst: User, client: Client, query: dict[str, str], field: str
) -> None:
    client.force_login(analyst)
    response = client.get(f"{API}/comparison", query)
    assert response.status_code == 422
    assert ["query", field] in [d["loc"] for d in response.json()["detail"]]


@pytest.mark.parametrize(
    "role", [Role.EARLY_HELP_PRACTITIONER, Role.PARTNER_PRACTITIONER, Role.AUDITOR]
)
def test_others_are_refused(make_user: MakeUser, client: Client, role: str) -> None:
    client.force_login(make_user(role))
    assert client.get(f"{API}/comparison").status_code == 403
    assert client.get(f"{API}/deflators").status_code == 403


def test_the_deflator_series_current_first(analyst: User, client: Client) -> None:
    client.force_login(analyst)
    [series] = client.get(f"{API}/deflators").json()
    assert series["is_current"] and series["base_year"] == "2023-24"
    assert {"year": "2023-24", "index": 100.0} in series["values"]


def _new(**kw: object) -> dict[str, object]:
    return {
        "name": "GDP deflators at market prices",
        "source": "HM Treasury (test)",
        "base_year": "2024-25",
        "published_on": "2026-01-15",
        "rows": [{"year": "2023-24", "index": "96.5"}, {"year": "2024-25", "index": "100"}],
        **kw,
    }


def test_the_partnership_lead_loads_a_series(make_user: MakeUser, client: Client) -> None:
    client.force_login(make_user(Role.SAFEGUARDING_PARTNERSHIP_LEAD))
    response = client.post(f"{API}/deflators", _new(), content_type="application/json")
    assert response.status_code == 201
    assert response.json()["is_current"] and response.json()["base_year"] == "2024-25"
    assert DeflatorSeries.objects.get(is_current=True).source == "HM Treasury (test)"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (
            {"rows": [{"year": "2023-24", "index": "-1"}, {"year": "2024-25", "index": "100"}]},
            "rows",
        ),
        ({"rows": [{"year": "soon", "index": "1"}, {"year": "2024-25", "index": "100"}]}, "rows"),
        ({"base_year": "2019-20"}, "base_year"),
        ({"base_year": "sometime"}, "base_year"),
        ({"source_url": "not a link"}, "source_url"),
    ],
)
def test_a_bad_series_is_422_and_nothing_saved(
    make_user: MakeUser, client: Client, body: dict[str, object], field: str
) -> None:
    client.force_login(make_user(Role.SAFEGUARDING_PARTNERSHIP_LEAD))
    response = client.post(f"{API}/deflators", _new(**body), content_type="application/json")
    assert response.status_code == 422
    assert ["body", "payload", field] in [d["loc"] for d in response.json()["detail"]]
    assert DeflatorSeries.objects.count() == 1


def test_an_analyst_may_not_load_a_series(analyst: User, client: Client) -> None:
    client.force_login(analyst)
    response = client.post(f"{API}/deflators", _new(), content_type="application/json")
    assert response.status_code == 403
    assert DeflatorSeries.objects.count() == 1
