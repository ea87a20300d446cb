"""Writing the access log."""

from __future__ import annotations

import uuid

from django.http import HttpRequest

from continuum.accounts.models import User
from continuum.audit.models import AccessAction, AccessLogEntry


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
