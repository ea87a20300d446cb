"""Optimistic locking for records two people may edit at once.

A record carries a ``version`` number. A change first claims the record with one
conditional UPDATE (``version = version + 1 WHERE version = expected``); if someone else
changed it since it was read, nothing matches and the change is refused with
``ConcurrentChange``, never applied over theirs. The claimed row stays locked until the
service's transaction ends, so nobody else changes it in the meantime.
"""

from __future__ import annotations

from django.db.models import F, Model

from continuum.errors import ConcurrentChange

STALE_MESSAGE = (
    "Someone else changed this {what} after you opened it. Nothing was saved: reload the "
    "page to see their change, then make yours again."
)


def claim_version(
    obj: Model, expected_version: int, *, what: str = "record", message: str = STALE_MESSAGE
) -> None:
    """Claim ``obj`` for a change made against ``expected_version``, bumping its version
    in the database and on ``obj``.

    Refused with ``ConcurrentChange`` (and nothing changed) when the stored version
    differs. ``message`` may name ``{what}``, the stored version ``{current}`` and the
    version the user saw ``{expected}``.
    """
    manager = type(obj)._default_manager
    claimed = manager.filter(pk=obj.pk, version=expected_version).update(version=F("version") + 1)
    if claimed != 1:
        current = manager.filter(pk=obj.pk).values_list("version", flat=True).first()
        raise ConcurrentChange(
            message.format(what=what, current=current, expected=expected_version)
        )
    obj.version = expected_version + 1  # type: ignore[attr-defined]
