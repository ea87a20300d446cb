"""The demo sign-ins, and named council workers who do not sign in (for access lists,
allocation and 'recorded by')."""

from __future__ import annotations

from continuum.accounts.models import Role, User
from continuum.demo.generator.registry import step
from continuum.demo.generator.world import World
from continuum.demo.sign_ins import DEMO_SIGN_INS
from continuum.organisations.models import Organisation, Team


def _account(
    *,
    username: str,
    role: str,
    organisation: Organisation,
    teams: list[Team],
    first_name: str,
    last_name: str,
    job_title: str,
    is_demo_account: bool,
    is_admin: bool = False,
) -> User:
    user = User.objects.filter(username=username).first() or User(username=username)
    user.first_name = first_name
    user.last_name = last_name
    user.email = f"{username}@example.org"
    user.role = role
    user.organisation = organisation
    user.job_title = job_title
    user.is_demo_account = is_demo_account
    user.is_active = True
    user.is_staff = is_admin
    user.is_superuser = is_admin
    user.set_unusable_password()
    user.save()
    user.teams.set(teams)
    return user


@step(order=200)
def demo_sign_ins(world: World) -> None:
    for sign_in in DEMO_SIGN_INS:
        world.users[sign_in.username] = _account(
            username=sign_in.username,
            role=sign_in.role,
            organisation=world.organisations[sign_in.organisation],
            teams=([world.teams[sign_in.team]] if sign_in.team else [])
            + [
                team
                for key, team in sorted(world.teams.items())
                if any(key.startswith(prefix) for prefix in sign_in.also_manages)
            ],
            first_name=sign_in.first_name,
            last_name=sign_in.last_name,
            job_title=sign_in.job_title,
            is_demo_account=True,
            is_admin=sign_in.is_admin,
        )


@step(order=210)
def council_staff(world: World) -> None:
    """``staff_per_team`` workers in each council team: e.g. 'stockton.front-door.1'."""
    for key in world.council_keys():
        world.staff[key] = []
        teams = {name: team for name, team in world.teams.items() if name.startswith(f"{key}:")}
        for team_key, team in teams.items():
            slug = team_key.split(":", 1)[1].replace(":", "-")
            role = {
                "front-door": Role.FRONT_DOOR_WORKER,
                "quality-assurance": Role.AUDITOR,
            }.get(slug, Role.EARLY_HELP_PRACTITIONER)
            for n in range(1, world.preset.staff_per_team + 1):
                female = world.rng.random() < 0.7
                world.staff[key].append(
                    _account(
                        username=f"{key}.{slug}.{n}",
                        role=role,
                        organisation=team.organisation,
                        teams=[team],
                        first_name=world.faker.first_name_female()
                        if female
                        else world.faker.first_name_male(),
                        last_name=world.faker.last_name(),
                        job_title=dict(Role.choices)[role],
                        is_demo_account=False,
                    )
                )
