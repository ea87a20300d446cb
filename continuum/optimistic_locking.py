"""Optimistic locking for records two people may edit at once.

A record carries a ``version`` number. A change first claims the record with one
conditional UPDATE (``version = version + 1 WHERE version = expected``); if someone else
changed it since it was read, nothing matches and the change must be refused, never
applied over theirs.
"""

from __future__ import annotations

from django.db.models import F, Model


def claim_version(obj: Model, expected_version: int) -> bool:
    """Claim ``obj`` for a change made against ``expected_version``.

    Returns False (and changes nothing) when the stored version differs; on success bumps
    the version in the database and on ``obj``.
    """
    updated = (
        type(obj)
        ._default_manager.filter(pk=obj.pk, version=expected_version)
        .update(version=F("version") + 1)
    )
    if updated != 1:
        return False
    obj.version = expected_version + 1  # type: ignore[attr-defined]
    return True
