"""Moderating a submitted case: a moderator of the programme (never the case's own auditor)
agrees the auditor's overall grade or changes it, saying why when they change it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import User
from continuum.case_audits.choices import CaseStatus, Grade
from continuum.case_audits.models import AuditCase
from continuum.case_audits.policies import CaseAuditAction
from continuum.optimistic_locking import claim_version

NOT_MODERATOR = (
    "Only a moderator of the programme who did not audit the case may moderate it, once it "
    "is submitted and while the programme is open."
)


@transaction.atomic
def moderate_case(
    *, case: AuditCase, by: User, grade: int | None, note: str = "", version: int | None = None
) -> AuditCase:
    """Agree the final grade (``grade`` equal to the auditor's; the note optional) or change
    it (a note required)."""
    policy.require(by, CaseAuditAction.MODERATE_CASE, case, NOT_MODERATOR)
    note = (note or "").strip()
    errors: dict[str, str] = {}
    if grade is None or grade not in Grade.values:
        errors["grade"] = "Choose the final grade"
    elif grade != case.overall_grade and not note:
        errors["note"] = "Say why you changed the auditor's grade"
    if errors:
        raise ValidationError(errors)
    claim_version(case, case.version if version is None else version, what="audit")
    case.moderator = by
    case.moderated_grade = grade
    case.moderation_note = note
    case.moderated_at = timezone.now()
    case.status = CaseStatus.MODERATED
    case.save()
    return case
