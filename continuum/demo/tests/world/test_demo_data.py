"""What the small demo world holds: synthetic identifiers, families in the right places,
and the demo sign-ins seeing what their roles allow."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.test import override_settings

from continuum.access import policy
from continuum.access.models import Involvement, InvolvementReason, RestrictedAccess
from continuum.accounts.models import Role, User
from continuum.demo.generator import World
from continuum.demo.generator.steps.people import school_year
from continuum.early_help.choices import EpisodeStatus
from continuum.early_help.models import Episode
from continuum.organisations.models import Council, Organisation, OrganisationKind
from continuum.people.choices import (
    ChronologyCategory,
    ChronologySensitivity,
    Ethnicity,
    PersonKind,
    RelationshipKind,
    sensitivity_for,
)
from continuum.people.identifiers import NHS_NUMBER_TEST_RANGE, is_valid_nhs_number, is_valid_upn
from continuum.people.models import Address, ChronologyEvent, HouseholdMember, Person, Relationship
from continuum.people.selectors import search_people
from continuum.people.validators import normalise_postcode
from continuum.thresholds.models import ChangeKind, LocalVariation

pytestmark = pytest.mark.django_db

EXPECTED_SIGN_INS = {
    "frontdoor.stockton": (Role.FRONT_DOOR_WORKER, "Stockton-on-Tees Children's Services"),
    "manager.stockton": (Role.TEAM_MANAGER, "Stockton-on-Tees Children's Services"),
    "ehworker.hartlepool": (Role.EARLY_HELP_PRACTITIONER, "Hartlepool Children's Services"),
    # Each council's own three (issue 12: every journey can be finished in every council).
    "frontdoor.hartlepool": (Role.FRONT_DOOR_WORKER, "Hartlepool Children's Services"),
    "manager.hartlepool": (Role.TEAM_MANAGER, "Hartlepool Children's Services"),
    "frontdoor.middlesbrough": (Role.FRONT_DOOR_WORKER, "Middlesbrough Children's Services"),
    "manager.middlesbrough": (Role.TEAM_MANAGER, "Middlesbrough Children's Services"),
    "ehworker.middlesbrough": (
        Role.EARLY_HELP_PRACTITIONER,
        "Middlesbrough Children's Services",
    ),
    "frontdoor.redcar": (Role.FRONT_DOOR_WORKER, "Redcar and Cleveland Children's Services"),
    "manager.redcar": (Role.TEAM_MANAGER, "Redcar and Cleveland Children's Services"),
    "ehworker.redcar": (
        Role.EARLY_HELP_PRACTITIONER,
        "Redcar and Cleveland Children's Services",
    ),
    "ehworker.stockton": (Role.EARLY_HELP_PRACTITIONER, "Stockton-on-Tees Children's Services"),
    "school.middlesbrough": (Role.PARTNER_PRACTITIONER, "Brambleside Primary School"),
    "healthvisitor.redcar": (
        Role.PARTNER_PRACTITIONER,
        "Tees 0-19 Health Visiting and School Nursing Service",
    ),
    "police.cleveland": (Role.PARTNER_PRACTITIONER, "Cleveland Police"),
    "vcs.stockton": (Role.EARLY_HELP_PRACTITIONER, "Larkspur Family Support"),
    "analyst.tees": (Role.PERFORMANCE_ANALYST, "Tees Early Help Partnership"),
    "auditor.redcar": (Role.AUDITOR, "Redcar and Cleveland Children's Services"),
    # Case audits (issue 14): the partnership's lead and each council's auditor.
    "partnership.lead": (Role.SAFEGUARDING_PARTNERSHIP_LEAD, "Tees Early Help Partnership"),
    "auditor.stockton": (Role.AUDITOR, "Stockton-on-Tees Children's Services"),
    "auditor.hartlepool": (Role.AUDITOR, "Hartlepool Children's Services"),
    "auditor.middlesbrough": (Role.AUDITOR, "Middlesbrough Children's Services"),
    "admin": (Role.SYSTEM_ADMINISTRATOR, "Tees Early Help Partnership"),
    # The second administrator, who approves what the first asks (issue 10, finding 6).
    "admin2": (Role.SYSTEM_ADMINISTRATOR, "Tees Early Help Partnership"),
    # Each council's information governance lead (issue 10).
    "ig.stockton": (Role.INFORMATION_GOVERNANCE_LEAD, "Stockton-on-Tees Children's Services"),
    "ig.hartlepool": (Role.INFORMATION_GOVERNANCE_LEAD, "Hartlepool Children's Services"),
    "ig.middlesbrough": (
        Role.INFORMATION_GOVERNANCE_LEAD,
        "Middlesbrough Children's Services",
    ),
    "ig.redcar": (
        Role.INFORMATION_GOVERNANCE_LEAD,
        "Redcar and Cleveland Children's Services",
    ),
    # Joint front doors (issue 15): staff of four agencies placed in the Hartlepool and
    # Stockton MACH, and each council's strategic lead (signs off spending returns).
    "hub.worker": (Role.FRONT_DOOR_WORKER, "Stockton-on-Tees Children's Services"),
    "hub.manager": (Role.TEAM_MANAGER, "Hartlepool Children's Services"),
    "hub.police": (Role.PARTNER_PRACTITIONER, "Cleveland Police"),
    "hub.health": (Role.PARTNER_PRACTITIONER, "North Tees and Hartlepool NHS Foundation Trust"),
    "lead.stockton": (Role.STRATEGIC_LEAD, "Stockton-on-Tees Children's Services"),
    "lead.hartlepool": (Role.STRATEGIC_LEAD, "Hartlepool Children's Services"),
    "lead.middlesbrough": (Role.STRATEGIC_LEAD, "Middlesbrough Children's Services"),
    "lead.redcar": (Role.STRATEGIC_LEAD, "Redcar and Cleveland Children's Services"),
}


def demo_user(username: str) -> User:
    return User.objects.get(username=username)


# --- organisations -----------------------------------------------------------------------


def test_the_four_tees_councils_each_have_childrens_services_localities_and_teams(
    demo_world: World,
) -> None:
    assert set(Council.objects.values_list("name", flat=True)) == {
        "Hartlepool", "Middlesbrough", "Redcar and Cleveland", "Stockton-on-Tees",
    }  # fmt: skip
    for council in Council.objects.all():
        services = Organisation.objects.get(council=council)
        assert services.kind == OrganisationKind.COUNCIL_CHILDRENS_SERVICES
        assert 2 <= council.localities.count() <= 3
        assert services.teams.filter(name="Front door team").exists()
        assert services.teams.filter(locality__council=council).count() == (
            council.localities.count()
        )


def test_police_serve_all_four_councils_and_each_trust_serves_its_two(demo_world: World) -> None:
    assert Organisation.objects.get(name="Cleveland Police").serves.count() == 4
    served = {
        name: set(Organisation.objects.get(name=name).serves.values_list("name", flat=True))
        for name in [
            "North Tees and Hartlepool NHS Foundation Trust",
            "South Tees Hospitals NHS Foundation Trust",
        ]
    }
    assert served == {
        "North Tees and Hartlepool NHS Foundation Trust": {"Hartlepool", "Stockton-on-Tees"},
        "South Tees Hospitals NHS Foundation Trust": {"Middlesbrough", "Redcar and Cleveland"},
    }


def test_every_council_has_its_own_schools_gp_practices_nurseries_and_charities(
    demo_world: World,
) -> None:
    for council in Council.objects.all():
        kinds = Counter(
            Organisation.objects.filter(serves=council, council__isnull=True)
            .exclude(serves__in=Council.objects.exclude(pk=council.pk))
            .values_list("kind", flat=True)
        )
        assert kinds[OrganisationKind.SCHOOL] >= 2
        assert kinds[OrganisationKind.GP_PRACTICE] >= 1
        assert kinds[OrganisationKind.EARLY_YEARS] >= 1
        assert kinds[OrganisationKind.VOLUNTARY] >= 1
        assert kinds[OrganisationKind.HOUSING] >= 1


# --- people ------------------------------------------------------------------------------


def test_a_few_hundred_people_in_households_in_every_council(demo_world: World) -> None:
    # The people step's families (the five years' history adds families of its own).
    assert 250 <= len(demo_world.people) <= 600
    by_council = Counter(p.person.council.name for p in demo_world.people)
    assert len(by_council) == 4
    assert all(count >= 30 for count in by_council.values())
    in_households = set(HouseholdMember.objects.values_list("person", flat=True))
    assert in_households == set(Person.objects.values_list("pk", flat=True))
    kinds = Counter(Person.objects.values_list("kind", flat=True))
    assert kinds[PersonKind.CHILD] >= 100
    assert kinds[PersonKind.ADULT] >= 100
    assert kinds[PersonKind.UNBORN] >= 2


def test_dates_of_birth_are_before_the_as_of_date_and_unborn_children_are_due_after_it(
    demo_world: World,
) -> None:
    for person in Person.objects.all():
        if person.kind == PersonKind.UNBORN:
            assert person.date_of_birth is None
            assert person.expected_date_of_birth is not None
            assert person.expected_date_of_birth > demo_world.as_of
        else:
            assert person.date_of_birth is not None
            assert person.date_of_birth <= demo_world.as_of
            age = person.age_on(demo_world.as_of)
            assert (age is not None and age < 18) == (person.kind == PersonKind.CHILD)
        person.full_clean()  # every demo record passes the model's own validation


def test_every_nhs_number_is_valid_and_from_the_nhs_test_range(demo_world: World) -> None:
    numbers = [n for n in Person.objects.values_list("nhs_number", flat=True) if n]
    assert len(numbers) > 200
    low, high = NHS_NUMBER_TEST_RANGE
    for number in numbers:
        assert is_valid_nhs_number(number), number
        assert low <= int(number) <= high, number


def test_every_upn_is_valid_and_school_age_children_have_one(demo_world: World) -> None:
    for person in Person.objects.filter(kind=PersonKind.CHILD).select_related("council"):
        assert person.date_of_birth is not None
        at_school = 0 <= school_year(person.date_of_birth, demo_world.as_of) <= 13
        assert (person.upn is not None) == at_school, person
        if person.upn:
            assert is_valid_upn(person.upn), person.upn
            assert person.upn[1:4] == person.council.dfe_la_code


def test_every_postcode_is_a_real_format_in_its_councils_districts(demo_world: World) -> None:
    addresses = Address.objects.select_related("person__council")
    assert addresses.count() >= Person.objects.count()
    for address in addresses:
        assert normalise_postcode(address.postcode) == address.postcode
        district = address.postcode.split()[0]
        assert district in address.person.council.postcode_districts.split(), address


def test_ethnicity_uses_dfe_codes_mostly_white_british_more_diverse_in_middlesbrough(
    demo_world: World,
) -> None:
    codes = Counter(Person.objects.values_list("ethnicity", flat=True))
    assert set(codes) <= set(Ethnicity.values)
    assert codes[Ethnicity.WBRI] / sum(codes.values()) > 0.7
    middlesbrough = Counter(
        Person.objects.filter(council__name="Middlesbrough").values_list("ethnicity", flat=True)
    )
    assert middlesbrough[Ethnicity.WBRI] < sum(middlesbrough.values())


def test_parents_are_older_than_their_children(demo_world: World) -> None:
    parents = Relationship.objects.filter(kind=RelationshipKind.PARENT).select_related(
        "from_person", "to_person"
    )
    assert parents.count() > 100
    for relationship in parents:
        parent, child = relationship.from_person, relationship.to_person
        assert parent.date_of_birth is not None
        child_born = child.date_of_birth or child.expected_date_of_birth
        assert child_born is not None
        assert (child_born - parent.date_of_birth).days > 15 * 365
    kinds = set(Relationship.objects.values_list("kind", flat=True))
    assert {RelationshipKind.PARENT, RelationshipKind.SIBLING, RelationshipKind.PARTNER} <= kinds


def test_everyone_has_a_chronology_within_their_lifetime(demo_world: World) -> None:
    with_events = set(ChronologyEvent.objects.values_list("person", flat=True))
    # The people step's families; the five years' history writes no chronology.
    assert with_events == {p.person.pk for p in demo_world.people}
    for event in ChronologyEvent.objects.select_related("person"):
        assert event.occurred_on <= demo_world.as_of
        if event.person.date_of_birth:
            assert event.occurred_on >= event.person.date_of_birth


def test_demo_people_are_found_by_name_search_tolerant_of_spelling_and_order(
    demo_world: World,
) -> None:
    worker = demo_user("frontdoor.stockton")
    person = (
        Person.objects.filter(council__name="Stockton-on-Tees", is_restricted=False)
        .exclude(given_name="")
        .order_by("family_name", "given_name")
        .first()
    )
    assert person is not None
    found = search_people(user=worker, query=f"{person.family_name} {person.given_name}")
    assert person in found
    previous = Person.objects.filter(
        council__name="Stockton-on-Tees", is_restricted=False, aliases__kind="previous"
    ).first()
    if previous is not None:
        alias = previous.aliases.get(kind="previous")
        assert previous in search_people(user=worker, query=alias.family_name)


# --- restricted records and the demo sign-ins --------------------------------------------


def test_restricted_records_are_seen_only_by_the_worker_on_their_access_list(
    demo_world: World,
) -> None:
    restricted = Person.objects.filter(is_restricted=True)
    assert set(restricted.values_list("council__name", flat=True)) == set(
        Council.objects.values_list("name", flat=True)
    )
    assert RestrictedAccess.objects.count() == restricted.count()
    stockton_restricted = restricted.filter(council__name="Stockton-on-Tees")
    front_door, manager = demo_user("frontdoor.stockton"), demo_user("manager.stockton")
    assert not policy.visible(front_door, Person).filter(pk__in=stockton_restricted).exists()
    assert policy.visible(manager, Person).filter(pk__in=stockton_restricted).count() == (
        stockton_restricted.count()
    )


ADMINISTRATORS = ("admin", "admin2")


@pytest.mark.parametrize(("username", "expected"), EXPECTED_SIGN_INS.items())
def test_each_demo_sign_in_has_its_role_and_organisation(
    demo_world: World, username: str, expected: tuple[str, str]
) -> None:
    user = demo_user(username)
    assert (user.role, user.organisation.name if user.organisation else None) == expected
    assert user.is_demo_account
    assert user.is_active
    assert not user.has_usable_password()
    assert (user.is_staff and user.is_superuser) == (username in ADMINISTRATORS)


def test_only_the_demo_sign_ins_are_demo_accounts(demo_world: World) -> None:
    assert set(User.objects.filter(is_demo_account=True).values_list("username", flat=True)) == set(
        EXPECTED_SIGN_INS
    )


@pytest.mark.parametrize("username", EXPECTED_SIGN_INS)
def test_demo_sign_ins_work_with_the_demo_password_only_in_demo_mode(
    demo_world: World, settings: Any, username: str
) -> None:
    password = settings.DEMO_PASSWORD
    with override_settings(CONTINUUM_DEMO=True):
        if username in ADMINISTRATORS:
            # The published password never signs in an administrator (issue 10, finding 16):
            # `demo_sign_ins` gives it a password of its own.
            assert authenticate(username=username, password=password) is None
        else:
            assert authenticate(username=username, password=password) == demo_user(username)
        assert authenticate(username=username, password=password + "x") is None
    with override_settings(CONTINUUM_DEMO=False):
        assert authenticate(username=username, password=password) is None


def test_named_council_workers_cannot_sign_in(demo_world: World, settings: Any) -> None:
    worker = demo_world.staff["stockton"][0]
    assert not worker.is_demo_account
    with override_settings(CONTINUUM_DEMO=True):
        assert authenticate(username=worker.username, password=settings.DEMO_PASSWORD) is None


def test_the_school_sees_a_handful_of_its_own_pupils_and_the_family_it_leads(
    demo_world: World,
) -> None:
    user = demo_user("school.middlesbrough")
    seen = {person.pk for person in policy.visible(user, Person)}
    pupils = {p.person.pk for p in demo_world.people if p.school == user.organisation}
    referred = set(
        Involvement.objects.active()
        .filter(user=user, reason=InvolvementReason.REFERRER)
        .values_list("person", flat=True)
    )
    assert 3 <= len(referred) <= demo_world.preset.partner_caseload
    assert referred <= pupils
    # The early help episode the school opened and leads: it sees that whole family.
    led = Episode.objects.filter(lead_professional=user).exclude(status=EpisodeStatus.CLOSED)
    assert led.count() == 1
    family = set(
        HouseholdMember.objects.filter(household__in=led.values("household")).values_list(
            "person", flat=True
        )
    )
    assert seen == referred | family
    reasons = set(Involvement.objects.filter(user=user).values_list("reason", flat=True))
    assert reasons >= {InvolvementReason.REFERRER, InvolvementReason.LEAD_PROFESSIONAL}
    # As lead professional it may also sit on its own episode's TAF: that family only.
    assert reasons <= {
        InvolvementReason.REFERRER,
        InvolvementReason.LEAD_PROFESSIONAL,
        InvolvementReason.TAF_MEMBER,
    }
    taf = Involvement.objects.filter(user=user, reason=InvolvementReason.TAF_MEMBER)
    assert set(taf.values_list("person", flat=True)) <= family


def test_the_health_visitor_sees_only_under_fives_in_redcar(demo_world: World) -> None:
    seen = list(policy.visible(demo_user("healthvisitor.redcar"), Person))
    assert len(seen) >= 3
    for person in seen:
        assert person.council.name == "Redcar and Cleveland"
        assert person.kind == PersonKind.UNBORN or (person.age_on(demo_world.as_of) or 0) < 5


def test_the_police_officer_sees_a_few_people_and_not_a_family_whose_case_has_ended(
    demo_world: World,
) -> None:
    user = demo_user("police.cleveland")
    seen = policy.visible(user, Person)
    assert seen.count() >= 2
    ended = Involvement.objects.filter(user=user, ends_at__isnull=False)
    assert ended.exists()
    assert not seen.filter(pk__in=ended.values("person")).exists()


def test_the_voluntary_key_worker_sees_a_few_stockton_families(demo_world: World) -> None:
    seen = policy.visible(demo_user("vcs.stockton"), Person)
    assert seen.count() >= 3
    assert set(seen.values_list("council__name", flat=True)) == {"Stockton-on-Tees"}
    assert seen.values("household_members__household").distinct().count() >= 2


def test_an_auditor_sees_only_people_of_other_councils_cases_for_peer_audit(
    demo_world: World,
) -> None:
    """Through the open audit programme only (issue 14): no standing involvement.
    (``auditor.stockton`` is not a moderator, who sees every council's cases.)"""
    user = demo_user("auditor.stockton")
    seen = policy.visible(user, Person)
    assert seen.count() >= 3
    assert "Stockton-on-Tees" not in set(seen.values_list("council__name", flat=True))
    involvements = Involvement.objects.filter(user=user)
    assert set(involvements.values_list("reason", flat=True)) == {InvolvementReason.PEER_AUDITOR}
    sources = set(involvements.values_list("source", flat=True))
    assert all(source.startswith("case_audits.programme:") for source in sources)


@pytest.mark.parametrize(("username", "council"), [
    ("frontdoor.stockton", "Stockton-on-Tees"),
    ("manager.stockton", "Stockton-on-Tees"),
    ("ehworker.hartlepool", "Hartlepool"),
])  # fmt: skip
def test_council_workers_see_their_own_councils_people(
    demo_world: World, username: str, council: str
) -> None:
    seen = policy.visible(demo_user(username), Person)
    assert seen.count() >= 30
    assert set(seen.values_list("council__name", flat=True)) == {council}


@pytest.mark.parametrize("username", ["analyst.tees", *ADMINISTRATORS])
def test_analyst_and_administrator_see_nobody_by_name(demo_world: World, username: str) -> None:
    assert not policy.visible(demo_user(username), Person).exists()


def test_hartlepool_has_a_local_threshold_variation(demo_world: World) -> None:
    variation = LocalVariation.objects.get(council__name="Hartlepool")
    assert set(variation.changes.values_list("kind", flat=True)) == {
        ChangeKind.CHANGE, ChangeKind.ADD,
    }  # fmt: skip
    assert not LocalVariation.objects.exclude(council__name="Hartlepool").exists()


def test_chronology_entries_carry_the_category_and_sensitivity_readers_are_filtered_by(
    demo_world: World,
) -> None:
    """Issue 10, finding 10: a front-door decision's rationale is for council staff only;
    CAMHS referrals are mental health, not general health."""
    for event in ChronologyEvent.objects.all():
        assert event.sensitivity == sensitivity_for(event.category), event.title
        if event.title.startswith("Front-door decision"):
            assert event.category == ChronologyCategory.DECISION
            assert event.sensitivity == ChronologySensitivity.COUNCIL_ONLY
        if "mental health" in event.title:
            assert event.category == ChronologyCategory.MENTAL_HEALTH


def test_the_hartlepool_information_governance_lead_has_emergency_access_to_review(
    demo_world: World,
) -> None:
    from continuum.audit.policies import break_glass_grants_to_review

    lead = demo_user("ig.hartlepool")
    grants = break_glass_grants_to_review(lead)
    assert grants.filter(user__username="frontdoor.stockton", reviewed_at__isnull=True).exists()
    assert not break_glass_grants_to_review(demo_user("ig.stockton")).exists()
