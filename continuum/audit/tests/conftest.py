from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.test import RequestFactory

from continuum.accounts.models import User
from continuum.audit.models import AccessAction, AccessLogEntry
from continuum.audit.services import log_access


@pytest.fixture
def record_read(db: Any) -> Callable[..., AccessLogEntry]:
    """record_read(user, subject_id, action=..., break_glass_reason="") -> the new row."""

    def record(
        user: User,
        subject_id: uuid.UUID,
        *,
        action: AccessAction = AccessAction.VIEW_RECORD,
        break_glass_reason: str = "",
    ) -> AccessLogEntry:
        request = RequestFactory().get("/")
        request.request_id = uuid.uuid4()  # type: ignore[attr-defined]
        return log_access(
            request=request,
            user=user,
            subject_id=subject_id,
            action=action,
            break_glass_reason=break_glass_reason,
        )

    return record
