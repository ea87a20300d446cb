"""The whole-family early help assessment over JSON: start it, record the family's view,
each member's strengths and needs, each child's own voice and the needs found (tagged with
Supporting Families outcome areas and scored), then complete it."""

from __future__ import annotations

import uuid
from datetime import date

from django.db.models import Prefetch, QuerySet
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
from continuum.early_help.models import Assessment, ChildVoice, Episode, Need, PersonAssessment
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
    person: uuid.UUID = Field(alias="person_id")
    strengths: str
    needs: str


class ChildVoiceOut(Schema):
    child: uuid.UUID = Field(alias="child_id")
    what_the_child_said: str
    how_gathered: str
    not_gathered_reason: str
    what_was_observed: str


class NeedOut(Schema):
    id: int
    person: uuid.UUID | None = Field(alias="person_id")
    domain: str
    description: str
    outcome_areas: list[str]
    baseline_score: int | None

    @staticmethod
    def resolve_domain(need: Need) -> str:
        return need.domain.code

    @staticmethod
    def resolve_outcome_areas(need: Need) -> list[str]:
        return sorted(area.code for area in need.outcome_areas.all())

    @staticmethod
    def resolve_baseline_score(need: Need) -> int | None:
        return next((s.score for s in need.scores.all() if s.stage == ScoreStage.ASSESSMENT), None)


# The assessment as ``_assessment_shown`` reads it for the user: ``people`` and
# ``child_voices`` are the entries of the family members they may see, which it reads into
# ``people_seen`` and ``voices_seen`` (an assessment read otherwise has neither, so it
# cannot be answered with every member's entries).
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
        alias="people_seen", description="Strengths and needs of the family members you may see."
    )
    child_voices: list[ChildVoiceOut] = Field(alias="voices_seen")
    needs: list[NeedOut]

    @staticmethod
    def resolve_is_overdue(assessment: Assessment) -> bool:
        return selectors.assessment_is_overdue(assessment)

    @staticmethod
    def resolve_completed_by(assessment: Assessment) -> str | None:
        return name_of(assessment.completed_by)

    @staticmethod
    def resolve_needs(assessment: Assessment) -> list[Need]:
        return list(assessment.episode.needs.all())


# --- reading ---------------------------------------------------------------------------------


def _assessment_of(episode: Episode) -> Assessment:
    return found_or_404(Assessment.objects.filter(episode=episode).first())


def _needs() -> QuerySet[Need]:
    """Needs with what an answer shows of them, oldest first."""
    return (
        Need.objects.select_related("domain")
        .prefetch_related("outcome_areas", "scores")
        .order_by("pk")
    )


def _assessment_shown(request: HttpRequest, episode: Episode) -> Assessment:
    """The episode's assessment as an answer shows it to the user: the strengths and needs
    and the voices of the family members they may see, and every need found; 404 until it
    is started."""
    seen = [p.pk for p in selectors.visible_family(user=user_of(request), episode=episode)]
    people = PersonAssessment.objects.filter(person__in=seen).order_by("pk")
    voices = ChildVoice.objects.filter(child__in=seen).order_by("pk")
    assessment = (
        Assessment.objects.filter(episode=episode)
        .select_related("episode", "completed_by")
        .prefetch_related(
            Prefetch("people", queryset=people, to_attr="people_seen"),
            Prefetch("child_voices", queryset=voices, to_attr="voices_seen"),
            Prefetch("episode__needs", queryset=_needs()),
        )
        .first()
    )
    return found_or_404(assessment)


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
def get_assessment(request: HttpRequest, episode_id: uuid.UUID) -> Assessment:
    """404 until the assessment is started."""
    episode = episode_for(request, episode_id)
    assessment = _assessment_shown(request, episode)
    log_children_read(request, episode)
    return assessment


@router.post(
    "/{episode_id}/assessment",
    response={201: AssessmentOut, 409: MessageOut},
    summary="Start the assessment",
)
def start_assessment(
    request: HttpRequest, episode_id: uuid.UUID, payload: StartIn
) -> Status[Assessment]:
    """Once the episode is allocated. Due within the council's working days of allocation."""
    episode = _working(request, episode_id)
    services.start_assessment(episode=episode, by=user_of(request), started_on=payload.started_on)
    return Status(201, _assessment_shown(request, episode))


@router.patch(
    "/{episode_id}/assessment",
    response={200: AssessmentOut, 409: MessageOut},
    summary="Record the family's view and the summary",
)
def change_assessment(
    request: HttpRequest, episode_id: uuid.UUID, payload: AssessmentChangeIn
) -> Assessment:
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
    return _assessment_shown(request, episode)


@router.put(
    "/{episode_id}/assessment/people/{person_id}",
    response={200: AssessmentOut, 409: MessageOut},
    summary="Record a family member's strengths and needs",
)
@fields_at(person=("path", "person_id"))
def record_person(
    request: HttpRequest, episode_id: uuid.UUID, person_id: uuid.UUID, payload: PersonAssessmentIn
) -> Assessment:
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
    return _assessment_shown(request, episode)


@router.put(
    "/{episode_id}/assessment/child-voice/{child_id}",
    response={200: AssessmentOut, 409: MessageOut},
    summary="Record a child's own voice",
)
@fields_at(child=("path", "child_id"))
def record_child_voice(
    request: HttpRequest, episode_id: uuid.UUID, child_id: uuid.UUID, payload: ChildVoiceIn
) -> Assessment:
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
    return _assessment_shown(request, episode)


@router.post(
    "/{episode_id}/needs",
    response={201: NeedOut, 409: MessageOut},
    summary="Record a need found by the assessment",
)
def add_need(request: HttpRequest, episode_id: uuid.UUID, payload: NeedIn) -> Status[Need]:
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
    return Status(201, _needs().get(pk=need.pk))


@router.post(
    "/{episode_id}/assessment/complete",
    response={200: AssessmentOut, 409: MessageOut},
    summary="Complete the assessment",
)
def complete_assessment(
    request: HttpRequest, episode_id: uuid.UUID, payload: CompleteIn
) -> Assessment:
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
    return _assessment_shown(request, episode)
