"""The locality allocation panel: a team manager holds the panel, then works through the
locality's waiting list, giving each family a lead professional from any agency.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from continuum.access import policy
from continuum.access.requests import requires
from continuum.early_help import selectors, services
from continuum.early_help.choices import EpisodeStatus
from continuum.early_help.forms import AllocateForm, LeadProfessionalFilterForm, PanelForm
from continuum.early_help.lead_professionals import Candidates, lead_professional_candidates
from continuum.early_help.models import AllocationPanel, Episode
from continuum.early_help.policies import EarlyHelpAction
from continuum.early_help.views.common import episode_for, form_page, log_children_read, user_of
from continuum.ui.errors import attempt


@requires(EarlyHelpAction.ALLOCATE)
@require_http_methods(["GET", "POST"])
def panel_new(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    council = policy.council_of(user)
    assert council is not None  # only a council's team managers allocate
    form = PanelForm(
        request.POST or None,
        council=council,
        organisations=selectors.serving_organisations(council),
        initial={"held_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        panel = attempt(
            form,
            lambda: services.hold_panel(
                council=council,
                locality=data["locality"],
                held_on=data["held_on"],
                agencies_present=list(data["agencies_present"]),
                chaired_by=user,
            ),
        )
        if panel is not None:
            return redirect("early_help:panel", pk=panel.pk)
    return form_page(
        request,
        form=form,
        title="Hold an allocation panel",
        back_url=reverse("early_help:waiting-list"),
        submit="Start the panel",
    )


@requires(EarlyHelpAction.ALLOCATE)
@require_http_methods(["GET"])
def panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The panel's waiting list (its locality), and what it has allocated."""
    user = user_of(request)
    held = policy.get_visible_or_404(user, AllocationPanel, pk)
    return render(
        request,
        "early_help/panel.html",
        {
            "panel": held,
            "waiting": selectors.awaiting_allocation(user=user, locality_id=held.locality_id),
            "allocated": policy.visible(user, Episode)
            .filter(panel=held)
            .select_related("household", "lead_professional", "lead_professional_organisation"),
        },
    )


def picker(request: HttpRequest, episode: Episode) -> tuple[Candidates, dict[str, Any]]:
    """The lead-professional picker's candidates, filtered by the page's GET parameters
    (name, locality, agency, outside the area), and what its template shows."""
    filters = LeadProfessionalFilterForm(request.GET or None, council=episode.council)
    found = lead_professional_candidates(episode=episode, filters=filters.filters())
    return found, {
        "filter_form": filters,
        "candidates": found,
        "filtered": bool(request.GET),
        "clear_url": request.path,
    }


@requires(EarlyHelpAction.ALLOCATE)
@require_http_methods(["GET", "POST"])
def allocate(request: HttpRequest, pk: int, episode_pk: uuid.UUID) -> HttpResponse:
    user = user_of(request)
    held = policy.get_visible_or_404(user, AllocationPanel, pk)
    episode = episode_for(request, episode_pk)
    policy.require(request.user, EarlyHelpAction.ALLOCATE, episode)
    if not services.can_move(episode, EpisodeStatus.ALLOCATED):
        raise Http404
    found, picker_context = picker(request, episode)
    form = AllocateForm(
        request.POST or None, candidates=found.people, initial={"version": episode.version}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        lead = form.lead()
        allocated = attempt(
            form,
            lambda: services.allocate(
                episode=episode,
                panel=held,
                lead_professional=lead,
                reason=data["allocation_reason"],
                out_of_area_reason=data["out_of_area_reason"],
                by=user,
                expected_version=data["version"],
            ),
        )
        if allocated is not None:
            messages.success(
                request,
                f"{lead} of {lead.organisation} is now the lead professional for the "
                f"{episode.household.name} family.",
            )
            return redirect("early_help:panel", pk=held.pk)
    waiting = next(
        (w for w in selectors.awaiting_allocation(user=user) if w.episode.pk == episode.pk), None
    )
    log_children_read(request, episode)  # the page shows why the family needs early help
    return form_page(
        request,
        form=form,
        title=f"Allocate a lead professional to the {episode.household.name} family",
        back_url=reverse("early_help:panel", args=[held.pk]),
        submit="Allocate",
        episode=episode,
        template="early_help/allocate.html",
        context={"panel": held, "waiting": waiting, **picker_context},
    )
