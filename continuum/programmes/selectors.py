"""Reading programmes: each starts from what the policy lets the user see."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from continuum.access import policy
from continuum.early_help.models import Episode
from continuum.performance.disclosure import is_small
from continuum.programmes.models import Participation, Programme

SUPPRESSED = "[c]"


def programmes_for(user: Any) -> QuerySet[Programme]:
    return (
        policy.visible(user, Programme)
        .prefetch_related("councils")
        .annotate(
            families=Count("participations__episode", distinct=True),
        )
        .order_by("name")
    )


def shown_count(count: int) -> int | str:
    """A count as shown (decision 0010): 1 to 4 suppressed."""
    return SUPPRESSED if is_small(count) else count


def figures_of(programme: Programme) -> dict[str, int | str]:
    """How many families took part, are taking part now, and by council (aggregates only,
    through disclosure control)."""
    rows = Participation.objects.filter(programme=programme)
    totals = rows.aggregate(
        families=Count("episode", distinct=True),
        now=Count("episode", distinct=True, filter=Q(left_on__isnull=True)),
    )
    return {key: shown_count(value) for key, value in totals.items()}


def participations_on(user: Any, episode: Episode) -> QuerySet[Participation]:
    return (
        policy.visible(user, Participation)
        .filter(episode=episode)
        .select_related("programme")
        .order_by("joined_on")
    )


def programmes_to_join(user: Any, episode: Episode) -> QuerySet[Programme]:
    """Programmes of the episode's council the family does not already take part in."""
    return (
        policy.visible(user, Programme)
        .filter(councils=episode.council_id)
        .exclude(participations__episode=episode)
        .order_by("name")
    )
