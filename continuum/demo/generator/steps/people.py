"""People in households: families planned by ``families.FamilyPlanner``, written in bulk.

Every identifier is synthetic: NHS numbers from the range the NHS reserves for testing
(``synthetic_nhs_number``), UPNs with valid check letters (``synthetic_upn``), postcodes in
the council's own TS districts. Name search keys are built with the same functions
``people.services`` uses, so search finds demo people like any other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from continuum.demo.generator import names, places
from continuum.demo.generator.families import FamilyPlan, FamilyPlanner, MemberPlan
from continuum.demo.generator.registry import step
from continuum.demo.generator.world import DemoPerson, World
from continuum.organisations.models import Council, Organisation
from continuum.people import name_keys
from continuum.people.choices import AliasKind, PersonKind
from continuum.people.identifiers import synthetic_nhs_number, synthetic_upn
from continuum.people.models import (
    Address,
    Household,
    HouseholdMember,
    NameKey,
    Person,
    PersonAlias,
    Relationship,
)
from continuum.people.validators import normalise_postcode


def school_year(date_of_birth: date, as_of: date) -> int:
    """The child's school year group on ``as_of`` (0 = Reception; negative = not yet at
    school). English children start Reception in the September after they turn four."""
    academic_year = as_of.year if as_of.month >= 9 else as_of.year - 1
    reception = date_of_birth.year + (4 if date_of_birth.month < 9 else 5)
    return academic_year - reception


def reception_year(date_of_birth: date) -> int:
    return date_of_birth.year + (4 if date_of_birth.month < 9 else 5)


@dataclass
class Rows:
    """Everything the step writes, gathered so each table is one bulk insert."""

    people: list[Person] = field(default_factory=list)
    households: list[Household] = field(default_factory=list)
    members: list[HouseholdMember] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    aliases: list[PersonAlias] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)
    name_keys: list[NameKey] = field(default_factory=list)


def families_per_council(world: World) -> dict[str, int]:
    """The preset's families shared out by each council's child population."""
    total = sum(c.child_population for c in world.councils.values())
    return {
        key: max(1, round(world.preset.families * council.child_population / total))
        for key, council in world.councils.items()
    }


class PeopleWriter:
    def __init__(self, world: World) -> None:
        self.world = world
        self.rng = world.rng
        self.rows = Rows()
        self.nhs_numbers: set[str] = set()
        self.upns: set[str] = set()
        self.family = 0

    # --- identifiers -------------------------------------------------------------------

    def nhs_number(self) -> str:
        while (number := synthetic_nhs_number(self.rng)) in self.nhs_numbers:
            pass
        self.nhs_numbers.add(number)
        return number

    def upn(self, council: Council, date_of_birth: date) -> str:
        year = reception_year(date_of_birth)
        while (upn := synthetic_upn(self.rng, la_code=council.dfe_la_code, year=year)) in (
            self.upns
        ):
            pass
        self.upns.add(upn)
        return upn

    # --- one council -------------------------------------------------------------------

    def council(self, key: str, families: int) -> None:
        council = self.world.councils[key]
        planner = FamilyPlanner(
            rng=self.rng, faker=self.world.faker, as_of=self.world.as_of, council=key
        )
        made: list[DemoPerson] = []
        for _ in range(families):
            made += self.family_rows(key, council, planner.plan())
            self.family += 1
        self.restrict(key, made)
        self.world.people += made

    def restrict(self, key: str, made: list[DemoPerson]) -> None:
        """Restrict whole households (the records of a family with a high profile, say)."""
        with_children = sorted(
            {p.household.pk: p.household for p in made if p.role == "child"}.values(),
            key=lambda h: str(h.pk),
        )
        wanted = min(self.world.preset.restricted_households_per_council, len(with_children))
        chosen = {h.pk for h in self.rng.sample(with_children, wanted)}
        for person in made:
            if person.household.pk in chosen:
                person.person.is_restricted = True

    def family_rows(self, key: str, council: Council, plan: FamilyPlan) -> list[DemoPerson]:
        people = [self.person(council, member) for member in plan.members]
        made: list[DemoPerson] = []
        for household_plan in plan.households:
            district = self.rng.choice(council.postcode_districts.split())
            postcode = normalise_postcode(places.postcode(self.rng, district))
            line_1 = (
                f"{self.rng.randint(1, 180)} "
                f"{names.street_name(self.rng, self.world.faker.last_name())}"
            )
            town = places.post_town(district)
            locality_name = places.locality_for_district(key, district)
            locality = next(x for x in self.world.localities[key] if x.name == locality_name)
            household = Household(
                id=self.world.new_uuid(), council=council, name=household_plan.name
            )
            self.rows.households.append(household)
            self.world.households.append(household)
            gp_practice = self.rng.choice(self.world.local[key]["gp_practice"])
            previous = self.previous_address(council, household_plan.moved_in)
            for index in household_plan.members:
                member, person = plan.members[index], people[index]
                born = person.date_of_birth
                start = max(household_plan.moved_in, born) if born else None
                school, early_years = self.settings(key, person)
                self.rows.members.append(
                    HouseholdMember(household=household, person=person, start_date=start)
                )
                self.rows.addresses.append(
                    Address(
                        person=person, line_1=line_1, town=town, postcode=postcode, start_date=start
                    )
                )
                if previous is not None and born is not None and born < household_plan.moved_in:
                    line, prev_town, prev_postcode, prev_start = previous
                    self.rows.addresses.append(
                        Address(
                            person=person,
                            line_1=line,
                            town=prev_town,
                            postcode=prev_postcode,
                            start_date=max(prev_start, born),
                            end_date=household_plan.moved_in,
                        )
                    )
                made.append(
                    DemoPerson(
                        person=person,
                        council_key=key,
                        family=self.family,
                        household=household,
                        locality=locality,
                        role=member.role,
                        postcode=postcode,
                        moved_in=household_plan.moved_in,
                        gp_practice=gp_practice,
                        school=school,
                        early_years=early_years,
                    )
                )
        for a, b, kind, pr in plan.relationships:
            self.rows.relationships.append(
                Relationship(
                    from_person=people[a],
                    to_person=people[b],
                    kind=kind,
                    has_parental_responsibility=pr,
                )
            )
        return made

    def previous_address(
        self, council: Council, moved_in: date
    ) -> tuple[str, str, str, date] | None:
        """Where about half of households lived before, in the same council."""
        if self.rng.random() >= 0.5:
            return None
        district = self.rng.choice(council.postcode_districts.split())
        street = names.street_name(self.rng, self.world.faker.last_name())
        line = f"{self.rng.randint(1, 180)} {street}"
        start = moved_in - timedelta(days=self.rng.randint(365, 6 * 365))
        return (
            line,
            places.post_town(district),
            normalise_postcode(places.postcode(self.rng, district)),
            start,
        )

    def settings(self, key: str, person: Person) -> tuple[Organisation | None, Organisation | None]:
        """The (school, early years setting) a child attends, if any."""
        if person.date_of_birth is None or person.kind != PersonKind.CHILD:
            return None, None
        year = school_year(person.date_of_birth, self.world.as_of)
        local = self.world.local[key]
        if 0 <= year <= 6:
            return self.rng.choice(local["primary"]), None
        if 7 <= year <= 13:
            return self.rng.choice(local["secondary"]), None
        if year in (-2, -1) and self.rng.random() < 0.6:
            return None, self.rng.choice(local["early_years"])
        return None, None

    def person(self, council: Council, member: MemberPlan) -> Person:
        born = member.date_of_birth
        person = Person(
            id=self.world.new_uuid(),
            council=council,
            kind=member.kind,
            given_name=member.given_name,
            middle_names=member.middle_names,
            family_name=member.family_name,
            date_of_birth=born,
            expected_date_of_birth=member.expected_date_of_birth,
            sex=member.sex,
            ethnicity=member.ethnicity,
            first_language=member.first_language if member.kind != PersonKind.UNBORN else "",
            disabilities=list(member.disabilities),
            disability_detail=member.disability_detail,
        )
        if born is not None and self.rng.random() < 0.98:
            person.nhs_number = self.nhs_number()
        if born is not None and 0 <= school_year(born, self.world.as_of) <= 13:
            person.upn = self.upn(council, born)
        aliases = []
        if member.previous_family_name:
            aliases.append(
                PersonAlias(
                    person=person, kind=AliasKind.PREVIOUS, family_name=member.previous_family_name
                )
            )
        if member.known_as:
            aliases.append(
                PersonAlias(person=person, kind=AliasKind.KNOWN_AS, given_name=member.known_as)
            )
        self.rows.aliases += aliases
        tokens = name_keys.name_tokens(
            person.given_name,
            person.middle_names,
            person.family_name,
            *(name for alias in aliases for name in (alias.given_name, alias.family_name)),
        )
        self.rows.name_keys += [
            NameKey(person=person, key=key) for key in sorted(name_keys.name_keys(tokens))
        ]
        person.set_search_keys((alias.given_name, alias.family_name) for alias in aliases)
        self.rows.people.append(person)
        return person

    # --- writing -----------------------------------------------------------------------

    def save(self) -> None:
        world, rows = self.world, self.rows
        world.bulk_create(Person, rows.people)
        world.bulk_create(Household, rows.households)
        world.bulk_create(HouseholdMember, rows.members)
        world.bulk_create(Address, rows.addresses)
        world.bulk_create(PersonAlias, rows.aliases)
        world.bulk_create(Relationship, rows.relationships)
        world.bulk_create(NameKey, rows.name_keys)


@step(order=300)
def people(world: World) -> None:
    writer = PeopleWriter(world)
    councils = families_per_council(world)
    advance = world.counting("councils", len(councils))
    for key, families in councils.items():
        writer.council(key, families)
        advance(1)
    world.counting("writing", None)
    writer.save()
