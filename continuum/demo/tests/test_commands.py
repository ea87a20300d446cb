"""seed_demo and demo_sign_ins, as `make demo` runs them."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from continuum.accounts.models import User
from continuum.demo.generator import PRESETS, build, load_steps
from continuum.demo.generator.registry import step
from continuum.demo.sign_ins import DEMO_USERNAMES
from continuum.people.models import Person
from continuum.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_seed_demo_loads_the_small_preset_then_if_empty_leaves_it_alone() -> None:
    output = run("seed_demo", "--preset", "small", "--seed", "1")
    assert "people.Person" in output
    assert "Demo data loaded." in output
    people = Person.objects.count()
    assert people > 200

    again = run("seed_demo", "--preset", "small", "--seed", "1", "--if-empty")
    assert "already has" in again
    assert Person.objects.count() == people

    with pytest.raises(CommandError, match="already has"):
        run("seed_demo", "--preset", "small", "--seed", "1")
    assert Person.objects.count() == people


def test_if_empty_does_nothing_when_the_database_has_any_person() -> None:
    PersonFactory()
    output = run("seed_demo", "--if-empty")
    assert "already has 1 people" in output
    assert Person.objects.count() == 1
    assert not User.objects.filter(is_demo_account=True).exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-of", "2999-01-01"], "today or earlier"),
        (["--as-of", "1 November"], "not a date"),
        (["--scale", "0"], "greater than zero"),
        (["--scale", "1.5"], "not a whole number"),
        (["--years", "two"], "not a whole number of years"),
        (["--preset", "enormous"], "invalid choice"),
        (["--years", "0"], "at least one year"),
    ],
)
def test_seed_demo_refuses_bad_options_and_saves_nothing(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run("seed_demo", *args)
    assert not Person.objects.exists()
    assert not User.objects.exists()


def test_demo_sign_ins_lists_every_sign_in_with_the_password_and_address(settings: Any) -> None:
    settings.CONTINUUM_DEMO = True
    build(preset="small", seed=1)
    output = run("demo_sign_ins")
    # Every missing sign-in, not just the first (the world takes seconds to build, so
    # this is one test rather than one per sign-in).
    assert DEMO_USERNAMES
    assert [username for username in DEMO_USERNAMES if username not in output] == []
    assert "Front-door worker" in output
    assert "Brambleside Primary School" in output
    assert settings.DEMO_PASSWORD in output
    assert "http://127.0.0.1:8000" in output


def test_demo_sign_ins_says_when_there_are_none(settings: Any) -> None:
    settings.CONTINUUM_DEMO = True
    with pytest.raises(CommandError, match="seed_demo"):
        run("demo_sign_ins")


def test_steps_run_in_order_and_a_new_module_can_add_one() -> None:
    names = [s.name for s in load_steps()]
    assert names[:3] == [
        "organisations.organisations",
        "users.demo_sign_ins",
        "users.council_staff",
    ]
    assert names.index("people.people") < names.index("chronology.chronology")
    assert names.index("chronology.chronology") < names.index("access.partner_involvements")

    def extra(world: Any) -> None:
        raise AssertionError("not run here")

    try:
        step(order=50, name="test.extra")(extra)
        assert load_steps()[0].name == "test.extra"
        with pytest.raises(ValueError, match="Two demo steps"):
            step(order=60, name="test.extra")(lambda world: None)
    finally:
        from continuum.demo.generator import registry

        registry._STEPS.pop("test.extra", None)
    assert "test.extra" not in [s.name for s in load_steps()]


def test_the_tees_preset_is_a_bigger_version_of_the_same_steps() -> None:
    small, tees = PRESETS["small"], PRESETS["tees"]
    assert tees.families > 20 * small.families
    assert tees.scaled(2).families == 2 * tees.families
    assert tees.scaled(2).copies == 2
    with pytest.raises(ValueError, match="whole number"):
        tees.scaled(1.5)
    assert small.with_years(5).years == 5


def test_demo_sign_ins_refuses_outside_demo_mode(settings: Any) -> None:
    settings.CONTINUUM_DEMO = False
    with pytest.raises(CommandError, match="Demo mode is off"):
        run("demo_sign_ins")


def test_the_demo_administrator_gets_its_own_password_not_the_published_one(
    settings: Any, make_user: Any
) -> None:
    from django.contrib.auth import authenticate

    from continuum.accounts.models import Role

    settings.CONTINUUM_DEMO = True
    admin = make_user(
        Role.SYSTEM_ADMINISTRATOR,
        username="admin",
        is_demo_account=True,
        is_staff=True,
        is_superuser=True,
    )
    admin.set_unusable_password()
    admin.save()
    output = run("demo_sign_ins")
    line = next(line for line in output.splitlines() if line.startswith("admin "))
    password = line.split()[1]
    assert password != settings.DEMO_PASSWORD
    assert authenticate(username="admin", password=settings.DEMO_PASSWORD) is None
    assert authenticate(username="admin", password=password) == admin


def test_demo_sign_ins_give_each_demo_user_a_second_factor_that_signs_in(
    settings: Any, make_user: Any, client: Any
) -> None:
    import re

    from django.urls import reverse
    from django_otp.oath import totp

    from continuum.accounts.models import Role
    from continuum.accounts.second_factor import SECOND_FACTOR_SESSION_KEY

    settings.CONTINUUM_DEMO = True
    make_user(Role.FRONT_DOOR_WORKER, username="frontdoor.stockton", is_demo_account=True)
    output = run("demo_sign_ins")
    assert settings.DEMO_TOTP_SECRET in output
    line = next(line for line in output.splitlines() if line.startswith("frontdoor.stockton"))
    codes = re.findall(r"\b[a-z2-7]{4}(?:-[a-z2-7]{4}){5}\b", line.split(maxsplit=2)[2])
    assert len(codes) == 3

    # The password, then a recovery code it printed ...
    sign_in = reverse("accounts:sign-in")
    client.post(sign_in, {"username": "frontdoor.stockton", "password": settings.DEMO_PASSWORD})
    client.post(reverse("accounts:second-factor"), {"code": codes[0]})
    assert client.session[SECOND_FACTOR_SESSION_KEY] == "recovery-code"

    # ... or the code of the published secret.
    from base64 import b32decode

    client.post(reverse("accounts:sign-out"))
    client.post(sign_in, {"username": "frontdoor.stockton", "password": settings.DEMO_PASSWORD})
    code = f"{totp(b32decode(settings.DEMO_TOTP_SECRET)):06d}"
    client.post(reverse("accounts:second-factor"), {"code": code})
    assert client.session[SECOND_FACTOR_SESSION_KEY] == "totp"

    # Outside demo mode neither works.
    settings.CONTINUUM_DEMO = False
    from continuum.accounts import second_factor

    user = User.objects.get(username="frontdoor.stockton")
    assert second_factor.verify_code(user=user, code=codes[1]) is None
