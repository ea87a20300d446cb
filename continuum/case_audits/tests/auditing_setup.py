"""What the auditing tests share: an open programme of Stockton-on-Tees' and Hartlepool's
episodes with a case given to Redcar and Cleveland's auditor and Middlesbrough's auditor
moderating, made directly with the factories (opening a programme is another part's)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from django.utils import timezone

from continuum.accounts.models import User
from continuum.case_audits.choices import Grade, ProgrammeStatus
from continuum.case_audits.models import AuditCase, AuditProgramme, TemplateQuestion
from continuum.testing import factories


def open_programme(*, moderators: list[User] | None = None, **fields: Any) -> AuditProgramme:
    fields = {
        "status": ProgrammeStatus.OPEN,
        "opened_at": timezone.now() - timedelta(days=10),
        "audits_due_on": timezone.localdate() + timedelta(days=20),
    } | fields
    programme = cast(AuditProgramme, factories.AuditProgrammeFactory(**fields))
    if moderators:
        programme.moderators.add(*moderators)
    return programme


def case_for(programme: AuditProgramme, auditor: User, **fields: Any) -> AuditCase:
    return cast(
        AuditCase, factories.AuditCaseFactory(programme=programme, auditor=auditor, **fields)
    )


def question(case: AuditCase, code: str) -> TemplateQuestion:
    return TemplateQuestion.objects.get(section__template=case.programme.template, code=code)


def full_answers(case: AuditCase) -> dict[int, tuple[int | None, str]]:
    """Every question answered: A1 good, A2 partly with a comment, B1 requires improvement
    with a comment, B2 a comment."""
    return {
        question(case, "A1").pk: (Grade.GOOD, ""),
        question(case, "A2").pk: (2, "Seen once, alone; voice recorded in the assessment."),
        question(case, "B1").pk: (Grade.REQUIRES_IMPROVEMENT, "Outcomes are not measurable."),
        question(case, "B2").pk: (None, "Good multi-agency attendance at TAF meetings."),
    }
