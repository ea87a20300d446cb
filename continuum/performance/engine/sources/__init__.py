"""Every source table the engine reads, described as data (``engine.source``), by app."""

from __future__ import annotations

from continuum.performance.engine.source import Source
from continuum.performance.engine.sources.attendance import ATTENDANCE
from continuum.performance.engine.sources.consent import EPISODE_CONSENT, WITHDRAWALS
from continuum.performance.engine.sources.early_help import (
    ASSESSMENTS,
    EPISODES,
    NEEDS_AT_CLOSURE,
    REVIEWS,
    SUSTAINED_OUTCOMES,
    TAF_ATTENDANCE,
)
from continuum.performance.engine.sources.front_door import CONTACTS
from continuum.performance.engine.sources.impact import AFTER_CLOSURE
from continuum.performance.engine.sources.notifications import NOTIFICATIONS
from continuum.performance.engine.sources.statutory import STATUTORY
from continuum.performance.engine.sources.statutory_timescales import STATUTORY_TIMESCALES

SOURCES: dict[str, Source] = {
    source.name: source
    for source in (
        CONTACTS,
        NOTIFICATIONS,
        EPISODES,
        ASSESSMENTS,
        REVIEWS,
        TAF_ATTENDANCE,
        NEEDS_AT_CLOSURE,
        SUSTAINED_OUTCOMES,
        AFTER_CLOSURE,
        STATUTORY,
        ATTENDANCE,
        STATUTORY_TIMESCALES,
        EPISODE_CONSENT,
        WITHDRAWALS,
    )
}


def source_of(measure: str) -> str:
    """The name of the source that feeds ``measure`` (so only the sources an indicator
    needs are queried)."""
    for source in SOURCES.values():
        if source.feeds_measure(measure):
            return source.name
    raise KeyError(measure)
