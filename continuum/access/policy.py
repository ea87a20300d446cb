"""The one access policy: who may see which rows, and who may do what.

Every view and API endpoint asks here. Two questions, always the same shape:

- ``visible(user, Model)`` -> the queryset of rows ``user`` may see (row scoping in the
  query, so lists, searches and counts can never include anything else);
- ``can(user, action, obj=None)`` -> may ``user`` do ``action`` (to ``obj``)?

and one helper that fetches and checks in one step: ``get_visible_or_404``. A record the
user may not see answers 404, exactly like one that does not exist.

Rules for the shared record (people) live in this module. Apps above it (front door, early
help, ...) register the rules for their own models with ``register_scope`` and
``register_rule`` from their ``policies.py``, so the policy never imports the apps it
protects, and this module stays the one place every caller asks.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from continuum.access.models import BreakGlassGrant, Involvement, RestrictedAccess
from continuum.accounts.models import Role, User
from continuum.organisations.models import Council
from continuum.people.models import Person

M = TypeVar("M", bound=Model)

# Roles whose holders work for a council's children's services and see that council's
# people and cases.
COUNCIL_CASE_ROLES = frozenset(
    {Role.FRONT_DOOR_WORKER, Role.EARLY_HELP_PRACTITIONER, Role.TEAM_MANAGER}
)
# Roles who see people only through a recorded involvement, while it lasts.
# An early help practitioner may work for any agency: one employed by a partner sees
# people through involvement, like a partner practitioner.
INVOLVEMENT_ROLES = frozenset(
    {Role.PARTNER_PRACTITIONER, Role.AUDITOR, Role.EARLY_HELP_PRACTITIONER}
)
# Roles who see aggregates, never names.
AGGREGATE_ROLES = frozenset({Role.PERFORMANCE_ANALYST, Role.STRATEGIC_LEAD})


class Action:
    """The actions the policy answers for. Plain strings, so apps can add their own."""

    SEARCH_PEOPLE = "people.search"
    CREATE_PERSON = "people.create"
    VIEW_PERSON = "people.view"
    EDIT_PERSON = "people.edit"
    VIEW_PERSON_ACCESS_LOG = "people.view_access_log"
    BREAK_GLASS = "people.break_glass"
    VIEW_ACCESS_LOG = "audit.view_access_log"
    REVIEW_BREAK_GLASS = "audit.review_break_glass"
    VIEW_THRESHOLDS = "thresholds.view"
    VIEW_AGGREGATES = "reports.view_aggregates"


def has_role(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.role)


def council_of(user: User) -> Council | None:
    """The council a council-staff user works for (None for partners and others)."""
    if user.role not in COUNCIL_CASE_ROLES:
        return None
    return user.council


def is_council_staff(user: User) -> bool:
    return has_role(user) and council_of(user) is not None


# --- the shared record: people ---------------------------------------------------------


def _not_restricted_or_listed(user: User) -> Q:
    listed = Exists(RestrictedAccess.objects.filter(person=OuterRef("pk"), user=user))
    return Q(is_restricted=False) | Q(listed)


def _active_involvement(user: User) -> Exists:
    return Exists(Involvement.objects.active().filter(user=user, person=OuterRef("pk")))


def _active_break_glass(user: User) -> Exists:
    now = timezone.now()
    return Exists(
        BreakGlassGrant.objects.filter(
            user=user, person=OuterRef("pk"), granted_at__lte=now, expires_at__gt=now
        )
    )


def people_visible_to(user: Any) -> QuerySet[Person]:
    """The people ``user`` may see by name. Everyone else gets none."""
    if not has_role(user):
        return Person.objects.none()
    council = council_of(user)
    reaches: list[Q] = []
    if council is not None:
        reaches += [Q(council=council), Q(_active_break_glass(user))]
    if user.role in INVOLVEMENT_ROLES:
        reaches.append(Q(_active_involvement(user)))
    if not reaches:
        return Person.objects.none()
    reach = reaches[0]
    for extra in reaches[1:]:
        reach |= extra
    return Person.objects.filter(reach).filter(_not_restricted_or_listed(user))


def _can_person(user: User, action: str, person: Person | None) -> bool:
    if action == Action.SEARCH_PEOPLE:
        return user.role in COUNCIL_CASE_ROLES | INVOLVEMENT_ROLES
    if action == Action.CREATE_PERSON:
        return user.role in COUNCIL_CASE_ROLES | {Role.PARTNER_PRACTITIONER}
    if person is None:
        return False
    visible = people_visible_to(user).filter(pk=person.pk).exists()
    if action == Action.VIEW_PERSON:
        return visible
    if action == Action.EDIT_PERSON:
        return visible and council_of(user) == person.council
    if action == Action.VIEW_PERSON_ACCESS_LOG:
        return visible and user.role in COUNCIL_CASE_ROLES
    if action == Action.BREAK_GLASS:
        council = council_of(user)
        return (
            council is not None
            and user.role in {Role.FRONT_DOOR_WORKER, Role.TEAM_MANAGER}
            and person.council_id != council.pk
            and not person.is_restricted
        )
    return False


def break_glass_grants_to_review(user: Any) -> QuerySet[BreakGlassGrant]:
    """The break-glass grants ``user`` may review: a system administrator any, a team
    manager those of users in their own organisation. Nobody reviews their own grant."""
    if not has_role(user):
        return BreakGlassGrant.objects.none()
    if user.role == Role.SYSTEM_ADMINISTRATOR:
        grants = BreakGlassGrant.objects.all()
    elif user.role == Role.TEAM_MANAGER and user.organisation_id is not None:
        grants = BreakGlassGrant.objects.filter(user__organisation_id=user.organisation_id)
    else:
        return BreakGlassGrant.objects.none()
    return grants.exclude(user=user)


# --- the registry other apps extend --------------------------------------------------------

ScopeFn = Callable[[User], QuerySet[Any]]
RuleFn = Callable[[User, Any], bool]

_scopes: dict[type[Model], ScopeFn] = {Person: people_visible_to}
_rules: dict[str, RuleFn] = {}


def register_scope(model: type[Model], scope: ScopeFn) -> None:
    """Declare which rows of ``model`` a user may see. Called from an app's policies."""
    _scopes[model] = scope


def register_rule(action: str, rule: RuleFn) -> None:
    """Declare who may do ``action``; ``rule(user, obj)`` receives a user with a role."""
    _rules[action] = rule


def visible(user: Any, model: type[M]) -> QuerySet[M]:
    """The rows of ``model`` that ``user`` may see."""
    if not has_role(user):
        return model._default_manager.none()
    try:
        scope = _scopes[model]
    except KeyError as exc:  # a model nobody declared is visible to nobody
        raise LookupError(f"No access scope is registered for {model.__name__}.") from exc
    return scope(user)


def can(user: Any, action: str, obj: Any = None) -> bool:
    """May ``user`` do ``action`` (to ``obj``)? Unknown actions are refused."""
    if not has_role(user):
        return False
    if action.startswith("people."):
        return _can_person(user, action, obj)
    if action == Action.REVIEW_BREAK_GLASS and obj is not None:
        return break_glass_grants_to_review(user).filter(pk=obj.pk).exists()
    if action in (Action.VIEW_ACCESS_LOG, Action.REVIEW_BREAK_GLASS):
        return user.role == Role.SYSTEM_ADMINISTRATOR or (
            action == Action.REVIEW_BREAK_GLASS and user.role == Role.TEAM_MANAGER
        )
    if action == Action.VIEW_THRESHOLDS:
        return True
    if action == Action.VIEW_AGGREGATES:
        return user.role in AGGREGATE_ROLES | {Role.TEAM_MANAGER, Role.SYSTEM_ADMINISTRATOR}
    rule = _rules.get(action)
    return bool(rule and rule(user, obj))


def get_visible_or_404(user: Any, model: type[M], pk: uuid.UUID | int | str) -> M:
    """Fetch a row the user may see, or answer 404 as if it did not exist."""
    try:
        return visible(user, model).get(pk=pk)
    except (ObjectDoesNotExist, ValidationError, ValueError, TypeError) as exc:
        # An id that does not parse (a bad UUID) is a miss like any other.
        raise Http404 from exc
