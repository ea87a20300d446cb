"""Front-door practice observations: an auditor from another council (or the partnership's
lead) observes a council's front door at work and records what they saw against a short
template, with findings by question (the same rules as a case's), an overall grade,
strengths and areas for improvement, recorded whole."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import User
from continuum.case_audits.choices import TemplateKind
from continuum.case_audits.models import (
    AuditProgramme,
    AuditTemplate,
    FrontDoorObservation,
    ObservationFinding,
)
from continuum.case_audits.policies import CaseAuditAction
from continuum.case_audits.services.auditing import Answer, answer_errors, summary_errors
from continuum.case_audits.services.templates import questions_of
from continuum.organisations.models import Council


def _errors(
    *,
    by: User,
    council: Council,
    template: AuditTemplate | None,
    observed_on: date | None,
    what_was_observed: str,
    programme: AuditProgramme | None,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if template is None or template.kind != TemplateKind.FRONT_DOOR_OBSERVATION:
        errors["template"] = "Choose a front-door observation template"
    if observed_on is None:
        errors["observed_on"] = "Enter the date of the observation"
    elif observed_on > timezone.localdate():
        errors["observed_on"] = "The date of the observation must be today or in the past"
    if not what_was_observed.strip():
        errors["what_was_observed"] = "Describe what was observed"
    if programme is not None and (
        not policy.visible(by, AuditProgramme).filter(pk=programme.pk).exists()
        or not programme.councils.filter(pk=council.pk).exists()
    ):
        errors["programme"] = "Choose a programme of the council observed"
    return errors


@transaction.atomic
def record_observation(
    *,
    by: User,
    council: Council,
    template: AuditTemplate | None,
    observed_on: date | None,
    what_was_observed: str,
    answers: Mapping[int, Answer],
    overall_grade: int | None,
    strengths: str,
    areas_for_improvement: str,
    programme: AuditProgramme | None = None,
) -> FrontDoorObservation:
    """Record an observation of ``council``'s front door. An auditor never observes their
    own council's."""
    policy.require(
        by,
        CaseAuditAction.OBSERVE_FRONT_DOOR,
        council,
        "You may not observe this council's front door: an auditor never observes their "
        "own council's.",
    )
    errors = _errors(
        by=by,
        council=council,
        template=template,
        observed_on=observed_on,
        what_was_observed=what_was_observed,
        programme=programme,
    )
    questions = list(questions_of(template, council)) if template is not None else []
    errors |= answer_errors(questions, answers, complete=True)
    errors |= summary_errors(
        overall_grade=overall_grade,
        strengths=strengths,
        areas_for_improvement=areas_for_improvement,
        complete=True,
    )
    if errors:
        raise ValidationError(errors)
    assert template is not None and observed_on is not None
    now = timezone.now()
    observation = FrontDoorObservation.objects.create(
        programme=programme,
        council=council,
        template=template,
        observed_on=observed_on,
        observer=by,
        what_was_observed=what_was_observed.strip(),
        overall_grade=overall_grade,
        strengths=strengths.strip(),
        areas_for_improvement=areas_for_improvement.strip(),
        recorded_at=now,
        submitted_at=now,
    )
    ObservationFinding.objects.bulk_create(
        ObservationFinding(
            observation=observation,
            question=question,
            grade=answers.get(question.pk, (None, ""))[0],
            comment=(answers.get(question.pk, (None, ""))[1] or "").strip(),
        )
        for question in questions
        if question.pk in answers
    )
    return observation
