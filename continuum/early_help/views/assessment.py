"""The whole-family early help assessment: the family's view, strengths and needs per
person, each child's own voice, needs tagged with Supporting Families outcome areas, and
completion (refused without every child's voice or the reason it could not be gathered).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from continuum.access import policy
from continuum.access.requests import requires
from continuum.early_help import selectors, services
from continuum.early_help.forms import (
    AssessmentForm,
    ChildVoiceForm,
    CompleteAssessmentForm,
    NeedForm,
    PersonAssessmentForm,
)
from continuum.early_help.models import Assessment, ChildVoice, Episode, PersonAssessment
from continuum.early_help.policies import EarlyHelpAction
from continuum.early_help.views.common import (
    episode_for,
    episode_page,
    form_page,
    user_of,
)
from continuum.ui.errors import Refused, attempt, error_summary


def _assessment_of(episode: Episode) -> Assessment:
    assessment = Assessment.objects.filter(episode=episode).first()
    if assessment is None:
        raise Http404
    return assessment


def _tab(
    request: HttpRequest, episode: Episode, *, errors: list[dict[str, Any]] | None = None
) -> HttpResponse:
    user = user_of(request)
    assessment = Assessment.objects.filter(episode=episode).first()
    context: dict[str, Any] = {"assessment": assessment}
    if assessment is not None:
        family = selectors.visible_family(user=user, episode=episode)
        entries = {e.person_id: e for e in PersonAssessment.objects.filter(assessment=assessment)}
        voices = {v.child_id: v for v in ChildVoice.objects.filter(assessment=assessment)}
        child_ids = set(episode.children.values_list("pk", flat=True))
        context.update(
            overdue=selectors.assessment_is_overdue(assessment),
            family=[{"person": p, "entry": entries.get(p.pk)} for p in family],
            children=[
                {"person": p, "voice": voices.get(p.pk)} for p in family if p.pk in child_ids
            ],
            needs=episode.needs.select_related("domain", "person")
            .prefetch_related("outcome_areas", "scores")
            .order_by("pk"),
            complete_form=CompleteAssessmentForm(initial={"version": assessment.version}),
        )
    return episode_page(
        request,
        episode,
        tab="assessment",
        template="early_help/episode_assessment.html",
        context=context,
        errors=errors,
    )


@requires()
@require_http_methods(["GET"])
def assessment(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    return _tab(request, episode_for(request, pk))


@requires(EarlyHelpAction.WORK_EPISODE)
@require_http_methods(["POST"])
def assessment_start(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    episode = episode_for(request, pk)
    policy.require(request.user, EarlyHelpAction.WORK_EPISODE, episode)
    try:
        services.start_assessment(episode=episode, by=user_of(request))
    except Refused as refusal:
        return _tab(request, episode, errors=error_summary(refusal))
    messages.success(request, "Assessment started.")
    return redirect("early_help:assessment", pk=episode.pk)


@requires(EarlyHelpAction.WORK_EPISODE)
@require_http_methods(["GET", "POST"])
def assessment_edit(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    episode = episode_for(request, pk)
    policy.require(request.user, EarlyHelpAction.WORK_EPISODE, episode)
    found = _assessment_of(episode)
    form = AssessmentForm(
        request.POST or None,
        initial={
            "family_view": found.family_view,
            "summary": found.summary,
            "version": found.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = attempt(
            form,
            lambda: services.update_assessment(
                assessment=found,
                by=user_of(request),
                expected_version=data["version"],
                family_view=data["family_view"],
                summary=data["summary"],
            ),
        )
        if saved is not None:
            messages.success(request, "Assessment saved.")
            return redirect("early_help:assessment", pk=episode.pk)
    return form_page(
        request,
        form=form,
        title="The family's view and the assessment summary",
        back_url=reverse("early_help:assessment", args=[episode.pk]),
        submit="Save",
        episode=episode,
    )


@requires(EarlyHelpAction.WORK_EPISODE)
@require_http_methods(["GET", "POST"])
def person_assessment(request: HttpRequest, pk: uuid.UUID, person_pk: uuid.UUID) -> HttpResponse:
    episode = episode_for(request, pk)
    policy.require(request.user, EarlyHelpAction.WORK_EPISODE, episode)
    found = _assessment_of(episode)
    family = selectors.visible_family(user=user_of(request), episode=episode)
    person = next((p for p in family if p.pk == person_pk), None)
    if person is None:
        raise Http404
    entry = PersonAssessment.objects.filter(assessment=found, person=person).first()
    form = PersonAssessmentForm(
        request.POST or None,
        initial={
            "strengths": entry.strengths if entry else "",
            "needs": entry.needs if entry else "",
            "version": found.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = attempt(
            form,
            lambda: services.record_person_assessment(
                assessment=found,
                person=person,
                strengths=data["strengths"],
                needs=data["needs"],
                by=user_of(request),
                expected_version=data["version"],
            ),
        )
        if saved is not None:
            messages.success(request, f"Strengths and needs saved for {person.full_name}.")
            return redirect("early_help:assessment", pk=episode.pk)
    return form_page(
        request,
        form=form,
        title=f"Strengths and needs: {person.full_name}",
        back_url=reverse("early_help:assessment", args=[episode.pk]),
        submit="Save",
        episode=episode,
    )


@requires(EarlyHelpAction.WORK_EPISODE)
@require_http_methods(["GET", "POST"])
def child_voice(request: HttpRequest, pk: uuid.UUID, child_pk: uuid.UUID) -> HttpResponse:
    episode = episode_for(request, pk)
    policy.require(request.user, EarlyHelpAction.WORK_EPISODE, episode)
    found = _assessment_of(episode)
    child = episode.children.filter(pk=child_pk).first()
    if child is None:
        raise Http404
    voice = ChildVoice.objects.filter(assessment=found, child=child).first()
    form = ChildVoiceForm(
        request.POST or None,
        initial={
            "what_the_child_said": voice.what_the_child_said if voice else "",
            "how_gathered": voice.how_gathered if voice else "",
            "not_gathered_reason": voice.not_gathered_reason if voice else "",
            "what_was_observed": voice.what_was_observed if voice else "",
            "version": found.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = attempt(
            form,
            lambda: services.record_child_voice(
                assessment=found,
                child=child,
                by=user_of(request),
                expected_version=data["version"],
                what_the_child_said=data["what_the_child_said"],
                how_gathered=data["how_gathered"],
                not_gathered_reason=data["not_gathered_reason"],
                what_was_observed=data["what_was_observed"],
            ),
        )
        if saved is not None:
            messages.success(request, f"{child.full_name}'s voice recorded.")
            return redirect("early_help:assessment", pk=episode.pk)
    return form_page(
        request,
        form=form,
        title=f"{child.full_name}'s own voice",
        back_url=reverse("early_help:assessment", args=[episode.pk]),
        submit="Save",
        episode=episode,
        template="early_help/child_voice.html",
        context={"child": child},
    )


@requires(EarlyHelpAction.WORK_EPISODE)
@require_http_methods(["GET", "POST"])
def need_new(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    episode = episode_for(request, pk)
    policy.require(request.user, EarlyHelpAction.WORK_EPISODE, episode)
    _assessment_of(episode)
    user = user_of(request)
    form = NeedForm(
        request.POST or None, family=selectors.visible_family(user=user, episode=episode)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        need = attempt(
            form,
            lambda: services.add_need(
                episode=episode,
                domain_code=data["domain"].code,
                description=data["description"],
                outcome_codes=[area.code for area in data["outcome_areas"]],
                baseline_score=data["baseline_score"],
                by=user,
                person=data["person"],
            ),
        )
        if need is not None:
            messages.success(request, "Need added.")
            return redirect("early_help:assessment", pk=episode.pk)
    return form_page(
        request,
        form=form,
        title="Add a need",
        back_url=reverse("early_help:assessment", args=[episode.pk]),
        submit="Add need",
        episode=episode,
    )


@requires(EarlyHelpAction.WORK_EPISODE)
@require_http_methods(["POST"])
def assessment_complete(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    episode = episode_for(request, pk)
    policy.require(request.user, EarlyHelpAction.WORK_EPISODE, episode)
    found = _assessment_of(episode)
    form = CompleteAssessmentForm(request.POST)
    if form.is_valid():
        done = attempt(
            form,
            lambda: services.complete_assessment(
                assessment=found, by=user_of(request), expected_version=form.cleaned_data["version"]
            ),
        )
        if done is not None:
            messages.success(request, "Assessment complete. Next, the plan.")
            return redirect("early_help:assessment", pk=episode.pk)
    # Refused: the page again, as it now stands, with the reasons at the top.
    reasons = [
        {"text": str(message), "href": "#main-content"}
        for field_errors in form.errors.values()
        for message in field_errors
    ]
    return _tab(request, episode, errors=reasons)
