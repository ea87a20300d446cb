"""The audit templates API: the templates (every version), one version with its sections
and questions (councils' own marked with the council and why), and adding a council's own
question. Templates name nobody: no access-log rows."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from continuum.access import policy
from continuum.access.requests import user_of
from continuum.accounts.models import User
from continuum.case_audits.models import AuditTemplate, TemplateQuestion
from continuum.case_audits.policies import CaseAuditAction
from continuum.case_audits.services import templates as services
from continuum.errors import NotPermitted
from continuum.ui.api import invalid_field, limit_offset, paginated

router = Router(tags=["case audits"])
Pages = limit_offset("AuditTemplatePages", default=50, maximum=200)


def _viewer(request: HttpRequest) -> User:
    user = user_of(request)
    policy.require(user, CaseAuditAction.VIEW_TEMPLATES, message="You may not see audit templates.")
    return user


class TemplateSummaryOut(Schema):
    id: int
    key: str
    version: int
    kind: str
    title: str
    published_on: date
    is_current: bool
    change_note: str


class QuestionOut(Schema):
    id: int
    code: str
    text: str
    guidance: str
    scale: str
    comment_required: bool
    council: str | None = Field(description="The council whose own question this is (or null).")
    added_reason: str

    @staticmethod
    def resolve_council(question: TemplateQuestion) -> str | None:
        return question.council.name if question.council is not None else None


class SectionOut(Schema):
    id: int
    order: int
    title: str
    guidance: str
    questions: list[QuestionOut]


class TemplateOut(TemplateSummaryOut):
    description: str
    sections: list[SectionOut]

    @staticmethod
    def resolve_sections(template: AuditTemplate) -> list[dict[str, object]]:
        return [
            {
                "id": item.section.pk,
                "order": item.section.order,
                "title": item.section.title,
                "guidance": item.section.guidance,
                "questions": item.questions,
            }
            for item in services.all_questions(template)
        ]


class CouncilQuestionIn(Schema):
    section: int = Field(description="The id of the section (of this version) to add it to.")
    text: str
    guidance: str = ""
    scale: str = Field(description="grades, yes_partly_no or comment.")
    comment_required: bool = False
    reason: str = Field(description="Why the council asks this of its cases.")


@router.get("/audit-templates", response=list[TemplateSummaryOut], summary="Audit templates")
@paginated(Pages)
def list_templates(request: HttpRequest, current: bool = False) -> QuerySet[AuditTemplate]:
    found = policy.visible(_viewer(request), AuditTemplate).order_by("key", "-version")
    return found.filter(is_current=True) if current else found


@router.get(
    "/audit-templates/{int:template_id}", response=TemplateOut, summary="A template version"
)
def get_template(request: HttpRequest, template_id: int) -> AuditTemplate:
    return policy.get_visible_or_404(_viewer(request), AuditTemplate, template_id)


@router.post(
    "/audit-templates/{int:template_id}/council-questions",
    response={201: QuestionOut},
    summary="Add the council's own question",
)
def add_council_question(request: HttpRequest, template_id: int, body: CouncilQuestionIn) -> Status:
    user = user_of(request)
    template = policy.get_visible_or_404(user, AuditTemplate, template_id)
    council = user.organisation.council if user.organisation is not None else None
    if council is None or not policy.can(user, CaseAuditAction.ADD_COUNCIL_QUESTION, council):
        raise NotPermitted("Only a council's team managers and strategic leads add its questions.")
    section = template.sections.filter(pk=body.section).first()
    if section is None:
        raise invalid_field("section", "Choose a section of this template.")
    question = services.add_council_question(
        template=template,
        section=section,
        council=council,
        by=user,
        text=body.text,
        guidance=body.guidance,
        scale=body.scale,
        comment_required=body.comment_required,
        reason=body.reason,
    )
    return Status(201, question)
