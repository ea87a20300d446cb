"""The four Tees councils, their children's services, localities and teams, and the
partners who work with them: police, NHS, health visiting, schools, GP practices, early
years settings, voluntary organisations and housing.

Cleveland Police and the two NHS trusts are real public bodies (named, never given any
data); every school, practice, nursery, charity and housing provider is invented.
"""

from __future__ import annotations

from continuum.demo.generator import names, places
from continuum.demo.generator.registry import step
from continuum.demo.generator.world import World
from continuum.organisations.models import Council, Locality, Organisation, OrganisationKind, Team
from continuum.organisations.reference import CouncilFacts, ensure_council, tees_councils

# The organisations the demo sign-ins belong to keep these names whatever the seed.
ANCHOR_SCHOOL = "Brambleside Primary School"  # Middlesbrough
ANCHOR_VOLUNTARY = "Larkspur Family Support"  # Stockton
HEALTH_VISITING = "Tees 0-19 Health Visiting and School Nursing Service"
PARTNERSHIP = "Tees Early Help Partnership"

TRUSTS = {
    "nhs:north-tees": ("North Tees and Hartlepool NHS Foundation Trust", "RVW",
                       ("hartlepool", "stockton")),
    "nhs:south-tees": ("South Tees Hospitals NHS Foundation Trust", "RTR",
                       ("middlesbrough", "redcar")),
}  # fmt: skip

LOCAL_KINDS = {
    "primary": OrganisationKind.SCHOOL,
    "secondary": OrganisationKind.SCHOOL,
    "gp_practice": OrganisationKind.GP_PRACTICE,
    "early_years": OrganisationKind.EARLY_YEARS,
    "voluntary": OrganisationKind.VOLUNTARY,
    "housing": OrganisationKind.HOUSING,
}


def copied(facts: CouncilFacts, copy: int, n: int) -> CouncilFacts:
    """Copy ``copy`` of a Tees council (--scale): its own name, codes and postcodes."""
    area = places.copy_area(copy)
    return CouncilFacts(
        name=f"{facts.name} (copy {copy})",
        dfe_la_code=str(900 + 4 * (copy - 2) + n),
        ons_code=f"E06{copy:02d}{facts.ons_code[-4:]}",
        child_population=facts.child_population,
        postcode_districts=tuple(area + d[2:] for d in facts.postcode_districts),
    )


def childrens_services_name(council: Council) -> str:
    return f"{council.name} Children's Services"


def _organisation(
    world: World,
    key: str | None,
    *,
    name: str,
    kind: str,
    serves: list[Council],
    council: Council | None = None,
    ods_code: str = "",
) -> Organisation:
    organisation, _ = Organisation.objects.get_or_create(
        name=name, defaults={"kind": kind, "council": council, "ods_code": ods_code}
    )
    organisation.serves.add(*serves)
    if key is not None:
        world.organisations[key] = organisation
    return organisation


def _team(
    world: World, key: str, organisation: Organisation, name: str, locality: Locality | None = None
) -> Team:
    team, _ = Team.objects.get_or_create(
        organisation=organisation, name=name, defaults={"locality": locality}
    )
    world.teams[key] = team
    return team


@step(order=100)
def organisations(world: World) -> None:
    for copy in range(1, world.preset.copies + 1):
        for n, facts in enumerate(tees_councils()):
            key = places.council_key(facts.name)
            if copy > 1:
                key, facts = f"{key}-{copy}", copied(facts, copy, n)
            council = ensure_council(facts)
            # The front door's number: from Ofcom's range kept for drama (01632 960000 to
            # 960999), so no real line is ever shown.
            council.front_door_phone = f"01632 960 {(100 * copy + n) % 1000:03d}"
            council.save(update_fields=["front_door_phone"])
            world.councils[key] = council
    everywhere = list(world.councils.values())

    _organisation(
        world, "police", name="Cleveland Police", kind=OrganisationKind.POLICE, serves=everywhere
    )
    for key, (name, ods, served) in TRUSTS.items():
        _organisation(
            world,
            key,
            name=name,
            kind=OrganisationKind.NHS_TRUST,
            ods_code=ods,
            serves=[world.councils[c] for c in served],
        )
    health_visiting = _organisation(
        world,
        "health-visiting",
        name=HEALTH_VISITING,
        kind=OrganisationKind.NHS_TRUST,
        serves=everywhere,
    )
    # The partnership is the councils' safeguarding partnership: its lead quality-assures
    # early help across the four councils (case audits, issue 14).
    partnership = _organisation(
        world,
        "partnership",
        name=PARTNERSHIP,
        kind=OrganisationKind.SAFEGUARDING_PARTNERSHIP,
        serves=everywhere,
    )
    if partnership.kind != OrganisationKind.SAFEGUARDING_PARTNERSHIP:
        partnership.kind = OrganisationKind.SAFEGUARDING_PARTNERSHIP
        partnership.save(update_fields=["kind"])
    _team(world, "partnership:quality-assurance", partnership, "Quality assurance team")
    _team(world, "partnership:performance", partnership, "Performance and intelligence team")
    _team(world, "partnership:systems", partnership, "Systems team")
    _team(
        world,
        "police:vulnerability",
        world.organisations["police"],
        "Vulnerability and safeguarding unit",
    )
    # The trust's safeguarding children team: its practitioner in the Hartlepool and
    # Stockton MACH (issue 15, ``hub.health``) belongs to it.
    _team(
        world,
        "nhs:north-tees:safeguarding",
        world.organisations["nhs:north-tees"],
        "Safeguarding children team",
    )

    taken = {ANCHOR_SCHOOL, ANCHOR_VOLUNTARY}
    for key, council in world.councils.items():
        _council_services(world, key, council)
        _team(
            world, f"health-visiting:{key}", health_visiting, f"{council.name} health visiting team"
        )
        _local_partners(world, key, council, taken)


def _council_services(world: World, key: str, council: Council) -> None:
    services = _organisation(
        world,
        f"council:{key}",
        name=childrens_services_name(council),
        kind=OrganisationKind.COUNCIL_CHILDRENS_SERVICES,
        council=council,
        serves=[council],
    )
    world.localities[key] = [
        Locality.objects.get_or_create(council=council, name=name)[0]
        for name in places.LOCALITIES[places.base_key(key)]
    ]
    _team(world, f"{key}:front-door", services, "Front door team")
    for n, locality in enumerate(world.localities[key], start=1):
        _team(
            world, f"{key}:early-help:{n}", services, f"Early help team, {locality.name}", locality
        )
    _team(world, f"{key}:quality-assurance", services, "Quality assurance team")


def _local_partners(world: World, key: str, council: Council, taken: set[str]) -> None:
    preset = world.preset
    wanted = {
        "primary": preset.primary_schools_per_council,
        "secondary": preset.secondary_schools_per_council,
        "gp_practice": preset.gp_practices_per_council,
        "early_years": preset.early_years_settings_per_council,
        "voluntary": preset.voluntary_organisations_per_council,
        "housing": 1,
    }
    world.local[key] = {}
    for kind, count in wanted.items():
        made = []
        for n in range(count):
            if (key, kind, n) == ("middlesbrough", "primary", 0):
                name = ANCHOR_SCHOOL
            elif (key, kind, n) == ("stockton", "voluntary", 0):
                name = ANCHOR_VOLUNTARY
            else:
                name = names.organisation_name(world.rng, kind, taken)
            made.append(
                _organisation(world, None, name=name, kind=LOCAL_KINDS[kind], serves=[council])
            )
        world.local[key][kind] = made
    if key == "stockton":
        anchor = world.local["stockton"]["voluntary"][0]
        world.organisations["voluntary:stockton"] = anchor
        _team(world, "voluntary:stockton:key-workers", anchor, "Family key workers")
    if key == "middlesbrough":
        world.organisations["school:middlesbrough"] = world.local[key]["primary"][0]
        _team(
            world,
            "school:middlesbrough:safeguarding",
            world.local[key]["primary"][0],
            "Safeguarding team",
        )
