"""Handing an episode to another lead professional (a team manager), and the history of
its lead professionals: who led it, from when to when, why and who decided."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from continuum.access import policy
from continuum.access.requests import requires
from continuum.early_help import services
from continuum.early_help.choices import EpisodeStatus
from continuum.early_help.forms import HandoverForm
from continuum.early_help.lead_professionals import lead_professionals as spells_of
from continuum.early_help.policies import EarlyHelpAction
from continuum.early_help.views.allocation import picker
from continuum.early_help.views.common import (
    episode_for,
    episode_page,
    form_page,
    log_children_read,
    user_of,
)
from continuum.ui.errors import attempt


@requires()
@require_http_methods(["GET"])
def lead_professionals(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    episode = episode_for(request, pk)
    return episode_page(
        request,
        episode,
        tab="summary",
        template="early_help/lead_professionals.html",
        context={
            "spells": spells_of(episode),
            "can_hand_over": policy.can(user_of(request), EarlyHelpAction.HAND_OVER, episode),
        },
    )


@requires(EarlyHelpAction.HAND_OVER)
@require_http_methods(["GET", "POST"])
def handover(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user = user_of(request)
    episode = episode_for(request, pk)
    policy.require(user, EarlyHelpAction.HAND_OVER, episode)
    if episode.status in (EpisodeStatus.AWAITING_ALLOCATION, EpisodeStatus.CLOSED):
        raise Http404
    found, picker_context = picker(request, episode)
    form = HandoverForm(
        request.POST or None, candidates=found.people, initial={"version": episode.version}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        lead = form.lead()
        done = attempt(
            form,
            lambda: services.hand_over(
                episode=episode,
                to=lead,
                reason=data["reason"],
                out_of_area_reason=data["out_of_area_reason"],
                by=user,
                expected_version=data["version"],
            ),
        )
        if done is not None:
            messages.success(
                request,
                f"{lead} of {lead.organisation} is now the lead professional for the "
                f"{episode.household.name} family.",
            )
            return redirect("early_help:lead-professionals", pk=episode.pk)
    # The page names the family: one access-log row per child, as the episode's pages.
    log_children_read(request, episode)
    return form_page(
        request,
        form=form,
        title=f"Hand the {episode.household.name} family to another lead professional",
        back_url=reverse("early_help:lead-professionals", args=[episode.pk]),
        submit="Hand over",
        episode=episode,
        template="early_help/handover.html",
        context=picker_context,
    )
