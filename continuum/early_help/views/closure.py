"""Closing an episode (reason; per need, outcome achieved and the closing score; open
actions confirmed as cancelled or carried forward) and, six months on, the Supporting
Families follow-up of each outcome area."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from continuum.access import policy
from continuum.access.requests import requires
from continuum.early_help import selectors, services
from continuum.early_help.choices import ClosureSignOff, NeedOutcome
from continuum.early_help.forms import ClosureForm, ClosureSignOffForm, SustainedCheckForm
from continuum.early_help.models import Closure, ClosureRequest, Episode, SustainedOutcomeCheck
from continuum.early_help.policies import EarlyHelpAction
from continuum.early_help.views.common import (
    episode_for,
    episode_page,
    form_page,
    log_children_read,
    user_of,
)
from continuum.ui.dates import govuk_date
from continuum.ui.errors import Refused, add_service_errors, attempt, errors_by_field


def _requests_of(episode: Episode) -> list[ClosureRequest]:
    return list(
        ClosureRequest.objects.filter(episode=episode).select_related("requested_by", "decided_by")
    )


@requires()
@require_http_methods(["GET"])
def closure(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    episode = episode_for(request, pk)
    closed = Closure.objects.filter(episode=episode).select_related("closed_by").first()
    requests = _requests_of(episode)
    pending = next((r for r in requests if r.decision == ClosureSignOff.PENDING), None)
    return episode_page(
        request,
        episode,
        tab="closure",
        template="early_help/episode_closure.html",
        context={
            "closure": closed,
            "need_outcomes": closed.need_outcomes.select_related("need").order_by("need_id")
            if closed
            else [],
            "follow_ups": selectors.follow_ups_of(closed) if closed else [],
            "open_actions": selectors.open_actions_of(episode).count(),
            "today": timezone.localdate(),
            "pending": pending,
            "signed_off": next((r for r in requests if r.decision == ClosureSignOff.AGREED), None),
            "not_agreed": [r for r in requests if r.decision == ClosureSignOff.NOT_AGREED],
            "needs_sign_off": services.needs_sign_off(episode, user_of(request)),
        },
    )


def _close_form(request: HttpRequest, episode: Episode, *, ask_early: bool) -> ClosureForm:
    return ClosureForm(
        request.POST or None,
        needs=list(episode.needs.order_by("pk")),
        open_actions=list(selectors.open_actions_of(episode).order_by("due_date", "pk")),
        ask_early=ask_early,
        initial={"version": episode.version, "closed_on": timezone.localdate()},
    )


def _request_closure(
    request: HttpRequest, episode: Episode, form: ClosureForm
) -> Closure | ClosureRequest:
    data = form.cleaned_data
    return services.request_closure(
        episode=episode,
        by=user_of(request),
        expected_version=data["version"],
        reason=data["reason"],
        need_outcomes=form.need_outcomes(),
        closed_on=data["closed_on"],
        summary=data["summary"],
        open_actions_become=data.get("open_actions_become", ""),
        open_actions_resolution=data.get("open_actions_resolution", ""),
        closure_scores=form.closure_scores(),
        early_closure_confirmed=form.early_closure_confirmed(),
    )


@requires(EarlyHelpAction.WORK_EPISODE)
@require_http_methods(["GET", "POST"])
def close(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """Close the episode, or ask a manager to sign its closure off. Closing within
    ``EARLY_CLOSURE_DAYS`` of the plan starting asks the worker to confirm: the form comes
    back with a box to tick."""
    episode = episode_for(request, pk)
    user = user_of(request)
    policy.require(user, EarlyHelpAction.WORK_EPISODE, episode)
    if services.pending_request(episode) is not None:
        messages.info(request, "A closure is already waiting for a manager's sign-off.")
        return redirect("early_help:closure", pk=episode.pk)
    asked = "early_closure_confirmed" in request.POST
    form = _close_form(request, episode, ask_early=asked)
    if request.method == "POST" and form.is_valid():
        try:
            done = _request_closure(request, episode, form)
        except Refused as refusal:
            if "early_closure_confirmed" in errors_by_field(refusal) and not asked:
                form = _close_form(request, episode, ask_early=True)
                form.is_valid()
            add_service_errors(form, refusal)
        else:
            if isinstance(done, ClosureRequest):
                messages.success(request, "Closure sent to a team manager to sign off.")
                return redirect("early_help:closure", pk=episode.pk)
            messages.success(request, "Episode closed.")
            if policy.visible(user, Episode).filter(pk=episode.pk).exists():
                return redirect("early_help:closure", pk=episode.pk)
            # A partner's sight of the family ends with the episode.
            return redirect("web:home")
    sign_off = services.needs_sign_off(episode, user)
    log_children_read(request, episode)  # the form shows the family's needs
    return form_page(
        request,
        form=form,
        title="Ask to close the episode" if sign_off else "Close the episode",
        back_url=reverse("early_help:closure", args=[episode.pk]),
        submit="Ask a manager to sign off" if sign_off else "Close episode",
        episode=episode,
        template="early_help/close_form.html",
        context={"open_actions": form.open_actions, "needs_sign_off": sign_off},
    )


@requires(EarlyHelpAction.SIGN_OFF_CLOSURE)
@require_http_methods(["GET", "POST"])
def sign_off(request: HttpRequest, pk: uuid.UUID, request_pk: int) -> HttpResponse:
    """A team manager agrees a closure (the episode closes) or does not, with a reason."""
    episode = episode_for(request, pk)
    user = user_of(request)
    policy.require(user, EarlyHelpAction.SIGN_OFF_CLOSURE, episode)
    asked = (
        ClosureRequest.objects.filter(
            episode=episode, pk=request_pk, decision=ClosureSignOff.PENDING
        )
        .select_related("requested_by")
        .first()
    )
    if asked is None:
        raise Http404
    form = ClosureSignOffForm(request.POST or None, initial={"version": episode.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        agree = data["decision"] == "agreed"
        decided = attempt(
            form,
            lambda: services.decide_closure(
                closure_request=asked,
                manager=user,
                agree=agree,
                reason=data["decision_reason"],
                expected_version=data["version"],
            ),
        )
        if decided is not None:
            messages.success(
                request,
                "Closure agreed: the episode is closed."
                if agree
                else f"Closure not agreed. {asked.requested_by} can see why.",
            )
            return redirect("early_help:closure", pk=episode.pk)
    log_children_read(request, episode)
    needs = {str(n.pk): n for n in episode.needs.order_by("pk")}
    return form_page(
        request,
        form=form,
        title="Sign off the closure",
        back_url=reverse("early_help:closure", args=[episode.pk]),
        submit="Save the decision",
        episode=episode,
        template="early_help/closure_sign_off.html",
        context={
            "asked": asked,
            "need_rows": [
                {
                    "need": needs[k],
                    "outcome": NeedOutcome(v).label,
                    "score": asked.closure_scores.get(k),
                }
                for k, v in asked.need_outcomes.items()
                if k in needs
            ],
            "closes_early": services.closes_early(episode, asked.closed_on),
        },
    )


@requires(EarlyHelpAction.RECORD_FOLLOW_UP)
@require_http_methods(["GET", "POST"])
def follow_up(request: HttpRequest, pk: uuid.UUID, check_pk: int) -> HttpResponse:
    episode = episode_for(request, pk)
    policy.require(request.user, EarlyHelpAction.RECORD_FOLLOW_UP, episode)
    found = (
        SustainedOutcomeCheck.objects.filter(closure__episode=episode, pk=check_pk, result="")
        .select_related("outcome_area")
        .first()
    )
    if found is None:
        raise Http404
    form = SustainedCheckForm(request.POST or None, initial={"checked_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        recorded = attempt(
            form,
            lambda: services.record_sustained_check(
                check=found,
                result=data["result"],
                by=user_of(request),
                checked_on=data["checked_on"],
            ),
        )
        if recorded is not None:
            messages.success(request, "Six-month follow-up recorded.")
            return redirect("early_help:closure", pk=episode.pk)
    return form_page(
        request,
        form=form,
        title=f"Six-month follow-up: {found.outcome_area.name}",
        back_url=reverse("early_help:closure", args=[episode.pk]),
        submit="Record follow-up",
        episode=episode,
        context={"intro": f"Due on {govuk_date(found.follow_up_due)}."},
    )
