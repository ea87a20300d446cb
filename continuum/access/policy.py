"""The one access policy: who may see which rows, and who may do what.

Every view and API endpoint asks here. Two questions, always the same shape:

- ``visible(user, Model)`` -> the queryset of rows ``user`` may see (row scoping in the
  query, so lists, searches and counts can never include anything else);
- ``can(user, action, obj=None)`` -> may ``user`` do ``action`` (to ``obj``)?

and two helpers: ``get_visible_or_404`` fetches and checks in one step (a record the user
may not see answers 404, exactly like one that does not exist), and ``require`` refuses
with ``NotPermitted`` (403) what the user may not do.

This module knows no app's records. Each app declares the rules for its own models and
actions in its ``policies.py`` with ``register_scope`` and ``register_rule``, loaded from
its ``AppConfig.ready``, so the policy never imports what it protects and every caller
asks the same place. A model may also be named by its label (``"people.Person"``), for
callers below the app that owns it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar, overload

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404

from continuum.accounts.models import Role, User
from continuum.accounts.roles import COUNCIL_CASE_ROLES
from continuum.errors import NotPermitted
from continuum.organisations.models import Council

M = TypeVar("M", bound=Model)

ScopeFn = Callable[[User], QuerySet[Any]]
RuleFn = Callable[[User, Any], bool]

_scopes: dict[type[Model], ScopeFn] = {}
_rules: dict[str, RuleFn] = {}


def has_role(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.role)


def acts(user: Any) -> bool:
    """May ``user`` be asked about at all: signed in, active, with a role, and not an
    account with administrator status (the admin site's ``is_staff`` or ``is_superuser``)
    holding any role but the system administrator's. An administrator has no case access
    at all, whatever its role field says (issue 10, finding 6)."""
    if not has_role(user):
        return False
    return not ((user.is_staff or user.is_superuser) and user.role != Role.SYSTEM_ADMINISTRATOR)


def council_of(user: User) -> Council | None:
    """The council a council-staff user works for (None for partners and others)."""
    if user.role not in COUNCIL_CASE_ROLES:
        return None
    return user.council


# --- the registry every app extends ----------------------------------------------------------


def register_scope(model: type[Model], scope: ScopeFn) -> None:
    """Declare which rows of ``model`` a user may see. Called from an app's policies."""
    _scopes[model] = scope


def register_rule(action: str, rule: RuleFn) -> None:
    """Declare who may do ``action``; ``rule(user, obj)`` receives a user with a role."""
    _rules[action] = rule


# --- asking ----------------------------------------------------------------------------------


@overload
def visible(user: Any, model: type[M]) -> QuerySet[M]: ...
@overload
def visible(user: Any, model: str) -> QuerySet[Any]: ...
def visible(user: Any, model: type[M] | str) -> QuerySet[Any]:
    """The rows of ``model`` (a model class, or its label like ``"people.Person"``) that
    ``user`` may see."""
    model_class: type[Model] = apps.get_model(model) if isinstance(model, str) else model
    if not acts(user):
        return model_class._default_manager.none()
    try:
        scope = _scopes[model_class]
    except KeyError as exc:  # a model nobody declared is visible to nobody
        raise LookupError(f"No access scope is registered for {model_class.__name__}.") from exc
    return scope(user)


def can(user: Any, action: str, obj: Any = None) -> bool:
    """May ``user`` do ``action`` (to ``obj``)? Unknown actions are refused."""
    if not acts(user):
        return False
    rule = _rules.get(action)
    return bool(rule and rule(user, obj))


def require(user: Any, action: str, obj: Any = None, message: str = "") -> None:
    """Refuse with ``NotPermitted`` (403) unless ``user`` may do ``action`` (to ``obj``)."""
    if not can(user, action, obj):
        raise NotPermitted(message or "You may not do this.")


def get_visible_or_404(user: Any, model: type[M], pk: uuid.UUID | int | str) -> M:
    """Fetch a row the user may see, or answer 404 as if it did not exist."""
    try:
        return visible(user, model).get(pk=pk)
    except (ObjectDoesNotExist, ValidationError, ValueError, TypeError) as exc:
        # An id that does not parse (a bad UUID) is a miss like any other.
        raise Http404 from exc


def granted_ids(user: Any, record_label: str) -> QuerySet[Any]:
    """The ids of the records labelled ``record_label`` (``"early_help.Episode"``) that
    ``user`` has an active read grant for (a peer auditor's sampled cases): a subquery for
    the owning app's scope, ``Q(pk__in=granted_ids(user, "early_help.Episode"))``."""
    from continuum.access.models import ReadGrant

    return (
        ReadGrant.objects.active().filter(user=user, record_label=record_label).values("record_id")
    )
