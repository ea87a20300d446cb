"""Actions from an audit: something a council is to improve, with an owner of its own staff
and a due date, followed up until done (each update kept as an ``ActionUpdate``)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import Role, User
from continuum.case_audits.choices import ActionStatus
from continuum.case_audits.models import ActionUpdate, AuditAction, AuditCase, AuditProgramme
from continuum.case_audits.policies import CaseAuditAction
from continuum.errors import InvalidState
from continuum.optimistic_locking import claim_version
from continuum.organisations.models import Council

# Who may own a council's action: its own managers, strategic leads and practitioners.
OWNER_ROLES = (
    Role.TEAM_MANAGER,
    Role.STRATEGIC_LEAD,
    Role.EARLY_HELP_PRACTITIONER,
    Role.FRONT_DOOR_WORKER,
)


def owners_for(council: Council) -> QuerySet[User]:
    """The council's own staff who may own an action."""
    return User.objects.filter(
        organisation__council=council, role__in=OWNER_ROLES, is_active=True
    ).order_by("last_name", "first_name", "username")


def is_overdue(action: AuditAction, today: date | None = None) -> bool:
    return action.status == ActionStatus.OPEN and action.due_on < (today or timezone.localdate())


@transaction.atomic
def add_action(
    *,
    programme: AuditProgramme,
    by: User,
    council: Council | None,
    description: str,
    owner: User | None,
    due_on: date | None,
    case: AuditCase | None = None,
) -> AuditAction:
    """Add an action for one of the programme's councils (from one of its cases, or from
    the programme's findings as a whole)."""
    policy.require(
        by,
        CaseAuditAction.ADD_ACTIONS,
        programme,
        "Only the programme's partnership lead and moderators may add actions.",
    )
    errors: dict[str, str] = {}
    if council is None or not programme.councils.filter(pk=council.pk).exists():
        errors["council"] = "Choose one of the programme's councils"
    if case is not None and (
        case.programme_id != programme.pk or (council is not None and case.council_id != council.pk)
    ):
        errors["case"] = "Choose a case of this programme and council"
    if not description.strip():
        errors["description"] = "Enter what is to be done"
    if owner is None:
        errors["owner"] = "Choose who owns the action"
    elif council is not None and not owners_for(council).filter(pk=owner.pk).exists():
        errors["owner"] = "Choose a manager, strategic lead or practitioner of the council"
    if due_on is None:
        errors["due_on"] = "Enter the date it is due"
    elif due_on < timezone.localdate():
        errors["due_on"] = "The date it is due must be today or in the future"
    if errors:
        raise ValidationError(errors)
    assert council is not None and owner is not None and due_on is not None
    return AuditAction.objects.create(
        programme=programme,
        case=case,
        council=council,
        description=description.strip(),
        owner=owner,
        due_on=due_on,
        created_by=by,
    )


@transaction.atomic
def update_action(
    *,
    action: AuditAction,
    by: User,
    note: str,
    status: str,
    version: int | None = None,
) -> ActionUpdate:
    """Record progress on an open action: a note (still open), done (``done_on`` today; the
    note optional) or no longer needed (a note saying why)."""
    policy.require(
        by,
        CaseAuditAction.UPDATE_ACTION,
        action,
        "Only the action's owner or the programme's partnership lead may update it.",
    )
    if action.status != ActionStatus.OPEN:
        raise InvalidState(f"This action is {action.get_status_display().lower()} already.")
    note = (note or "").strip()
    errors: dict[str, str] = {}
    if status not in ActionStatus.values:
        errors["status"] = "Choose what the action is now"
    elif status == ActionStatus.CANCELLED and not note:
        errors["note"] = "Say why the action is no longer needed"
    elif status == ActionStatus.OPEN and not note:
        errors["note"] = "Enter the progress made"
    if errors:
        raise ValidationError(errors)
    claim_version(action, action.version if version is None else version, what="action")
    action.status = status
    if status == ActionStatus.DONE:
        action.done_on = timezone.localdate()
    action.save()
    return ActionUpdate.objects.create(
        action=action, note=note or "Done.", status=status, recorded_by=by
    )
