"""Changes to who a user is in Continuum: asked for by one administrator, applied only when
a second approves.

A user's role, organisation, teams and administrator status (``is_staff``,
``is_superuser``, the admin site's groups and permissions) decide what they may see. None of
them is changed directly: ``request_account_change`` records a pending ``AccountChange``
(who asked, when, the account before and after), and ``approve_account_change`` applies it
when another administrator approves. Nobody approves their own request, nor a change to
their own account. An account with administrator status keeps no case role: administrators
never have case access (the access policy refuses them too, ``access.policy.acts``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from continuum.accounts.models import AccountChange, AccountChangeStatus, Role, User
from continuum.errors import InvalidState, NotPermitted
from continuum.organisations.models import Organisation, Team

security_log = logging.getLogger("continuum.security")

# The fields a change governs; the many-to-many ones are kept as sorted lists of ids.
SINGLE_FIELDS = ("role", "organisation", "is_staff", "is_superuser")
MANY_FIELDS = ("teams", "groups", "user_permissions")
GOVERNED_FIELDS = SINGLE_FIELDS + MANY_FIELDS
# The roles an administrator may hold: none, or the system administrator's (no case access).
ADMINISTRATOR_ROLES = frozenset({"", Role.SYSTEM_ADMINISTRATOR})

State = dict[str, Any]


def account_state(user: User) -> State:
    """The governed fields of ``user`` as they are in the database now."""
    state: State = {
        "role": user.role,
        "organisation": user.organisation_id,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
    }
    for name in MANY_FIELDS:
        state[name] = sorted(getattr(user, name).values_list("pk", flat=True))
    return state


def state_from_values(values: Mapping[str, Any]) -> State:
    """The governed fields found in ``values`` (a form's cleaned data, or plain ids)."""
    state: State = {}
    for name in GOVERNED_FIELDS:
        if name not in values:
            continue
        value = values[name]
        if name in MANY_FIELDS:
            state[name] = sorted(getattr(item, "pk", item) for item in value)
        elif name == "organisation":
            state[name] = getattr(value, "pk", value)
        elif name == "role":
            state[name] = value or ""
        else:
            state[name] = bool(value)
    return state


def is_administrator(user: Any) -> bool:
    """May ``user`` ask for or decide changes to accounts (the admin site's user pages)?"""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.is_staff
        and user.has_perm("accounts.change_user")
    )


def check_account_state(state: Mapping[str, Any]) -> None:
    """Refuse an account that would be both an administrator and a case worker."""
    if (state.get("is_staff") or state.get("is_superuser")) and state.get(
        "role", ""
    ) not in ADMINISTRATOR_ROLES:
        raise ValidationError(
            {
                "role": "An administrator has no case access: give them the system "
                "administrator role, or take away their administrator status"
            }
        )


@transaction.atomic
def request_account_change(
    *, user: User, requested_by: User, after: Mapping[str, Any]
) -> AccountChange | None:
    """Ask for ``user``'s governed fields to become ``after`` (those it names; the others
    stay). Nothing changes until another administrator approves. None if nothing would
    change."""
    if not is_administrator(requested_by):
        raise NotPermitted("Only an administrator may ask to change an account.")
    locked = User.objects.select_for_update().get(pk=user.pk)
    before = account_state(locked)
    wanted = {**before, **state_from_values(after)}
    if wanted == before:
        return None
    check_account_state(wanted)
    if AccountChange.objects.filter(user=locked, status=AccountChangeStatus.PENDING).exists():
        raise InvalidState(
            "A change to this account is already waiting for approval: approve or refuse it first."
        )
    try:
        with transaction.atomic():
            change = AccountChange.objects.create(
                user=locked, requested_by=requested_by, before=before, after=wanted
            )
    except IntegrityError as exc:  # another administrator asked at the same moment
        raise InvalidState("A change to this account is already waiting for approval.") from exc
    security_log.info(
        "Account change %s for user id %s asked by user id %s: %s",
        change.pk,
        locked.pk,
        requested_by.pk,
        sorted(name for name in GOVERNED_FIELDS if before[name] != wanted[name]),
    )
    return change


def _pending(change: AccountChange) -> AccountChange:
    locked = AccountChange.objects.select_for_update().get(pk=change.pk)
    if locked.status != AccountChangeStatus.PENDING:
        raise InvalidState("This change has already been decided.")
    return locked


@transaction.atomic
def approve_account_change(*, change: AccountChange, approver: User) -> AccountChange:
    """Apply a pending change, approved by a second administrator: never the one who asked
    for it, nor the user it changes. Refused if the account changed since it was asked."""
    if not is_administrator(approver):
        raise NotPermitted("Only an administrator may approve a change to an account.")
    locked = _pending(change)
    if approver.pk == locked.requested_by_id:
        raise NotPermitted("You cannot approve your own request: another administrator must.")
    if approver.pk == locked.user_id:
        raise NotPermitted("You cannot approve a change to your own account.")
    user = User.objects.select_for_update().get(pk=locked.user_id)
    if account_state(user) != locked.before:
        raise InvalidState(
            "This account has changed since the change was asked for: refuse it and ask again."
        )
    after = locked.after
    check_account_state(after)
    user.role = after["role"]
    user.organisation_id = after["organisation"]
    user.is_staff = after["is_staff"]
    user.is_superuser = after["is_superuser"]
    user.save(update_fields=["role", "organisation", "is_staff", "is_superuser"])
    for name in MANY_FIELDS:
        getattr(user, name).set(after[name])
    locked.status = AccountChangeStatus.APPROVED
    locked.decided_by = approver
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    security_log.info(
        "Account change %s for user id %s approved by user id %s",
        locked.pk,
        user.pk,
        approver.pk,
    )
    return locked


@transaction.atomic
def refuse_account_change(*, change: AccountChange, decider: User) -> AccountChange:
    """Refuse (or, by the one who asked, withdraw) a pending change; it is kept, unapplied."""
    if not is_administrator(decider):
        raise NotPermitted("Only an administrator may refuse a change to an account.")
    locked = _pending(change)
    locked.status = AccountChangeStatus.REFUSED
    locked.decided_by = decider
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    security_log.info(
        "Account change %s for user id %s refused by user id %s",
        locked.pk,
        locked.user_id,
        decider.pk,
    )
    return locked


def describe(state: Mapping[str, Any]) -> str:
    """The governed fields in words, for the admin site's list of changes."""
    role = dict(Role.choices).get(state.get("role", ""), "no role")
    organisation_id = state.get("organisation")
    organisation = (
        Organisation.objects.filter(pk=organisation_id).first() if organisation_id else None
    )
    teams = ", ".join(str(team.name) for team in Team.objects.filter(pk__in=state.get("teams", [])))
    admin = "administrator" if state.get("is_staff") or state.get("is_superuser") else ""
    if state.get("is_superuser"):
        admin = "superuser"
    parts = [str(role), str(organisation) if organisation else "no organisation"]
    if teams:
        parts.append(f"teams: {teams}")
    if admin:
        parts.append(admin)
    if state.get("groups") or state.get("user_permissions"):
        parts.append(
            f"{len(state.get('groups', []))} admin groups, "
            f"{len(state.get('user_permissions', []))} admin permissions"
        )
    return "; ".join(parts)
