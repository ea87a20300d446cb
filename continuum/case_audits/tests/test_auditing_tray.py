"""The work tray's case-audit sections."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import Role, User
from continuum.case_audits.choices import Grade, ProgrammeStatus
from continuum.case_audits.models import AuditAction
from continuum.case_audits.services.auditing import record_findings, submit_case
from continuum.case_audits.tests.auditing_setup import case_for, full_answers, open_programme
from continuum.organisations.models import Council
from continuum.work.selectors import tray_for


def _section(user: User, key: str) -> list[str]:
    found = [s for s in tray_for(user=user) if s.key == key]
    return [item.url for item in found[0].items] if found else []


def test_an_auditors_tray_lists_exactly_their_cases_until_the_programme_closes(
    redcar_auditor: User, middlesbrough_auditor: User, stockton: Council, hartlepool: Council
) -> None:
    programme = open_programme(audits_due_on=timezone.localdate() - timedelta(days=1))
    mine = [
        case_for(programme, redcar_auditor, council=stockton),
        case_for(programme, redcar_auditor, council=hartlepool),
    ]
    case_for(programme, middlesbrough_auditor, council=stockton)
    open_programme(title="Not open yet", status=ProgrammeStatus.PLANNING)
    sections = {s.key: s for s in tray_for(user=redcar_auditor)}
    listed = sections["audit_cases"]
    assert sorted(i.url for i in listed.items) == sorted(
        reverse("case_audits:case", args=[c.pk]) for c in mine
    )
    assert all(i.overdue for i in listed.items)
    programme.status = ProgrammeStatus.CLOSED
    programme.save()
    assert _section(redcar_auditor, "audit_cases") == []


def test_cases_to_moderate_and_awaiting_moderation(
    redcar_auditor: User,
    middlesbrough_auditor: User,
    partnership_lead: User,
    stockton: Council,
) -> None:
    programme = open_programme(moderators=[middlesbrough_auditor], created_by=partnership_lead)
    case = case_for(programme, redcar_auditor, council=stockton)
    record_findings(
        case=case,
        by=redcar_auditor,
        answers=full_answers(case),
        overall_grade=Grade.GOOD,
        strengths="S",
        areas_for_improvement="A",
    )
    submit_case(case=case, by=redcar_auditor)
    url = reverse("case_audits:case", args=[case.pk])
    assert _section(middlesbrough_auditor, "audit_moderation") == [url]
    assert _section(partnership_lead, "audit_awaiting_moderation") == [url]
    assert _section(redcar_auditor, "audit_moderation") == []


def test_audit_actions_overdue_first(
    partnership_lead: User, make_user: Callable[..., User], stockton: Council
) -> None:
    programme = open_programme(created_by=partnership_lead)
    owner = make_user(Role.TEAM_MANAGER, council=stockton, username="owner.tray")
    today = timezone.localdate()
    later = AuditAction.objects.create(
        programme=programme,
        council=stockton,
        description="Later",
        owner=owner,
        due_on=today + timedelta(days=5),
        created_by=partnership_lead,
    )
    late = AuditAction.objects.create(
        programme=programme,
        council=stockton,
        description="Late",
        owner=owner,
        due_on=today - timedelta(days=5),
        created_by=partnership_lead,
    )
    assert _section(owner, "audit_actions") == [
        reverse("case_audits:action", args=[a.pk]) for a in (late, later)
    ]
