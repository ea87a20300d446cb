"""Closing an episode with a manager's sign-off (issue 12, rough edge 8): the worker asks, a
team manager agrees (the episode closes) or does not, with a reason the worker sees;
councils may turn the sign-off off; closing very soon after the plan started asks for
confirmation; bad input and the wrong people change nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import User
from continuum.audit.models import AccessLogEntry
from continuum.early_help import services
from continuum.early_help.choices import ClosureSignOff, EpisodeStatus
from continuum.early_help.models import Closure, ClosureRequest, EarlyHelpSettings, Episode
from continuum.early_help.tests import support
from continuum.early_help.tests.api_support import Api, named_fields, ok
from continuum.early_help.tests.api_support import url as api_url
from continuum.early_help.tests.builders import Family
from continuum.early_help.tests.views_support import on, url
from continuum.errors import InvalidState


def _planned(episode: Episode, family: Family, manager: User, lead: User) -> Episode:
    support.allocated(episode, lead=lead, manager=manager)
    support.assessed(episode, lead=lead, child=family.child)
    support.planned(episode, lead=lead)
    episode.refresh_from_db()
    return episode


def _ask(
    episode: Episode, by: User, *, early_closure_confirmed: bool = False
) -> Closure | ClosureRequest:
    need = episode.needs.get()
    return services.request_closure(
        episode=episode,
        by=by,
        expected_version=episode.version,
        reason="needs_met",
        need_outcomes={need.pk: "achieved"},
        closure_scores={need.pk: 8},
        open_actions_become="cancelled",
        open_actions_resolution="No longer needed: mornings are calm now.",
        early_closure_confirmed=early_closure_confirmed,
    )


def test_a_workers_closure_waits_for_a_manager_who_agrees(
    episode: Episode, family: Family, manager: User, vcs_worker: User
) -> None:
    episode = _planned(episode, family, manager, vcs_worker)
    asked = _ask(episode, vcs_worker, early_closure_confirmed=True)
    assert isinstance(asked, ClosureRequest)
    assert asked.decision == ClosureSignOff.PENDING
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.PLAN and not Closure.objects.exists()
    # A second request while one waits is refused.
    with pytest.raises(InvalidState):
        _ask(episode, vcs_worker, early_closure_confirmed=True)

    services.decide_closure(
        closure_request=asked, manager=manager, agree=True, expected_version=episode.version
    )
    episode.refresh_from_db()
    asked.refresh_from_db()
    assert episode.status == EpisodeStatus.CLOSED
    assert asked.decision == ClosureSignOff.AGREED and asked.decided_by == manager
    assert Closure.objects.get(episode=episode).summary == ""
    with pytest.raises(InvalidState):
        services.decide_closure(
            closure_request=asked, manager=manager, agree=True, expected_version=episode.version
        )


def test_a_manager_who_does_not_agree_says_why_and_the_episode_stays_open(
    client: Client, episode: Episode, family: Family, manager: User, vcs_worker: User
) -> None:
    episode = _planned(episode, family, manager, vcs_worker)
    asked = _ask(episode, vcs_worker, early_closure_confirmed=True)
    assert isinstance(asked, ClosureRequest)
    episode.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.decide_closure(
            closure_request=asked,
            manager=manager,
            agree=False,
            reason=" ",
            expected_version=episode.version,
        )
    assert "decision_reason" in refused.value.message_dict
    asked.refresh_from_db()
    assert asked.decision == ClosureSignOff.PENDING

    client.force_login(manager)
    response = client.post(
        url("closure-sign-off", episode.pk, asked.pk),
        {
            "decision": "not_agreed",
            "decision_reason": "The school still reports late arrivals: review in a month.",
            "version": episode.version,
        },
    )
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.PLAN
    client.force_login(vcs_worker)
    page = client.get(url("closure", episode.pk)).content.decode()
    assert "Closure not agreed" in page
    assert "The school still reports late arrivals: review in a month." in page
    assert "Ask to close the episode" in page  # they may ask again


def test_a_team_manager_closing_signs_it_off_and_a_council_may_need_no_sign_off(
    episode: Episode, family: Family, manager: User, vcs_worker: User, eh_worker: User
) -> None:
    episode = _planned(episode, family, manager, vcs_worker)
    assert services.needs_sign_off(episode, vcs_worker)
    assert services.needs_sign_off(episode, eh_worker)
    assert not services.needs_sign_off(episode, manager)
    EarlyHelpSettings.objects.filter(council=episode.council).update(closure_needs_sign_off=False)
    assert not services.needs_sign_off(episode, vcs_worker)
    closed = _ask(episode, vcs_worker, early_closure_confirmed=True)
    assert isinstance(closed, Closure)
    assert not ClosureRequest.objects.exists()


def test_closing_soon_after_the_plan_started_asks_for_confirmation(
    episode: Episode, family: Family, manager: User, vcs_worker: User
) -> None:
    episode = _planned(episode, family, manager, vcs_worker)
    with pytest.raises(ValidationError) as refused:
        _ask(episode, manager)
    message = refused.value.message_dict["early_closure_confirmed"][0]
    assert "the same day as this closure" in message
    assert not Closure.objects.exists()
    # Three weeks on it is not early, and needs no confirmation.
    with time_machine.travel(timezone.now() + timedelta(days=21), tick=False):
        closed = _ask(episode, manager)
    assert isinstance(closed, Closure)


def test_the_close_page_asks_to_confirm_an_early_closure_then_sends_it_for_sign_off(
    client: Client, episode: Episode, family: Family, manager: User, vcs_worker: User
) -> None:
    episode = _planned(episode, family, manager, vcs_worker)
    need = episode.needs.get()
    client.force_login(vcs_worker)
    before = AccessLogEntry.objects.count()
    form = client.get(url("close", episode.pk)).content.decode()
    assert AccessLogEntry.objects.count() == before + 1  # the family's one child
    assert "Ask to close the episode" in form and "A team manager signs off" in form
    posted = {
        "reason": "needs_met",
        **on("closed_on", timezone.localdate()),
        f"outcome_{need.pk}": "achieved",
        f"score_{need.pk}": "8",
        "open_actions_become": "cancelled",
        "open_actions_resolution": "Mornings are calm now.",
        "version": episode.version,
    }
    asked = client.post(url("close", episode.pk), posted)
    assert asked.status_code == 200
    text = asked.content.decode()
    assert "confirm that the episode should close so soon" in text
    assert 'name="early_closure_confirmed"' in text
    assert not ClosureRequest.objects.exists()

    sent = client.post(url("close", episode.pk), posted | {"early_closure_confirmed": "on"})
    assert sent.status_code == 302
    request = ClosureRequest.objects.get()
    assert request.early_closure_confirmed and request.requested_by == vcs_worker
    # The lead professional cannot sign it off; a manager of the council can.
    assert client.get(url("closure-sign-off", episode.pk, request.pk)).status_code == 403
    client.force_login(manager)
    home = client.get(reverse("web:home")).content.decode()
    assert "Closures to sign off" in home
    assert url("closure-sign-off", episode.pk, request.pk) in home
    page = client.get(url("closure-sign-off", episode.pk, request.pk)).content.decode()
    assert "Soon after the plan started" in page and "Mornings are calm now." in page
    refused = client.post(
        url("closure-sign-off", episode.pk, request.pk),
        {"decision": "not_agreed", "decision_reason": "", "version": episode.version + 1},
    )
    assert refused.status_code == 200
    assert "Say why you do not agree" in refused.content.decode()
    request.refresh_from_db()
    assert request.decision == ClosureSignOff.PENDING


def test_the_api_asks_for_sign_off_and_a_manager_decides(
    episode: Episode, family: Family, manager: User, vcs_worker: User, hartlepool_manager: User
) -> None:
    episode = _planned(episode, family, manager, vcs_worker)
    need = episode.needs.get()
    body = {
        "reason": "needs_met",
        "need_outcomes": [{"need": need.pk, "outcome": "achieved"}],
        "open_actions_become": "cancelled",
        "open_actions_resolution": "Mornings are calm now.",
        "version": episode.version,
    }
    lead = Api(vcs_worker)
    assert named_fields(lead.post(api_url(episode, "/closure"), body)) == {
        "early_closure_confirmed"
    }
    asked = ok(
        lead.post(api_url(episode, "/closure"), body | {"early_closure_confirmed": True}), 202
    )
    assert asked["need_outcomes"] == [{"need": need.pk, "outcome": "achieved", "score": None}]
    assert (
        lead.post(
            api_url(episode, "/closure"), body | {"early_closure_confirmed": True}
        ).status_code
        == 409
    )
    listed = ok(lead.get(api_url(episode, "/closure-requests")))
    assert [r["id"] for r in listed["items"]] == [asked["id"]]

    episode.refresh_from_db()
    decision = api_url(episode, f"/closure-requests/{asked['id']}/decision")
    agree = {"decision": "agreed", "version": episode.version}
    assert lead.post(decision, agree).status_code == 403
    assert Api(hartlepool_manager).post(decision, agree).status_code == 404
    boss = Api(manager)
    assert named_fields(boss.post(decision, {"decision": "not_agreed", "version": 1})) == {"reason"}
    assert boss.post(decision, agree | {"version": 1}).status_code == 409
    assert not Closure.objects.exists()
    assert ok(boss.post(decision, agree))["decision"] == "agreed"
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.CLOSED


def test_the_managers_are_told_a_closure_waits_for_their_sign_off(
    episode: Episode, family: Family, manager: User, vcs_worker: User
) -> None:
    from continuum.notifications.models import Notification, NotificationKind

    episode = _planned(episode, family, manager, vcs_worker)
    asked = _ask(episode, vcs_worker, early_closure_confirmed=True)
    told = Notification.objects.get(kind=NotificationKind.CLOSURE_SIGN_OFF)
    assert told.recipient == manager
    assert told.link == reverse("early_help:closure-sign-off", args=[episode.pk, asked.pk])
    assert not Notification.objects.filter(recipient=vcs_worker).exists()
