"""Who may search the access log and review emergency (break-glass) access. Registered with
the one access policy.

- System administrators search the whole access log (ids and times, never field values).
- A break-glass grant is reviewed by a system administrator, or by a team manager of the
  holder's own organisation; nobody reviews their own grant.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from continuum.access import policy
from continuum.access.models import BreakGlassGrant
from continuum.accounts.models import Role, User


class AuditAction:
    VIEW_ACCESS_LOG = "audit.view_access_log"
    REVIEW_BREAK_GLASS = "audit.review_break_glass"


def break_glass_grants_to_review(user: Any) -> QuerySet[BreakGlassGrant]:
    """The break-glass grants ``user`` may review: a system administrator any, a team
    manager those of users in their own organisation. Nobody reviews their own grant."""
    if not policy.acts(user):
        return BreakGlassGrant.objects.none()
    if user.role == Role.SYSTEM_ADMINISTRATOR:
        grants = BreakGlassGrant.objects.all()
    elif user.role == Role.TEAM_MANAGER and user.organisation_id is not None:
        grants = BreakGlassGrant.objects.filter(user__organisation_id=user.organisation_id)
    else:
        return BreakGlassGrant.objects.none()
    return grants.exclude(user=user)


def _can_view_access_log(user: User, _: Any) -> bool:
    return user.role == Role.SYSTEM_ADMINISTRATOR


def _can_review_break_glass(user: User, grant: Any) -> bool:
    """Asked without a grant: could the user review any (a page's first gate)."""
    if grant is None:
        return user.role in (Role.SYSTEM_ADMINISTRATOR, Role.TEAM_MANAGER)
    return break_glass_grants_to_review(user).filter(pk=grant.pk).exists()


policy.register_rule(AuditAction.VIEW_ACCESS_LOG, _can_view_access_log)
policy.register_rule(AuditAction.REVIEW_BREAK_GLASS, _can_review_break_glass)
