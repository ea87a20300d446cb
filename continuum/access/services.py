"""Changing the facts the access policy reads: involvement, restricted-record access lists
and break-glass grants. Apps above the shared record (front door, early help, audits) call
these when someone becomes, or stops being, involved with a person.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from continuum.access import policy
from continuum.access.models import BreakGlassGrant, Involvement, RestrictedAccess
from continuum.accounts.models import User
from continuum.people.models import Person

BREAK_GLASS_MIN_REASON = 20
BREAK_GLASS_MAX_HOURS = 72


@transaction.atomic
def record_involvement(
    *,
    user: User,
    person: Person,
    reason: str,
    source: str,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
) -> Involvement:
    """Record that ``user`` is involved with ``person`` (from ``starts_at``, now by default,
    until ``ends_at`` or until it is ended).

    Recording the same involvement (user, person, reason, source) again while it lasts
    returns the existing one rather than a duplicate.
    """
    existing = (
        Involvement.objects.active()
        .filter(user=user, person=person, reason=reason, source=source)
        .first()
    )
    if existing is not None:
        return existing
    involvement = Involvement(
        user=user,
        person=person,
        reason=reason,
        source=source,
        starts_at=starts_at or timezone.now(),
        ends_at=ends_at,
    )
    involvement.full_clean()
    involvement.save()
    return involvement


@transaction.atomic
def end_involvement(
    *, user: User, person: Person, source: str, ends_at: datetime | None = None
) -> int:
    """End ``user``'s open involvements with ``person`` that came from ``source``.

    Returns how many were ended. Involvements from other sources carry on.
    """
    ends_at = ends_at or timezone.now()
    ended = 0
    open_involvements = Involvement.objects.filter(
        user=user, person=person, source=source, ends_at__isnull=True
    )
    for involvement in open_involvements:
        involvement.ends_at = max(ends_at, involvement.starts_at)
        involvement.save(update_fields=["ends_at"])
        ended += 1
    return ended


@transaction.atomic
def grant_restricted_access(
    *, person: Person, user: User, reason: str, granted_by: User | None
) -> RestrictedAccess:
    """Put ``user`` on the access list of a restricted record."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": ["Enter why this person needs access."]})
    access, created = RestrictedAccess.objects.get_or_create(
        person=person,
        user=user,
        defaults={"reason": reason, "granted_by": granted_by},
    )
    if not created:
        raise ValidationError({"user": [f"{user} is already on this record's access list."]})
    return access


@transaction.atomic
def break_glass(*, user: User, person: Person, reason: str, hours: int = 24) -> BreakGlassGrant:
    """Grant ``user`` emergency access to ``person`` for ``hours``, with a recorded reason.

    Refused (PermissionDenied) unless the policy allows break-glass for this user and record;
    the reason must be at least 20 characters. Reads made through the grant carry the reason
    in the access log, and the grant stays flagged until a manager reviews it.
    """
    if not policy.can(user, policy.Action.BREAK_GLASS, person):
        raise PermissionDenied("Emergency access is not available for this record.")
    reason = " ".join(reason.split())
    if len(reason) < BREAK_GLASS_MIN_REASON:
        raise ValidationError(
            {"reason": [f"Give the reason in at least {BREAK_GLASS_MIN_REASON} characters."]}
        )
    if not 1 <= hours <= BREAK_GLASS_MAX_HOURS:
        raise ValidationError(
            {"hours": [f"Emergency access lasts from 1 to {BREAK_GLASS_MAX_HOURS} hours."]}
        )
    now = timezone.now()
    return BreakGlassGrant.objects.create(
        user=user,
        person=person,
        reason=reason,
        granted_at=now,
        expires_at=now + timedelta(hours=hours),
    )
