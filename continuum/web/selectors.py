"""What each role's home page shows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from continuum.access import policy
from continuum.access.models import BreakGlassGrant, Involvement
from continuum.accounts.models import User
from continuum.audit.policies import break_glass_grants_to_review
from continuum.organisations.models import Council
from continuum.people.models import Person
from continuum.performance.sample import child_populations


def involvements_for(*, user: User) -> QuerySet[Involvement]:
    """The user's current involvements with people they may see."""
    visible_people = policy.visible(user, Person)
    return (
        Involvement.objects.active()
        .filter(user=user, person__in=visible_people)
        .select_related("person")
        .order_by("person__family_name", "person__given_name")
    )


def break_glass_awaiting_review(*, user: User) -> QuerySet[BreakGlassGrant]:
    """Emergency access this user may review and nobody has reviewed yet."""
    return (
        break_glass_grants_to_review(user)
        .filter(reviewed_at__isnull=True)
        .select_related("user", "user__organisation")
        .order_by("-granted_at")
    )


@dataclass(frozen=True)
class CouncilFigures:
    name: str
    child_population: int
    people: int

    @property
    def per_10000(self) -> float | None:
        """People recorded per 10,000 children, or None when the population is unknown."""
        if not self.child_population:
            return None
        return self.people * 10000 / self.child_population


def people_by_council() -> dict[str, Any]:
    """Aggregates for analysts and strategic leads: numbers, never names.

    Restricted records are left out, so a count cannot reveal that one exists.
    """
    counts = dict(
        Person.objects.filter(is_restricted=False)
        .values_list("council")
        .annotate(n=Count("pk"))
        .values_list("council", "n")
    )
    # The population the dashboards divide by (the latest estimate, else the council's
    # own figure), so the home page and the dashboards quote the same children (issue 12).
    populations = child_populations()
    rows = [
        CouncilFigures(
            council.name,
            populations.get(council.pk) or council.child_population,
            counts.get(council.pk, 0),
        )
        for council in Council.objects.order_by("name")
    ]
    total = CouncilFigures(
        "All councils",
        sum(row.child_population for row in rows),
        sum(row.people for row in rows),
    )
    return {"rows": rows, "total": total}
