"""Auditing a case once its programme is open: the auditor's findings by question (saved as
they go, with gaps), the overall grade, strengths and areas for improvement, submitting
them whole, and the conversation with the practitioner and their manager.

Each asks the policy (``CaseAuditAction.AUDIT_CASE``: the case's own auditor, while the
programme is open and the case not yet submitted), refuses bad input by field before
writing anything, and claims the case's version so two tabs never overwrite each other.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import Role, User
from continuum.case_audits.choices import (
    SCALE_OPTIONS,
    CaseStatus,
    ConversationWith,
    Grade,
    Scale,
)
from continuum.case_audits.models import (
    AuditCase,
    AuditConversation,
    Finding,
    TemplateQuestion,
)
from continuum.case_audits.policies import CaseAuditAction
from continuum.case_audits.services.templates import questions_of
from continuum.optimistic_locking import claim_version

# An answer: the grade (one of the question's scale's options; None for a comment only or
# not yet graded) and the comment.
Answer = tuple[int | None, str]

NOT_AUDITOR = "Only the case's auditor may record its audit, while the programme is open."


def questions_for_case(case: AuditCase) -> list[TemplateQuestion]:
    return list(questions_of(case.programme.template, case.council_id))


def grade_field(question: TemplateQuestion) -> str:
    """The name a question's grade goes by, on pages and in refusals."""
    return f"grade_{question.pk}"


def comment_field(question: TemplateQuestion) -> str:
    return f"comment_{question.pk}"


def answer_errors(
    questions: Iterable[TemplateQuestion],
    answers: Mapping[int, Answer],
    *,
    complete: bool,
) -> dict[str, str]:
    """What is wrong with ``answers`` to ``questions``, by field: a question not asked, a
    grade outside its scale (or any grade on a comment-only question), a graded answer
    without the comment its question requires; with ``complete``, also each question left
    ungraded or without its required comment."""
    asked = {q.pk: q for q in questions}
    errors: dict[str, str] = {}
    for question_id in answers:
        if question_id not in asked:
            errors["answers"] = f"Question {question_id} is not asked of this case."
    for question in asked.values():
        grade, comment = answers.get(question.pk, (None, ""))
        comment = (comment or "").strip()
        options = [value for value, _ in SCALE_OPTIONS[question.scale]]
        if grade is not None and grade not in options:
            errors[grade_field(question)] = (
                f"{question.code}: this question is not graded"
                if question.scale == Scale.COMMENT_ONLY
                else f"{question.code}: choose one of the grades offered"
            )
        answered = grade is not None or bool(comment)
        if question.comment_required and not comment and (answered or complete):
            errors[comment_field(question)] = (
                f"{question.code}: a comment is required for this question"
            )
        if complete and options and grade is None:
            errors[grade_field(question)] = f"{question.code}: choose a grade"
    return errors


def summary_errors(
    *, overall_grade: int | None, strengths: str, areas_for_improvement: str, complete: bool
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if overall_grade is not None and overall_grade not in Grade.values:
        errors["overall_grade"] = "Choose one of the four grades"
    if complete:
        if overall_grade is None:
            errors["overall_grade"] = "Choose the overall grade"
        if not strengths.strip():
            errors["strengths"] = "Enter the strengths"
        if not areas_for_improvement.strip():
            errors["areas_for_improvement"] = "Enter the areas for improvement"
    return errors


def answers_of(case: AuditCase) -> dict[int, Answer]:
    return {f.question_id: (f.grade, f.comment) for f in case.findings.all()}


@transaction.atomic
def record_findings(
    *,
    case: AuditCase,
    by: User,
    answers: Mapping[int, Answer],
    overall_grade: int | None = None,
    strengths: str | None = None,
    areas_for_improvement: str | None = None,
    version: int | None = None,
) -> AuditCase:
    """Save the auditor's progress: each answer given replaces the one before (an answer
    with neither grade nor comment removes it), gaps allowed. ``version`` is the case's
    version the page showed (its current version if not given)."""
    policy.require(by, CaseAuditAction.AUDIT_CASE, case, NOT_AUDITOR)
    questions = questions_for_case(case)
    errors = answer_errors(questions, answers, complete=False)
    errors |= summary_errors(
        overall_grade=overall_grade,
        strengths=strengths or "",
        areas_for_improvement=areas_for_improvement or "",
        complete=False,
    )
    if errors:
        raise ValidationError(errors)
    claim_version(case, case.version if version is None else version, what="audit")
    by_id = {q.pk: q for q in questions}
    now = timezone.now()
    for question_id, (grade, comment) in answers.items():
        comment = (comment or "").strip()
        if grade is None and not comment:
            Finding.objects.filter(case=case, question_id=question_id).delete()
            continue
        Finding.objects.update_or_create(
            case=case,
            question=by_id[question_id],
            defaults={"grade": grade, "comment": comment, "recorded_by": by, "recorded_at": now},
        )
    case.overall_grade = overall_grade
    if strengths is not None:
        case.strengths = strengths.strip()
    if areas_for_improvement is not None:
        case.areas_for_improvement = areas_for_improvement.strip()
    case.status = CaseStatus.IN_PROGRESS
    case.save()
    return case


@transaction.atomic
def submit_case(*, case: AuditCase, by: User, version: int | None = None) -> AuditCase:
    """Submit the audit for moderation: refused, naming each gap, unless every graded
    question has a grade, every question requiring a comment has one, and the overall
    grade, strengths and areas for improvement are there. Nothing changes after."""
    policy.require(by, CaseAuditAction.AUDIT_CASE, case, NOT_AUDITOR)
    errors = answer_errors(questions_for_case(case), answers_of(case), complete=True)
    errors |= summary_errors(
        overall_grade=case.overall_grade,
        strengths=case.strengths,
        areas_for_improvement=case.areas_for_improvement,
        complete=True,
    )
    if errors:
        raise ValidationError(errors)
    claim_version(case, case.version if version is None else version, what="audit")
    case.status = CaseStatus.SUBMITTED
    case.submitted_at = timezone.now()
    case.save()
    return case


# --- the conversation -------------------------------------------------------------------


def practitioners_for(case: AuditCase) -> QuerySet[User]:
    """Who the practitioner may be: the episode's lead professional (of any agency) and the
    case's council's own practitioners and managers."""
    staff = Q(
        organisation__council=case.council_id,
        role__in=[
            Role.EARLY_HELP_PRACTITIONER,
            Role.FRONT_DOOR_WORKER,
            Role.TEAM_MANAGER,
        ],
    )
    lead = Q(pk=case.episode.lead_professional_id) if case.episode_id and case.episode else Q()
    reach = staff | lead if lead else staff
    return User.objects.filter(reach, is_active=True).order_by("last_name", "first_name")


def managers_for(case: AuditCase) -> QuerySet[User]:
    """Who the manager may be: the case's council's team managers and strategic leads."""
    return User.objects.filter(
        organisation__council=case.council_id,
        role__in=[Role.TEAM_MANAGER, Role.STRATEGIC_LEAD],
        is_active=True,
    ).order_by("last_name", "first_name")


def _conversation_errors(
    case: AuditCase,
    *,
    held_on: date | None,
    held_with: str,
    practitioner: User | None,
    manager: User | None,
    notes: str,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    opened = case.programme.opened_at
    if held_on is None:
        errors["held_on"] = "Enter the date of the conversation"
    elif held_on > timezone.localdate():
        errors["held_on"] = "The date of the conversation must be today or in the past"
    elif opened is not None and held_on < timezone.localdate(opened):
        errors["held_on"] = "The date of the conversation must be on or after the audit opened"
    if held_with not in ConversationWith.values:
        errors["held_with"] = "Say who the conversation was with"
    wants_practitioner = held_with in (ConversationWith.PRACTITIONER, ConversationWith.BOTH)
    wants_manager = held_with in (ConversationWith.MANAGER, ConversationWith.BOTH)
    if wants_practitioner and practitioner is None:
        errors["practitioner"] = "Choose the practitioner"
    elif practitioner is not None and not practitioners_for(case).filter(pk=practitioner.pk):
        errors["practitioner"] = "Choose a practitioner of the case's council"
    if wants_manager and manager is None:
        errors["manager"] = "Choose the manager"
    elif manager is not None and not managers_for(case).filter(pk=manager.pk):
        errors["manager"] = "Choose a manager of the case's council"
    if not notes.strip():
        errors["notes"] = "Enter what was discussed"
    return errors


@transaction.atomic
def record_conversation(
    *,
    case: AuditCase,
    by: User,
    held_on: date | None,
    held_with: str,
    practitioner: User | None = None,
    manager: User | None = None,
    notes: str,
) -> AuditConversation:
    """Record the auditor's conversation about the case with the practitioner and their
    manager."""
    policy.require(by, CaseAuditAction.AUDIT_CASE, case, NOT_AUDITOR)
    errors = _conversation_errors(
        case,
        held_on=held_on,
        held_with=held_with,
        practitioner=practitioner,
        manager=manager,
        notes=notes,
    )
    if errors:
        raise ValidationError(errors)
    assert held_on is not None
    return AuditConversation.objects.create(
        case=case,
        held_on=held_on,
        held_with=held_with,
        practitioner=practitioner,
        manager=manager,
        notes=notes.strip(),
        recorded_by=by,
    )


def grade_label(value: Any) -> str:
    """An overall grade's words ("" for none)."""
    return str(Grade(value).label) if value in Grade.values else ""
