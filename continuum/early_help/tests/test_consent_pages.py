"""The consent on an episode's pages and API: the opening forms refuse by field and save
nothing, the Consent tab shows each family member's agreement and the review due, and a
team manager decides the review on its page or over the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from continuum.access.models import InvolvementReason
from continuum.accounts.models import User
from continuum.audit.models import AccessLogEntry
from continuum.consent.choices import ObtainedHow
from continuum.consent.services import withdraw_consent
from continuum.early_help.models import ConsentReview, Episode
from continuum.early_help.tests.builders import (
    Family,
    Place,
    agree_to_early_help,
    decided_for_early_help,
)
from continuum.front_door.choices import LawfulBasis
from continuum.testing import factories

pytestmark = pytest.mark.django_db


def _place_posted(place: Place, family: Family) -> dict[str, Any]:
    return {
        "household": str(family.household.pk),
        "locality": place.locality.pk,
        "team": place.team.pk,
    }


def test_opening_from_the_front_door_shows_the_consent_and_refuses_by_field(
    client: Client, manager: User, stockton_place: Place, family: Family
) -> None:
    decision = decided_for_early_help(stockton_place.council, family, manager)
    client.force_login(manager)
    url = reverse("early_help:open-from-decision", args=[decision.pk])
    page = client.get(url).content.decode()
    assert "Consent on the contact" in page
    assert "The family&#x27;s consent" in page or "The family's consent" in page
    assert "No consent recorded" in page

    refused = client.post(url, {**_place_posted(stockton_place, family), "consent": "lawful_basis"})
    assert refused.status_code == 200
    text = refused.content.decode()
    assert "The family has not agreed: select the lawful basis for early help without it." in text
    assert "Explain why early help without the family" in text
    assert not Episode.objects.exists()

    opened = client.post(url, {**_place_posted(stockton_place, family), "consent": "agreed"})
    assert opened.status_code == 302
    assert Episode.objects.get().consent_ground == "referral"


def test_a_partner_starting_early_help_must_answer_about_consent(
    client: Client, teacher: User, eh_worker: User, stockton_place: Place, family: Family
) -> None:
    factories.InvolvementFactory.create(
        user=teacher, person=family.child, reason=InvolvementReason.REFERRER
    )
    client.force_login(teacher)
    posted = {
        **_place_posted(stockton_place, family),
        "children": [str(family.child.pk)],
        "reason_for_request": "Attendance has fallen.",
    }
    refused = client.post(reverse("early_help:start"), posted)
    assert "Select whether the family agrees to early help." in refused.content.decode()
    refused = client.post(reverse("early_help:start"), {**posted, "consent": "agreed"})
    assert "Nobody in the family has agreement to early help recorded" in (refused.content.decode())
    assert not Episode.objects.exists()
    agree_to_early_help(family, eh_worker)
    started = client.post(reverse("early_help:start"), {**posted, "consent": "agreed"})
    assert started.status_code == 302
    assert Episode.objects.get().consent_ground == "agreement"


def test_the_api_refuses_opening_without_consent_by_field(
    client: Client, manager: User, stockton_place: Place, family: Family
) -> None:
    client.force_login(manager)
    body = {
        "origin": "step_down",
        **_place_posted(stockton_place, family),
        "children": [str(family.child.pk)],
        "level": 3,
        "social_care_history": "Child in need plan ended.",
        "reason_for_request": "Continued support.",
        "consent": "lawful_basis",
        "lawful_basis": "consent",
    }
    refused = client.post("/api/v1/episodes", body, content_type="application/json")
    assert refused.status_code == 422
    fields = {tuple(e["loc"])[-1] for e in refused.json()["detail"]}
    assert fields == {"lawful_basis", "lawful_basis_justification"}
    assert not Episode.objects.exists()
    body.update(lawful_basis=LawfulBasis.PUBLIC_TASK, lawful_basis_justification="Risk at home.")
    made = client.post("/api/v1/episodes", body, content_type="application/json")
    assert made.status_code == 201
    assert made.json()["consent_ground"] == "lawful_basis"
    assert made.json()["lawful_basis"] == LawfulBasis.PUBLIC_TASK


@pytest.fixture
def withdrawn(manager: User, eh_worker: User, stockton_place: Place, family: Family) -> Episode:
    from continuum.early_help import services

    parent_consent, _ = agree_to_early_help(family, eh_worker)
    decision = decided_for_early_help(stockton_place.council, family, manager)
    episode = services.open_episode_from_decision(
        decision=decision,
        place=services.EpisodePlace(
            council=stockton_place.council,
            locality=stockton_place.locality,
            team=stockton_place.team,
            household=family.household,
        ),
        opened_by=manager,
    )
    withdraw_consent(
        by=eh_worker,
        consent=parent_consent,
        withdrawn_on=timezone.localdate(),
        told_how=ObtainedHow.PHONE,
        early_help=True,
    )
    return episode


def test_the_consent_tab_shows_each_member_and_the_review_due(
    client: Client, manager: User, family: Family, withdrawn: Episode
) -> None:
    client.force_login(manager)
    before = AccessLogEntry.objects.count()
    page = client.get(reverse("early_help:consent", args=[withdrawn.pk])).content.decode()
    assert "Jodie Rowntree" in page and "Maisie Rowntree" in page
    assert "Withdrawn" in page
    assert "A manager&#x27;s review is due" in page or "A manager's review is due" in page
    assert "Decide the review" in page
    # One row for the child (the episode's pages) and one for the parent shown.
    assert AccessLogEntry.objects.count() - before == 2
    summary = client.get(reverse("early_help:episode", args=[withdrawn.pk])).content.decode()
    assert "A team manager reviews it by" in summary
    assert "The family&#x27;s agreement to early help" in summary


def test_a_manager_decides_the_review_on_its_page(
    client: Client, manager: User, eh_worker: User, withdrawn: Episode
) -> None:
    review = ConsentReview.objects.get()
    url = reverse("early_help:consent-review", args=[withdrawn.pk, review.pk])
    client.force_login(eh_worker)
    assert client.get(url).status_code == 200
    assert client.post(url, {"decision": "close"}).status_code == 403
    client.force_login(manager)
    refused = client.post(url, {"decision": "continue", "lawful_basis": ""})
    assert refused.status_code == 200
    assert "Explain why early help without the family" in refused.content.decode()
    review.refresh_from_db()
    assert review.is_pending
    decided = client.post(
        url,
        {
            "decision": "continue",
            "lawful_basis": LawfulBasis.PUBLIC_TASK,
            "justification": "Attendance is below half and falling.",
        },
    )
    assert decided.status_code == 302
    withdrawn.refresh_from_db()
    assert withdrawn.lawful_basis == LawfulBasis.PUBLIC_TASK


def test_the_review_over_the_api(
    client: Client, manager: User, eh_worker: User, withdrawn: Episode
) -> None:
    review = ConsentReview.objects.get()
    base = f"/api/v1/episodes/{withdrawn.pk}"
    client.force_login(eh_worker)
    consent = client.get(f"{base}/consent").json()
    assert consent["reviews"][0]["decision"] == "pending"
    assert {m["early_help"] for m in consent["family"]} == {"Withdrawn", "Agreed"}
    decide = f"{base}/consent-reviews/{review.pk}/decision"
    assert (
        client.post(decide, {"decision": "close"}, content_type="application/json").status_code
        == 403
    )
    client.force_login(manager)
    bad = client.post(decide, {"decision": "later"}, content_type="application/json")
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"][-1] == "decision"
    done = client.post(decide, {"decision": "close"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["decision"] == "close"
    again = client.post(decide, {"decision": "close"}, content_type="application/json")
    assert again.status_code == 409
    assert client.get(f"{base}/consent-reviews/{review.pk}").json()["decision"] == "close"


def test_adding_a_partner_the_family_did_not_agree_to_share_with_is_refused_on_page_and_api(
    client: Client,
    manager: User,
    eh_worker: User,
    officer: User,
    teacher: User,
    school: Any,
    stockton_place: Place,
    family: Family,
) -> None:
    from continuum.early_help import services

    agree_to_early_help(family, eh_worker, taf=False, agencies=[school])
    decision = decided_for_early_help(stockton_place.council, family, manager)
    episode = services.open_episode_from_decision(
        decision=decision,
        place=services.EpisodePlace(
            council=stockton_place.council,
            locality=stockton_place.locality,
            team=stockton_place.team,
            household=family.household,
        ),
        opened_by=manager,
    )
    client.force_login(manager)
    page = client.post(
        reverse("early_help:taf-member-new", args=[episode.pk]), {"user": officer.pk}
    )
    assert page.status_code == 200
    assert "has not agreed to share information with Test Cleveland Police" in page.content.decode()
    api = f"/api/v1/episodes/{episode.pk}/taf-members"
    refused = client.post(api, {"user": officer.pk}, content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"][-1] == "user"
    assert "Cleveland" in refused.json()["detail"][0]["msg"]
    assert not episode.taf_members.exists()
    added = client.post(api, {"user": teacher.pk}, content_type="application/json")
    assert added.status_code == 201
