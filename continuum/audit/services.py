"""Writing the access log, and recording the review of emergency (break-glass) access."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from continuum.access.models import BreakGlassGrant
from continuum.accounts.models import User
from continuum.audit.models import AccessAction, AccessLogEntry, ShownRecord
from continuum.errors import InvalidState, NotPermitted

security_log = logging.getLogger("continuum.security")


def log_access(
    *,
    request: HttpRequest,
    user: User,
    subject_id: uuid.UUID,
    action: AccessAction,
    break_glass_reason: str = "",
) -> AccessLogEntry:
    """Record one read of a person's record by ``user`` in the course of ``request``."""
    organisation = user.organisation
    return AccessLogEntry.objects.create(
        user=user,
        username=user.username,
        organisation_name=organisation.name if organisation else "",
        role=user.role,
        subject_id=subject_id,
        action=action,
        request_id=getattr(request, "request_id", None) or uuid.uuid4(),
        break_glass_reason=break_glass_reason,
    )


SEARCH_TERMS_MAX = 1000


def describe_terms(terms: Mapping[str, object]) -> str:
    """The terms of a search as the access log keeps them: "q=smith; limit=50", blank terms
    left out, cut to fit the column."""
    text = "; ".join(f"{key}={value}" for key, value in terms.items() if value not in ("", None))
    return text[:SEARCH_TERMS_MAX]


@transaction.atomic
def log_search(
    *,
    request: HttpRequest,
    user: User,
    terms: Mapping[str, object],
    result_count: int,
    shown_ids: Iterable[uuid.UUID],
) -> AccessLogEntry:
    """Record one search or list of people: who, the terms, how many matched and which
    records were shown (by id). One row, whatever the number of records shown."""
    organisation = user.organisation
    entry = AccessLogEntry.objects.create(
        user=user,
        username=user.username,
        organisation_name=organisation.name if organisation else "",
        role=user.role,
        subject_id=None,
        action=AccessAction.SEARCH,
        request_id=getattr(request, "request_id", None) or uuid.uuid4(),
        search_terms=describe_terms(terms),
        result_count=result_count,
    )
    ShownRecord.objects.bulk_create(
        ShownRecord(entry=entry, subject_id=subject_id) for subject_id in dict.fromkeys(shown_ids)
    )
    return entry


def _locked_for_review(grant: BreakGlassGrant, reviewer: User, note: str) -> BreakGlassGrant:
    if not note:
        raise ValidationError({"note": "Enter what you found when you reviewed this access"})
    locked = BreakGlassGrant.objects.select_for_update().get(pk=grant.pk)
    if locked.user_id == reviewer.pk:
        raise NotPermitted("You cannot review your own emergency access.")
    if locked.reviewed_at is not None:
        raise InvalidState("This emergency access has already been reviewed.")
    return locked


@transaction.atomic
def review_break_glass(*, grant: BreakGlassGrant, reviewer: User, note: str) -> BreakGlassGrant:
    """Record that ``reviewer`` has looked into an emergency access, and what they found.

    A grant is reviewed once, never by its own holder, and always with a note. Reviewing
    this way lets the access run its course; ``revoke_break_glass`` ends it.
    """
    locked = _locked_for_review(grant, reviewer, note.strip())
    locked.reviewed_by = reviewer
    locked.reviewed_at = timezone.now()
    locked.review_note = note.strip()
    locked.save(update_fields=["reviewed_by", "reviewed_at", "review_note"])
    security_log.info(
        "Break-glass grant %s (user id %s) reviewed by user id %s",
        locked.pk,
        locked.user_id,
        reviewer.pk,
    )
    return locked


@transaction.atomic
def revoke_break_glass(*, grant: BreakGlassGrant, reviewer: User, note: str) -> BreakGlassGrant:
    """End an emergency access now, recording the review that ended it. The holder loses
    the record on their next request (the policy reads ``revoked_at``)."""
    locked = _locked_for_review(grant, reviewer, note.strip())
    now = timezone.now()
    if not locked.granted_at <= now < locked.expires_at or locked.revoked_at is not None:
        raise InvalidState(
            "This emergency access has already ended; record your review without ending it."
        )
    locked.reviewed_by = locked.revoked_by = reviewer
    locked.reviewed_at = locked.revoked_at = now
    locked.review_note = note.strip()
    locked.save(
        update_fields=["reviewed_by", "reviewed_at", "review_note", "revoked_by", "revoked_at"]
    )
    security_log.warning(
        "Break-glass grant %s (user id %s) revoked by user id %s",
        locked.pk,
        locked.user_id,
        reviewer.pk,
    )
    return locked
