"""Step-up to social care: the lead professional asks, with the reason and the family's
agreement; a team manager decides. Agreed, a contact goes to the council's front door."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from continuum.access import policy
from continuum.access.requests import requires
from continuum.early_help import services
from continuum.early_help.choices import StepUpDecision
from continuum.early_help.forms import StepUpDecisionForm, StepUpForm
from continuum.early_help.models import StepUp
from continuum.early_help.policies import EarlyHelpAction
from continuum.early_help.views.common import (
    contact_url,
    episode_for,
    episode_page,
    form_page,
    user_of,
)
from continuum.front_door.models import Contact
from continuum.ui.errors import attempt


@requires()
@require_http_methods(["GET"])
def step_up(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    episode = episode_for(request, pk)
    visible_contacts = set(
        policy.visible(user_of(request), Contact)
        .filter(step_up__episode=episode)
        .values_list("pk", flat=True)
    )
    step_ups = list(
        episode.step_ups.select_related("requested_by", "decided_by", "contact").order_by(
            "-requested_on", "-pk"
        )
    )
    return episode_page(
        request,
        episode,
        tab="step_up",
        template="early_help/episode_step_up.html",
        context={
            "step_ups": [
                {
                    "step_up": s,
                    # A link only for those the front door lets see the contact.
                    "contact_url": contact_url(s.contact)
                    if s.contact_id in visible_contacts
                    else None,
                }
                for s in step_ups
            ],
            "pending": any(s.decision == StepUpDecision.PENDING for s in step_ups),
        },
    )


@requires(EarlyHelpAction.WORK_EPISODE)
@require_http_methods(["GET", "POST"])
def step_up_new(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    episode = episode_for(request, pk)
    policy.require(request.user, EarlyHelpAction.WORK_EPISODE, episode)
    form = StepUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        requested = attempt(
            form,
            lambda: services.request_step_up(
                episode=episode,
                reason=data["reason"],
                family_agreement=data["family_agreement"],
                sharing_justification=data["sharing_justification"],
                by=user_of(request),
                urgent=data.get("urgent") == "yes",
            ),
        )
        if requested is not None and requested.urgent:
            return redirect("early_help:step-up-requested", pk=episode.pk, step_up_pk=requested.pk)
        if requested is not None:
            messages.success(request, "Step-up requested: a team manager will decide.")
            return redirect("early_help:step-up", pk=episode.pk)
    return form_page(
        request,
        form=form,
        title="Request a step-up to social care",
        back_url=reverse("early_help:step-up", args=[episode.pk]),
        submit="Request step-up",
        episode=episode,
    )


@requires()
@require_http_methods(["GET"])
def step_up_requested(request: HttpRequest, pk: uuid.UUID, step_up_pk: int) -> HttpResponse:
    """Confirmation of a step-up; an urgent one prompts the worker to phone the front door."""
    episode = episode_for(request, pk)
    found = StepUp.objects.filter(episode=episode, pk=step_up_pk).first()
    if found is None:
        raise Http404
    return render(
        request,
        "early_help/step_up_requested.html",
        {"episode": episode, "step_up": found},
    )


@requires(EarlyHelpAction.DECIDE_STEP_UP)
@require_http_methods(["GET", "POST"])
def step_up_decide(request: HttpRequest, pk: uuid.UUID, step_up_pk: int) -> HttpResponse:
    episode = episode_for(request, pk)
    policy.require(request.user, EarlyHelpAction.DECIDE_STEP_UP, episode)
    found = StepUp.objects.filter(
        episode=episode, pk=step_up_pk, decision=StepUpDecision.PENDING
    ).first()
    if found is None:
        raise Http404
    form = StepUpDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        decided = attempt(
            form,
            lambda: services.decide_step_up(
                step_up=found,
                manager=user_of(request),
                agree=data["decision"] == "agree",
                note=data["decision_note"],
            ),
        )
        if decided is not None:
            messages.success(
                request,
                "Step-up agreed: a contact has gone to the front door."
                if decided.decision == StepUpDecision.AGREED
                else "Step-up declined.",
            )
            return redirect("early_help:step-up", pk=episode.pk)
    return form_page(
        request,
        form=form,
        title="Decide the step-up to social care",
        back_url=reverse("early_help:step-up", args=[episode.pk]),
        submit="Save decision",
        episode=episode,
        template="early_help/step_up_decide.html",
        context={"step_up": found},
    )
