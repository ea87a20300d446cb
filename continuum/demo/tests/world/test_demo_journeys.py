"""Every demo journey can be finished with the demo sign-ins, whichever council it reaches
(issue 12): a school's contact to Middlesbrough needs a Middlesbrough front door, a
Hartlepool step-up a Hartlepool manager. Checked against the access policy itself, so a new
rule or a council without its sign-ins shows here."""

from __future__ import annotations

import pytest

from continuum.access import policy
from continuum.accounts.models import Role, User
from continuum.demo.generator import World
from continuum.demo.sign_ins import COUNCIL_ROLES, DEMO_USERNAMES, council_sign_in
from continuum.early_help.choices import OPEN_EPISODE_STATUSES
from continuum.early_help.models import Episode
from continuum.early_help.policies import EarlyHelpAction
from continuum.front_door.choices import ContactStatus
from continuum.front_door.models import Contact
from continuum.front_door.policies import FrontDoorAction, councils_user_may_refer_to
from continuum.organisations.models import Council

pytestmark = pytest.mark.django_db


def demo_users() -> list[User]:
    return list(
        User.objects.filter(username__in=DEMO_USERNAMES, is_demo_account=True).select_related(
            "organisation"
        )
    )


def councils_a_journey_reaches(users: list[User]) -> set[Council]:
    """Every council that receives a contact (from the demo's records, or from a partner
    sign-in who may refer to it) or holds an episode."""
    reached = set(Council.objects.filter(contacts__isnull=False).distinct())
    reached |= set(Council.objects.filter(episodes__isnull=False).distinct())
    for user in users:
        if user.role in (Role.PARTNER_PRACTITIONER, Role.EARLY_HELP_PRACTITIONER):
            reached |= set(councils_user_may_refer_to(user))
    return reached


def a_contact(council: Council) -> Contact:
    """One of the council's submitted contacts naming no restricted child."""
    contact = (
        Contact.objects.filter(council=council)
        .exclude(status=ContactStatus.DRAFT)
        .exclude(children__is_restricted=True)
        .order_by("received_at")
        .last()
    )
    assert contact is not None, f"{council} has no contact to try"
    return contact


def an_episode(council: Council, **filters: object) -> Episode:
    episode = (
        Episode.objects.filter(council=council, **filters)
        .exclude(children__is_restricted=True)
        .order_by("pk")
        .last()
    )
    assert episode is not None, f"{council} has no episode {filters} to try"
    return episode


def who_can(users: list[User], action: str, obj: object, role: str | None = None) -> list[str]:
    return [
        u.username for u in users if (role is None or u.role == role) and policy.can(u, action, obj)
    ]


def test_every_council_a_journey_reaches_has_its_front_door_manager_and_practitioner(
    demo_world: World,
) -> None:
    users = demo_users()
    reached = councils_a_journey_reaches(users)
    assert {c.name for c in reached} >= {
        "Hartlepool",
        "Middlesbrough",
        "Redcar and Cleveland",
        "Stockton-on-Tees",
    }
    missing: list[str] = []
    for council in sorted(reached, key=lambda c: c.name):
        contact = a_contact(council)
        if not who_can(users, FrontDoorAction.SCREEN_CONTACT, contact, Role.FRONT_DOOR_WORKER):
            missing.append(f"{council}: no front-door worker sign-in screens its contacts")
        if not who_can(users, FrontDoorAction.DECIDE_CONTACT, contact, Role.FRONT_DOOR_WORKER):
            missing.append(f"{council}: no front-door worker sign-in decides its contacts")
        if not who_can(users, FrontDoorAction.SIGN_OFF_DECISION, contact):
            missing.append(f"{council}: no manager sign-in signs off its decisions")
        if not who_can(users, FrontDoorAction.VIEW_QUEUE, None) or not any(
            policy.council_of(u) == council
            for u in users
            if policy.can(u, FrontDoorAction.VIEW_QUEUE, None)
        ):
            missing.append(f"{council}: no sign-in sees its front-door queue")
        working = an_episode(council, status__in=OPEN_EPISODE_STATUSES)
        if not who_can(users, EarlyHelpAction.DECIDE_STEP_UP, working):
            missing.append(f"{council}: no manager sign-in decides its step-ups")
        if not who_can(users, EarlyHelpAction.ALLOCATE, working):
            missing.append(f"{council}: no manager sign-in allocates at its panel")
        led = Episode.objects.filter(
            council=council,
            status__in=OPEN_EPISODE_STATUSES,
            lead_professional__username__in=[u.username for u in users],
            lead_professional__organisation__council=council,
        )
        if not led.exists():
            missing.append(f"{council}: no council sign-in leads one of its open episodes")
        elif not who_can(users, EarlyHelpAction.WORK_EPISODE, led.first()):
            missing.append(f"{council}: its lead professional sign-in cannot work the episode")
    assert missing == []


def test_each_council_has_the_three_council_sign_ins_in_its_own_council(
    demo_world: World,
) -> None:
    roles = {
        "frontdoor": Role.FRONT_DOOR_WORKER,
        "manager": Role.TEAM_MANAGER,
        "ehworker": Role.EARLY_HELP_PRACTITIONER,
    }
    for key, council in demo_world.councils.items():
        for kind in COUNCIL_ROLES:
            username = council_sign_in(kind, key)
            assert username is not None, (kind, key)
            user = User.objects.get(username=username)
            assert user.role == roles[kind]
            assert policy.council_of(user) == council
            assert user.teams.exists()


def test_the_partners_contacts_reach_a_front_door_that_can_sign_in(demo_world: World) -> None:
    """school.middlesbrough's contacts go to Middlesbrough, healthvisitor.redcar's to Redcar
    and Cleveland, and so on: someone who can sign in screens each of them."""
    users = demo_users()
    partners = [u for u in users if u.role == Role.PARTNER_PRACTITIONER]
    assert partners
    for partner in partners:
        for contact in Contact.objects.filter(referrer_user=partner).exclude(
            status=ContactStatus.DRAFT
        ):
            screeners = who_can(users, FrontDoorAction.SCREEN_CONTACT, contact)
            assert screeners, (partner.username, contact.council.name)


def test_every_council_has_a_front_door_number_from_the_range_kept_for_drama(
    demo_world: World,
) -> None:
    numbers = list(Council.objects.values_list("front_door_phone", flat=True))
    assert numbers and all(n.startswith("01632 960 ") and len(n) == 13 for n in numbers)
    assert len(set(numbers)) == len(numbers)
