"""The returns pages: the list, a return with £ totals and its history, starting, changing
(bad cells at their fields, nothing saved), submitting, signing off; the classification
page with its differences; the mapping page; the template; others' returns 404."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from continuum.accounts.models import User
from continuum.organisations.models import Council
from continuum.spending.choices import ReturnStatus
from continuum.spending.models import SpendingReturn

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_return_is_started_filled_submitted_and_signed_off_on_pages(
    lead: User, second_lead: User, stockton: Council, headings: dict, last_year: int
) -> None:
    client = _client(lead)
    response = client.post(reverse("spending:new_return"), {"financial_year": last_year})
    assert response.status_code == 303
    made = SpendingReturn.objects.get()
    edit = reverse("spending:edit_return", args=[made.pk])
    refused = client.post(edit, {"version": 1, "amount:FS01:council": "-3"})
    assert refused.status_code == 200 and "cannot be negative" in refused.content.decode()
    assert not made.amounts.exists()
    saved = client.post(
        edit,
        {
            "version": 1,
            "amount:FS01:council": "1250000",
            "amount:YS01:health": "2500.5",
            "fte:key_worker": "4",
        },
    )
    assert saved.status_code == 303
    page = client.get(reverse("spending:return", args=[made.pk])).content.decode()
    assert "£1,250,000" in page and "£2,500.50" in page and "£1,252,500.50" in page
    assert (
        client.post(reverse("spending:submit_return", args=[made.pk]), {"version": 2}).status_code
        == 303
    )
    assert client.get(reverse("spending:sign_off_return", args=[made.pk])).status_code == 403
    other = _client(second_lead)
    done = other.post(
        reverse("spending:sign_off_return", args=[made.pk]), {"version": 3, "decision": "sign_off"}
    )
    assert done.status_code == 303
    made.refresh_from_db()
    assert made.status == ReturnStatus.SIGNED_OFF
    page = other.get(reverse("spending:return", args=[made.pk])).content.decode()
    assert "Signed off" in page and "Submitted for sign-off" in page  # history


def test_another_councils_return_is_not_found(
    hartlepool_manager: User, stockton: Council, last_year: int
) -> None:
    theirs = SpendingReturn.objects.create(council=stockton, financial_year=last_year)
    client = _client(hartlepool_manager)
    for name in ("spending:return", "spending:edit_return", "spending:submit_return"):
        assert client.get(reverse(name, args=[theirs.pk])).status_code == 404


def test_the_classification_shows_lines_and_differences(
    analyst: User, stockton: Council, headings: dict
) -> None:
    page = _client(analyst).get(reverse("spending:classification")).content.decode()
    assert "3.4.4" in page and "public health grant" in page
    assert (
        'Family support <span class="govuk-!-font-weight-regular app-nowrap">(FS01)</span>' in page
        and "Same as the common category" in page
    )
    assert "check them against the DfE" in page


def test_the_mapping_page_adds_and_maps_a_heading(analyst: User, stockton: Council) -> None:
    client = _client(analyst)
    url = reverse("spending:mapping")
    assert (
        client.post(
            url, {"form": "heading", "heading-code": "EH1", "heading-name": "Locality"}
        ).status_code
        == 303
    )
    heading = stockton.spending_categories.get(code="EH1")
    bad = client.post(
        url,
        {
            "form": "mapping",
            "mapping-heading": heading.pk,
            "mapping-category_1": "family_support",
            "mapping-share_1": "60",
        },
    )
    assert bad.status_code == 200 and "add up to 100" in bad.content.decode()
    good = client.post(
        url,
        {
            "form": "mapping",
            "mapping-heading": heading.pk,
            "mapping-category_1": "family_support",
            "mapping-share_1": "60",
            "mapping-category_2": "parenting",
            "mapping-share_2": "40",
            "mapping-note": "Parenting workers in localities",
        },
    )
    assert good.status_code == 303 and heading.mappings.count() == 2


def test_the_import_template_downloads(analyst: User, headings: dict) -> None:
    response = _client(analyst).get(reverse("spending:import_template"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd")
