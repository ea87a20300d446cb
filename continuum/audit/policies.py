"""Who may search the access log and review who reads the records. Registered with the one
access policy.

- System administrators search the whole access log (ids and times, never field values).
- A council's information governance lead reviews emergency (break-glass) access to the
  council's records (those it holds) and may revoke it, and reviews users flagged for
  reading an unusual number of records. Nobody reviews their own grant or flag; the
  grantee's manager no longer reviews (issue 10, finding 12).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from continuum.access import policy
from continuum.access.models import BreakGlassGrant
from continuum.accounts.models import Role, User
from continuum.accounts.roles import INFORMATION_GOVERNANCE_ROLES
from continuum.audit.models import UnusualReadingFlag
from continuum.organisations.models import Council


class AuditAction:
    VIEW_ACCESS_LOG = "audit.view_access_log"
    REVIEW_BREAK_GLASS = "audit.review_break_glass"
    # The council's information governance review page (emergency access, unusual reading).
    GOVERN = "audit.govern"
    REVIEW_UNUSUAL_READING = "audit.review_unusual_reading"


def governed_council(user: Any) -> Council | None:
    """The council whose information governance ``user`` leads, if any."""
    if not policy.acts(user) or user.role not in INFORMATION_GOVERNANCE_ROLES:
        return None
    council: Council | None = user.council
    return council


def break_glass_grants_to_review(user: Any) -> QuerySet[BreakGlassGrant]:
    """The break-glass grants ``user`` may review and revoke: those to records held by the
    council whose information governance they lead. Nobody reviews their own grant."""
    council = governed_council(user)
    if council is None:
        return BreakGlassGrant.objects.none()
    return BreakGlassGrant.objects.filter(person__council=council).exclude(user=user)


def unusual_reading_to_review(user: Any) -> QuerySet[UnusualReadingFlag]:
    """The unusual-reading flags ``user`` reviews: those raised to the council whose
    information governance they lead. Never their own."""
    council = governed_council(user)
    if council is None:
        return UnusualReadingFlag.objects.none()
    return UnusualReadingFlag.objects.filter(councils=council).exclude(user=user)


def _can_review_unusual_reading(user: User, flag: Any) -> bool:
    if flag is None:
        return governed_council(user) is not None
    return unusual_reading_to_review(user).filter(pk=flag.pk).exists()


def _can_view_access_log(user: User, _: Any) -> bool:
    return user.role == Role.SYSTEM_ADMINISTRATOR


def _can_review_break_glass(user: User, grant: Any) -> bool:
    """Asked without a grant: could the user review any (a page's first gate)."""
    if grant is None:
        return governed_council(user) is not None
    return break_glass_grants_to_review(user).filter(pk=grant.pk).exists()


def _can_govern(user: User, _: Any) -> bool:
    return governed_council(user) is not None


policy.register_rule(AuditAction.VIEW_ACCESS_LOG, _can_view_access_log)
policy.register_rule(AuditAction.REVIEW_BREAK_GLASS, _can_review_break_glass)
policy.register_rule(AuditAction.GOVERN, _can_govern)
policy.register_rule(AuditAction.REVIEW_UNUSUAL_READING, _can_review_unusual_reading)
