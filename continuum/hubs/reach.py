"""What a member of staff placed in a hub may see and do through it, today.

The front door's and the shared record's policies ask ``reach_of(user)``: the councils whose
contacts, notifications, triage and children's records the user reaches through a
data-sharing agreement in force, and the councils they screen and decide contacts for. It
is worked out from the facts each time (placements, agreements, sign-offs, dates), so when
a placement or an agreement ends, access ends with it.

Within one web request it is worked out once (issue 16: the home page asked it several
times, and embedded it as a subquery in every scope): ``request_started`` opens a memo for
the request, ``request_finished`` closes it, and any save or delete of a placement or an
agreement's row empties it. Outside a request (commands, tasks, tests calling the policies
directly) nothing is remembered.
"""

from __future__ import annotations

from contextvars import ContextVar
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


# The reach worked out in this request, by user, organisation, role and day (None: not in
# a request, nothing remembered).
_this_request: ContextVar[dict[tuple[Any, ...], HubReach] | None] = ContextVar(
    "hub_reach_this_request", default=None
)


def remember_reach_for_the_request(**_: Any) -> None:
    """``request_started``: reach is worked out at most once per user in this request."""
    _this_request.set({})


def forget_reach_after_the_request(**_: Any) -> None:
    """``request_finished``: nothing outlives the request."""
    _this_request.set(None)


def forget_reach(**_: Any) -> None:
    """A placement or an agreement changed: work reach out again (same request or not)."""
    memo = _this_request.get()
    if memo is not None:
        memo.clear()


def reach_of(user: User, on: date | None = None) -> HubReach:
    """What ``user`` reaches through hubs on ``on`` (default today); worked out once per
    request."""
    if not user.is_authenticated or not user.is_active or user.organisation_id is None:
        return NO_REACH
    day = on or timezone.localdate()
    memo = _this_request.get()
    key = (user.pk, user.organisation_id, user.role, day)
    if memo is not None and key in memo:
        return memo[key]
    reach = _work_out_reach(user, user.organisation_id, day)
    if memo is not None:
        memo[key] = reach
    return reach


def _work_out_reach(user: User, organisation_id: int, day: date) -> HubReach:
    hubs = HubPlacement.objects.filter(placements_on(day), user=user).values("hub_id")
    rows = list(
        AgreementAgency.objects.filter(
            organisation_id=organisation_id,
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


def reached_councils(user: User, what: str, on: date | None = None) -> list[int]:
    """The ids of the councils ``user`` reaches for ``what`` (a field of ``HubReach``:
    contacts, notifications, triage, childrens_records or decides) on ``on``, sorted: a
    literal list for the policies' scopes (``council__in``), from ``reach_of`` (worked
    out once per request; no query at all for a user with no organisation, and an empty
    list, which a scope then leaves out, for staff never placed)."""
    if what not in _REACH_FIELDS:
        raise ValueError(f"No such kind of hub reach: {what!r}.")
    return sorted(getattr(reach_of(user, on), what))


_REACH_FIELDS = frozenset({"contacts", "notifications", "triage", "childrens_records", "decides"})
