"""The Team Around the Family: its members (membership gives a practitioner sight of the
episode while it lasts) and its meetings, with attendance by person and agency."""

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
from continuum.accounts.models import User
from continuum.early_help import selectors, services
from continuum.early_help.forms import TafMeetingForm, TafMemberForm
from continuum.early_help.models import Episode, TafMember
from continuum.early_help.policies import EarlyHelpAction
from continuum.early_help.views.common import (
    episode_for,
    episode_page,
    form_page,
    user_of,
)
from continuum.ui.errors import Refused, attempt, error_summary


def professionals_of(episode: Episode) -> list[User]:
    """The lead professional and the TAF's current members: who may attend or own actions."""
    people: list[User] = []
    if episode.lead_professional is not None:
        people.append(episode.lead_professional)
    for member in episode.taf_members.filter(left_on__isnull=True).select_related(
        "user__organisation"
    ):
        if member.user not in people:
            people.append(member.user)
    return people


@requires()
@require_http_methods(["GET"])
def taf(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    episode = episode_for(request, pk)
    return episode_page(
        request,
        episode,
        tab="taf",
        template="early_help/episode_taf.html",
        context={
            "members": episode.taf_members.select_related("user", "organisation").order_by(
                "left_on", "joined_on", "pk"
            ),
            "meetings": episode.taf_meetings.select_related("recorded_by").prefetch_related(
                "attendees__organisation"
            ),
        },
    )


@requires(EarlyHelpAction.WORK_EPISODE)
@require_http_methods(["GET", "POST"])
def member_new(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    episode = episode_for(request, pk)
    policy.require(request.user, EarlyHelpAction.WORK_EPISODE, episode)
    form = TafMemberForm(request.POST or None, candidates=selectors.possible_taf_members(episode))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        member = attempt(
            form,
            lambda: services.add_taf_member(
                episode=episode,
                user=data["user"],
                by=user_of(request),
                role_in_taf=data["role_in_taf"],
                joined_on=data["joined_on"],
            ),
        )
        if member is not None:
            messages.success(request, f"{member.user} has joined the Team Around the Family.")
            return redirect("early_help:taf", pk=episode.pk)
    return form_page(
        request,
        form=form,
        title="Add a member to the Team Around the Family",
        back_url=reverse("early_help:taf", args=[episode.pk]),
        submit="Add member",
        episode=episode,
    )


@requires(EarlyHelpAction.WORK_EPISODE)
@require_http_methods(["GET", "POST"])
def member_remove(request: HttpRequest, pk: uuid.UUID, member_pk: int) -> HttpResponse:
    episode = episode_for(request, pk)
    policy.require(request.user, EarlyHelpAction.WORK_EPISODE, episode)
    member = TafMember.objects.filter(episode=episode, pk=member_pk, left_on__isnull=True).first()
    if member is None:
        raise Http404
    errors: list[dict[str, Any]] = []
    if request.method == "POST":
        try:
            services.remove_taf_member(member=member, by=user_of(request))
        except Refused as refusal:
            errors = error_summary(refusal)
        else:
            messages.success(request, f"{member.user} has left the Team Around the Family.")
            return redirect("early_help:taf", pk=episode.pk)
    return render(
        request,
        "early_help/taf_member_remove.html",
        {
            "episode": episode,
            "member": member,
            "errors": errors,
            "today": timezone.localdate(),
        },
    )


@requires(EarlyHelpAction.WORK_EPISODE)
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    episode = episode_for(request, pk)
    policy.require(request.user, EarlyHelpAction.WORK_EPISODE, episode)
    user = user_of(request)
    form = TafMeetingForm(
        request.POST or None,
        professionals=professionals_of(episode),
        family=selectors.visible_family(user=user, episode=episode),
        initial={"held_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        meeting = attempt(
            form,
            lambda: services.record_taf_meeting(
                episode=episode,
                held_on=data["held_on"],
                decisions=data["decisions"],
                attendees=form.attendees(),
                by=user,
            ),
        )
        if meeting is not None:
            messages.success(request, "TAF meeting recorded.")
            return redirect("early_help:taf", pk=episode.pk)
    return form_page(
        request,
        form=form,
        title="Record a Team Around the Family meeting",
        back_url=reverse("early_help:taf", args=[episode.pk]),
        submit="Record meeting",
        episode=episode,
    )
