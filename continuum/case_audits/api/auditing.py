"""Auditing over JSON: an audited case (findings, conversations, grades), saving findings,
submitting, recording a conversation and moderating; a programme's actions, an action and
its updates; front-door practice observations.

A case, action or observation the user may not see is 404; one they may see but not change
is 403; bad input is 422 naming its field (a question's grade and comment as
``grade_<question id>`` and ``comment_<question id>``); a stale version or an action no
longer open is 409. Nothing here names a child: a case names its episode or contact by id.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from continuum.access import policy
from continuum.access.requests import user_of
from continuum.accounts.models import User
from continuum.case_audits.choices import ActionStatus, ConversationWith
from continuum.case_audits.models import (
    ActionUpdate,
    AuditAction,
    AuditCase,
    AuditConversation,
    AuditProgramme,
    AuditTemplate,
    Finding,
    FrontDoorObservation,
    ObservationFinding,
)
from continuum.case_audits.services import auditing as services
from continuum.case_audits.services.actions import add_action, update_action
from continuum.case_audits.services.moderation import moderate_case
from continuum.case_audits.services.observations import record_observation
from continuum.organisations.models import Council
from continuum.ui.api import invalid_field, limit_offset, paginated

router = Router(tags=["case audits"])
Pages = limit_offset("AuditingPages", default=50, maximum=200)


class FindingOut(Schema):
    question: int
    code: str
    grade: int | None
    comment: str

    @staticmethod
    def resolve_question(finding: Finding | ObservationFinding) -> int:
        return finding.question_id

    @staticmethod
    def resolve_code(finding: Finding | ObservationFinding) -> str:
        return finding.question.code


class ConversationOut(Schema):
    id: int
    held_on: date
    held_with: str
    practitioner: int | None = Field(None, alias="practitioner_id")
    manager: int | None = Field(None, alias="manager_id")
    notes: str
    recorded_at: datetime


class CaseOut(Schema):
    id: uuid.UUID
    programme: uuid.UUID = Field(alias="programme_id")
    council: int = Field(alias="council_id")
    kind: str
    episode: uuid.UUID | None = Field(None, alias="episode_id")
    contact: uuid.UUID | None = Field(None, alias="contact_id")
    level: int | None
    auditor: int | None = Field(None, alias="auditor_id")
    status: str
    version: int
    findings: list[FindingOut]
    overall_grade: int | None
    strengths: str
    areas_for_improvement: str
    submitted_at: datetime | None
    moderated_grade: int | None
    moderation_note: str
    moderated_at: datetime | None
    conversations: list[ConversationOut]

    @staticmethod
    def resolve_findings(case: AuditCase) -> list[Finding]:
        return list(case.findings.select_related("question"))

    @staticmethod
    def resolve_conversations(case: AuditCase) -> list[AuditConversation]:
        return list(case.conversations.all())


class AnswerIn(Schema):
    question: int
    grade: int | None = None
    comment: str = ""


class FindingsIn(Schema):
    answers: list[AnswerIn] = Field(default_factory=list)
    overall_grade: int | None = None
    strengths: str | None = None
    areas_for_improvement: str | None = None
    version: int | None = Field(None, description="The case's version you saw.")


class AuditCaseVersionIn(Schema):
    version: int | None = None


class ConversationIn(Schema):
    held_on: date | None = None
    held_with: str = Field(description=", ".join(ConversationWith.values))
    practitioner: int | None = None
    manager: int | None = None
    notes: str = ""


class ModerationIn(Schema):
    grade: int | None = None
    note: str = ""
    version: int | None = None


class ActionUpdateOut(Schema):
    note: str
    status: str
    recorded_by: int = Field(alias="recorded_by_id")
    recorded_at: datetime


class AuditActionOut(Schema):
    id: uuid.UUID
    programme: uuid.UUID = Field(alias="programme_id")
    case: uuid.UUID | None = Field(None, alias="case_id")
    council: int = Field(alias="council_id")
    description: str
    owner: int = Field(alias="owner_id")
    due_on: date
    status: str
    done_on: date | None
    version: int
    updates: list[ActionUpdateOut]

    @staticmethod
    def resolve_updates(action: AuditAction) -> list[ActionUpdate]:
        return list(action.updates.all())


class AuditActionIn(Schema):
    council: int
    description: str = ""
    owner: int | None = None
    due_on: date | None = None
    case: uuid.UUID | None = None


class ActionUpdateIn(Schema):
    status: str = Field(description=", ".join(ActionStatus.values))
    note: str = ""
    version: int | None = None


class ObservationOut(Schema):
    id: uuid.UUID
    council: int = Field(alias="council_id")
    template: int = Field(alias="template_id")
    programme: uuid.UUID | None = Field(None, alias="programme_id")
    observed_on: date
    observer: int = Field(alias="observer_id")
    what_was_observed: str
    findings: list[FindingOut]
    overall_grade: int | None
    strengths: str
    areas_for_improvement: str
    submitted_at: datetime | None

    @staticmethod
    def resolve_findings(observation: FrontDoorObservation) -> list[ObservationFinding]:
        return list(observation.findings.select_related("question"))


class ObservationIn(Schema):
    council: int
    template: int
    observed_on: date | None = None
    what_was_observed: str = ""
    answers: list[AnswerIn] = Field(default_factory=list)
    overall_grade: int | None = None
    strengths: str = ""
    areas_for_improvement: str = ""
    programme: uuid.UUID | None = None


def _answers(answers: list[AnswerIn]) -> dict[int, services.Answer]:
    return {a.question: (a.grade, a.comment) for a in answers}


def _case(request: HttpRequest, case_id: uuid.UUID) -> AuditCase:
    found = policy.get_visible_or_404(user_of(request), AuditCase, case_id)
    return AuditCase.objects.select_related("programme__template", "episode").get(pk=found.pk)


def _one(queryset: QuerySet[Any], pk: Any, field: str, message: str) -> Any:
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise invalid_field(field, message)
    return found


@router.get("/audit-cases/{uuid:case_id}", response=CaseOut, summary="An audited case")
def get_case(request: HttpRequest, case_id: uuid.UUID) -> AuditCase:
    return _case(request, case_id)


@router.put("/audit-cases/{uuid:case_id}/findings", response=CaseOut, summary="Save findings")
def put_findings(request: HttpRequest, case_id: uuid.UUID, body: FindingsIn) -> AuditCase:
    """Gaps allowed; each answer given replaces the one before (neither grade nor comment
    removes it)."""
    case = _case(request, case_id)
    services.record_findings(
        case=case,
        by=user_of(request),
        answers=_answers(body.answers),
        overall_grade=body.overall_grade,
        strengths=body.strengths,
        areas_for_improvement=body.areas_for_improvement,
        version=body.version,
    )
    return _case(request, case_id)


@router.post("/audit-cases/{uuid:case_id}/submit", response=CaseOut, summary="Submit an audit")
def submit(request: HttpRequest, case_id: uuid.UUID, body: AuditCaseVersionIn) -> AuditCase:
    case = _case(request, case_id)
    services.submit_case(case=case, by=user_of(request), version=body.version)
    return _case(request, case_id)


@router.post(
    "/audit-cases/{uuid:case_id}/conversations",
    response={201: ConversationOut},
    summary="Record the conversation with the practitioner and manager",
)
def add_conversation(request: HttpRequest, case_id: uuid.UUID, body: ConversationIn) -> Any:
    case = _case(request, case_id)
    conversation = services.record_conversation(
        case=case,
        by=user_of(request),
        held_on=body.held_on,
        held_with=body.held_with,
        practitioner=_one(
            User.objects.all(), body.practitioner, "practitioner", "No such practitioner"
        ),
        manager=_one(User.objects.all(), body.manager, "manager", "No such manager"),
        notes=body.notes,
    )
    return Status(201, conversation)


@router.post("/audit-cases/{uuid:case_id}/moderation", response=CaseOut, summary="Moderate a case")
def moderate(request: HttpRequest, case_id: uuid.UUID, body: ModerationIn) -> AuditCase:
    case = _case(request, case_id)
    moderate_case(
        case=case, by=user_of(request), grade=body.grade, note=body.note, version=body.version
    )
    return _case(request, case_id)


@router.get(
    "/audit-programmes/{uuid:programme_id}/actions",
    response=list[AuditActionOut],
    summary="A programme's actions",
)
@paginated(Pages)
def list_actions(request: HttpRequest, programme_id: uuid.UUID) -> QuerySet[AuditAction]:
    user = user_of(request)
    programme = policy.get_visible_or_404(user, AuditProgramme, programme_id)
    return policy.visible(user, AuditAction).filter(programme=programme).order_by("due_on")


@router.post(
    "/audit-programmes/{uuid:programme_id}/actions",
    response={201: AuditActionOut},
    summary="Add an action",
)
def post_action(request: HttpRequest, programme_id: uuid.UUID, body: AuditActionIn) -> Any:
    user = user_of(request)
    programme = policy.get_visible_or_404(user, AuditProgramme, programme_id)
    action = add_action(
        programme=programme,
        by=user,
        council=_one(Council.objects.all(), body.council, "council", "No such council"),
        description=body.description,
        owner=_one(User.objects.all(), body.owner, "owner", "No such owner"),
        due_on=body.due_on,
        case=_one(
            policy.visible(user, AuditCase).filter(programme=programme),
            body.case,
            "case",
            "No such case in this programme",
        ),
    )
    return Status(201, action)


@router.get("/audit-actions/{uuid:action_id}", response=AuditActionOut, summary="An action")
def get_action(request: HttpRequest, action_id: uuid.UUID) -> AuditAction:
    return policy.get_visible_or_404(user_of(request), AuditAction, action_id)


@router.post(
    "/audit-actions/{uuid:action_id}/updates",
    response={201: AuditActionOut},
    summary="Record an action's progress",
)
def post_update(request: HttpRequest, action_id: uuid.UUID, body: ActionUpdateIn) -> Any:
    user = user_of(request)
    action = policy.get_visible_or_404(user, AuditAction, action_id)
    update_action(action=action, by=user, note=body.note, status=body.status, version=body.version)
    return Status(201, AuditAction.objects.get(pk=action.pk))


@router.get(
    "/front-door-observations",
    response=list[ObservationOut],
    summary="Front-door practice observations",
)
@paginated(Pages)
def list_observations(request: HttpRequest) -> QuerySet[FrontDoorObservation]:
    return policy.visible(user_of(request), FrontDoorObservation).order_by("-observed_on")


@router.post(
    "/front-door-observations",
    response={201: ObservationOut},
    summary="Record a front-door practice observation",
)
def post_observation(request: HttpRequest, body: ObservationIn) -> Any:
    user = user_of(request)
    council = _one(Council.objects.all(), body.council, "council", "No such council")
    observation = record_observation(
        by=user,
        council=council,
        template=_one(AuditTemplate.objects.all(), body.template, "template", "No such template"),
        observed_on=body.observed_on,
        what_was_observed=body.what_was_observed,
        answers=_answers(body.answers),
        overall_grade=body.overall_grade,
        strengths=body.strengths,
        areas_for_improvement=body.areas_for_improvement,
        programme=_one(
            policy.visible(user, AuditProgramme), body.programme, "programme", "No such programme"
        ),
    )
    return Status(201, observation)


@router.get(
    "/front-door-observations/{uuid:observation_id}",
    response=ObservationOut,
    summary="A front-door practice observation",
)
def get_observation(request: HttpRequest, observation_id: uuid.UUID) -> FrontDoorObservation:
    return policy.get_visible_or_404(user_of(request), FrontDoorObservation, observation_id)
