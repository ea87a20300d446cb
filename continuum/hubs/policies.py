"""Who sees and records hubs' data-sharing agreements and places staff in hubs (issue 15).
Registered with the one access policy. (What hub staff see of the front door is the front
door's and the shared record's policies, asking ``hubs.reach``.)

- **See** a hub, its agreements and who is placed in it: the staff of a council the hub
  serves or that is party to one of its agreements (strategic leads, team managers,
  information governance leads and front-door workers of its children's services); staff
  placed in the hub while their placement lasts; and the safeguarding partnership's lead
  for hubs serving a council their partnership serves. Nobody else (partners not placed,
  analysts, early help practitioners, auditors, administrators) sees a hub.
- **Record an agreement** (a new one, or change one not yet in force), and **create a
  hub**: a strategic lead or information governance lead of one of the councils named
  (for a new agreement or hub) or of a council party to it.
- **Sign off** an agreement for a council party to it: that council's strategic lead or
  information governance lead, and no other council's.
- **End** an agreement: a strategic lead or information governance lead of a council
  party to it.
- **Place staff** in a hub and end a placement: the team managers and strategic leads of a
  council party to one of the hub's agreements that has not ended (in force, being signed
  off or starting later).

An agreement, a hub and a placement name no child: reading them writes no access-log row.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import Role, User
from continuum.hubs.models import AgreementCouncil, DataSharingAgreement, HubPlacement
from continuum.organisations.models import Council, Organisation, OrganisationKind


class HubAction:
    # See hubs and their agreements (obj: an agreement, or none for the list).
    VIEW = "hubs.view"
    # Record a new agreement or change one not yet in force (obj: the councils / agreement).
    MANAGE_AGREEMENT = "hubs.manage_agreement"
    # Record a council's sign-off (obj: the AgreementCouncil).
    SIGN_OFF = "hubs.sign_off"
    # End an agreement early (obj: the agreement).
    END_AGREEMENT = "hubs.end_agreement"
    # Place staff in a hub or end a placement (obj: the hub organisation).
    PLACE_STAFF = "hubs.place_staff"


# A council's staff who see the hubs their council takes part in.
READERS = frozenset(
    {
        Role.STRATEGIC_LEAD,
        Role.TEAM_MANAGER,
        Role.INFORMATION_GOVERNANCE_LEAD,
        Role.FRONT_DOOR_WORKER,
    }
)
# Who records, signs off and ends agreements for their council.
SIGNATORIES = frozenset({Role.STRATEGIC_LEAD, Role.INFORMATION_GOVERNANCE_LEAD})
# Who places their council's (and partners') staff in a hub.
PLACERS = frozenset({Role.TEAM_MANAGER, Role.STRATEGIC_LEAD})


def reader_council(user: User) -> Council | None:
    """The council whose hubs ``user`` sees as its staff (None for anyone else)."""
    return user.council if user.role in READERS else None


def served_councils(user: User) -> QuerySet[Council]:
    """The councils a partnership lead's partnership serves (none for anyone else)."""
    if user.role != Role.SAFEGUARDING_PARTNERSHIP_LEAD or user.organisation is None:
        return Council.objects.none()
    return user.organisation.serves.all()


def _placed_hub_ids(user: User) -> QuerySet[HubPlacement, Any]:
    today = timezone.localdate()
    return HubPlacement.objects.filter(
        Q(user=user) & Q(starts_on__lte=today) & (Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    ).values("hub_id")


def hubs_visible_to(user: User) -> QuerySet[Organisation]:
    """The hub organisations ``user`` sees."""
    hubs = Organisation.objects.filter(kind=OrganisationKind.HUB)
    if not policy.acts(user):
        return hubs.none()
    seen = Q(pk__in=_placed_hub_ids(user))
    council = reader_council(user)
    if council is not None:
        seen |= Q(serves=council) | Q(
            pk__in=AgreementCouncil.objects.filter(council=council).values("agreement__hub_id")
        )
    if user.role == Role.SAFEGUARDING_PARTNERSHIP_LEAD:
        seen |= Q(serves__in=served_councils(user))
    return hubs.filter(pk__in=hubs.filter(seen).values("pk"))


def agreements_visible_to(user: User) -> QuerySet[DataSharingAgreement]:
    return DataSharingAgreement.objects.filter(hub__in=hubs_visible_to(user))


def placements_visible_to(user: User) -> QuerySet[HubPlacement]:
    return HubPlacement.objects.filter(hub__in=hubs_visible_to(user))


def _council_ids(obj: Any) -> set[int]:
    if isinstance(obj, DataSharingAgreement):
        return set(obj.parties.values_list("council_id", flat=True))
    if isinstance(obj, AgreementCouncil):
        return {obj.council_id}
    return {c.pk for c in (obj or []) if isinstance(c, Council)}


def _is_signatory_of(user: User, council_ids: Iterable[int]) -> bool:
    council = user.council
    return user.role in SIGNATORIES and council is not None and council.pk in set(council_ids)


def _can_view(user: User, obj: Any) -> bool:
    if obj is None:
        return hubs_visible_to(user).exists() or (
            reader_council(user) is not None and user.role in SIGNATORIES
        )
    hub_id = obj.pk if isinstance(obj, Organisation) else getattr(obj, "hub_id", None)
    return hub_id is not None and hubs_visible_to(user).filter(pk=hub_id).exists()


def _can_manage(user: User, obj: Any) -> bool:
    return _is_signatory_of(user, _council_ids(obj))


def _can_sign_off(user: User, party: Any) -> bool:
    return isinstance(party, AgreementCouncil) and _is_signatory_of(user, {party.council_id})


def _can_end(user: User, agreement: Any) -> bool:
    return isinstance(agreement, DataSharingAgreement) and _is_signatory_of(
        user, _council_ids(agreement)
    )


def _can_place(user: User, hub: Any) -> bool:
    council = user.council
    if not isinstance(hub, Organisation) or user.role not in PLACERS or council is None:
        return False
    today = timezone.localdate()
    return AgreementCouncil.objects.filter(
        Q(council=council)
        & Q(agreement__hub=hub)
        & (Q(agreement__ends_on__isnull=True) | Q(agreement__ends_on__gte=today))
    ).exists()


policy.register_scope(DataSharingAgreement, agreements_visible_to)
policy.register_scope(HubPlacement, placements_visible_to)
policy.register_rule(HubAction.VIEW, _can_view)
policy.register_rule(HubAction.MANAGE_AGREEMENT, _can_manage)
policy.register_rule(HubAction.SIGN_OFF, _can_sign_off)
policy.register_rule(HubAction.END_AGREEMENT, _can_end)
policy.register_rule(HubAction.PLACE_STAFF, _can_place)
