"""Properties of the family planner and the place helpers (no database)."""

from __future__ import annotations

import random
from datetime import date

from faker import Faker
from hypothesis import given, settings
from hypothesis import strategies as st

from continuum.demo.generator import names, places
from continuum.demo.generator.families import FamilyPlanner, age_on
from continuum.demo.generator.steps.people import school_year
from continuum.people.choices import PersonKind, RelationshipKind
from continuum.people.validators import normalise_postcode

AS_OF = date(2026, 11, 1)
PARENTAL = {RelationshipKind.PARENT, RelationshipKind.GRANDPARENT}


def planner(seed: int, council: str = "stockton") -> FamilyPlanner:
    faker = Faker("en_GB")
    faker.seed_instance(seed)
    return FamilyPlanner(rng=random.Random(seed), faker=faker, as_of=AS_OF, council=council)


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=2**32),
    council=st.sampled_from(sorted(places.LOCALITIES)),
)
def test_a_planned_family_is_coherent(seed: int, council: str) -> None:
    plan = planner(seed, council).plan()
    homes = [index for household in plan.households for index in household.members]
    assert sorted(homes) == list(range(len(plan.members)))  # everyone lives in one home
    for household in plan.households:
        assert household.moved_in <= AS_OF
        assert any(plan.members[i].kind == PersonKind.ADULT for i in household.members)
    for member in plan.members:
        if member.kind == PersonKind.UNBORN:
            assert member.expected_date_of_birth and member.expected_date_of_birth > AS_OF
            continue
        assert member.date_of_birth and member.date_of_birth <= AS_OF
        adult = age_on(member.date_of_birth, AS_OF) >= 18
        assert (member.kind == PersonKind.ADULT) == adult
    for a, b, kind, _ in plan.relationships:
        assert a != b
        if kind in PARENTAL:
            elder, younger = plan.members[a], plan.members[b]
            born = younger.date_of_birth or younger.expected_date_of_birth
            assert elder.date_of_birth and born
            assert (born - elder.date_of_birth).days > 15 * 365


def test_the_same_seed_plans_the_same_family() -> None:
    assert planner(7).plan() == planner(7).plan()
    assert planner(7).plan() != planner(8).plan()


@given(seed=st.integers(min_value=0, max_value=2**32))
def test_postcodes_are_well_formed_in_every_tees_district(seed: int) -> None:
    rng = random.Random(seed)
    for district in places.POST_TOWNS:
        code = places.postcode(rng, district)
        assert normalise_postcode(code) == code
        assert code.split()[0] == district


def test_every_councils_districts_belong_to_one_of_its_localities() -> None:
    from continuum.organisations.reference import tees_councils

    for facts in tees_councils():
        key = places.council_key(facts.name)
        for district in facts.postcode_districts:
            assert places.locality_for_district(key, district)
            assert district in places.POST_TOWNS


def test_invented_organisation_names_are_unique() -> None:
    rng, taken = random.Random(1), set[str]()
    made = [names.organisation_name(rng, "primary", taken) for _ in range(200)]
    assert len(set(made)) == 200
    assert all(name.endswith(("School", "Academy")) for name in made)


def test_school_years_start_in_the_september_after_a_fourth_birthday() -> None:
    assert school_year(date(2022, 8, 31), AS_OF) == 0  # Reception in September 2026
    assert school_year(date(2022, 9, 1), AS_OF) == -1  # starts in September 2027
    assert school_year(date(2015, 9, 1), AS_OF) == 6  # Year 6
    assert school_year(date(2015, 9, 1), date(2026, 7, 1)) == 5  # before September
