"""Reading the access log."""

from __future__ import annotations

import uuid
from datetime import date

from django.db.models import QuerySet

from continuum.audit.models import AccessLogEntry


def access_log_for_person(*, subject_id: uuid.UUID) -> QuerySet[AccessLogEntry]:
    return AccessLogEntry.objects.filter(subject_id=subject_id).order_by("-at", "-id")


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
        entries = entries.filter(subject_id=subject_id)
    if date_from:
        entries = entries.filter(at__date__gte=date_from)
    if date_to:
        entries = entries.filter(at__date__lte=date_to)
    if break_glass_only:
        entries = entries.exclude(break_glass_reason="")
    return entries.order_by("-at", "-id")
