"""What a member of staff placed in a hub may see and do through it, today.

The front door's and the shared record's policies ask ``reach_of(user)``: the councils whose
contacts, notifications, triage and children's records the user reaches through a
data-sharing agreement in force, and the councils they screen and decide contacts for. It
is worked out from the facts each time (placements, agreements, sign-offs, dates), so when
a placement or an agreement ends, access ends with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from continuum.accounts.models import User
from continuum.accounts.roles import FRONT_DOOR_ROLES
from continuum.hubs.models import (
    AgreementAgency,
    AgreementCouncil,
    DataSharingAgreement,
    HubPlacement,
)


@dataclass(frozen=True)
class HubReach:
    """Council ids the user reaches through hubs, by what they may see or do."""

    contacts: frozenset[int] = field(default_factory=frozenset)
    notifications: frozenset[int] = field(default_factory=frozenset)
    triage: frozenset[int] = field(default_factory=frozenset)
    childrens_records: frozenset[int] = field(default_factory=frozenset)
    # Screen and decide contacts (and take them by phone): front-door roles only.
    decides: frozenset[int] = field(default_factory=frozenset)
    hubs: frozenset[int] = field(default_factory=frozenset)

    def __bool__(self) -> bool:
        return bool(self.hubs)


NO_REACH = HubReach()


def in_force_on(day: date) -> Q:
    """Agreements in force on ``day``: every council has signed off and the dates cover it."""
    unsigned = AgreementCouncil.objects.filter(agreement=OuterRef("pk"), signed_off_on__isnull=True)
    return (
        Q(starts_on__lte=day)
        & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        & ~Q(Exists(unsigned))
    )


def agreements_in_force(day: date | None = None) -> QuerySet[DataSharingAgreement]:
    return DataSharingAgreement.objects.filter(in_force_on(day or timezone.localdate()))


def placements_on(day: date) -> Q:
    return Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))


def reach_of(user: User, on: date | None = None) -> HubReach:
    """What ``user`` reaches through hubs on ``on`` (default today)."""
    if not user.is_authenticated or not user.is_active or user.organisation_id is None:
        return NO_REACH
    day = on or timezone.localdate()
    hubs = HubPlacement.objects.filter(placements_on(day), user=user).values("hub_id")
    rows = list(
        AgreementAgency.objects.filter(
            organisation_id=user.organisation_id,
            agreement__hub_id__in=hubs,
            agreement__in=agreements_in_force(day),
        ).values(
            "agreement_id",
            "agreement__hub_id",
            "sees_contacts",
            "sees_notifications",
            "sees_triage",
            "sees_childrens_records",
            "decides_contacts",
        )
    )
    if not rows:
        return NO_REACH
    councils: dict[int, set[int]] = {}
    for agreement_id, council_id in AgreementCouncil.objects.filter(
        agreement_id__in=[r["agreement_id"] for r in rows]
    ).values_list("agreement_id", "council_id"):
        councils.setdefault(agreement_id, set()).add(council_id)
    contacts: set[int] = set()
    notifications: set[int] = set()
    triage: set[int] = set()
    childrens_records: set[int] = set()
    decides: set[int] = set()
    front_door = user.role in FRONT_DOOR_ROLES
    for row in rows:
        of = councils.get(row["agreement_id"], set())
        if row["sees_contacts"]:
            contacts |= of
        if row["sees_notifications"]:
            notifications |= of
        if row["sees_triage"]:
            triage |= of
        if row["sees_childrens_records"]:
            childrens_records |= of
        if row["decides_contacts"] and front_door:
            decides |= of
    return HubReach(
        contacts=frozenset(contacts | decides),
        notifications=frozenset(notifications),
        triage=frozenset(triage),
        childrens_records=frozenset(childrens_records | decides),
        decides=frozenset(decides),
        hubs=frozenset(r["agreement__hub_id"] for r in rows),
    )


def hub_of(council_id: int, day: date) -> DataSharingAgreement | None:
    """The agreement in force under which a hub ran ``council_id``'s front door on ``day``."""
    return (
        agreements_in_force(day)
        .filter(parties__council_id=council_id)
        .select_related("hub")
        .first()
    )


# What each kind of reach needs of the agency's row (and of the user's role, for deciding).
_FLAGS = {
    "contacts": ("sees_contacts", "decides_contacts"),
    "notifications": ("sees_notifications",),
    "triage": ("sees_triage",),
    "childrens_records": ("sees_childrens_records", "decides_contacts"),
    "decides": ("decides_contacts",),
}


def reached_councils(
    user: User, what: str, on: date | None = None
) -> QuerySet[AgreementCouncil, Any]:
    """The ids of the councils ``user`` reaches for ``what`` (a field of ``HubReach``:
    contacts, notifications, triage, childrens_records or decides) on ``on``, as a lazy
    query (``values("council_id")``) for the policies' scopes to use as a subquery.

    The same councils as ``reach_of(user, on)``'s field of that name, without a query of
    its own: a scope asked on every list costs nothing more for staff never placed."""
    none = AgreementCouncil.objects.none().values("council_id")
    if not user.is_authenticated or not user.is_active or user.organisation_id is None:
        return none
    day = on or timezone.localdate()
    flags = _FLAGS[what]
    front_door = user.role in FRONT_DOOR_ROLES
    if not front_door:
        flags = tuple(f for f in flags if f != "decides_contacts")
    if not flags:
        return none
    allows = Q()
    for flag in flags:
        allows |= Q(**{flag: True})
    agency = AgreementAgency.objects.filter(
        allows, agreement=OuterRef("agreement"), organisation_id=user.organisation_id
    )
    placed = HubPlacement.objects.filter(
        placements_on(day), hub=OuterRef("agreement__hub"), user=user
    )
    return AgreementCouncil.objects.filter(
        Exists(agency), Exists(placed), agreement__in=agreements_in_force(day)
    ).values("council_id")
