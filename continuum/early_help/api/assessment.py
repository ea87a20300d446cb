"""The whole-family early help assessment over JSON: start it, record the family's view,
each member's strengths and needs, each child's own voice and the needs found (tagged with
Supporting Families outcome areas and scored), then complete it."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from continuum.access import policy
from continuum.access.requests import user_of
from continuum.early_help import selectors, services
from continuum.early_help.api.common import (
    episode_for,
    found_or_404,
    log_children_read,
    name_of,
)
from continuum.early_help.choices import ScoreStage
from continuum.early_help.models import Assessment, ChildVoice, Episode, PersonAssessment
from continuum.early_help.policies import EarlyHelpAction
from continuum.people.models import Person
from continuum.ui.api import MessageOut, fields_at, invalid_field

router = Router(tags=["early help assessment"])

# The assessment's state (complete, not started) refuses a change with 409.
VERSION = Field(description="The assessment's version when you read it.")


# --- schemas ---------------------------------------------------------------------------------


class StartIn(Schema):
    started_on: date | None = Field(None, description="Defaults to today.")


class AssessmentChangeIn(Schema):
    family_view: str | None = Field(None, description="The family's own view, in their words.")
    summary: str | None = None
    version: int = VERSION


class PersonAssessmentIn(Schema):
    strengths: str = ""
    needs: str = ""
    version: int = VERSION


class ChildVoiceIn(Schema):
    what_the_child_said: str = ""
    how_gathered: str = ""
    not_gathered_reason: str = Field(
        "", description="Why the child's voice could not be gathered (a baby, say)."
    )
    what_was_observed: str = Field("", description="Required with not_gathered_reason.")
    version: int = VERSION


class NeedIn(Schema):
    domain: str = Field(description="Threshold framework domain code, e.g. parenting-capacity.")
    description: str
    outcome_areas: list[str] = Field(description="Supporting Families outcome codes, e.g. SF01.")
    baseline_score: int = Field(description="Where the family is now, 1 to 10.")
    person: uuid.UUID | None = Field(None, description="The family member it concerns, if one.")


class CompleteIn(Schema):
    completed_on: date | None = Field(None, description="Defaults to today.")
    version: int = VERSION


class PersonAssessmentOut(Schema):
    person: uuid.UUID
    strengths: str
    needs: str


class ChildVoiceOut(Schema):
    child: uuid.UUID
    what_the_child_said: str
    how_gathered: str
    not_gathered_reason: str
    what_was_observed: str


class NeedOut(Schema):
    id: int
    person: uuid.UUID | None
    domain: str
    description: str
    outcome_areas: list[str]
    baseline_score: int | None


class AssessmentOut(Schema):
    started_on: date
    due_date: date
    completed_on: date | None
    is_overdue: bool
    family_view: str
    summary: str
    completed_by: str | None
    version: int
    people: list[PersonAssessmentOut] = Field(
        description="Strengths and needs of the family members you may see."
    )
    child_voices: list[ChildVoiceOut]
    needs: list[NeedOut]


# --- reading ---------------------------------------------------------------------------------


def _assessment_of(episode: Episode) -> Assessment:
    return found_or_404(Assessment.objects.filter(episode=episode).first())


def _need_out(need: Any) -> dict[str, Any]:
    baseline = next((s.score for s in need.scores.all() if s.stage == ScoreStage.ASSESSMENT), None)
    return {
        "id": need.pk,
        "person": need.person_id,
        "domain": need.domain.code,
        "description": need.description,
        "outcome_areas": sorted(a.code for a in need.outcome_areas.all()),
        "baseline_score": baseline,
    }


def _assessment_out(request: HttpRequest, episode: Episode) -> dict[str, Any]:
    assessment = _assessment_of(episode)
    visible = {p.pk for p in selectors.visible_family(user=user_of(request), episode=episode)}
    people = PersonAssessment.objects.filter(assessment=assessment, person__in=visible)
    voices = ChildVoice.objects.filter(assessment=assessment, child__in=visible)
    needs = (
        episode.needs.select_related("domain")
        .prefetch_related("outcome_areas", "scores")
        .order_by("pk")
    )
    return {
        "started_on": assessment.started_on,
        "due_date": assessment.due_date,
        "completed_on": assessment.completed_on,
        "is_overdue": selectors.assessment_is_overdue(assessment),
        "family_view": assessment.family_view,
        "summary": assessment.summary,
        "completed_by": name_of(assessment.completed_by),
        "version": assessment.version,
        "people": [
            {"person": e.person_id, "strengths": e.strengths, "needs": e.needs}
            for e in people.order_by("pk")
        ],
        "child_voices": [
            {
                "child": v.child_id,
                "what_the_child_said": v.what_the_child_said,
                "how_gathered": v.how_gathered,
                "not_gathered_reason": v.not_gathered_reason,
                "what_was_observed": v.what_was_observed,
            }
            for v in voices.order_by("pk")
        ],
        "needs": [_need_out(n) for n in needs],
    }


def _working(request: HttpRequest, episode_id: uuid.UUID) -> Episode:
    """The episode, which the user must be allowed to work on (404, then 403)."""
    episode = episode_for(request, episode_id)
    policy.require(
        user_of(request),
        EarlyHelpAction.WORK_EPISODE,
        episode,
        "Only the lead professional or the council's early help staff work on an open episode.",
    )
    return episode


# --- endpoints -------------------------------------------------------------------------------


@router.get("/{episode_id}/assessment", response=AssessmentOut, summary="Read the assessment")
def get_assessment(request: HttpRequest, episode_id: uuid.UUID) -> dict[str, Any]:
    """404 until the assessment is started."""
    episode = episode_for(request, episode_id)
    out = _assessment_out(request, episode)
    log_children_read(request, episode)
    return out


@router.post(
    "/{episode_id}/assessment",
    response={201: AssessmentOut, 409: MessageOut},
    summary="Start the assessment",
)
def start_assessment(
    request: HttpRequest, episode_id: uuid.UUID, payload: StartIn
) -> Status[dict[str, Any]]:
    """Once the episode is allocated. Due within the council's working days of allocation."""
    episode = _working(request, episode_id)
    services.start_assessment(episode=episode, by=user_of(request), started_on=payload.started_on)
    return Status(201, _assessment_out(request, episode))


@router.patch(
    "/{episode_id}/assessment",
    response={200: AssessmentOut, 409: MessageOut},
    summary="Record the family's view and the summary",
)
def change_assessment(
    request: HttpRequest, episode_id: uuid.UUID, payload: AssessmentChangeIn
) -> dict[str, Any]:
    """Fields left out keep their value. A stale ``version`` answers 409 and saves nothing."""
    episode = _working(request, episode_id)
    assessment = _assessment_of(episode)
    services.update_assessment(
        assessment=assessment,
        by=user_of(request),
        expected_version=payload.version,
        family_view=assessment.family_view if payload.family_view is None else payload.family_view,
        summary=assessment.summary if payload.summary is None else payload.summary,
    )
    return _assessment_out(request, episode)


@router.put(
    "/{episode_id}/assessment/people/{person_id}",
    response={200: AssessmentOut, 409: MessageOut},
    summary="Record a family member's strengths and needs",
)
@fields_at(person=("path", "person_id"))
def record_person(
    request: HttpRequest, episode_id: uuid.UUID, person_id: uuid.UUID, payload: PersonAssessmentIn
) -> dict[str, Any]:
    """Replaces what was recorded for this member of the family (a person you may see)."""
    episode = _working(request, episode_id)
    assessment = _assessment_of(episode)
    person = policy.get_visible_or_404(user_of(request), Person, person_id)
    services.record_person_assessment(
        assessment=assessment,
        person=person,
        strengths=payload.strengths,
        needs=payload.needs,
        by=user_of(request),
        expected_version=payload.version,
    )
    return _assessment_out(request, episode)


@router.put(
    "/{episode_id}/assessment/child-voice/{child_id}",
    response={200: AssessmentOut, 409: MessageOut},
    summary="Record a child's own voice",
)
@fields_at(child=("path", "child_id"))
def record_child_voice(
    request: HttpRequest, episode_id: uuid.UUID, child_id: uuid.UUID, payload: ChildVoiceIn
) -> dict[str, Any]:
    """What the child said and how it was gathered; or why it could not be gathered and
    what was observed instead (a baby, say)."""
    episode = _working(request, episode_id)
    assessment = _assessment_of(episode)
    child = policy.get_visible_or_404(user_of(request), Person, child_id)
    services.record_child_voice(
        assessment=assessment,
        child=child,
        by=user_of(request),
        expected_version=payload.version,
        what_the_child_said=payload.what_the_child_said,
        how_gathered=payload.how_gathered,
        not_gathered_reason=payload.not_gathered_reason,
        what_was_observed=payload.what_was_observed,
    )
    return _assessment_out(request, episode)


@router.post(
    "/{episode_id}/needs",
    response={201: NeedOut, 409: MessageOut},
    summary="Record a need found by the assessment",
)
def add_need(
    request: HttpRequest, episode_id: uuid.UUID, payload: NeedIn
) -> Status[dict[str, Any]]:
    """Tagged with at least one Supporting Families outcome area and scored 1 to 10 (the
    baseline for distance travelled)."""
    episode = _working(request, episode_id)
    person = None
    if payload.person is not None:
        person = policy.visible(user_of(request), Person).filter(pk=payload.person).first()
        if person is None:
            raise invalid_field("person", "No person you may see has this id.")
    need = services.add_need(
        episode=episode,
        domain_code=payload.domain,
        description=payload.description,
        outcome_codes=payload.outcome_areas,
        baseline_score=payload.baseline_score,
        by=user_of(request),
        person=person,
    )
    found = (
        episode.needs.select_related("domain")
        .prefetch_related("outcome_areas", "scores")
        .get(pk=need.pk)
    )
    return Status(201, _need_out(found))


@router.post(
    "/{episode_id}/assessment/complete",
    response={200: AssessmentOut, 409: MessageOut},
    summary="Complete the assessment",
)
def complete_assessment(
    request: HttpRequest, episode_id: uuid.UUID, payload: CompleteIn
) -> dict[str, Any]:
    """Refused (422) without every child's voice or the reason it could not be gathered
    (``child_voices``), a need (``needs``) or the family's view (``family_view``)."""
    episode = _working(request, episode_id)
    assessment = _assessment_of(episode)
    services.complete_assessment(
        assessment=assessment,
        by=user_of(request),
        expected_version=payload.version,
        completed_on=payload.completed_on,
    )
    return _assessment_out(request, episode)
