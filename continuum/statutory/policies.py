"""Who may see and record a child's statutory involvement. Registered with the one access
policy.

The council's front-door workers, early help practitioners and team managers see the
statutory involvement of the council's children whose records they may see (a restricted
child's only if they are on the access list). Partners do not: what social care does
reaches them through the front door's outcome and the Team Around the Family. Analysts
and strategic leads see it only as aggregates, through the performance dashboards.

Recording what follows the front door's decision (the referral, the strategy discussion
and section 47 enquiry, the initial conference, the assessment and its authorisation) is
for the child's council's social care roles: its front-door workers (the multi-agency
safeguarding hub's social workers) and team managers (``RECORDING_ROLES``), for a child
whose record they may see. Early help practitioners read it; nobody else records it.

A council's statutory returns (the CIN census) are made by its own team managers,
performance analysts and strategic leads (``STATUTORY_RETURN_ROLES``), for that council
only: never by partners, other councils' staff or a partnership body's analysts.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from continuum.access import policy
from continuum.accounts.models import Role, User
from continuum.accounts.roles import COUNCIL_CASE_ROLES, FRONT_DOOR_ROLES, STATUTORY_RETURN_ROLES
from continuum.organisations.models import Council
from continuum.people.models import Person
from continuum.statutory.models import StatutoryInvolvement

# The council's social care roles: who records statutory involvement.
RECORDING_ROLES = FRONT_DOOR_ROLES


class StatutoryAction:
    # See a child's statutory involvement and its timescales (obj: the person), or the
    # council's lists of timescales (obj: None).
    VIEW = "statutory.view"
    # Record statutory involvement (obj: the person, a referral or part of one, or a
    # front-door decision to refer; None: may record for the council at all).
    RECORD = "statutory.record"
    # Asked with a council (or None: for any council): may the user export its CIN census?
    EXPORT_CENSUS = "statutory.export_census"


def involvement_visible_to(user: User) -> QuerySet[StatutoryInvolvement]:
    council = policy.council_of(user)
    if council is None or user.role not in COUNCIL_CASE_ROLES:
        return StatutoryInvolvement.objects.none()
    return StatutoryInvolvement.objects.filter(
        council=council, person__in=policy.visible(user, Person)
    )


def _person_of(obj: Any) -> Any:
    """The person a record concerns (a person, a statutory record); None otherwise."""
    if isinstance(obj, Person):
        return obj
    if isinstance(obj, StatutoryInvolvement):
        return obj.person
    return None


def _council_id_of(obj: Any) -> int | None:
    if isinstance(obj, StatutoryInvolvement):
        return obj.council_id
    if isinstance(obj, Person):
        return obj.council_id
    contact = getattr(obj, "contact", None)  # a front-door decision
    return getattr(contact, "council_id", None)


def _may(user: User, obj: Any, roles: frozenset[str]) -> bool:
    council = policy.council_of(user)
    if council is None or user.role not in roles:
        return False
    if obj is None:
        return True
    if _council_id_of(obj) != council.pk:
        return False
    person = _person_of(obj)
    if person is not None:
        return policy.visible(user, Person).filter(pk=person.pk).exists()
    contact = getattr(obj, "contact", None)
    if contact is not None:
        return policy.visible(user, "front_door.Contact").filter(pk=contact.pk).exists()
    return False


def _can_view(user: User, obj: Any) -> bool:
    return _may(user, obj, COUNCIL_CASE_ROLES)


def _can_record(user: User, obj: Any) -> bool:
    return _may(user, obj, RECORDING_ROLES)


policy.register_scope(StatutoryInvolvement, involvement_visible_to)
policy.register_rule(StatutoryAction.VIEW, _can_view)
policy.register_rule(StatutoryAction.RECORD, _can_record)


def council_of_returns(user: User) -> Council | None:
    """The council whose statutory returns (the CIN census, Ofsted's Annex A) ``user`` may
    make: their own employer, for the roles that make returns; None for anyone else."""
    if not policy.acts(user) or user.role not in STATUTORY_RETURN_ROLES:
        return None
    return user.council


def census_councils(user: User) -> QuerySet[Council]:
    """The councils whose census return the user may export: their own, for the roles that
    make returns."""
    own = council_of_returns(user)
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
