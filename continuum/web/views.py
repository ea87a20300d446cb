from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from continuum.access import policy
from continuum.access.requests import AuthenticatedRequest, requires
from continuum.accounts.models import Role
from continuum.accounts.roles import AGGREGATE_ROLES
from continuum.audit import selectors as audit_selectors
from continuum.audit.policies import AuditAction, unusual_reading_to_review
from continuum.case_audits.choices import ProgrammeStatus
from continuum.case_audits.models import AuditProgramme
from continuum.case_audits.policies import CaseAuditAction
from continuum.early_help import selectors as early_help_selectors
from continuum.people.policies import PeopleAction
from continuum.performance.navigation import DASHBOARDS
from continuum.performance.policies import PerformanceAction
from continuum.retention import selectors as retention_selectors
from continuum.retention.policies import RetentionAction
from continuum.rights import selectors as rights_selectors
from continuum.rights.policies import RightsAction
from continuum.web import selectors
from continuum.work import selectors as work_selectors
from continuum.work.policies import WorkAction

HOME_TEMPLATES = {
    Role.FRONT_DOOR_WORKER: "web/home_front_door.html",
    Role.EARLY_HELP_PRACTITIONER: "web/home_practitioner.html",
    Role.TEAM_MANAGER: "web/home_manager.html",
    Role.PARTNER_PRACTITIONER: "web/home_partner.html",
    Role.AUDITOR: "web/home_auditor.html",
    Role.PERFORMANCE_ANALYST: "web/home_analyst.html",
    Role.STRATEGIC_LEAD: "web/home_strategic_lead.html",
    Role.SYSTEM_ADMINISTRATOR: "web/home_admin.html",
    Role.INFORMATION_GOVERNANCE_LEAD: "web/home_information_governance.html",
    Role.SAFEGUARDING_PARTNERSHIP_LEAD: "web/home_safeguarding_partnership.html",
}


@requires()
def home(request: AuthenticatedRequest) -> HttpResponse:
    """Each role's own home page; every panel on it is there only if the policy allows."""
    user = request.user
    context: dict[str, object] = {"role_name": user.get_role_display()}
    if policy.can(user, WorkAction.VIEW):
        # The page leads with the user's work (issue 12).
        context["work"] = work_selectors.tray_for(user=user)
    if policy.can(user, PeopleAction.SEARCH):
        context["involvements"] = selectors.involvements_for(user=user)
    if policy.can(user, AuditAction.REVIEW_BREAK_GLASS):
        context["break_glass"] = selectors.break_glass_awaiting_review(user=user)
    if policy.can(user, AuditAction.GOVERN):
        context["unusual_reading_waiting"] = (
            unusual_reading_to_review(user).filter(reviewed_at__isnull=True).count()
        )
    if policy.can(user, RightsAction.VIEW_REGISTER):
        # The information governance lead's own work (issue 13): requests under data
        # protection law due, and disposal runs waiting for their approval.
        due = list(rights_selectors.requests_due(user))
        today = timezone.localdate()
        context["rights_requests_open"] = len(due)
        context["rights_requests_overdue"] = sum(r.due_on < today for r in due)
    if policy.can(user, RetentionAction.GOVERN):
        context["disposal_runs_waiting"] = retention_selectors.runs_awaiting_approval(user).count()
    if policy.can(user, AuditAction.VIEW_ACCESS_LOG):
        context["access_log_summary"] = audit_selectors.access_log_summary()
    if user.role in AGGREGATE_ROLES and policy.can(user, PeopleAction.VIEW_COUNTS):
        context["people_by_council"] = selectors.people_by_council()
    if policy.can(user, PerformanceAction.VIEW_DASHBOARDS):
        context["performance_dashboards"] = DASHBOARDS
    if policy.can(user, CaseAuditAction.RUN_PROGRAMMES):
        context["audit_programmes"] = _audit_programmes(user, context.get("work", []))
    council = policy.council_of(user)
    if council is not None:
        context["council"] = council
    context["early_help"] = early_help_selectors.home_panels(user=user)
    return render(request, HOME_TEMPLATES[Role(user.role)], context)


def _audit_programmes(user: object, work: Any) -> dict[str, int]:
    """What a safeguarding partnership lead runs: their programmes being planned, open and
    closed, and the cases in them awaiting moderation (counted by the work tray's own
    section, which the page leads with)."""
    by_status = dict(
        policy.visible(user, AuditProgramme)
        .values_list("status")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    awaiting = next((s.count for s in work if s.key == "audit_awaiting_moderation"), 0)
    return {
        "planning": by_status.get(ProgrammeStatus.PLANNING, 0),
        "open": by_status.get(ProgrammeStatus.OPEN, 0),
        "closed": by_status.get(ProgrammeStatus.CLOSED, 0),
        "awaiting_moderation": awaiting,
    }


def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: the app is up and its database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return JsonResponse({"status": "ok"})
    except Exception:
        return JsonResponse({"status": "unavailable"}, status=503)
