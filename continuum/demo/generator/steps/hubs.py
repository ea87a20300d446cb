"""Joint front doors (issue 15): the two hubs, their data-sharing agreements and the staff
placed in them.

- The Hartlepool and Stockton MACH runs both councils' front door under an agreement in
  force from the start of the history (the first month ``years`` before the as-of date)
  with no end.
- The South Tees Multi-Agency Children's Hub serves Middlesbrough and Redcar and Cleveland
  under an agreement starting half-way through the history (30 months before the as-of
  month for five years of history), so the dashboards show each council's front door before
  and after it joined.

Each agreement is signed off for each council by its Director of Children's Services (a
synthetic name). Its agencies: the councils' children's services (see everything, screen
and decide contacts), Cleveland Police (contacts, domestic-abuse notifications and joint
triage) and the NHS trust serving the councils (contacts and the children's records they
need). Placed in each hub from its start: the councils' named front-door workers, and in the
MACH the four ``hub.*`` demo sign-ins. The councils' own sign-ins (``frontdoor.stockton``,
``manager.hartlepool``, ...) are not placed: they keep to their own council.

The rows are written with the models, keeping the hub rules: a council is party to one
agreement at a time, and only staff of an agency in the agreement are placed. Runs after
the users (order 220); a world without a hub's councils (or the police, or the trust)
makes what it can.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q

from continuum.accounts.models import Role, User
from continuum.demo.generator.registry import step
from continuum.demo.generator.world import World
from continuum.hubs.models import (
    AgreementAgency,
    AgreementCouncil,
    DataSharingAgreement,
    HubPlacement,
)
from continuum.organisations.models import Council, Organisation, OrganisationKind
from continuum.ui.dates import govuk_date

DIRECTOR = "Director of Children's Services"
COUNCIL_FLAGS = {
    "sees_contacts": True,
    "sees_notifications": True,
    "sees_triage": True,
    "sees_childrens_records": True,
    "decides_contacts": True,
}
POLICE_FLAGS = {"sees_contacts": True, "sees_notifications": True, "sees_triage": True}
HEALTH_FLAGS = {"sees_contacts": True, "sees_childrens_records": True}


@dataclass(frozen=True)
class Hub:
    key: str  # World.organisations key
    name: str
    reference: str
    councils: tuple[str, ...]  # council keys
    trust: str  # World.organisations key of the NHS trust in the agreement
    joins_part_way: bool
    sign_ins: tuple[str, ...]  # demo sign-ins placed in it


HUBS = (
    Hub(
        key="hub:mach",
        name="Hartlepool and Stockton MACH",
        reference="DSA-MACH-1",
        councils=("hartlepool", "stockton"),
        trust="nhs:north-tees",
        joins_part_way=False,
        sign_ins=("hub.worker", "hub.manager", "hub.police", "hub.health"),
    ),
    Hub(
        key="hub:south-tees",
        name="South Tees Multi-Agency Children's Hub",
        reference="DSA-STMACH-1",
        councils=("middlesbrough", "redcar"),
        trust="nhs:south-tees",
        joins_part_way=True,
        sign_ins=(),
    ),
)


def add_months(day: date, months: int) -> date:
    n = day.year * 12 + day.month - 1 + months
    return date(n // 12, n % 12 + 1, 1)


def history_start(world: World) -> date:
    """The first month of the history (as the five years' history counts it)."""
    return date(world.as_of.year - world.preset.years, world.as_of.month, 1)


def starts_on(world: World, hub: Hub) -> date:
    """From the start of the history; or, joining part way, half-way through it (a month
    start)."""
    first = history_start(world)
    return add_months(first, world.preset.years * 12 // 2) if hub.joins_part_way else first


def _overlaps(council: Council, start: date, end: date | None) -> bool:
    """Is ``council`` already party to an agreement whose dates meet ``start``..``end``?"""
    clash = Q(agreement__ends_on__isnull=True) | Q(agreement__ends_on__gte=start)
    if end is not None:
        clash &= Q(agreement__starts_on__lte=end)
    return AgreementCouncil.objects.filter(clash, council=council).exists()


def _hub_organisation(world: World, hub: Hub, councils: list[Council]) -> Organisation:
    organisation, _ = Organisation.objects.get_or_create(
        name=hub.name, defaults={"kind": OrganisationKind.HUB}
    )
    organisation.serves.add(*councils)
    world.organisations[hub.key] = organisation
    return organisation


def _agreement(
    world: World, hub: Hub, organisation: Organisation, councils: dict[str, Council]
) -> DataSharingAgreement | None:
    start = starts_on(world, hub)
    existing = DataSharingAgreement.objects.filter(reference=hub.reference).first()
    if existing is not None:
        return existing
    if start > world.as_of or any(_overlaps(c, start, None) for c in councils.values()):
        return None
    admin = world.users.get("admin")
    signed = {key: start - timedelta(days=world.rng.randint(7, 45)) for key in councils}
    agreement = DataSharingAgreement.objects.create(
        hub=organisation,
        reference=hub.reference,
        title=f"{hub.name}: information sharing agreement",
        purpose=(
            f"The {hub.name} receives, screens and decides contacts about children living in "
            f"{' and '.join(c.name for c in councils.values())}, each decided for the child's "
            "own council under its threshold and timescales. The councils share the "
            "information each agency's staff need for that and no more (UK GDPR Article "
            "6(1)(e) and 9(2)(g); Children Act 1989 and 2004)."
        ),
        starts_on=start,
        ends_on=None,
        created_by=admin,
        created_at=world.moment(min(signed.values()), hour=10),
    )
    for key, council in councils.items():
        AgreementCouncil.objects.create(
            agreement=agreement,
            council=council,
            signed_off_by_name=world.faker.name(),
            signed_off_by_role=DIRECTOR,
            signed_off_on=signed[key],
            recorded_by=admin,
        )
    agencies: list[tuple[Organisation | None, dict[str, bool]]] = [
        (world.organisations.get(f"council:{key}"), COUNCIL_FLAGS) for key in councils
    ]
    agencies += [
        (world.organisations.get("police"), POLICE_FLAGS),
        (world.organisations.get(hub.trust), HEALTH_FLAGS),
    ]
    for agency, flags in agencies:
        if agency is not None:
            AgreementAgency.objects.get_or_create(
                agreement=agreement, organisation=agency, defaults=flags
            )
    return agreement


def _placed(world: World, hub: Hub, councils: dict[str, Council]) -> list[User]:
    """The hub's staff: the party councils' named front-door workers, and its sign-ins."""
    staff = [
        user
        for key in councils
        for user in world.staff.get(key, [])
        if user.role in (Role.FRONT_DOOR_WORKER, Role.TEAM_MANAGER)
    ]
    staff += [world.users[name] for name in hub.sign_ins if name in world.users]
    return staff


def _place(
    world: World, hub: Hub, organisation: Organisation, agreement: DataSharingAgreement,
    councils: dict[str, Council],
) -> int:  # fmt: skip
    agencies = set(agreement.agencies.values_list("organisation_id", flat=True))
    admin = world.users.get("admin")
    placed = 0
    for user in _placed(world, hub, councils):
        # Only staff of an agency in the agreement are placed.
        if user.organisation_id not in agencies:
            continue
        if HubPlacement.objects.filter(hub=organisation, user=user).exists():
            continue
        HubPlacement.objects.create(
            hub=organisation,
            user=user,
            starts_on=agreement.starts_on,
            placed_by=admin,
            placed_at=world.moment(agreement.starts_on, hour=9),
        )
        placed += 1
    return placed


@step(order=220)
def hubs(world: World) -> None:
    for hub in HUBS:
        councils = {key: world.councils[key] for key in hub.councils if key in world.councils}
        if not councils:
            continue
        organisation = _hub_organisation(world, hub, list(councils.values()))
        agreement = _agreement(world, hub, organisation, councils)
        if agreement is None:
            world.note(f"{hub.name}: no agreement (its councils already have one).")
            continue
        placed = _place(world, hub, organisation, agreement, councils)
        world.note(
            f"{hub.name}: {', '.join(c.name for c in councils.values())} from "
            f"{govuk_date(agreement.starts_on)}, {placed} staff placed."
        )
