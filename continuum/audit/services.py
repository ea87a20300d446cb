"""Writing the access log, and recording the review of emergency (break-glass) access."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Mapping
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from continuum.access.models import BreakGlassGrant
from continuum.accounts.models import User
from continuum.audit import chain
from continuum.audit.models import AccessAction, AccessLogEntry, ShownRecord, UnusualReadingFlag
from continuum.errors import InvalidState, NotPermitted
from continuum.organisations.models import Council

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
    entry = AccessLogEntry(
        user=user,
        username=user.username,
        organisation_name=organisation.name if organisation else "",
        role=user.role,
        subject_id=subject_id,
        action=action,
        request_id=getattr(request, "request_id", None) or uuid.uuid4(),
        break_glass_reason=break_glass_reason,
    )
    chain.append(entry)
    check_unusual_reading(user=user, searched=False)
    return entry


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
    check_unusual_reading(user=user, searched=True)
    return entry


@transaction.atomic
def log_export(
    *,
    request: HttpRequest | None,
    user: User,
    terms: Mapping[str, object],
    subject_ids: Iterable[uuid.UUID],
    row_count: int | None = None,
) -> AccessLogEntry:
    """Record one export of a list of people's records (a statutory return): who, what was
    exported (``terms``: the return, council, period or year, lists and their row counts),
    how many rows it held (``row_count``; by default one per person) and which people it
    was about (by id). One row, like a search, and counted the same way for unusual
    reading. ``request`` is None on the command line."""
    people = list(dict.fromkeys(subject_ids))
    organisation = user.organisation
    entry = AccessLogEntry.objects.create(
        user=user,
        username=user.username,
        organisation_name=organisation.name if organisation else "",
        role=user.role,
        subject_id=None,
        action=AccessAction.EXPORT,
        request_id=getattr(request, "request_id", None) or uuid.uuid4(),
        search_terms=describe_terms(terms),
        result_count=len(people) if row_count is None else row_count,
    )
    ShownRecord.objects.bulk_create(
        (ShownRecord(entry=entry, subject_id=pk) for pk in people),
        batch_size=2000,
    )
    check_unusual_reading(user=user, searched=True)
    return entry


# --- unusual reading -------------------------------------------------------------------------

READING_WINDOW = timedelta(hours=1)


def _records_read(user: User, since: object) -> int:
    """Distinct people whose record ``user`` opened since ``since`` (one indexed count)."""
    return (
        AccessLogEntry.objects.filter(user=user, at__gte=since, subject_id__isnull=False)
        .values("subject_id")
        .distinct()
        .count()
    )


def _people_shown(user: User, since: object) -> int:
    """Distinct people searches showed ``user`` since ``since`` (one indexed count)."""
    return (
        ShownRecord.objects.filter(entry__user=user, entry__at__gte=since)
        .values("subject_id")
        .distinct()
        .count()
    )


def _councils_concerned(user: User, since: object) -> list[Council]:
    """Whose information governance leads are told: the user's own council; for a partner
    (no council employs them), the councils holding the records they read or were shown.
    The people are looked up by label: the audit log sits below the people app."""
    if user.council is not None:
        return [user.council]
    read = AccessLogEntry.objects.filter(user=user, at__gte=since, subject_id__isnull=False)
    shown = ShownRecord.objects.filter(entry__user=user, entry__at__gte=since)
    person_model = apps.get_model("people", "Person")
    council_ids = set(
        person_model.objects.filter(pk__in=read.values("subject_id")).values_list(
            "council_id", flat=True
        )
    ) | set(
        person_model.objects.filter(pk__in=shown.values("subject_id")).values_list(
            "council_id", flat=True
        )
    )
    return list(Council.objects.filter(pk__in=council_ids))


def check_unusual_reading(*, user: User, searched: bool) -> UnusualReadingFlag | None:
    """Flag ``user`` to their council's information governance lead when, in the last hour,
    they opened more than ``settings.UNUSUAL_READS_PER_HOUR`` distinct people's records or
    searches showed them more than ``settings.UNUSUAL_SHOWN_PER_HOUR`` distinct people.

    Called as each access-log row is written (``searched`` says which kind, and only that
    kind's count can have grown), so a flag is raised at once; at most one flag per user
    per hour. Costs one indexed lookup and one count of the user's own last hour of rows
    (and the other count when a flag is raised).
    """
    now = timezone.now()
    since = now - READING_WINDOW
    if UnusualReadingFlag.objects.filter(user=user, raised_at__gt=since).exists():
        return None
    if searched:
        people_shown = _people_shown(user, since)
        if people_shown <= settings.UNUSUAL_SHOWN_PER_HOUR:
            return None
        records_read = _records_read(user, since)
    else:
        records_read = _records_read(user, since)
        if records_read <= settings.UNUSUAL_READS_PER_HOUR:
            return None
        people_shown = _people_shown(user, since)
    flag = UnusualReadingFlag.objects.create(
        user=user,
        window_start=since,
        window_end=now,
        records_read=records_read,
        people_shown=people_shown,
    )
    flag.councils.set(_councils_concerned(user, since))
    security_log.warning(
        "Unusual reading flagged (flag %s, raised on a %s): user id %s opened %s records "
        "and was shown %s people in an hour",
        flag.pk,
        "search" if searched else "read",
        user.pk,
        records_read,
        people_shown,
    )
    return flag


@transaction.atomic
def review_unusual_reading(
    *, flag: UnusualReadingFlag, reviewer: User, outcome: str
) -> UnusualReadingFlag:
    """Mark a flag reviewed, with what the information governance lead found and did.
    Once, with a note, never by the flagged user."""
    outcome = outcome.strip()
    if not outcome:
        raise ValidationError({"outcome": "Enter what you found and what you have done"})
    locked = UnusualReadingFlag.objects.select_for_update().get(pk=flag.pk)
    if locked.user_id == reviewer.pk:
        raise NotPermitted("You cannot review your own reading.")
    if locked.reviewed_at is not None:
        raise InvalidState("This flag has already been reviewed.")
    locked.reviewed_by = reviewer
    locked.reviewed_at = timezone.now()
    locked.outcome = outcome
    locked.save(update_fields=["reviewed_by", "reviewed_at", "outcome"])
    security_log.info("Unusual reading flag %s reviewed by user id %s", locked.pk, reviewer.pk)
    return locked


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
