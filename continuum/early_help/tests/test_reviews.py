"""Reviews (issue 12, rough edge 8): the form shows each need's earlier scores (the
assessment baseline and earlier reviews); the reviewer brings the plan's actions up to date
(status, a new due date); the next review date moves on by the council's review interval
after the latest review and is shown; bad input changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from continuum.accounts.models import User
from continuum.audit.models import AccessLogEntry
from continuum.early_help import services
from continuum.early_help.choices import ActionStatus
from continuum.early_help.models import EarlyHelpSettings, Episode, Plan, PlanAction, Review
from continuum.early_help.tests import support
from continuum.early_help.tests.api_support import Api, named_fields, ok
from continuum.early_help.tests.api_support import url as api_url
from continuum.early_help.tests.builders import Family
from continuum.early_help.tests.views_support import on, url
from continuum.errors import ConcurrentChange


@pytest.fixture
def planned(episode: Episode, family: Family, manager: User, vcs_worker: User) -> Episode:
    support.allocated(episode, lead=vcs_worker, manager=manager)
    support.assessed(episode, lead=vcs_worker, child=family.child, baseline=3)
    support.planned(episode, lead=vcs_worker)
    episode.refresh_from_db()
    return episode


def test_a_review_updates_actions_and_moves_the_next_review_on(
    planned: Episode, vcs_worker: User
) -> None:
    EarlyHelpSettings.objects.filter(council=planned.council).update(review_interval_weeks=8)
    need = planned.needs.get()
    action = PlanAction.objects.get()
    plan = Plan.objects.get(episode=planned)
    today = timezone.localdate()
    later = today + timedelta(days=3)
    with time_machine.travel(timezone.now() + timedelta(days=3), tick=False):
        services.record_review(
            episode=planned,
            held_on=later,
            summary="Mornings are calmer.",
            scores={need.pk: 6},
            by=vcs_worker,
            action_changes={action.pk: services.ActionChange(status=ActionStatus.DONE)},
            expected_plan_version=plan.version,
        )
        action.refresh_from_db()
        plan.refresh_from_db()
        assert action.status == ActionStatus.DONE and action.completed_on == later
        assert plan.next_review_due == later + timedelta(weeks=8)
        # The plan's history records who moved the date.
        assert plan.history.first().history_user == vcs_worker

        # A review recorded late, for an earlier day, does not bring the next date back.
        services.record_review(
            episode=planned,
            held_on=today,
            summary="Recorded late.",
            scores={need.pk: 5},
            by=vcs_worker,
        )
        plan.refresh_from_db()
        assert plan.next_review_due == later + timedelta(weeks=8)


def test_bad_action_changes_are_refused_and_nothing_is_saved(
    planned: Episode, vcs_worker: User
) -> None:
    need = planned.needs.get()
    action = PlanAction.objects.get()
    plan = Plan.objects.get(episode=planned)
    due = plan.next_review_due
    too_early = plan.created_on - timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        services.record_review(
            episode=planned,
            held_on=timezone.localdate(),
            summary="x",
            scores={need.pk: 6},
            by=vcs_worker,
            action_changes={
                action.pk: services.ActionChange(status="finished", due_date=too_early),
                999999: services.ActionChange(status=ActionStatus.DONE),
            },
            expected_plan_version=plan.version,
        )
    assert set(refused.value.message_dict) == {
        f"action_{action.pk}_status",
        f"action_{action.pk}_due_date",
        "actions",
    }
    with pytest.raises(ConcurrentChange):
        services.record_review(
            episode=planned,
            held_on=timezone.localdate(),
            summary="x",
            scores={need.pk: 6},
            by=vcs_worker,
            action_changes={action.pk: services.ActionChange(status=ActionStatus.DONE)},
            expected_plan_version=plan.version - 1 if plan.version > 1 else 99,
        )
    assert not Review.objects.exists()
    action.refresh_from_db()
    plan.refresh_from_db()
    assert action.status == ActionStatus.OPEN and plan.next_review_due == due


def test_the_review_form_shows_earlier_scores_and_updates_an_action(
    client: Client, planned: Episode, vcs_worker: User
) -> None:
    need = planned.needs.get()
    today = timezone.localdate()
    services.record_review(
        episode=planned, held_on=today, summary="First.", scores={need.pk: 5}, by=vcs_worker
    )
    action = PlanAction.objects.get()
    plan = Plan.objects.get(episode=planned)
    client.force_login(vcs_worker)
    before = AccessLogEntry.objects.count()
    form = client.get(url("review-new", planned.pk))
    assert AccessLogEntry.objects.count() == before + 1  # the child's record read once
    text = form.content.decode()
    assert f"Earlier: 3 at assessment; 5 at the review on {today.day} {today:%B %Y}" in text
    assert "Earlier scores" in text and "Morning routine chart" in text

    new_due = today + timedelta(days=30)
    posted = {
        **on("held_on", today),
        "summary": "Second.",
        f"score_{need.pk}": "7",
        f"action_{action.pk}_status": ActionStatus.OPEN,
        **on(f"action_{action.pk}_due_date", new_due),
        "version": plan.version,
    }
    # A due date that is not a date is refused at the field; nothing changes.
    bad = client.post(
        url("review-new", planned.pk), posted | {f"action_{action.pk}_due_date_month": "13"}
    )
    assert bad.status_code == 200 and "must be a real date" in bad.content.decode()
    assert Review.objects.count() == 1

    done = client.post(url("review-new", planned.pk), posted)
    assert done.status_code == 302
    action.refresh_from_db()
    assert action.due_date == new_due and action.status == ActionStatus.OPEN
    reviews = client.get(url("reviews", planned.pk)).content.decode()
    due = today + timedelta(weeks=6)
    assert f"Next review due {due.day} {due:%B %Y}" in reviews


def test_the_api_review_updates_actions_and_answers_the_next_date(
    planned: Episode, vcs_worker: User
) -> None:
    need = planned.needs.get()
    action = PlanAction.objects.get()
    plan = Plan.objects.get(episode=planned)
    today = timezone.localdate()
    body = {
        "held_on": today,
        "summary": "Mornings are calmer.",
        "scores": [{"need": need.pk, "score": 6}],
        "actions": [{"action": action.pk, "status": "done"}],
    }
    api = Api(vcs_worker)
    assert named_fields(api.post(api_url(planned, "/reviews"), body)) == {"plan_version"}
    wrong = body | {
        "plan_version": plan.version,
        "actions": [{"action": action.pk, "status": "finished"}],
    }
    assert named_fields(api.post(api_url(planned, "/reviews"), wrong)) == {
        f"action_{action.pk}_status"
    }
    assert not Review.objects.exists()
    review = ok(api.post(api_url(planned, "/reviews"), body | {"plan_version": plan.version}), 201)
    assert review["next_review_due"] == (today + timedelta(weeks=6)).isoformat()
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
