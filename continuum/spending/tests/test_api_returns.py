"""The returns API: start, save the whole form, submit, sign off, send back; 422 naming the
field, 409 for a state, 404 for another council's return."""

from __future__ import annotations

import pytest
from django.test import Client

from continuum.accounts.models import User
from continuum.organisations.models import Council
from continuum.spending.models import SpendAmount, SpendingReturn, financial_year_label

pytestmark = pytest.mark.django_db
API = "/api/v1/spending"


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_return_over_the_api(
    lead: User, second_lead: User, stockton: Council, headings: dict, last_year: int
) -> None:
    client = _client(lead)
    made = client.post(
        f"{API}/returns",
        {"financial_year": financial_year_label(last_year)},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    bad = client.put(
        f"{API}/returns/{pk}",
        {"version": 1, "amounts": [{"heading": "FS01", "funding_source": "council", "amount": -1}]},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert not SpendAmount.objects.exists()
    ok = client.put(
        f"{API}/returns/{pk}",
        {
            "version": 1,
            "amounts": [{"heading": "FS01", "funding_source": "council", "amount": "1000"}],
            "staff": [{"role": "key_worker", "fte": 2}],
        },
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["total"] in ("1000.00", 1000, "1000")
    assert (
        client.post(
            f"{API}/returns/{pk}/submit", {"version": 2}, content_type="application/json"
        ).status_code
        == 200
    )
    assert (
        client.post(
            f"{API}/returns/{pk}/sign-off", {"version": 3}, content_type="application/json"
        ).status_code
        == 403
    )
    other = _client(second_lead)
    back = other.post(
        f"{API}/returns/{pk}/send-back",
        {"version": 3, "reason": "Check youth"},
        content_type="application/json",
    )
    assert back.status_code == 200 and back.json()["status"] == "draft"
    again = client.post(
        f"{API}/returns",
        {"financial_year": financial_year_label(last_year)},
        content_type="application/json",
    )
    assert again.status_code == 422
    assert client.get(f"{API}/classification").json()["version"] >= 1
    mapped = client.get(f"{API}/mappings").json()
    assert {h["code"] for h in mapped["headings"]} == {"FS01", "YS01"}


def test_another_councils_return_is_404(
    hartlepool_manager: User, lead: User, stockton: Council, last_year: int
) -> None:
    made = SpendingReturn.objects.create(council=stockton, financial_year=last_year)
    assert _client(hartlepool_manager).get(f"{API}/returns/{made.pk}").status_code == 404
    assert _client(hartlepool_manager).get(f"{API}/returns").json()["count"] == 0


def test_mapping_over_the_api(analyst: User, stockton: Council) -> None:
    client = _client(analyst)
    response = client.put(
        f"{API}/mappings",
        {"heading": "NEW", "name": "New heading", "shares": [{"category": "youth", "share": 100}]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["headings"][0]["difference"] == "same"
    bad = client.put(
        f"{API}/mappings",
        {"heading": "NEW", "shares": [{"category": "youth", "share": 50}]},
        content_type="application/json",
    )
    assert bad.status_code == 422
