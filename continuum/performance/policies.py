"""Who may see the performance dashboards, and in how much detail. Registered with the one
access policy; every dashboard page, download and indicator API endpoint asks here.

- Performance analysts, strategic leads and team managers see the dashboards: aggregates
  only, never a child's or family's name.
- Every one of them sees each council's totals side by side (the partnership compares
  councils openly).
- Detail - breakdowns by team, locality, lead-professional agency, referral source, age
  band or ethnicity, and caseloads by named worker - only for the councils they work for:
  a team manager or strategic lead for their own council; an analyst or strategic lead
  employed by a partnership body for every council that body serves.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from continuum.access import policy
from continuum.accounts.models import Role, User
from continuum.accounts.roles import DASHBOARD_ROLES
from continuum.organisations.models import Council


class PerformanceAction:
    VIEW_DASHBOARDS = "performance.view_dashboards"
    # Asked with a council: may the user see its breakdowns and named workers' caseloads?
    VIEW_DETAIL = "performance.view_detail"
    # Asked with a ReportBuild: may the user follow it and download its PDF?
    VIEW_REPORT_BUILD = "performance.view_report_build"


def councils_compared(user: User) -> QuerySet[Council]:
    """The councils whose totals the user sees side by side (all, for dashboard users)."""
    if not policy.acts(user) or user.role not in DASHBOARD_ROLES:
        return Council.objects.none()
    return Council.objects.order_by("name")


def councils_in_detail(user: User) -> QuerySet[Council]:
    """The councils whose breakdowns (teams, localities, workers, ...) the user may see."""
    if not policy.acts(user) or user.role not in DASHBOARD_ROLES:
        return Council.objects.none()
    own = user.council
    if own is not None:
        return Council.objects.filter(pk=own.pk)
    if user.role == Role.TEAM_MANAGER or user.organisation is None:
        return Council.objects.none()
    return user.organisation.serves.order_by("name")


def _can_view_dashboards(user: User, _: Any) -> bool:
    return user.role in DASHBOARD_ROLES and councils_compared(user).exists()


def _can_view_detail(user: User, council: Any) -> bool:
    if council is None:
        return councils_in_detail(user).exists()
    return councils_in_detail(user).filter(pk=council.pk).exists()


policy.register_rule(PerformanceAction.VIEW_DASHBOARDS, _can_view_dashboards)


def _can_view_report_build(user: User, build: Any) -> bool:
    """Only the user who asked for it, while they may see the dashboards, and only while
    what they may see is what it was made with (the councils compared and in detail): a
    PDF made before they moved council shows breakdowns they may no longer see."""
    from continuum.performance.models import PARTNERSHIP_REPORT
    from continuum.performance.report import cache_key
    from continuum.performance.report_builds import KINDS

    if build is not None and build.kind != PARTNERSHIP_REPORT:
        kind = KINDS.get(build.kind)
        return kind is not None and build.user_id == user.pk and kind.may_follow(user, build)
    return (
        build is not None
        and build.user_id == user.pk
        and _can_view_dashboards(user, None)
        and build.scope == cache_key(user, build.month, daily=False)
    )


policy.register_rule(PerformanceAction.VIEW_DETAIL, _can_view_detail)
policy.register_rule(PerformanceAction.VIEW_REPORT_BUILD, _can_view_report_build)
