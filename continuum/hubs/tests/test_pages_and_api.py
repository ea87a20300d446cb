"""The hubs' pages and API: who sees a hub and its agreements, recording an agreement, a
sign-off, an end and a placement on pages (errors at their fields) and over the API (422,
403, 404, 409), each refusal saving nothing."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import Role, User
from continuum.hubs.models import AgreementCouncil, DataSharingAgreement, HubPlacement
from continuum.organisations.models import Council, Organisation
from continuum.testing import factories

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
LIST = reverse("hubs:list")


def _post_json(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


def _date(name: str, day: Any) -> dict[str, Any]:
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


@pytest.mark.parametrize(
    "who", ["strategic_lead", "manager", "worker", "ig_lead", "hartlepool_manager"]
)
def test_party_councils_staff_see_the_hub_and_its_agreement(
    who: str, request: pytest.FixtureRequest, client: Client, in_force: DataSharingAgreement
) -> None:
    client.force_login(request.getfixturevalue(who))
    page = client.get(LIST).content.decode()
    assert "Hartlepool and Stockton MACH" in page and "In force" in page
    hub_page = client.get(reverse("hubs:hub", args=[in_force.hub_id]))
    assert hub_page.status_code == 200 and 'data-testid="agencies"' in hub_page.content.decode()
    agreement = client.get(reverse("hubs:agreement", args=[in_force.pk])).content.decode()
    assert "MACH-1" in agreement and "Director of Children&#x27;s Services" in agreement
    assert client.get("/api/v1/hubs").json()["count"] == 1
    body = client.get(f"/api/v1/data-sharing-agreements/{in_force.pk}").json()
    assert body["state"] == "in_force" and len(body["parties"]) == 2


@pytest.mark.parametrize("who", ["teacher", "analyst", "eh_worker", "middlesbrough_lead"])
def test_others_see_no_hub(
    who: str, request: pytest.FixtureRequest, client: Client, in_force: DataSharingAgreement
) -> None:
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("hubs:hub", args=[in_force.hub_id])).status_code in (403, 404)
    assert client.get(reverse("hubs:agreement", args=[in_force.pk])).status_code in (403, 404)
    assert client.get(f"/api/v1/hubs/{in_force.hub_id}").status_code == 404
    assert client.get(f"/api/v1/data-sharing-agreements/{in_force.pk}").status_code == 404
    assert client.get("/api/v1/data-sharing-agreements").json()["count"] == 0


def test_the_partnership_lead_and_placed_staff_see_the_hub(
    client: Client, make_user: Any, in_force: DataSharingAgreement, police: Organisation
) -> None:
    lead = make_user(Role.SAFEGUARDING_PARTNERSHIP_LEAD, username="lead.partnership")
    officer = make_user(Role.PARTNER_PRACTITIONER, organisation=police, username="pc.placed")
    factories.HubPlacementFactory(hub=in_force.hub, user=officer)
    for who in (lead, officer):
        client.force_login(who)
        assert client.get(reverse("hubs:agreement", args=[in_force.pk])).status_code == 200
        assert 'href="/hubs/"' in client.get("/").content.decode()


def test_a_lead_records_an_agreement_on_the_page_and_errors_show_at_their_fields(
    client: Client, strategic_lead: User, mach: Organisation, stockton: Council,
    hartlepool: Council, police: Organisation,
) -> None:  # fmt: skip
    client.force_login(strategic_lead)
    url = reverse("hubs:new_agreement", args=[mach.pk])
    assert client.get(url).status_code == 200
    bad = client.post(
        url,
        {
            "reference": "",
            "councils": [stockton.pk, hartlepool.pk],
            "decides_contacts": [police.pk],
            **_date("starts_on", TODAY()),
        },
    )
    page = bad.content.decode()
    assert bad.status_code == 200 and "govuk-error-summary" in page
    assert 'id="id_reference-error"' in page
    assert "only a council&#x27;s children&#x27;s services decide" in page
    assert not DataSharingAgreement.objects.exists()
    services_of = [factories.council_services(c).pk for c in (stockton, hartlepool)]
    done = client.post(
        url,
        {
            "reference": "MACH-9",
            "title": "MACH sharing",
            "purpose": "Deciding contacts",
            "councils": [stockton.pk, hartlepool.pk],
            "sees_contacts": services_of,
            "decides_contacts": services_of,
            "sees_notifications": [police.pk],
            **_date("starts_on", TODAY()),
        },
    )
    agreement = DataSharingAgreement.objects.get()
    assert done.status_code == 303 and done["Location"] == reverse(
        "hubs:agreement", args=[agreement.pk]
    )
    assert agreement.agencies.get(organisation=police).sees_notifications


def test_an_overlapping_agreement_is_refused_on_the_page_naming_the_other(
    client: Client, strategic_lead: User, in_force: DataSharingAgreement, stockton: Council,
    hartlepool: Council,
) -> None:  # fmt: skip
    client.force_login(strategic_lead)
    response = client.post(
        reverse("hubs:new_agreement", args=[in_force.hub_id]),
        {
            "reference": "MACH-2",
            "title": "T",
            "purpose": "P",
            "councils": [stockton.pk, hartlepool.pk],
            "sees_contacts": [factories.council_services(stockton).pk],
            **_date("starts_on", TODAY()),
        },
    )
    page = response.content.decode()
    assert 'id="id_starts_on-error"' in page and "MACH-1" in page
    assert DataSharingAgreement.objects.count() == 1


def test_sign_off_and_end_on_the_pages(
    client: Client, strategic_lead: User, stockton: Council, hartlepool: Council,
    mach: Organisation,
) -> None:  # fmt: skip
    agreement = factories.hub_agreement(stockton, hartlepool, hub=mach, signed=False)
    client.force_login(strategic_lead)
    url = reverse("hubs:sign_off", args=[agreement.pk, stockton.pk])
    bad = client.post(url, {"signatory_name": "", **_date("signed_on", TODAY())})
    assert 'id="id_signatory_name-error"' in bad.content.decode()
    done = client.post(
        url,
        {"signatory_name": "A Director", "signatory_role": "DCS", **_date("signed_on", TODAY())},
    )
    assert done.status_code == 303
    assert AgreementCouncil.objects.get(agreement=agreement, council=stockton).signed_off
    other = reverse("hubs:sign_off", args=[agreement.pk, hartlepool.pk])
    assert client.get(other).status_code == 403
    end = reverse("hubs:end_agreement", args=[agreement.pk])
    bad = client.post(end, {"version": agreement.version, "reason": ""})
    assert 'id="id_reason-error"' in bad.content.decode()
    done = client.post(
        end, {"version": agreement.version, "reason": "Replaced", **_date("ends_on", TODAY())}
    )
    assert done.status_code == 303
    agreement.refresh_from_db()
    assert agreement.ends_on == TODAY()


def test_a_manager_places_and_ends_a_placement_on_the_pages(
    client: Client, manager: User, worker: User, in_force: DataSharingAgreement
) -> None:
    client.force_login(manager)
    url = reverse("hubs:place", args=[in_force.hub_id])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"user": worker.pk})
    assert 'id="id_starts_on-error"' in bad.content.decode()
    assert not HubPlacement.objects.exists()
    assert client.post(url, {"user": worker.pk, **_date("starts_on", TODAY())}).status_code == 303
    placement = HubPlacement.objects.get()
    hub_page = client.get(reverse("hubs:hub", args=[in_force.hub_id])).content.decode()
    assert reverse("hubs:end_placement", args=[placement.pk]) in hub_page
    end = reverse("hubs:end_placement", args=[placement.pk])
    assert client.post(end, _date("ends_on", TODAY())).status_code == 303
    placement.refresh_from_db()
    assert placement.ends_on == TODAY()


# --- the API --------------------------------------------------------------------------------


def test_the_api_records_an_agreement_and_refuses_bad_input_with_422(
    client: Client, strategic_lead: User, mach: Organisation, stockton: Council,
    hartlepool: Council, police: Organisation,
) -> None:  # fmt: skip
    client.force_login(strategic_lead)
    body: dict[str, Any] = {
        "hub": mach.pk,
        "reference": "MACH-5",
        "title": "T",
        "purpose": "P",
        "councils": [stockton.pk, hartlepool.pk],
        "agencies": [{"organisation": police.pk, "sees_contacts": True, "decides_contacts": True}],
        "starts_on": str(TODAY()),
    }
    refused = _post_json(client, "/api/v1/data-sharing-agreements", body)
    assert refused.status_code == 422
    assert [e["loc"][-1] for e in refused.json()["detail"]] == ["agencies"]
    assert not DataSharingAgreement.objects.exists()
    body["agencies"][0]["decides_contacts"] = False
    made = _post_json(client, "/api/v1/data-sharing-agreements", body)
    assert made.status_code == 201 and made.json()["state"] == "being_signed_off"
    agreement_id = made.json()["id"]
    overlapping = _post_json(client, "/api/v1/data-sharing-agreements", body | {"reference": "X"})
    assert overlapping.status_code == 422 and "MACH-5" in overlapping.content.decode()
    url = f"/api/v1/data-sharing-agreements/{agreement_id}/sign-off"
    sign = {"council": stockton.pk, "signatory_name": "D", "signatory_role": "DCS"}
    assert _post_json(client, url, sign).status_code == 422
    sign["signed_on"] = str(TODAY())
    assert _post_json(client, url, sign).status_code == 200
    assert _post_json(client, url, sign).status_code == 409
    assert _post_json(client, url, sign | {"council": hartlepool.pk}).status_code == 403


def test_the_api_ends_an_agreement_with_409_for_a_stale_version(
    client: Client, strategic_lead: User, manager: User, in_force: DataSharingAgreement
) -> None:
    url = f"/api/v1/data-sharing-agreements/{in_force.pk}/end"
    body = {"version": 1, "ends_on": str(TODAY()), "reason": "Replaced"}
    client.force_login(manager)
    assert _post_json(client, url, body).status_code == 403
    client.force_login(strategic_lead)
    assert _post_json(client, url, body | {"version": 7}).status_code == 409
    in_force.refresh_from_db()
    assert in_force.ends_on is None
    answer = _post_json(client, url, body)
    assert answer.status_code == 200 and answer.json()["ends_on"] == str(TODAY())
    later = str(TODAY() + timedelta(days=1))
    extended = _post_json(client, url, body | {"version": 2, "ends_on": later})
    assert extended.status_code == 422 and "never extended" in extended.content.decode()


def test_the_api_places_and_ends_a_placement(
    client: Client, manager: User, worker: User, teacher: User, in_force: DataSharingAgreement
) -> None:
    client.force_login(manager)
    body = {"hub": in_force.hub_id, "user": teacher.pk, "starts_on": str(TODAY())}
    refused = _post_json(client, "/api/v1/hub-placements", body)
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"][-1] == "user"
    assert _post_json(client, "/api/v1/hub-placements", body | {"hub": 999999}).status_code == 422
    made = _post_json(client, "/api/v1/hub-placements", body | {"user": worker.pk})
    assert made.status_code == 201
    assert client.get("/api/v1/hub-placements").json()["count"] == 1
    end = f"/api/v1/hub-placements/{made.json()['id']}/end"
    assert _post_json(client, end, {}).status_code == 422
    assert _post_json(client, end, {"ends_on": str(TODAY())}).status_code == 200
    assert _post_json(client, "/api/v1/hub-placements/999999/end", {}).status_code == 404
    assert HubPlacement.objects.get().ends_on == TODAY()
