"""Lightweight families for the history: children and the adults they live with, planned
by the people step's ``FamilyPlanner`` as they were on the day the front door first heard
of them, and written by its ``PeopleWriter`` (valid synthetic identifiers, addresses,
relationships and name keys), without versions (see docs/demo-data.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from continuum.demo.generator import population
from continuum.demo.generator.copying import insert
from continuum.demo.generator.families import FamilyPlan, FamilyPlanner, age_on
from continuum.demo.generator.steps.people import PeopleWriter
from continuum.demo.generator.world import DemoPerson, World
from continuum.organisations.models import Locality
from continuum.people.choices import PersonKind
from continuum.people.models import Household

# Families the front door hears about have children at home: no adults-only households,
# and no family only expecting (an unborn child then is a child now, with no birth date).
HISTORY_SHAPES = {"couple": 33, "lone_parent": 40, "blended": 15, "kinship": 7}


class HistoryPlanner(FamilyPlanner):
    """A family as it was on an earlier day (``as_of`` is that day)."""

    def plan(self) -> FamilyPlan:
        shape = population.weighted_choice(self.rng, HISTORY_SHAPES)
        plan = FamilyPlan(shape=shape)
        getattr(self, f"_plan_{shape}")(plan)
        self.relate_family(plan)
        return plan


@dataclass(eq=False)
class Kin:
    """A family in the history: its home, the children and the adults at home."""

    key: str
    household: Household
    locality: Locality
    children: list[DemoPerson]
    carers: list[DemoPerson]

    def children_on(self, day: date) -> list[DemoPerson]:
        return [
            c
            for c in self.children
            if c.person.date_of_birth is not None
            and c.person.date_of_birth < day
            and age_on(c.person.date_of_birth, day) < 18
        ]


class KinMaker:
    """Makes families on demand; every identifier unique across the whole world."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.writer = PeopleWriter(world)
        self.writer.family = max((p.family for p in world.people), default=0) + 1
        self.writer.nhs_numbers = {p.person.nhs_number for p in world.people if p.person.nhs_number}
        self.writer.upns = {p.person.upn for p in world.people if p.person.upn}
        self.made = 0

    def family(self, key: str, day: date) -> Kin:
        council = self.world.councils[key]
        planner = HistoryPlanner(
            rng=self.world.rng, faker=self.world.faker, as_of=day, council=self.base(key)
        )
        while True:
            plan = planner.plan()
            home = plan.households[0].members
            children = [i for i in home if plan.members[i].role == "child"]
            births = [plan.members[i].date_of_birth for i in children]
            if any(d is not None and d < day and age_on(d, day) < 18 for d in births):
                break
        people = self.writer.family_rows(key, council, plan)
        self.writer.family += 1
        self.made += 1
        for who in people:  # a child then may be an adult now
            born = who.person.date_of_birth
            if born is not None:
                adult = age_on(born, self.world.as_of) >= 18
                who.person.kind = PersonKind.ADULT if adult else PersonKind.CHILD
        first = people[0].household
        at_home = [p for p in people if p.household is first]
        return Kin(
            key=key,
            household=first,
            locality=at_home[0].locality,
            children=[p for p in at_home if p.role == "child"],
            carers=[p for p in at_home if p.role != "child"],
        )

    def base(self, key: str) -> str:
        return key.split("-")[0]

    def save(self) -> None:
        """Insert the families' rows (no versions: they are history, see the docs)."""
        rows, world = self.writer.rows, self.world
        for model, objs in (
            ("people", rows.people),
            ("households", rows.households),
            ("members", rows.members),
            ("addresses", rows.addresses),
            ("aliases", rows.aliases),
            ("relationships", rows.relationships),
            ("name_keys", rows.name_keys),
        ):
            if objs:
                insert(type(objs[0]), objs, batch_size=world.preset.batch_size)
            getattr(rows, model).clear()
