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
from continuum.early_help.forms import ClosureForm, SustainedCheckForm
from continuum.early_help.models import Closure, Episode, SustainedOutcomeCheck
from continuum.early_help.policies import EarlyHelpAction
from continuum.early_help.views.common import (
    episode_for,
    episode_page,
    form_page,
    user_of,
)
from continuum.ui.dates import govuk_date
from continuum.ui.errors import attempt


@requires()
@require_http_methods(["GET"])
def closure(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    episode = episode_for(request, pk)
    closed = Closure.objects.filter(episode=episode).select_related("closed_by").first()
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
        },
    )


@requires(EarlyHelpAction.WORK_EPISODE)
@require_http_methods(["GET", "POST"])
def close(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    episode = episode_for(request, pk)
    policy.require(request.user, EarlyHelpAction.WORK_EPISODE, episode)
    open_actions = list(selectors.open_actions_of(episode).order_by("due_date", "pk"))
    form = ClosureForm(
        request.POST or None,
        needs=list(episode.needs.order_by("pk")),
        open_actions=open_actions,
        initial={"version": episode.version, "closed_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        closed = attempt(
            form,
            lambda: services.close_episode(
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
            ),
        )
        if closed is not None:
            messages.success(request, "Episode closed.")
            if policy.visible(user_of(request), Episode).filter(pk=episode.pk).exists():
                return redirect("early_help:closure", pk=episode.pk)
            # A partner's sight of the family ends with the episode.
            return redirect("web:home")
    return form_page(
        request,
        form=form,
        title="Close the episode",
        back_url=reverse("early_help:closure", args=[episode.pk]),
        submit="Close episode",
        episode=episode,
        template="early_help/close_form.html",
        context={"open_actions": open_actions},
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
