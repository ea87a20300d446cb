"""Changing the facts the access policy reads: involvement and restricted-record access
lists. Apps above the shared record (front door, early help, audits) call these when
someone becomes, or stops being, involved with a person. (Break-glass grants are made by
``people.services.break_glass``, which asks the people policy first.)
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from continuum.access.models import Involvement, ReadGrant, RestrictedAccess
from continuum.accounts.models import User

if TYPE_CHECKING:  # named for the type checker only: access imports no app above it
    from continuum.people.models import Person


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
def end_involvements_from(
    *,
    source: str,
    user: User | None = None,
    reason: str | None = None,
    ends_at: datetime | None = None,
) -> int:
    """End every open involvement that came from ``source`` (for ``user`` and ``reason``
    when given), whoever it is with.

    The involvement itself records whom it was with and from when, so ending one never
    depends on who is in the family today: a person who left the household while the
    involvement lasted loses nobody's access later than anyone else does. Involvements not
    yet started (a future start) end at their start, so they never begin. Returns how many
    were ended.
    """
    ends_at = ends_at or timezone.now()
    open_involvements = Involvement.objects.filter(source=source, ends_at__isnull=True)
    if user is not None:
        open_involvements = open_involvements.filter(user=user)
    if reason is not None:
        open_involvements = open_involvements.filter(reason=reason)
    ended = 0
    for involvement in open_involvements.select_for_update():
        involvement.ends_at = max(ends_at, involvement.starts_at)
        involvement.save(update_fields=["ends_at"])
        ended += 1
    return ended


def grant_read(
    *,
    user: User,
    record_label: str,
    record_id: uuid.UUID,
    reason: str,
    source: str,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
) -> ReadGrant:
    """Let ``user`` read one record (``record_label``, e.g. ``"front_door.Contact"``) from
    ``starts_at`` until ``ends_at`` (or until ended), for ``reason``. A grant from the same
    source for the same record and user that is still open is kept, not repeated."""
    existing = (
        ReadGrant.objects.filter(
            user=user, record_label=record_label, record_id=record_id, source=source
        )
        .filter(ends_at__isnull=True)
        .first()
    )
    if existing is not None:
        return existing
    return ReadGrant.objects.create(
        user=user,
        record_label=record_label,
        record_id=record_id,
        reason=reason,
        source=source,
        starts_at=starts_at or timezone.now(),
        ends_at=ends_at,
    )


def end_read_grants_from(
    *,
    source: str,
    user: User | None = None,
    record: tuple[str, uuid.UUID] | None = None,
    ends_at: datetime | None = None,
) -> int:
    """End every open read grant from ``source`` (for ``user``, and on the one ``record``,
    its label and id, when given). A grant not yet started ends at its
    start, so it never begins. Returns how many were ended."""
    ends_at = ends_at or timezone.now()
    grants = ReadGrant.objects.filter(source=source).filter(
        Q(ends_at__isnull=True) | Q(ends_at__gt=ends_at)
    )
    if user is not None:
        grants = grants.filter(user=user)
    if record is not None:
        record_label, record_id = record
        grants = grants.filter(record_label=record_label, record_id=record_id)
    ended = 0
    for grant in grants:
        grant.ends_at = max(ends_at, grant.starts_at)
        grant.save(update_fields=["ends_at"])
        ended += 1
    return ended
