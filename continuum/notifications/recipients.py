"""Who is told: a council's staff in a role, by team when a team is named (the roles the
policies speak of are in ``accounts.roles``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from continuum.accounts.models import User
from continuum.organisations.models import Council, Team


def council_staff(
    council: Council, roles: Iterable[str], *, team: Team | None = None
) -> QuerySet[User]:
    """Active users employed by ``council``'s children's services in ``roles``: those in
    ``team`` when it has any, otherwise all of them."""
    staff = User.objects.filter(
        is_active=True,
        is_staff=False,
        is_superuser=False,
        role__in=list(roles),
        organisation__council=council,
    )
    if team is not None and staff.filter(teams=team).exists():
        return staff.filter(teams=team).order_by("pk")
    return staff.order_by("pk")
