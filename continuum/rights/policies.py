"""Who runs the register of requests under data protection law, who logs one, and who reads
a person's record for a subject access bundle. Registered with the one access policy.

- The council's information governance lead runs its register: sees every request about
  the council's people, registers, records, extends and closes them, and sees the
  attempts refused because the requester could not see the person.
- The council's case staff (front-door workers, early help practitioners, team managers)
  may log a request received about a person they may see; they see the requests they
  logged, nothing else of the register.
- The information governance lead sees no case records (decision 0007), but while a
  subject access request they handle is open they read that one person's record for the
  bundle (each read logged); it ends when the request closes.
- No one else (partners, analysts, administrators) sees the register.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from continuum.access import policy
from continuum.accounts.models import User
from continuum.accounts.roles import COUNCIL_CASE_ROLES, INFORMATION_GOVERNANCE_ROLES
from continuum.organisations.models import Council
from continuum.people.models import Person
from continuum.people.policies import PeopleAction
from continuum.rights.choices import OPEN_STATES, RequestKind
from continuum.rights.models import RightsRequest


class RightsAction:
    # No record: open the register (the information governance lead).
    VIEW_REGISTER = "rights.view_register"
    # No record: log a request received (the lead, and the council's case staff).
    LOG = "rights.log"
    # To a person: log a request about them.
    LOG_ABOUT = "rights.log_about"
    # To a request: record its progress, extend, close, carry it out.
    MANAGE = "rights.manage"
    # To a request: read the person's record for its bundle, build and download it.
    READ_FOR_BUNDLE = "rights.read_for_bundle"


def governed_council(user: Any) -> Council | None:
    """The council whose information governance ``user`` leads, if any."""
    if not policy.acts(user) or user.role not in INFORMATION_GOVERNANCE_ROLES:
        return None
    council: Council | None = user.council
    return council


def requests_visible_to(user: User) -> QuerySet[RightsRequest]:
    council = governed_council(user)
    if council is not None:
        return RightsRequest.objects.filter(council=council)
    if policy.council_of(user) is not None:
        return RightsRequest.objects.filter(logged_by=user)
    return RightsRequest.objects.none()


def _views_register(user: User, _obj: Any) -> bool:
    return governed_council(user) is not None


def _logs(user: User, _obj: Any) -> bool:
    return governed_council(user) is not None or policy.council_of(user) is not None


def _logs_about(user: User, person: Any) -> bool:
    if not isinstance(person, Person):
        return False
    council = governed_council(user)
    if council is not None:
        return person.council_id == council.pk
    return user.role in COUNCIL_CASE_ROLES and policy.can(user, PeopleAction.VIEW, person)


def _manages(user: User, request: Any) -> bool:
    council = governed_council(user)
    return (
        isinstance(request, RightsRequest)
        and council is not None
        and request.council_id == council.pk
    )


def _reads_for_bundle(user: User, request: Any) -> bool:
    return (
        _manages(user, request)
        and request.kind == RequestKind.SUBJECT_ACCESS
        and request.state in OPEN_STATES
        and request.handled_by_id == user.pk
    )


def open_access_requests(user: User) -> QuerySet[RightsRequest]:
    """The open subject access requests ``user`` handles: the only people whose record the
    information governance lead reads."""
    if governed_council(user) is None:
        return RightsRequest.objects.none()
    return RightsRequest.objects.filter(
        Q(handled_by=user),
        council=user.council,
        kind=RequestKind.SUBJECT_ACCESS,
        state__in=OPEN_STATES,
    )


policy.register_scope(RightsRequest, requests_visible_to)
policy.register_rule(RightsAction.VIEW_REGISTER, _views_register)
policy.register_rule(RightsAction.LOG, _logs)
policy.register_rule(RightsAction.LOG_ABOUT, _logs_about)
policy.register_rule(RightsAction.MANAGE, _manages)
policy.register_rule(RightsAction.READ_FOR_BUNDLE, _reads_for_bundle)
