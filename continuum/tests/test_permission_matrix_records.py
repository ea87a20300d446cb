"""The permission matrix for a front-door contact, a police domestic-abuse notification and
an early help episode: permission_matrix.csv's rows for each drive one test per row, which
builds the situation (``matrix.situations``) and checks the record's page, its API detail
and list, the list page that links to it, and the work the row allows or refuses
(``matrix.checks``). A restricted child the user is not listed for is never named."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from continuum.access import policy
from continuum.early_help.models import Assessment
from continuum.front_door.models import ContactDecision
from continuum.front_door.policies import FrontDoorAction
from continuum.front_door.tests import triage_support
from continuum.organisations.models import Council
from continuum.statutory.choices import InvolvementKind
from continuum.statutory.models import StatutoryInvolvement
from continuum.tests.matrix.checks import RecordCheck, signed_in
from continuum.tests.matrix.rows import (
    CONTACT_ROWS,
    EPISODE_ROWS,
    NOTIFICATION_ROWS,
    REFERRAL_ROWS,
    Row,
)
from continuum.tests.matrix.situations import (
    build_contact,
    build_episode,
    build_notification,
    build_referral,
)


@pytest.mark.parametrize("row", CONTACT_ROWS, ids=[row.id for row in CONTACT_ROWS])
def test_contact_permission_matrix(
    row: Row, stockton: Council, hartlepool: Council, shared_client: Client
) -> None:
    user, contact = build_contact(row, stockton, hartlepool)
    client = signed_in(shared_client, user)
    check = RecordCheck(client, row)
    check.page("front_door:contact", contact.pk)
    check.api_detail(f"/api/v1/contacts/{contact.pk}", contact.pk)
    check.api_list("/api/v1/contacts", contact.pk)
    check.listed_on_page(
        "queue",
        reverse("front_door:queue"),
        reverse("front_door:contact", kwargs={"pk": contact.pk}),
    )
    url = f"/api/v1/contacts/{contact.pk}/decision"
    decision = {
        "level": 2,
        "indicator_codes": triage_support.indicator_codes(2),
        "outcome": "eh_single",
        "rationale": "School and family support worker can help the family together.",
        "version": contact.version,
    }
    status = client.post(url, decision, content_type="application/json").status_code
    saved = ContactDecision.objects.filter(contact=contact).exists()
    check.work("decide", f"POST {url}", status, 200, saved)
    check.in_full(
        policy.can(user, FrontDoorAction.FOLLOW_CONTACT, contact), "FOLLOW_CONTACT policy"
    )
    check.assert_as_expected()


@pytest.mark.parametrize("row", NOTIFICATION_ROWS, ids=[row.id for row in NOTIFICATION_ROWS])
def test_notification_permission_matrix(
    row: Row, stockton: Council, hartlepool: Council, shared_client: Client
) -> None:
    user, notification = build_notification(row, stockton, hartlepool)
    check = RecordCheck(signed_in(shared_client, user), row)
    page = check.page("front_door:notification", notification.pk)
    api = check.api_detail(
        f"/api/v1/domestic-abuse-notifications/{notification.pk}", notification.pk
    )
    in_full = policy.can(user, FrontDoorAction.VIEW_NOTIFICATION_IN_FULL, notification)
    check.in_full(in_full, "VIEW_NOTIFICATION_IN_FULL policy")
    if api:
        check.in_full(json.loads(api)["in_full"], "GET /api/v1/domestic-abuse-notifications/{id}")
    if page:
        check.in_full("Incident on" in page, "the notification page")
    check.api_list("/api/v1/domestic-abuse-notifications", notification.pk)
    check.listed_on_page(
        "search",
        reverse("front_door:notifications"),
        reverse("front_door:notification", kwargs={"pk": notification.pk}),
    )
    check.assert_as_expected()


@pytest.mark.parametrize("row", EPISODE_ROWS, ids=[row.id for row in EPISODE_ROWS])
def test_episode_permission_matrix(
    row: Row, stockton: Council, hartlepool: Council, shared_client: Client
) -> None:
    user, episode, child = build_episode(row, stockton, hartlepool)
    client = signed_in(shared_client, user)
    check = RecordCheck(client, row)
    check.page("early_help:episode", episode.pk)
    api = check.api_detail(f"/api/v1/episodes/{episode.pk}", episode.pk)
    if row.restricted == "unlisted":
        check.not_named("GET /api/v1/episodes/{id}", api, child)
    check.api_list("/api/v1/episodes", episode.pk)
    url = f"/api/v1/episodes/{episode.pk}/assessment"
    status = client.post(url, {}, content_type="application/json").status_code
    saved = Assessment.objects.filter(episode=episode).exists()
    check.work("work", f"POST {url}", status, 201, saved)
    check.assert_as_expected()


@pytest.mark.parametrize("relationship", ["lead_professional", "taf_member"])
def test_an_episode_page_does_not_name_a_restricted_child_to_those_not_listed(
    relationship: str, stockton: Council, hartlepool: Council, shared_client: Client
) -> None:
    row = next(
        row
        for row in EPISODE_ROWS
        if row.relationship == relationship and row.restricted == "unlisted"
    )
    user, episode, child = build_episode(row, stockton, hartlepool)
    check = RecordCheck(signed_in(shared_client, user), row)
    check.not_named("the episode page", check.page("early_help:episode", episode.pk), child)
    check.assert_as_expected()


@pytest.mark.parametrize("row", REFERRAL_ROWS, ids=[row.id for row in REFERRAL_ROWS])
def test_referral_permission_matrix(
    row: Row, stockton: Council, hartlepool: Council, shared_client: Client
) -> None:
    """A referral to children's social care: its page, its API detail, the child's
    statutory tab (as the page) and recording an assessment on it (work)."""
    user, referral, child = build_referral(row, stockton, hartlepool)
    client = signed_in(shared_client, user)
    check = RecordCheck(client, row)
    check.page("statutory:referral", referral.pk)
    check.page("statutory:person", child.pk)
    check.api_detail(f"/api/v1/statutory/referrals/{referral.pk}", referral.pk)
    url = f"/api/v1/statutory/referrals/{referral.pk}/assessments"
    body = {"start_date": timezone.localdate().isoformat()}
    status = client.post(url, body, content_type="application/json").status_code
    saved = StatutoryInvolvement.objects.filter(
        referral=referral, kind=InvolvementKind.ASSESSMENT
    ).exists()
    check.work("work", f"POST {url}", status, 201, saved)
    check.assert_as_expected()
