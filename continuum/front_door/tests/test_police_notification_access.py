"""Police see a domestic-abuse notification only while they need to (issue 10, finding 7).

The officer who made it and the force's joint triage team read it in full until
``POLICE_NOTIFICATION_ACCESS_DAYS`` (28) days after triage; after that, and for the rest of
the force, only what the force needs: its reference and the outcome (page, API and lists),
never names, dates of birth, the summary or safety plans. Restriction of a person it names
hides it from police not on that person's access list.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any, cast

import pytest
from django.test import Client
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import Role, User
from continuum.front_door import services
from continuum.front_door.models import DomesticAbuseNotification, TriageOutcome
from continuum.front_door.tests import triage_support
from continuum.organisations.models import Council, Organisation, Team
from continuum.testing import factories

SAFETY_PLAN = "Victim to stay with her sister; the school told to expect a change of route."
SUMMARY = "Shouting heard by neighbours; the children were upstairs."


@pytest.fixture
def colleague_officer(make_user: Callable[..., User], police: Organisation) -> User:
    """Another officer of the same force, not in its triage team."""
    return make_user(Role.PARTNER_PRACTITIONER, organisation=police, username="police.other")


@pytest.fixture
def triage_officer(make_user: Callable[..., User], police: Organisation) -> User:
    """An officer in the force's joint domestic-abuse triage team."""
    user = make_user(Role.PARTNER_PRACTITIONER, organisation=police, username="police.triage")
    team = cast(
        Team, factories.TeamFactory(organisation=police, name="Joint triage", joint_triage=True)
    )
    user.teams.add(team)
    return user


@pytest.fixture
def notification(officer: User, stockton: Council) -> DomesticAbuseNotification:
    return triage_support.notify(by=officer, council=stockton)


def triaged(notification: DomesticAbuseNotification, worker: User, days_ago: int) -> None:
    meeting = triage_support.meeting(by=worker, council=notification.council)
    services.triage_notification(
        notification=notification,
        meeting=meeting,
        by=worker,
        expected_version=notification.version,
        safety_planning=SAFETY_PLAN,
        marac_referral=False,
        no_marac_reason="Medium risk, first incident reported.",
        create_children_contact=False,
    )
    TriageOutcome.objects.filter(notification=notification).update(
        recorded_at=timezone.now() - timedelta(days=days_ago)
    )


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(user: User, notification: DomesticAbuseNotification) -> str:
    response = signed_in(user).get(f"/front-door/domestic-abuse/{notification.pk}/")
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def api(user: User, notification: DomesticAbuseNotification) -> dict[str, Any]:
    response = signed_in(user).get(f"/api/v1/domestic-abuse-notifications/{notification.pk}")
    assert response.status_code == 200, response.content
    return dict(response.json())


def listed(user: User) -> str:
    return signed_in(user).get("/front-door/domestic-abuse/").content.decode()


def listed_api(user: User) -> list[dict[str, Any]]:
    response = signed_in(user).get("/api/v1/domestic-abuse-notifications")
    assert response.status_code == 200
    return list(response.json()["items"])


def in_full(user: User, notification: DomesticAbuseNotification) -> bool:
    return policy.can(user, "front_door.view_notification_in_full", notification)


def test_the_officer_and_the_triage_team_read_it_in_full_until_28_days_after_triage(
    notification: DomesticAbuseNotification,
    officer: User,
    triage_officer: User,
    worker: User,
) -> None:
    assert in_full(officer, notification) and in_full(triage_officer, notification)
    triaged(notification, worker, days_ago=27)
    for reader in (officer, triage_officer):
        assert "Vic Tim" in page(reader, notification)
        assert SAFETY_PLAN in page(reader, notification)
        assert api(reader, notification)["triage"]["safety_planning"] == SAFETY_PLAN


def test_after_the_period_the_force_sees_only_its_reference_and_the_outcome(
    notification: DomesticAbuseNotification,
    officer: User,
    triage_officer: User,
    worker: User,
) -> None:
    triaged(notification, worker, days_ago=29)
    for reader in (officer, triage_officer):
        assert not in_full(reader, notification)
        html = page(reader, notification)
        assert "Vic Tim" not in html
        assert "Perry Trator" not in html
        assert SAFETY_PLAN not in html
        assert SUMMARY not in html
        assert "4471" in html  # the force's own reference: the reporting officer's number
        assert "No MARAC referral" in html or "MARAC referral" in html
        body = api(reader, notification)
        assert body["in_full"] is False
        assert body["victim"] is None
        assert body["alleged_perpetrator"] is None
        assert body["children"] == []
        assert body["summary"] == ""
        assert body["triage"]["safety_planning"] == ""
        assert body["triage"]["marac_referral"] is False
        assert SAFETY_PLAN not in str(body)
        # Lists too.
        assert "Vic Tim" not in listed(reader)
        assert SAFETY_PLAN[:30] not in listed(reader)
        (item,) = listed_api(reader)
        assert item["victim"] is None and item["triage"]["safety_planning"] == ""


def test_the_period_is_a_setting(
    notification: DomesticAbuseNotification, officer: User, worker: User, settings: Any
) -> None:
    triaged(notification, worker, days_ago=10)
    settings.POLICE_NOTIFICATION_ACCESS_DAYS = 7
    assert not in_full(officer, notification)
    settings.POLICE_NOTIFICATION_ACCESS_DAYS = 14
    assert in_full(officer, notification)


def test_the_rest_of_the_force_never_reads_it_in_full(
    notification: DomesticAbuseNotification, colleague_officer: User
) -> None:
    assert policy.visible(colleague_officer, DomesticAbuseNotification).count() == 1
    assert not in_full(colleague_officer, notification)
    assert "Vic Tim" not in page(colleague_officer, notification)
    assert api(colleague_officer, notification)["victim"] is None


def test_the_council_front_door_still_reads_it_in_full_after_the_period(
    notification: DomesticAbuseNotification, worker: User
) -> None:
    triaged(notification, worker, days_ago=400)
    assert "Vic Tim" in page(worker, notification)
    assert api(worker, notification)["triage"]["safety_planning"] == SAFETY_PLAN


def test_restricting_the_victim_hides_the_notification_from_police(
    notification: DomesticAbuseNotification, officer: User, triage_officer: User
) -> None:
    victim = notification.victim
    victim.is_restricted = True
    victim.save()
    for reader in (officer, triage_officer):
        assert not policy.visible(reader, DomesticAbuseNotification).exists()
        assert (
            signed_in(reader).get(f"/front-door/domestic-abuse/{notification.pk}/").status_code
            == 404
        )
        assert (
            signed_in(reader)
            .get(f"/api/v1/domestic-abuse-notifications/{notification.pk}")
            .status_code
            == 404
        )
        assert listed_api(reader) == []
    # Put on the victim's access list, the officer who made it sees it again.
    factories.RestrictedAccessFactory(person=victim, user=officer)
    assert policy.visible(officer, DomesticAbuseNotification).exists()
