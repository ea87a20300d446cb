"""Who may see a child's statutory involvement. Registered with the one access policy.

The council's front-door workers, early help practitioners and team managers see the
statutory involvement of the council's children whose records they may see (a restricted
child's only if they are on the access list). Partners do not: what social care does
reaches them through the front door's outcome and the Team Around the Family. Analysts
and strategic leads see it only as aggregates, through the performance dashboards.

A council's statutory returns (the CIN census) are made by its own team managers,
performance analysts and strategic leads (``STATUTORY_RETURN_ROLES``), for that council
only: never by partners, other councils' staff or a partnership body's analysts.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from continuum.access import policy
from continuum.accounts.models import Role, User
from continuum.accounts.roles import COUNCIL_CASE_ROLES, STATUTORY_RETURN_ROLES
from continuum.organisations.models import Council
from continuum.people.models import Person
from continuum.statutory.models import StatutoryInvolvement


def involvement_visible_to(user: User) -> QuerySet[StatutoryInvolvement]:
    council = policy.council_of(user)
    if council is None or user.role not in COUNCIL_CASE_ROLES:
        return StatutoryInvolvement.objects.none()
    return StatutoryInvolvement.objects.filter(
        council=council, person__in=policy.visible(user, Person)
    )


policy.register_scope(StatutoryInvolvement, involvement_visible_to)


class StatutoryAction:
    # Asked with a council (or None: for any council): may the user export its CIN census?
    EXPORT_CENSUS = "statutory.export_census"


def census_councils(user: User) -> QuerySet[Council]:
    """The councils whose census return the user may export: their own, for the roles that
    make returns."""
    if not policy.acts(user) or user.role not in STATUTORY_RETURN_ROLES:
        return Council.objects.none()
    own = user.council
    if own is None:
        return Council.objects.none()
    return Council.objects.filter(pk=own.pk)


def _can_export_census(user: User, council: Any) -> bool:
    councils = census_councils(user)
    if council is None:
        return councils.exists()
    return councils.filter(pk=council.pk).exists()


policy.register_rule(StatutoryAction.EXPORT_CENSUS, _can_export_census)


# --- importing the CIN census (issue 11) ------------------------------------------------------
# A council's census return is imported by its team managers and performance analysts (the
# imports app's default rule), who work through the data-quality findings it brings. Which
# person an ambiguous child is needs a look at people's records: the council's team managers
# only (analysts see no names).


class CensusImportAction:
    # Asked with a council: may the user import its census return?
    IMPORT = "imports.cin_census"
    # Asked with a council (or None: any): may the user see and resolve its findings?
    WORK_ON_FINDINGS = "statutory.census_findings"
    # Asked with a council: may the user say which person an ambiguous child is?
    RESOLVE_MATCHES = "statutory.census_matches"


def _findings_council(user: User) -> Council | None:
    from continuum.imports.policies import import_council

    return import_council(user)


def _can_work_on_findings(user: User, council: Any) -> bool:
    own = _findings_council(user)
    return own is not None and (council is None or own.pk == council.pk)


def _can_resolve_matches(user: User, council: Any) -> bool:
    own = policy.council_of(user)
    return (
        user.role == Role.TEAM_MANAGER
        and own is not None
        and council is not None
        and own.pk == council.pk
    )


policy.register_rule(CensusImportAction.WORK_ON_FINDINGS, _can_work_on_findings)
policy.register_rule(CensusImportAction.RESOLVE_MATCHES, _can_resolve_matches)
