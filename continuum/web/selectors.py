"""What each role's home page shows."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from continuum.access import policy
from continuum.access.models import BreakGlassGrant, Involvement
from continuum.accounts.models import Role, User
from continuum.organisations.models import Council


def involvements_for(*, user: User) -> QuerySet[Involvement]:
    """The user's current involvements with people they may see."""
    visible_people = policy.visible(user, policy.Person)
    return (
        Involvement.objects.active()
        .filter(user=user, person__in=visible_people)
        .select_related("person")
        .order_by("person__family_name", "person__given_name")
    )


def break_glass_awaiting_review(*, user: User) -> QuerySet[BreakGlassGrant]:
    grants = BreakGlassGrant.objects.filter(reviewed_at__isnull=True).select_related(
        "user", "user__organisation"
    )
    if user.role == Role.TEAM_MANAGER:
        grants = grants.filter(user__organisation=user.organisation)
    return grants.order_by("-granted_at")


def people_by_council() -> list[dict[str, object]]:
    """Aggregates for analysts and strategic leads: numbers, never names.

    Restricted records are left out, so a count cannot reveal that one exists.
    """
    counts = dict(
        policy.Person.objects.filter(is_restricted=False)
        .values_list("council")
        .annotate(n=Count("pk"))
        .values_list("council", "n")
    )
    return [
        {"council": council, "people": counts.get(council.pk, 0)}
        for council in Council.objects.order_by("name")
    ]
