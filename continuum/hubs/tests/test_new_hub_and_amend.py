"""Recording a hub and changing an agreement not yet in force, on pages (errors at their
fields) and over the API (422 by field, 403, 404, 409), each refusal saving nothing; a
change clears the sign-offs already given."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import User
from continuum.hubs.models import DataSharingAgreement
from continuum.organisations.models import Council, Organisation, OrganisationKind
from continuum.testing import factories

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
NEW_HUB = reverse("hubs:new_hub")


def _json(client: Client, method: str, url: str, body: dict[str, Any]) -> Any:
    call = getattr(client, method)
    return call(url, data=json.dumps(body), content_type="application/json")


def _date(name: str, day: Any) -> dict[str, Any]:
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def _hubs() -> int:
    return Organisation.objects.filter(kind=OrganisationKind.HUB).count()


@pytest.fixture
def pending(mach: Organisation, stockton: Council, hartlepool: Council) -> DataSharingAgreement:
    """An agreement starting next month, signed off by Stockton-on-Tees only."""
    agreement = factories.hub_agreement(
        stockton,
        hartlepool,
        hub=mach,
        reference="MACH-2",
        starts_on=TODAY() + timedelta(days=30),
        signed=False,
    )
    agreement.parties.filter(council=stockton).update(
        signed_off_by_name="A Director", signed_off_by_role="DCS", signed_off_on=TODAY()
    )
    return agreement


def _signed(agreement: DataSharingAgreement) -> int:
    return agreement.parties.filter(signed_off_on__isnull=False).count()


# --- recording a hub -----------------------------------------------------------------------


def test_a_lead_records_a_hub_from_the_list_and_errors_show_at_their_fields(
    client: Client, strategic_lead: User, stockton: Council, hartlepool: Council
) -> None:
    client.force_login(strategic_lead)
    assert f'href="{NEW_HUB}"' in client.get(reverse("hubs:list")).content.decode()
    assert client.get(NEW_HUB).status_code == 200
    bad = client.post(NEW_HUB, {"name": "", "councils": [stockton.pk]})
    page = bad.content.decode()
    assert bad.status_code == 200 and "govuk-error-summary" in page
    assert 'id="id_name-error"' in page and 'id="id_councils-error"' in page
    assert "at least two" in page
    assert _hubs() == 0
    done = client.post(NEW_HUB, {"name": "Tees MACH", "councils": [stockton.pk, hartlepool.pk]})
    hub = Organisation.objects.get(kind=OrganisationKind.HUB)
    assert done.status_code == 303 and done["Location"] == reverse("hubs:hub", args=[hub.pk])
    assert hub.name == "Tees MACH" and set(hub.serves.all()) == {stockton, hartlepool}
    assert client.get(done["Location"]).status_code == 200


def test_a_hub_not_serving_the_leads_own_council_is_refused_at_the_field(
    client: Client, strategic_lead: User, hartlepool: Council, middlesbrough: Council
) -> None:
    client.force_login(strategic_lead)
    bad = client.post(
        NEW_HUB, {"name": "South Tees", "councils": [hartlepool.pk, middlesbrough.pk]}
    )
    assert bad.status_code == 200 and 'id="id_councils-error"' in bad.content.decode()
    assert "Include Stockton-on-Tees" in bad.content.decode()
    assert _hubs() == 0


@pytest.mark.parametrize("who", ["manager", "worker", "analyst", "officer"])
def test_only_strategic_and_information_governance_leads_record_a_hub(
    who: str, request: pytest.FixtureRequest, client: Client, stockton: Council,
    hartlepool: Council,
) -> None:  # fmt: skip
    client.force_login(request.getfixturevalue(who))
    assert f'href="{NEW_HUB}"' not in client.get(reverse("hubs:list")).content.decode()
    assert client.get(NEW_HUB).status_code == 403
    assert (
        client.post(NEW_HUB, {"name": "X", "councils": [stockton.pk, hartlepool.pk]}).status_code
        == 403
    )
    api = _json(
        client, "post", "/api/v1/hubs", {"name": "X", "councils": [stockton.pk, hartlepool.pk]}
    )
    assert api.status_code == 403
    assert _hubs() == 0


def test_the_api_records_a_hub_and_refuses_by_field(
    client: Client, ig_lead: User, stockton: Council, hartlepool: Council,
    middlesbrough: Council,
) -> None:  # fmt: skip
    client.force_login(ig_lead)
    for body, field in (
        ({"name": "", "councils": [stockton.pk, hartlepool.pk]}, "name"),
        ({"name": "Tees MACH", "councils": [stockton.pk]}, "councils"),
        ({"name": "Tees MACH", "councils": [stockton.pk, 999999]}, "councils"),
        ({"name": "Tees MACH", "councils": [stockton.pk, 2**40]}, "councils"),
    ):
        refused = _json(client, "post", "/api/v1/hubs", body)
        assert refused.status_code == 422, body
        assert field in json.dumps(refused.json()), body
    other = {"name": "South Tees", "councils": [hartlepool.pk, middlesbrough.pk]}
    assert _json(client, "post", "/api/v1/hubs", other).status_code == 403
    assert _hubs() == 0
    done = _json(
        client,
        "post",
        "/api/v1/hubs",
        {"name": "Tees MACH", "councils": [stockton.pk, hartlepool.pk]},
    )
    assert done.status_code == 201
    body = done.json()
    assert body["name"] == "Tees MACH" and body["councils"] == sorted([stockton.pk, hartlepool.pk])
    assert client.get(f"/api/v1/hubs/{body['id']}").status_code == 200
    again = _json(
        client,
        "post",
        "/api/v1/hubs",
        {"name": "tees mach", "councils": [stockton.pk, hartlepool.pk]},
    )
    assert again.status_code == 422 and _hubs() == 1


# --- changing an agreement -----------------------------------------------------------------


def test_a_lead_changes_an_agreement_not_yet_in_force_and_the_sign_offs_are_cleared(
    client: Client, hartlepool_lead: User, pending: DataSharingAgreement, police: Organisation,
    stockton: Council, hartlepool: Council,
) -> None:  # fmt: skip
    client.force_login(hartlepool_lead)
    url = reverse("hubs:amend_agreement", args=[pending.pk])
    agreement_page = client.get(reverse("hubs:agreement", args=[pending.pk])).content.decode()
    assert f'href="{url}"' in agreement_page
    form = client.get(url)
    page = form.content.decode()
    assert form.status_code == 200 and 'data-testid="sign-offs-cleared"' in page
    assert "clears every sign-off" in page and "Stockton-on-Tees" in page
    assert f'value="{pending.title}"' in page.replace("&#x27;", "'")
    services_of = [factories.council_services(c).pk for c in (stockton, hartlepool)]
    starts = TODAY() + timedelta(days=60)
    done = client.post(
        url,
        {
            "version": pending.version,
            "title": "MACH sharing, revised",
            "purpose": "Deciding contacts together",
            "sees_contacts": services_of,
            "decides_contacts": services_of,
            "sees_notifications": [police.pk],
            **_date("starts_on", starts),
        },
    )
    assert done.status_code == 303
    assert done["Location"] == reverse("hubs:agreement", args=[pending.pk])
    pending.refresh_from_db()
    assert pending.title == "MACH sharing, revised" and pending.starts_on == starts
    assert pending.agencies.get(organisation=police).sees_notifications
    assert not pending.agencies.get(organisation=police).sees_contacts
    assert _signed(pending) == 0


def test_bad_changes_are_shown_at_their_fields_and_nothing_is_saved(
    client: Client, strategic_lead: User, pending: DataSharingAgreement, police: Organisation
) -> None:
    client.force_login(strategic_lead)
    url = reverse("hubs:amend_agreement", args=[pending.pk])
    before = (pending.title, pending.starts_on, pending.version)
    bad = client.post(
        url,
        {
            "version": pending.version,
            "title": "",
            "purpose": "Deciding",
            "decides_contacts": [police.pk],
            **_date("starts_on", TODAY() + timedelta(days=10)),
            **_date("ends_on", TODAY() + timedelta(days=5)),
        },
    )
    page = bad.content.decode()
    assert bad.status_code == 200 and "govuk-error-summary" in page
    assert 'id="id_title-error"' in page and 'id="id_ends_on-error"' in page
    assert 'id="id_sees_contacts-error"' in page
    pending.refresh_from_db()
    assert (pending.title, pending.starts_on, pending.version) == before
    assert _signed(pending) == 1 and not pending.agencies.filter(organisation=police).exists()


def test_a_stale_version_is_refused_on_the_page(
    client: Client, strategic_lead: User, pending: DataSharingAgreement
) -> None:
    client.force_login(strategic_lead)
    stale = client.post(
        reverse("hubs:amend_agreement", args=[pending.pk]),
        {
            "version": pending.version + 5,
            "title": "Changed",
            "purpose": "Deciding",
            **_date("starts_on", pending.starts_on),
        },
    )
    assert stale.status_code == 409 and "Someone else changed" in stale.content.decode()
    pending.refresh_from_db()
    assert pending.title != "Changed" and _signed(pending) == 1


def test_an_agreement_in_force_is_not_changed_on_the_page(
    client: Client, strategic_lead: User, in_force: DataSharingAgreement
) -> None:
    client.force_login(strategic_lead)
    url = reverse("hubs:amend_agreement", args=[in_force.pk])
    agreement_page = client.get(reverse("hubs:agreement", args=[in_force.pk])).content.decode()
    assert f'href="{url}"' not in agreement_page
    shown = client.get(url)
    assert (
        shown.status_code == 409 and "only an agreement not yet in force" in shown.content.decode()
    )
    posted = client.post(
        url,
        {
            "version": in_force.version,
            "title": "Changed",
            "purpose": "x",
            **_date("starts_on", TODAY()),
        },
    )
    assert posted.status_code == 409
    in_force.refresh_from_db()
    assert in_force.title != "Changed" and _signed(in_force) == 2


@pytest.mark.parametrize("who", ["manager", "worker"])
def test_staff_who_see_the_agreement_but_do_not_sign_it_may_not_change_it(
    who: str, request: pytest.FixtureRequest, client: Client, pending: DataSharingAgreement
) -> None:
    client.force_login(request.getfixturevalue(who))
    url = reverse("hubs:amend_agreement", args=[pending.pk])
    assert (
        f'href="{url}"'
        not in client.get(reverse("hubs:agreement", args=[pending.pk])).content.decode()
    )
    assert client.get(url).status_code == 403
    body = {
        "version": pending.version,
        "title": "Changed",
        "purpose": "x",
        "starts_on": str(TODAY()),
    }
    assert (
        _json(client, "put", f"/api/v1/data-sharing-agreements/{pending.pk}", body).status_code
        == 403
    )
    pending.refresh_from_db()
    assert pending.title != "Changed" and _signed(pending) == 1


def test_a_lead_of_another_council_finds_no_agreement(
    client: Client, middlesbrough_lead: User, pending: DataSharingAgreement
) -> None:
    client.force_login(middlesbrough_lead)
    assert client.get(reverse("hubs:amend_agreement", args=[pending.pk])).status_code == 404
    body = {
        "version": pending.version,
        "title": "Changed",
        "purpose": "x",
        "starts_on": str(TODAY()),
    }
    assert (
        _json(client, "put", f"/api/v1/data-sharing-agreements/{pending.pk}", body).status_code
        == 404
    )


def test_the_api_changes_an_agreement_and_refuses_by_field_state_and_version(
    client: Client, ig_lead: User, pending: DataSharingAgreement, police: Organisation,
    stockton: Council, hartlepool: Council,
) -> None:  # fmt: skip
    in_force = factories.hub_agreement(
        stockton,
        hartlepool,
        hub=pending.hub,
        reference="MACH-1",
        ends_on=TODAY() + timedelta(days=10),
    )
    client.force_login(ig_lead)
    url = f"/api/v1/data-sharing-agreements/{pending.pk}"
    good = {
        "version": pending.version,
        "title": "Revised",
        "purpose": "Deciding contacts together",
        "starts_on": str(TODAY() + timedelta(days=45)),
    }
    for change, field in (
        ({"title": ""}, "title"),
        ({"starts_on": str(TODAY() - timedelta(days=1))}, "starts_on"),
        ({"ends_on": str(TODAY() + timedelta(days=1))}, "ends_on"),
        ({"agencies": [{"organisation": police.pk, "decides_contacts": True}]}, "agencies"),
        ({"agencies": [{"organisation": 999999, "sees_contacts": True}]}, "agencies"),
        ({"version": None}, "version"),
    ):
        refused = _json(client, "put", url, {**good, **change})
        assert refused.status_code == 422, change
        assert field in json.dumps(refused.json()), change
    stale = _json(client, "put", url, {**good, "version": pending.version + 1})
    assert stale.status_code == 409
    pending.refresh_from_db()
    assert pending.title != "Revised" and _signed(pending) == 1

    in_force_put = _json(
        client,
        "put",
        f"/api/v1/data-sharing-agreements/{in_force.pk}",
        {**good, "version": in_force.version},
    )
    assert in_force_put.status_code == 409
    in_force.refresh_from_db()
    assert in_force.title != "Revised" and _signed(in_force) == 2

    agencies_before = set(pending.agencies.values_list("organisation_id", flat=True))
    done = _json(client, "put", url, good)
    assert done.status_code == 200
    body = done.json()
    assert body["title"] == "Revised" and body["version"] == pending.version + 1
    assert body["state"] == "being_signed_off"
    assert all(p["signed_off_on"] is None for p in body["parties"])
    assert {a["organisation"] for a in body["agencies"]} == agencies_before
    with_police = _json(
        client,
        "put",
        url,
        {
            **good,
            "version": body["version"],
            "agencies": [{"organisation": police.pk, "sees_notifications": True}],
        },
    )
    assert with_police.status_code == 200
    assert [a["organisation"] for a in with_police.json()["agencies"]] == [police.pk]
