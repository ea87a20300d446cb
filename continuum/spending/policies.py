"""Who enters, signs off and compares early help spending returns (issue 15). Registered
with the one access policy.

- **A council's team managers, performance analysts and strategic leads** (the roles that
  make its statutory returns) see their own council's returns, enter and change a draft,
  import one from a spreadsheet and submit it; they map their council's own headings onto
  the common classification.
- **A council's strategic lead** signs a submitted return off or sends it back; never one
  they submitted themselves (a second pair of eyes).
- **The safeguarding partnership's lead** reads the returns of the councils their
  partnership serves once submitted, and publishes new versions of the classification and
  the deflator series.
- **The comparison** (aggregates only: no one is named in a spending return) is seen by
  everyone who sees the performance dashboards, and by the partnership lead.
- Nobody else: practitioners, partners, auditors and administrators see no spending.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from continuum.access import policy
from continuum.accounts.models import Role, User
from continuum.accounts.roles import DASHBOARD_ROLES, STATUTORY_RETURN_ROLES
from continuum.organisations.models import Council
from continuum.spending.choices import ReturnStatus
from continuum.spending.models import SpendingReturn


class SpendingAction:
    # See the comparison across councils and the classification (obj: none).
    VIEW_COMPARISON = "spending.view_comparison"
    # See a council's returns (obj: a return, or a council).
    VIEW_RETURN = "spending.view_return"
    # Enter, change, import and submit a council's return (obj: the return, or the council).
    EDIT_RETURN = "spending.edit_return"
    # Sign a submitted return off, or send it back (obj: the return).
    SIGN_OFF_RETURN = "spending.sign_off_return"
    # Map a council's own headings onto the classification (obj: the council).
    MAP_CATEGORIES = "spending.map_categories"
    # Publish a new version of the classification or deflator series (obj: none).
    MANAGE_CLASSIFICATION = "spending.manage_classification"


def own_council(user: User) -> Council | None:
    """The council whose returns ``user`` makes (None for anyone else)."""
    if not policy.acts(user) or user.role not in STATUTORY_RETURN_ROLES:
        return None
    return user.council


def served_councils(user: User) -> QuerySet[Council]:
    if (
        not policy.acts(user)
        or user.role != Role.SAFEGUARDING_PARTNERSHIP_LEAD
        or user.organisation is None
    ):
        return Council.objects.none()
    return user.organisation.serves.all()


def returns_visible_to(user: User) -> QuerySet[SpendingReturn]:
    council = own_council(user)
    if council is not None:
        return SpendingReturn.objects.filter(council=council)
    served = served_councils(user)
    if user.role == Role.SAFEGUARDING_PARTNERSHIP_LEAD:
        return SpendingReturn.objects.filter(Q(council__in=served) & ~Q(status=ReturnStatus.DRAFT))
    return SpendingReturn.objects.none()


def _council_of(obj: Any) -> Council | None:
    if isinstance(obj, SpendingReturn):
        return obj.council
    if isinstance(obj, Council):
        return obj
    return None


def _can_view_comparison(user: User, _: Any) -> bool:
    if not policy.acts(user):
        return False
    if user.role == Role.SAFEGUARDING_PARTNERSHIP_LEAD:
        return served_councils(user).exists()
    return user.role in DASHBOARD_ROLES


def _can_view_return(user: User, obj: Any) -> bool:
    if obj is None:
        return own_council(user) is not None or served_councils(user).exists()
    if isinstance(obj, SpendingReturn):
        return returns_visible_to(user).filter(pk=obj.pk).exists()
    council = _council_of(obj)
    own = own_council(user)
    return council is not None and (
        (own is not None and own.pk == council.pk)
        or served_councils(user).filter(pk=council.pk).exists()
    )


def _can_edit(user: User, obj: Any) -> bool:
    own = own_council(user)
    if own is None:
        return False
    council = _council_of(obj)
    return council is None or council.pk == own.pk


def _can_sign_off(user: User, obj: Any) -> bool:
    if user.role != Role.STRATEGIC_LEAD or not _can_edit(user, obj):
        return False
    return not (isinstance(obj, SpendingReturn) and obj.submitted_by_id == user.pk)


def _can_map(user: User, obj: Any) -> bool:
    return _can_edit(user, obj) and user.role in {Role.STRATEGIC_LEAD, Role.PERFORMANCE_ANALYST}


def _can_manage_classification(user: User, _: Any) -> bool:
    return served_councils(user).exists()


policy.register_scope(SpendingReturn, returns_visible_to)
policy.register_rule(SpendingAction.VIEW_COMPARISON, _can_view_comparison)
policy.register_rule(SpendingAction.VIEW_RETURN, _can_view_return)
policy.register_rule(SpendingAction.EDIT_RETURN, _can_edit)
policy.register_rule(SpendingAction.SIGN_OFF_RETURN, _can_sign_off)
policy.register_rule(SpendingAction.MAP_CATEGORIES, _can_map)
policy.register_rule(SpendingAction.MANAGE_CLASSIFICATION, _can_manage_classification)
