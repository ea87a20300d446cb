"""Reading the access log."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from django.apps import apps
from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from continuum.access.models import BreakGlassGrant
from continuum.audit.models import AccessAction, AccessLogEntry, ShownRecord, UnusualReadingFlag
from continuum.organisations.models import Council


def _about(subject_id: uuid.UUID) -> Q:
    """Rows about one person: reads of their record, and searches that listed them."""
    shown_in = ShownRecord.objects.filter(subject_id=subject_id).values("entry_id")
    return Q(subject_id=subject_id) | Q(pk__in=shown_in)


def access_log_for_person(*, subject_id: uuid.UUID) -> QuerySet[AccessLogEntry]:
    return AccessLogEntry.objects.filter(_about(subject_id)).order_by("-at", "-id")


def search_access_log(
    *,
    username: str = "",
    subject_id: uuid.UUID | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    break_glass_only: bool = False,
) -> QuerySet[AccessLogEntry]:
    entries = AccessLogEntry.objects.all()
    if username:
        entries = entries.filter(username__iexact=username)
    if subject_id:
        entries = entries.filter(_about(subject_id))
    if date_from:
        entries = entries.filter(at__date__gte=date_from)
    if date_to:
        entries = entries.filter(at__date__lte=date_to)
    if break_glass_only:
        entries = entries.exclude(break_glass_reason="")
    return entries.order_by("-at", "-id")


def access_under_break_glass(*, grant: BreakGlassGrant) -> QuerySet[AccessLogEntry]:
    """Every read of the grant's record by its holder while the grant lasted (until it
    expired, or was revoked)."""
    ended = min(grant.expires_at, grant.revoked_at or grant.expires_at)
    return AccessLogEntry.objects.filter(
        user_id=grant.user_id,
        subject_id=grant.person_id,
        at__gte=grant.granted_at,
        at__lt=ended,
    ).order_by("at", "id")


def access_under_break_glass_by_request(*, grant: BreakGlassGrant) -> list[dict[str, Any]]:
    """The reads under a grant counted per request: when each request began and how many
    access-log rows it wrote. Counts only; no field values."""
    rows = (
        access_under_break_glass(grant=grant)
        .order_by()
        .values("request_id")
        .annotate(reads=Count("id"), first_at=Min("at"))
        .order_by("first_at", "request_id")
    )
    return [dict(row) for row in rows]


def access_log_summary() -> dict[str, int]:
    """Counts for a system administrator's home page: reads of records today, and reads
    by emergency access in the last seven days. Counts only."""
    today = timezone.localdate()
    recent = AccessLogEntry.objects.filter(at__date__gte=today - timedelta(days=6))
    return {
        "reads_today": AccessLogEntry.objects.filter(at__date=today)
        .exclude(action__in=[AccessAction.SEARCH, AccessAction.EXPORT])
        .count(),
        "break_glass_last_7_days": recent.exclude(break_glass_reason="").count(),
    }


def access_log_since(
    *, cursor: int, council_code: str | None = None, limit: int = 10000
) -> QuerySet[AccessLogEntry]:
    """The rows after position ``cursor`` in the hash chain, oldest first; with a council
    (its DfE LA code), only those about a person it holds or by a user it employs."""
    entries = AccessLogEntry.objects.filter(sequence__gt=cursor)
    if council_code:
        council = Council.objects.filter(dfe_la_code=council_code).first()
        if council is None:
            raise LookupError(f"No council has the DfE LA code {council_code!r}.")
        # Named by label: the shared record's app sits above the audit app.
        people = apps.get_model("people", "Person").objects.filter(council=council)
        entries = entries.filter(
            Q(subject_id__in=people.values("pk")) | Q(user__organisation__council=council)
        )
    return entries.order_by("sequence")[:limit]


REVIEWED_SHOWN_DAYS = 30


def recently_reviewed(grants: QuerySet[BreakGlassGrant]) -> QuerySet[BreakGlassGrant]:
    """Of ``grants``, those reviewed in the last 30 days, newest review first."""
    since = timezone.now() - timedelta(days=REVIEWED_SHOWN_DAYS)
    return grants.filter(reviewed_at__gte=since).order_by("-reviewed_at")


def recently_reviewed_flags(
    flags: QuerySet[UnusualReadingFlag],
) -> QuerySet[UnusualReadingFlag]:
    """Of ``flags``, those reviewed in the last 30 days, newest review first."""
    since = timezone.now() - timedelta(days=REVIEWED_SHOWN_DAYS)
    return flags.filter(reviewed_at__gte=since).order_by("-reviewed_at")


def reading_behind(*, flag: UnusualReadingFlag) -> QuerySet[AccessLogEntry]:
    """The flagged user's access-log rows in the hour the flag counts, with how many
    records each search showed."""
    return (
        AccessLogEntry.objects.filter(
            user_id=flag.user_id, at__gte=flag.window_start, at__lte=flag.window_end
        )
        .annotate(shown_count=Count("shown"))
        .order_by("-at", "-id")
    )
