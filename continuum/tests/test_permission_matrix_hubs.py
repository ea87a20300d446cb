"""The permission matrix for joint front doors (issue 15): who sees, screens, decides and
signs off a contact of Stockton-on-Tees, of Hartlepool (the two councils of the hub's
agreement) and of Middlesbrough (outside it), who sees a Hartlepool domestic-abuse
notification (and in full) and a Hartlepool child's record.

The Hartlepool and Stockton MACH's agreement: both councils' children's services see and
decide everything; the police force sees notifications and triage; the NHS trust sees
contacts and the children's records. Placed in the hub: a Stockton front-door worker, a
Hartlepool team manager, a police officer and a health practitioner; beside them a
Stockton worker and a Hartlepool manager not placed. Then the same people after the
agreement ends, after their placements end, and with the agreement not signed off by
every council: the hub gives nothing, each council's staff keep their own council."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

import pytest
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import Role, User
from continuum.front_door.choices import ContactStatus
from continuum.front_door.models import Contact, DomesticAbuseNotification
from continuum.front_door.policies import FrontDoorAction
from continuum.hubs.models import AgreementCouncil, DataSharingAgreement, HubPlacement
from continuum.organisations.models import Council, Organisation, OrganisationKind
from continuum.people.models import Person
from continuum.testing import factories

pytestmark = pytest.mark.django_db

COUNCILS = ("stockton", "hartlepool", "middlesbrough")
ACTIONS = ("view", "screen", "decide", "sign_off")
COLUMNS = (
    *(f"{council}_{action}" for council in COUNCILS for action in ACTIONS),
    "notification",
    "notification_in_full",
    "child",
)
Y, N = True, False
# Stockton contact: view, screen, decide, sign off | Hartlepool contact: the same |
# Middlesbrough contact: the same | Hartlepool notification, in full | Hartlepool child.
IN_FORCE: dict[str, tuple[bool, ...]] = {
    "hub_worker": (Y, Y, Y, N, Y, Y, Y, N, N, N, N, N, Y, Y, Y),
    "hub_manager": (Y, Y, Y, Y, Y, Y, Y, Y, N, N, N, N, Y, Y, Y),
    "hub_police": (N, N, N, N, N, N, N, N, N, N, N, N, Y, Y, N),
    "hub_health": (Y, N, N, N, Y, N, N, N, N, N, N, N, N, N, Y),
    "stockton_worker_not_placed": (Y, Y, Y, N, N, N, N, N, N, N, N, N, N, N, N),
    "hartlepool_manager_not_placed": (N, N, N, N, Y, Y, Y, Y, N, N, N, N, Y, Y, Y),
}
# Once the agreement or the placement ends, or while a council has not signed it off:
# each council's staff keep their own council, the hub gives nobody anything.
NOT_IN_FORCE: dict[str, tuple[bool, ...]] = {
    "hub_worker": IN_FORCE["stockton_worker_not_placed"],
    "hub_manager": IN_FORCE["hartlepool_manager_not_placed"],
    "hub_police": (N,) * len(COLUMNS),
    "hub_health": (N,) * len(COLUMNS),
    "stockton_worker_not_placed": IN_FORCE["stockton_worker_not_placed"],
    "hartlepool_manager_not_placed": IN_FORCE["hartlepool_manager_not_placed"],
}


@dataclass
class Hub:
    agreement: DataSharingAgreement
    contacts: dict[str, Contact]
    notification: DomesticAbuseNotification
    child: Person
    users: dict[str, User]


def _organisation(name: str, kind: str, *councils: Council) -> Organisation:
    org = cast(Organisation, factories.OrganisationFactory(name=name, kind=kind))
    org.serves.add(*councils)
    return org


@pytest.fixture
def hub(stockton: Council, hartlepool: Council) -> Hub:
    middlesbrough = factories.tees_council("Middlesbrough")
    force = factories.police_force(stockton, hartlepool, middlesbrough)
    nhs = _organisation("Test NHS Trust", OrganisationKind.NHS_TRUST, stockton, hartlepool)
    agreement = factories.hub_agreement(
        stockton,
        hartlepool,
        agencies={
            force: {"sees_notifications": True, "sees_triage": True},
            nhs: {"sees_contacts": True, "sees_childrens_records": True},
        },
    )

    def user(role: str, organisation: Organisation, *, placed: bool) -> User:
        made = cast(User, factories.UserFactory(role=role, organisation=organisation))
        if placed:
            factories.HubPlacementFactory(hub=agreement.hub, user=made)
        return made

    stockton_services = factories.council_services(stockton)
    hartlepool_services = factories.council_services(hartlepool)
    users = {
        "hub_worker": user(Role.FRONT_DOOR_WORKER, stockton_services, placed=True),
        "hub_manager": user(Role.TEAM_MANAGER, hartlepool_services, placed=True),
        "hub_police": user(Role.PARTNER_PRACTITIONER, force, placed=True),
        "hub_health": user(Role.PARTNER_PRACTITIONER, nhs, placed=True),
        "stockton_worker_not_placed": user(Role.FRONT_DOOR_WORKER, stockton_services, placed=False),
        "hartlepool_manager_not_placed": user(Role.TEAM_MANAGER, hartlepool_services, placed=False),
    }
    # A notification another force made, so only the hub (or the council) shows it.
    other_force = _organisation("Other Police", OrganisationKind.POLICE, hartlepool)
    notification = cast(
        DomesticAbuseNotification,
        factories.NotificationFactory(
            council=hartlepool,
            created_by=factories.UserFactory(
                role=Role.PARTNER_PRACTITIONER, organisation=other_force
            ),
        ),
    )
    councils = {"stockton": stockton, "hartlepool": hartlepool, "middlesbrough": middlesbrough}
    return Hub(
        agreement=agreement,
        contacts={
            name: cast(
                Contact,
                factories.ContactFactory(council=council, status=ContactStatus.IN_SCREENING),
            )
            for name, council in councils.items()
        },
        notification=notification,
        child=cast(Person, factories.PersonFactory(council=hartlepool)),
        users=users,
    )


def _what(hub: Hub, who: str) -> dict[str, bool]:
    # Read afresh, as each request does.
    user = User.objects.get(pk=hub.users[who].pk)
    found: dict[str, bool] = {}
    for name, contact in hub.contacts.items():
        found[f"{name}_view"] = policy.visible(user, Contact).filter(pk=contact.pk).exists()
        found[f"{name}_screen"] = policy.can(user, FrontDoorAction.SCREEN_CONTACT, contact)
        found[f"{name}_decide"] = policy.can(user, FrontDoorAction.DECIDE_CONTACT, contact)
        found[f"{name}_sign_off"] = policy.can(user, FrontDoorAction.SIGN_OFF_DECISION, contact)
    note = hub.notification
    found["notification"] = (
        policy.visible(user, DomesticAbuseNotification).filter(pk=note.pk).exists()
    )
    found["notification_in_full"] = policy.can(
        user, FrontDoorAction.VIEW_NOTIFICATION_IN_FULL, note
    )
    found["child"] = policy.visible(user, Person).filter(pk=hub.child.pk).exists()
    return found


def _expected(row: tuple[bool, ...]) -> dict[str, bool]:
    return dict(zip(COLUMNS, row, strict=True))


@pytest.mark.parametrize("who", IN_FORCE)
def test_hub_permission_matrix_while_the_agreement_is_in_force(hub: Hub, who: str) -> None:
    assert _what(hub, who) == _expected(IN_FORCE[who])


def _end_agreement(hub: Hub) -> None:
    yesterday = timezone.localdate() - timedelta(days=1)
    DataSharingAgreement.objects.filter(pk=hub.agreement.pk).update(ends_on=yesterday)


def _end_placements(hub: Hub) -> None:
    yesterday = timezone.localdate() - timedelta(days=1)
    HubPlacement.objects.filter(hub=hub.agreement.hub).update(ends_on=yesterday)


def _unsign_one_council(hub: Hub) -> None:
    AgreementCouncil.objects.filter(agreement=hub.agreement, council__name="Hartlepool").update(
        signed_off_on=None, signed_off_by_name="", signed_off_by_role=""
    )


@pytest.mark.parametrize(
    "ending",
    [_end_agreement, _end_placements, _unsign_one_council],
    ids=["agreement_ended", "placement_ended", "not_signed_off_by_every_council"],
)
@pytest.mark.parametrize("who", NOT_IN_FORCE)
def test_hub_permission_matrix_when_the_hub_gives_nothing(hub: Hub, who: str, ending: Any) -> None:
    ending(hub)
    assert _what(hub, who) == _expected(NOT_IN_FORCE[who])


def test_the_matrix_covers_every_kind_of_hub_staff() -> None:
    placed = {who for who in IN_FORCE if who.startswith("hub_")}
    assert placed == {"hub_worker", "hub_manager", "hub_police", "hub_health"}
    assert set(IN_FORCE) == set(NOT_IN_FORCE)
