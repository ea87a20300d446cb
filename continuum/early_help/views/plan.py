"""The plan (outcomes linked to needs; SMART actions with an owner, due date and status)
and its reviews, with distance travelled per need."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from continuum.access import policy
from continuum.access.requests import requires
from continuum.early_help import selectors, services
from continuum.early_help.forms import ActionForm, ActionStatusForm, PlanOutcomeForm, ReviewForm
from continuum.early_help.models import Episode, Plan, PlanAction, PlanOutcome
from continuum.early_help.policies import EarlyHelpAction
from continuum.early_help.views.common import (
    episode_for,
    episode_page,
    form_page,
    log_children_read,
    user_of,
)
from continuum.early_help.views.taf import professionals_of
from continuum.ui.dates import govuk_date
from continuum.ui.errors import Refused, attempt, error_summary


def _plan_of(episode: Episode) -> Plan:
    plan = Plan.objects.filter(episode=episode).first()
    if plan is None:
        raise Http404
    return plan


def _plan_tab(
    request: HttpRequest, episode: Episode, *, errors: list[dict[str, Any]] | None = None
) -> HttpResponse:
    plan = Plan.objects.filter(episode=episode).first()
    assessment = getattr(episode, "assessment", None)
    today = timezone.localdate()
    context: dict[str, object] = {
        "plan": plan,
        "assessment_complete": assessment is not None and assessment.completed_on is not None,
        "today": today,
    }
    if plan is not None:
        context.update(
            outcomes=selectors.plan_outcomes(plan),
            review_overdue=selectors.review_is_overdue(plan, episode),
            overdue_actions=selectors.open_actions_of(episode).filter(due_date__lt=today).count(),
        )
    return episode_page(
        request,
        episode,
        tab="plan",
        template="early_help/episode_plan.html",
        context=context,
        errors=errors,
    )


@requires()
@require_http_methods(["GET"])
def plan(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    return _plan_tab(request, episode_for(request, pk))


@requires(EarlyHelpAction.WORK_EPISODE)
@require_http_methods(["POST"])
def plan_create(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    episode = episode_for(request, pk)
    policy.require(request.user, EarlyHelpAction.WORK_EPISODE, episode)
    try:
        services.create_plan(episode=episode, by=user_of(request))
    except Refused as refusal:
        return _plan_tab(request, episode, errors=error_summary(refusal))
    messages.success(request, "Plan started. Add the outcomes the family wants.")
    return redirect("early_help:plan", pk=episode.pk)


@requires(EarlyHelpAction.WORK_EPISODE)
@require_http_methods(["GET", "POST"])
def outcome_new(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    episode = episode_for(request, pk)
    policy.require(request.user, EarlyHelpAction.WORK_EPISODE, episode)
    found = _plan_of(episode)
    form = PlanOutcomeForm(
        request.POST or None,
        needs=episode.needs.select_related("domain").order_by("pk"),
        initial={"version": found.version},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = attempt(
            form,
            lambda: services.add_plan_outcome(
                plan=found,
                need=data["need"],
                description=data["description"],
                by=user_of(request),
                expected_version=data["version"],
            ),
        )
        if outcome is not None:
            messages.success(request, "Outcome added to the plan.")
            return redirect("early_help:plan", pk=episode.pk)
    return form_page(
        request,
        form=form,
        title="Add an outcome to the plan",
        back_url=reverse("early_help:plan", args=[episode.pk]),
        submit="Add outcome",
        episode=episode,
    )


@requires(EarlyHelpAction.WORK_EPISODE)
@require_http_methods(["GET", "POST"])
def action_new(request: HttpRequest, pk: uuid.UUID, outcome_pk: int) -> HttpResponse:
    episode = episode_for(request, pk)
    policy.require(request.user, EarlyHelpAction.WORK_EPISODE, episode)
    found = _plan_of(episode)
    outcome = PlanOutcome.objects.filter(plan=found, pk=outcome_pk).select_related("plan").first()
    if outcome is None:
        raise Http404
    form = ActionForm(
        request.POST or None,
        professionals=professionals_of(episode),
        initial={"version": found.version},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        action = attempt(
            form,
            lambda: services.add_action(
                outcome=outcome,
                description=data["description"],
                owner_name=data["owner_name"],
                owner_agency=data["owner_agency"],
                owner_user=form.owner(),
                due_date=data["due_date"],
                by=user_of(request),
                expected_version=data["version"],
            ),
        )
        if action is not None:
            messages.success(request, "Action added to the plan.")
            return redirect("early_help:plan", pk=episode.pk)
    return form_page(
        request,
        form=form,
        title="Add an action",
        back_url=reverse("early_help:plan", args=[episode.pk]),
        submit="Add action",
        episode=episode,
        template="early_help/action_form.html",
        context={"outcome": outcome},
    )


@requires(EarlyHelpAction.WORK_EPISODE)
@require_http_methods(["GET", "POST"])
def action_status(request: HttpRequest, pk: uuid.UUID, action_pk: int) -> HttpResponse:
    episode = episode_for(request, pk)
    policy.require(request.user, EarlyHelpAction.WORK_EPISODE, episode)
    found = _plan_of(episode)
    action = (
        PlanAction.objects.filter(outcome__plan=found, pk=action_pk)
        .select_related("outcome__plan")
        .first()
    )
    if action is None:
        raise Http404
    form = ActionStatusForm(
        request.POST or None, initial={"status": action.status, "version": found.version}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = attempt(
            form,
            lambda: services.update_action_status(
                action=action,
                status=data["status"],
                by=user_of(request),
                expected_version=data["version"],
            ),
        )
        if saved is not None:
            messages.success(request, "Action updated.")
            return redirect("early_help:plan", pk=episode.pk)
    return form_page(
        request,
        form=form,
        title="Change the action's status",
        back_url=reverse("early_help:plan", args=[episode.pk]),
        submit="Save",
        episode=episode,
        template="early_help/action_form.html",
        context={"action": action},
    )


@requires()
@require_http_methods(["GET"])
def reviews(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    episode = episode_for(request, pk)
    plan_found = Plan.objects.filter(episode=episode).first()
    return episode_page(
        request,
        episode,
        tab="reviews",
        template="early_help/episode_reviews.html",
        context={
            "plan": plan_found,
            "review_overdue": plan_found is not None
            and selectors.review_is_overdue(plan_found, episode),
            "reviews": episode.reviews.select_related("recorded_by").order_by("-held_on", "-pk"),
            "distance": selectors.distance_travelled(episode),
        },
    )


def earlier_scores(distance: selectors.DistanceTravelled) -> dict[int, str]:
    """Each need's scores so far, as the review form's hint says them."""
    said: dict[int, str] = {}
    for row in distance.rows:
        parts = []
        if row.at_assessment is not None:
            parts.append(f"{row.at_assessment} at assessment")
        for review, score in zip(distance.reviews, row.at_reviews, strict=True):
            if score is not None:
                parts.append(f"{score} at the review on {govuk_date(review.held_on)}")
        if parts:
            said[row.need.pk] = "Earlier: " + "; ".join(parts)
    return said


@requires(EarlyHelpAction.WORK_EPISODE)
@require_http_methods(["GET", "POST"])
def review_new(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """A review: a score for every need beside its earlier scores, each action of the plan
    brought up to date, and the next review date moved on."""
    episode = episode_for(request, pk)
    policy.require(request.user, EarlyHelpAction.WORK_EPISODE, episode)
    found = _plan_of(episode)
    distance = selectors.distance_travelled(episode)
    actions = list(selectors.open_actions_of(episode).order_by("due_date", "pk"))
    form = ReviewForm(
        request.POST or None,
        needs=list(episode.needs.order_by("pk")),
        earlier=earlier_scores(distance),
        actions=actions,
        initial={"held_on": timezone.localdate(), "version": found.version}
        | {f"action_{a.pk}_status": a.status for a in actions},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        review = attempt(
            form,
            lambda: services.record_review(
                episode=episode,
                held_on=data["held_on"],
                summary=data["summary"],
                scores=form.scores(),
                by=user_of(request),
                action_changes=form.action_changes(),
                expected_plan_version=data["version"],
            ),
        )
        if review is not None:
            found.refresh_from_db()
            messages.success(
                request,
                f"Review recorded. The next review is due on {govuk_date(found.next_review_due)}.",
            )
            return redirect("early_help:reviews", pk=episode.pk)
    log_children_read(request, episode)
    return form_page(
        request,
        form=form,
        title="Record a review",
        back_url=reverse("early_help:reviews", args=[episode.pk]),
        submit="Record review",
        episode=episode,
        template="early_help/review_form.html",
        context={
            "plan": found,
            "distance": distance,
            "interval_weeks": services.settings_for(episode.council).review_interval_weeks,
        },
    )
