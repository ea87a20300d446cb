"""Who may see and change a council's retention schedule, legal holds, disposal runs and
certificates: only the council's information governance lead (who sees no case records:
runs and certificates name records by kind and id, never a person's details).
Administrators and everyone else see none of it. Registered with the one access policy."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from continuum.access import policy
from continuum.accounts.models import User
from continuum.audit.policies import governed_council
from continuum.retention.models import (
    DisposalCertificate,
    DisposalRun,
    LegalHold,
    RetentionRule,
    RetentionSchedule,
)


class RetentionAction:
    # See and change the council's schedule, holds and runs; approve runs.
    GOVERN = "retention.govern"


def _scope(model: Any, field: str = "council") -> Any:
    def scope(user: User) -> QuerySet[Any]:
        council = governed_council(user)
        if council is None:
            return model.objects.none()
        return model.objects.filter(**{field: council})

    return scope


def _can_govern(user: User, obj: Any) -> bool:
    council = governed_council(user)
    if council is None:
        return False
    if obj is None:
        return True
    owner = getattr(obj, "council_id", None)
    if owner is None and isinstance(obj, RetentionRule):
        owner = obj.schedule.council_id
    return owner == council.pk


policy.register_scope(RetentionSchedule, _scope(RetentionSchedule))
policy.register_scope(RetentionRule, _scope(RetentionRule, "schedule__council"))
policy.register_scope(LegalHold, _scope(LegalHold))
policy.register_scope(DisposalRun, _scope(DisposalRun))
policy.register_scope(DisposalCertificate, _scope(DisposalCertificate))
policy.register_rule(RetentionAction.GOVERN, _can_govern)
