"""Planning one synthetic family: who is in it, how old, what they are called, who lives
where and how they are related. No database here: the people step turns a plan into rows.

A family is one or more households (a parent who lives apart has a household of their
own). Relationships read "members[a] is the <kind> of members[b]".
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from faker import Faker

from continuum.demo.generator import population
from continuum.people.choices import Disability, PersonKind, RelationshipKind, Sex

YEAR = 365.25

SHAPES: dict[str, float] = {
    "couple": 36,  # two parents and their children
    "lone_parent": 30,  # one parent at home; the other parent sometimes known, elsewhere
    "blended": 10,  # a parent, a step-parent, children from before and maybe since
    "kinship": 5,  # grandparents bringing up grandchildren
    "expecting": 9,  # a young family expecting a baby
    "adults_only": 10,  # a single adult or a couple without children at home
}
CHILDREN_IN_FAMILY = {1: 38, 2: 36, 3: 17, 4: 7, 5: 2}


@dataclass
class MemberPlan:
    role: str
    kind: str
    sex: str
    given_name: str
    family_name: str
    ethnicity: str
    date_of_birth: date | None = None
    expected_date_of_birth: date | None = None
    middle_names: str = ""
    first_language: str = "English"
    # Census disability codes: ["NONE"] for none, [] when not known.
    disabilities: list[str] = field(default_factory=lambda: [Disability.NONE.value])
    disability_detail: str = ""
    previous_family_name: str = ""
    known_as: str = ""
    # Indices of this person's parents in the family (wherever they live).
    parents: tuple[int, ...] = ()


@dataclass
class HouseholdPlan:
    name: str
    members: list[int]
    moved_in: date


@dataclass
class FamilyPlan:
    shape: str
    members: list[MemberPlan] = field(default_factory=list)
    households: list[HouseholdPlan] = field(default_factory=list)
    # (from index, to index, kind, has parental responsibility)
    relationships: list[tuple[int, int, str, bool]] = field(default_factory=list)

    def relate(self, a: int, b: int, kind: str, *, pr: bool = False) -> None:
        self.relationships.append((a, b, kind, pr))


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class FamilyPlanner:
    """Plans families for one council, from its own random stream and Faker."""

    def __init__(self, *, rng: random.Random, faker: Faker, as_of: date, council: str) -> None:
        self.rng = rng
        self.faker = faker
        self.as_of = as_of
        self.ethnicity_weights = population.ETHNICITY_WEIGHTS[council.split("-", 1)[0]]

    # --- small draws -------------------------------------------------------------------

    def born_aged(self, years: float) -> date:
        return self.as_of - timedelta(days=int(years * YEAR))

    def years_before(self, day: date, low: float, high: float) -> date:
        return day - timedelta(days=int(self.rng.uniform(low, high) * YEAR))

    def near(self, born: date, *, younger: float, older: float, adult_by: date) -> date:
        """A partner's date of birth near ``born``, but 17 or over by ``adult_by``."""
        drawn = born - timedelta(days=int(self.rng.uniform(-younger, older) * YEAR))
        return min(drawn, adult_by - timedelta(days=int(17 * YEAR) + 1))

    def given_name(self, sex: str, taken: set[str]) -> str:
        for _ in range(20):
            name = (
                self.faker.first_name_female()
                if sex == Sex.FEMALE
                else (self.faker.first_name_male())
            )
            if name not in taken:
                taken.add(name)
                return str(name)
        return str(name)

    def person(
        self,
        plan: FamilyPlan,
        *,
        role: str,
        sex: str,
        family_name: str,
        ethnicity: str,
        born: date,
        language: str | None = None,
    ) -> int:
        adult = age_on(born, self.as_of) >= 18
        taken = {m.given_name for m in plan.members}
        member = MemberPlan(
            role=role,
            kind=PersonKind.ADULT if adult else PersonKind.CHILD,
            sex=sex,
            given_name=self.given_name(sex, taken),
            family_name=family_name,
            ethnicity=ethnicity,
            date_of_birth=born,
            first_language=language or population.first_language(self.rng, ethnicity),
        )
        if self.rng.random() < (0.4 if adult else 0.45):
            member.middle_names = self.given_name(sex, taken)
            if self.rng.random() < 0.08:
                member.known_as = member.middle_names
        self.disability(member, adult=adult)
        plan.members.append(member)
        return len(plan.members) - 1

    def disability(self, member: MemberPlan, *, adult: bool) -> None:
        roll = self.rng.random()
        yes, unknown = (0.15, 0.10) if adult else (0.09, 0.11)
        if roll < yes:
            pool = population.ADULT_DISABILITIES if adult else population.CHILD_DISABILITIES
            member.disability_detail = self.rng.choice(list(pool))
            member.disabilities = list(pool[member.disability_detail])
        elif roll < yes + unknown:
            member.disabilities = []

    def sex(self) -> str:
        return Sex.MALE if self.rng.random() < 0.51 else Sex.FEMALE

    def heritage(self) -> tuple[str, str, str]:
        """(mother's, father's, children's) ethnicity codes for one family."""
        children = population.weighted_choice(self.rng, self.ethnicity_weights)
        if children in population.MIXED_PARENTS:
            one, others = population.MIXED_PARENTS[children]
            other = self.rng.choice(others)
            return (one, other, children) if self.rng.random() < 0.6 else (other, one, children)
        return children, children, children

    def child_ages(self, count: int, youngest: float) -> list[float]:
        """Ages in years, eldest first, a year to five apart."""
        ages = [youngest]
        for _ in range(count - 1):
            ages.append(ages[-1] + self.rng.uniform(1.0, 5.0))
        return [age for age in reversed(ages) if age <= 19.5]

    def moved_in(self, plan: FamilyPlan, members: list[int]) -> date:
        """When the household moved into its current home: after the youngest adult was 17."""
        adults = [
            plan.members[i].date_of_birth
            for i in members
            if plan.members[i].kind == PersonKind.ADULT and plan.members[i].role != "child"
        ]
        latest_adult = max((d for d in adults if d is not None), default=self.as_of)
        earliest = latest_adult + timedelta(days=int(17 * YEAR))
        span = max(30, min((self.as_of - earliest).days, int(12 * YEAR)))
        return self.as_of - timedelta(days=self.rng.randint(30, span))

    # --- children ----------------------------------------------------------------------

    def add_children(
        self,
        plan: FamilyPlan,
        *,
        parents: tuple[int, ...],
        ages: list[float],
        family_name: str,
        ethnicity: str,
    ) -> list[int]:
        home_language = plan.members[parents[0]].first_language if parents else "English"
        children = []
        for age in ages:
            language = home_language if self.rng.random() < 0.6 else "English"
            index = self.person(
                plan,
                role="child",
                sex=self.sex(),
                family_name=family_name,
                ethnicity=ethnicity,
                born=self.born_aged(age),
                language=language,
            )
            plan.members[index].parents = parents
            children.append(index)
        return children

    def relate_family(self, plan: FamilyPlan) -> None:
        """Parent and sibling relationships from each child's recorded parents."""
        for child, member in enumerate(plan.members):
            for parent in member.parents:
                pr = member.kind != PersonKind.ADULT and (
                    plan.members[parent].sex == Sex.FEMALE or self.rng.random() < 0.85
                )
                plan.relate(parent, child, RelationshipKind.PARENT, pr=pr)
        with_parents = [i for i, m in enumerate(plan.members) if m.parents]
        for n, a in enumerate(with_parents):
            for b in with_parents[n + 1 :]:
                shared = set(plan.members[a].parents) & set(plan.members[b].parents)
                if not shared:
                    continue
                same = set(plan.members[a].parents) == set(plan.members[b].parents)
                kind = RelationshipKind.SIBLING if same else RelationshipKind.HALF_SIBLING
                older, younger = sorted((a, b), key=lambda i: self._born(plan, i))
                plan.relate(older, younger, kind)

    @staticmethod
    def _born(plan: FamilyPlan, index: int) -> date:
        member = plan.members[index]
        return member.date_of_birth or member.expected_date_of_birth or date.max

    def youngest_child_age(self) -> float:
        return self.rng.uniform(0.0, 16.0)

    def parent_pair(
        self, plan: FamilyPlan, *, eldest_born: date, married: bool
    ) -> tuple[int, int, str]:
        mother_eth, father_eth, children_eth = self.heritage()
        surname = self.faker.last_name()
        mother_born = self.years_before(eldest_born, 17, 38)
        # The father is an adult now, so a very young mother's household has an adult in it.
        father_born = self.near(
            mother_born,
            younger=3,
            older=7,
            adult_by=min(eldest_born, self.as_of - timedelta(days=int(YEAR) + 1)),
        )
        father = self.person(
            plan,
            role="father",
            sex=Sex.MALE,
            family_name=surname,
            ethnicity=father_eth,
            born=father_born,
        )
        mother_surname = surname if married else self.faker.last_name()
        mother = self.person(
            plan,
            role="mother",
            sex=Sex.FEMALE,
            family_name=mother_surname,
            ethnicity=mother_eth,
            born=mother_born,
        )
        if married:
            plan.members[mother].previous_family_name = self.faker.last_name()
        plan.relate(mother, father, RelationshipKind.PARTNER)
        return mother, father, children_eth

    # --- shapes ------------------------------------------------------------------------

    def plan(self) -> FamilyPlan:
        shape = population.weighted_choice(self.rng, SHAPES)
        plan = FamilyPlan(shape=shape)
        getattr(self, f"_plan_{shape}")(plan)
        self.relate_family(plan)
        return plan

    def _household(self, plan: FamilyPlan, members: list[int], name: str) -> None:
        plan.households.append(
            HouseholdPlan(name=name, members=members, moved_in=self.moved_in(plan, members))
        )

    def _count(self) -> int:
        return int(
            population.weighted_choice(self.rng, {str(k): v for k, v in CHILDREN_IN_FAMILY.items()})
        )

    def _plan_couple(self, plan: FamilyPlan) -> None:
        ages = self.child_ages(self._count(), self.youngest_child_age())
        eldest_born = self.born_aged(ages[0])
        mother, father, eth = self.parent_pair(
            plan, eldest_born=eldest_born, married=self.rng.random() < 0.6
        )
        children = self.add_children(
            plan,
            parents=(mother, father),
            ages=ages,
            family_name=plan.members[father].family_name,
            ethnicity=eth,
        )
        home = [father, mother, *children]
        if self.rng.random() < 0.08:  # a grandmother lives with them
            grandmother = self.person(
                plan,
                role="grandmother",
                sex=Sex.FEMALE,
                family_name=plan.members[mother].previous_family_name
                or plan.members[mother].family_name,
                ethnicity=plan.members[mother].ethnicity,
                born=self.years_before(plan.members[mother].date_of_birth or self.as_of, 18, 35),
            )
            plan.members[mother].parents = (grandmother,)
            for child in children:
                plan.relate(grandmother, child, RelationshipKind.GRANDPARENT)
            home.append(grandmother)
        self._household(plan, home, plan.members[father].family_name)

    def _plan_lone_parent(self, plan: FamilyPlan) -> None:
        ages = self.child_ages(self._count(), self.youngest_child_age())
        eldest_born = self.born_aged(ages[0])
        mother_eth, father_eth, eth = self.heritage()
        parent_is_mother = self.rng.random() < 0.88
        surname = self.faker.last_name()
        parent_born = self.years_before(eldest_born, 17, 38)
        parent = self.person(
            plan,
            role="mother" if parent_is_mother else "father",
            sex=Sex.FEMALE if parent_is_mother else Sex.MALE,
            family_name=surname,
            ethnicity=mother_eth if parent_is_mother else father_eth,
            born=parent_born,
        )
        parents: tuple[int, ...] = (parent,)
        other = None
        if self.rng.random() < 0.45:  # the other parent is known and lives elsewhere
            other = self.person(
                plan,
                role="father" if parent_is_mother else "mother",
                sex=Sex.MALE if parent_is_mother else Sex.FEMALE,
                family_name=self.faker.last_name(),
                ethnicity=father_eth if parent_is_mother else mother_eth,
                born=self.near(parent_born, younger=3, older=6, adult_by=eldest_born),
            )
            parents = (parent, other)
        children_surname = (
            plan.members[other].family_name
            if other is not None and self.rng.random() < 0.4
            else surname
        )
        children = self.add_children(
            plan, parents=parents, ages=ages, family_name=children_surname, ethnicity=eth
        )
        self._household(plan, [parent, *children], surname)
        if other is not None:
            self._household(plan, [other], plan.members[other].family_name)

    def _plan_blended(self, plan: FamilyPlan) -> None:
        older_ages = self.child_ages(self.rng.randint(1, 3), self.rng.uniform(3.0, 15.0))
        mother_eth, father_eth, eth = self.heritage()
        mother_born = self.years_before(self.born_aged(older_ages[0]), 17, 34)
        surname = self.faker.last_name()
        mother = self.person(
            plan,
            role="mother",
            sex=Sex.FEMALE,
            family_name=surname,
            ethnicity=mother_eth,
            born=mother_born,
        )
        step = self.person(
            plan,
            role="step_father",
            sex=Sex.MALE,
            family_name=self.faker.last_name(),
            ethnicity=population.weighted_choice(self.rng, self.ethnicity_weights),
            born=self.near(mother_born, younger=4, older=8, adult_by=self.born_aged(older_ages[0])),
        )
        plan.relate(mother, step, RelationshipKind.PARTNER)
        first_parents: tuple[int, ...] = (mother,)
        elsewhere = None
        if self.rng.random() < 0.3:  # the older children's father, living elsewhere
            elsewhere = self.person(
                plan,
                role="father",
                sex=Sex.MALE,
                family_name=surname,
                ethnicity=father_eth,
                born=self.near(
                    mother_born, younger=2, older=6, adult_by=self.born_aged(older_ages[0])
                ),
            )
            first_parents = (mother, elsewhere)
        older = self.add_children(
            plan, parents=first_parents, ages=older_ages, family_name=surname, ethnicity=eth
        )
        for child in older:
            plan.relate(step, child, RelationshipKind.STEP_PARENT)
        younger: list[int] = []
        if older_ages[-1] > 2 and self.rng.random() < 0.6:
            youngest = self.rng.uniform(0.0, older_ages[-1] - 1.0)
            younger = self.add_children(
                plan,
                parents=(mother, step),
                ages=self.child_ages(self.rng.randint(1, 2), youngest)[-1:],
                family_name=plan.members[step].family_name,
                ethnicity=plan.members[mother].ethnicity,
            )
        self._household(plan, [mother, step, *older, *younger], surname)
        if elsewhere is not None:
            self._household(plan, [elsewhere], surname)

    def _plan_kinship(self, plan: FamilyPlan) -> None:
        _, _, eth = self.heritage()
        ages = self.child_ages(self.rng.randint(1, 3), self.rng.uniform(1.0, 14.0))
        surname = self.faker.last_name()
        parent_born = self.years_before(self.born_aged(ages[0]), 17, 26)
        grandmother_born = self.years_before(parent_born, 17, 30)
        grandmother = self.person(
            plan,
            role="grandmother",
            sex=Sex.FEMALE,
            family_name=surname,
            ethnicity=eth if eth not in population.MIXED_PARENTS else "WBRI",
            born=grandmother_born,
        )
        carers = [grandmother]
        if self.rng.random() < 0.5:
            grandfather = self.person(
                plan,
                role="grandfather",
                sex=Sex.MALE,
                family_name=surname,
                ethnicity=plan.members[grandmother].ethnicity,
                born=self.near(grandmother_born, younger=2, older=6, adult_by=self.as_of),
            )
            plan.relate(grandmother, grandfather, RelationshipKind.PARTNER)
            carers.append(grandfather)
        parents: tuple[int, ...] = ()
        if self.rng.random() < 0.6:  # the children's mother is known, living elsewhere
            parent = self.person(
                plan,
                role="mother",
                sex=Sex.FEMALE,
                family_name=surname,
                ethnicity=plan.members[grandmother].ethnicity,
                born=parent_born,
            )
            plan.members[parent].parents = tuple(carers)
            parents = (parent,)
        children_surname = surname if self.rng.random() < 0.5 else self.faker.last_name()
        children = self.add_children(
            plan, parents=parents, ages=ages, family_name=children_surname, ethnicity=eth
        )
        if not parents:  # no parent on record, so say the children are brothers and sisters
            for n, older in enumerate(children):
                for younger in children[n + 1 :]:
                    plan.relate(older, younger, RelationshipKind.SIBLING)
        guardianship = self.rng.random() < 0.4
        for carer in carers:
            for child in children:
                plan.relate(carer, child, RelationshipKind.GRANDPARENT)
                if guardianship:
                    plan.relate(carer, child, RelationshipKind.SPECIAL_GUARDIAN, pr=True)
                else:
                    plan.relate(carer, child, RelationshipKind.CARER)
        self._household(plan, [*carers, *children], surname)
        if parents:
            self._household(plan, list(parents), surname)

    def _plan_expecting(self, plan: FamilyPlan) -> None:
        mother_eth, father_eth, eth = self.heritage()
        mother_born = self.born_aged(self.rng.uniform(16.5, 31.0))
        surname = self.faker.last_name()
        mother = self.person(
            plan,
            role="mother",
            sex=Sex.FEMALE,
            family_name=surname,
            ethnicity=mother_eth,
            born=mother_born,
        )
        home = [mother]
        parents: tuple[int, ...] = (mother,)
        mother_age = (self.as_of - mother_born).days / YEAR
        if plan.members[mother].kind == PersonKind.CHILD:  # a young mother living at home
            grandmother = self.person(
                plan,
                role="grandmother",
                sex=Sex.FEMALE,
                family_name=surname,
                ethnicity=mother_eth,
                born=self.years_before(mother_born, 17, 30),
            )
            plan.members[mother].parents = (grandmother,)
            home.append(grandmother)
        older_child = None  # the age of a child they have already, if any
        if mother_age > 19 and self.rng.random() < 0.35:
            older_child = self.rng.uniform(1.0, min(mother_age - 17, 8.0))
        if self.rng.random() < 0.6:
            adult_by = self.as_of
            if older_child is not None:
                adult_by -= timedelta(days=int(older_child * YEAR) + 365)
            father = self.person(
                plan,
                role="father",
                sex=Sex.MALE,
                family_name=self.faker.last_name(),
                ethnicity=father_eth,
                born=self.near(mother_born, younger=1, older=6, adult_by=adult_by),
            )
            plan.relate(mother, father, RelationshipKind.PARTNER)
            home.append(father)
            parents = (mother, father)
        if older_child is not None:
            home += self.add_children(
                plan, parents=parents, ages=[older_child], family_name=surname, ethnicity=eth
            )
        unborn = MemberPlan(
            role="unborn",
            kind=PersonKind.UNBORN,
            sex=Sex.UNKNOWN,
            given_name="",
            family_name=surname,
            ethnicity=eth,
            expected_date_of_birth=self.as_of + timedelta(days=self.rng.randint(7, 200)),
            disabilities=[],
            parents=parents,
        )
        plan.members.append(unborn)
        home.append(len(plan.members) - 1)
        self._household(plan, home, surname)

    def _plan_adults_only(self, plan: FamilyPlan) -> None:
        eth = population.weighted_choice(self.rng, self.ethnicity_weights)
        if eth in population.MIXED_PARENTS and self.rng.random() < 0.5:
            eth = population.MIXED_PARENTS[eth][0]
        surname = self.faker.last_name()
        if self.rng.random() < 0.5:  # a single adult: often a young care leaver
            age = (
                self.rng.uniform(18.0, 21.0)
                if self.rng.random() < 0.4
                else (self.rng.uniform(21.0, 80.0))
            )
            self.person(
                plan,
                role="adult",
                sex=self.sex(),
                family_name=surname,
                ethnicity=eth,
                born=self.born_aged(age),
            )
            self._household(plan, [0], surname)
            return
        first_born = self.born_aged(self.rng.uniform(24.0, 78.0))
        first = self.person(
            plan, role="adult", sex=Sex.FEMALE, family_name=surname, ethnicity=eth, born=first_born
        )
        second = self.person(
            plan,
            role="adult",
            sex=Sex.MALE,
            family_name=surname,
            ethnicity=eth,
            born=self.near(first_born, younger=3, older=6, adult_by=self.as_of),
        )
        plan.relate(first, second, RelationshipKind.PARTNER)
        self._household(plan, [first, second], surname)
