"""The work tray's case-audit sections: an auditor's cases to audit (in open programmes,
due by the programme's date, overdue tagged), a moderator's cases to moderate, anyone's
open audit actions (overdue first), and the partnership lead's cases awaiting moderation
across their programmes.

Read through ``policy.visible``, so nothing is listed that the user may not open: an
auditor's cases leave their tray when the programme closes.
"""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from continuum.access import policy
from continuum.accounts.models import Role, User
from continuum.case_audits.choices import ActionStatus, CaseStatus, ProgrammeStatus
from continuum.case_audits.models import AuditAction, AuditCase, AuditProgramme, BlindRegrade
from continuum.case_audits.policies import CaseAuditAction
from continuum.ui.dates import govuk_date
from continuum.work.regrades import regrades_to_do
from continuum.work.selectors import WorkItem, WorkSection


def _name(case: AuditCase) -> str:
    record_id = case.episode_id or case.contact_id
    return f"{case.council.name}: {case.get_kind_display()} {str(record_id)[:8].upper()}"


def cases_to_audit(*, user: User, today: date) -> WorkSection:
    cases = (
        policy.visible(user, AuditCase)
        .filter(
            auditor=user,
            programme__status=ProgrammeStatus.OPEN,
            status__in=[CaseStatus.ASSIGNED, CaseStatus.IN_PROGRESS],
        )
        .select_related("council", "programme")
    )
    items = []
    for case in cases:
        due = case.programme.audits_due_on
        items.append(
            WorkItem(
                title=_name(case),
                url=reverse("case_audits:case", args=[case.pk]),
                detail=case.programme.title + (f"; due {govuk_date(due)}" if due else ""),
                due=due,
                overdue=due is not None and due < today,
                tag=str(CaseStatus(case.status).label),
                tag_colour="blue" if case.status == CaseStatus.IN_PROGRESS else "grey",
            )
        )
    return WorkSection("audit_cases", "Cases to audit", items, empty="No cases to audit.")


def _awaiting(user: User, *, heading: str, key: str) -> WorkSection:
    cases = (
        policy.visible(user, AuditCase)
        .filter(programme__status=ProgrammeStatus.OPEN, status=CaseStatus.SUBMITTED)
        .exclude(auditor=user)
        .select_related("council", "programme")
    )
    items = [
        WorkItem(
            title=_name(case),
            url=reverse("case_audits:case", args=[case.pk]),
            detail=f"{case.programme.title}; submitted {govuk_date(case.submitted_at.date())}"
            if case.submitted_at
            else case.programme.title,
            due=case.programme.audits_due_on,
        )
        for case in cases
        if key != "audit_moderation" or policy.can(user, CaseAuditAction.MODERATE_CASE, case)
    ]
    return WorkSection(key, heading, items, empty="No cases are awaiting moderation.")


def cases_to_moderate(*, user: User, today: date) -> WorkSection:
    return _awaiting(user, heading="Cases to moderate", key="audit_moderation")


def awaiting_moderation(*, user: User, today: date) -> WorkSection:
    return _awaiting(user, heading="Cases awaiting moderation", key="audit_awaiting_moderation")


def audit_actions(*, user: User, today: date) -> WorkSection:
    actions = (
        policy.visible(user, AuditAction)
        .filter(owner=user, status=ActionStatus.OPEN)
        .select_related("council", "programme")
    )
    return WorkSection(
        "audit_actions",
        "Audit actions",
        [
            WorkItem(
                title=action.description[:80],
                url=reverse("case_audits:action", args=[action.pk]),
                detail=f"{action.programme.title}; due {govuk_date(action.due_on)}",
                due=action.due_on,
                overdue=action.due_on < today,
                tag="Overdue" if action.due_on < today else "",
                tag_colour="red" if action.due_on < today else "",
            )
            for action in actions
        ],
        link=reverse("case_audits:actions"),
        link_text="All your audit actions",
        empty="No open audit actions.",
    )


def case_audit_sections(*, user: User, today: date) -> list[WorkSection]:
    """The user's case-audit sections (none for most users)."""
    sections: list[WorkSection] = []
    if user.role == Role.AUDITOR and policy.can(user, CaseAuditAction.AUDIT_CASE):
        sections.append(cases_to_audit(user=user, today=today))
        regrading = regrades_to_do(user=user, today=today)
        if (
            regrading.count
            or BlindRegrade.objects.filter(
                auditor=user, programme__status=ProgrammeStatus.OPEN
            ).exists()
        ):
            sections.append(regrading)
        moderating = cases_to_moderate(user=user, today=today)
        if (
            moderating.count
            or AuditProgramme.objects.filter(moderators=user, status=ProgrammeStatus.OPEN).exists()
        ):
            sections.append(moderating)
    if user.role == Role.SAFEGUARDING_PARTNERSHIP_LEAD:
        sections.append(awaiting_moderation(user=user, today=today))
    actions = audit_actions(user=user, today=today)
    if actions.count:
        sections.append(actions)
    return sections
