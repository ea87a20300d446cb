"""Login throttling: five failures for one username within 15 minutes refuse further
attempts for 15 minutes, even with the right password. Every failure is logged."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from continuum.accounts import throttle
from continuum.accounts.models import Role, SignInThrottle

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("accounts:sign-in")
PASSWORD = "a-long-test-password"
START = timezone.make_aware(datetime(2026, 3, 2, 9, 0))


def attempt(client, password: str, username: str = "frontdoor.stockton"):
    return client.post(SIGN_IN, {"username": username, "password": password})


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail(client, times: int, username: str = "frontdoor.stockton") -> None:
    for _ in range(times):
        attempt(client, "wrong-password", username)


def test_four_failures_still_let_the_right_password_in(client, worker):
    with time_machine.travel(START, tick=False):
        fail(client, 4)
        response = attempt(client, PASSWORD)
        assert response.status_code == 302
        assert signed_in(client)


def test_five_failures_refuse_even_the_right_password_with_a_clear_message(client, worker):
    with time_machine.travel(START, tick=False) as clock:
        fail(client, 5)
        clock.shift(timedelta(minutes=1))
        response = attempt(client, PASSWORD)

    assert response.status_code == 200
    assert not signed_in(client)
    page = response.content.decode()
    assert "Too many attempts" in page
    assert "govuk-error-summary" in page
    assert "Wait until 9:15am, then try again" in page


def test_the_lockout_lasts_15_minutes_from_the_fifth_failure(client, worker):
    with time_machine.travel(START, tick=False) as clock:
        fail(client, 5)
        clock.shift(timedelta(minutes=14, seconds=59))
        assert "Too many attempts" in attempt(client, PASSWORD).content.decode()
        clock.shift(timedelta(seconds=1))
        assert attempt(client, PASSWORD).status_code == 302
        assert signed_in(client)


def test_attempts_refused_during_a_lockout_do_not_extend_it(client, worker):
    with time_machine.travel(START, tick=False) as clock:
        fail(client, 5)
        for _ in range(10):
            clock.shift(timedelta(minutes=1))
            fail(client, 1)
        clock.shift(timedelta(minutes=5))
        assert attempt(client, PASSWORD).status_code == 302


def test_failures_spread_over_more_than_15_minutes_do_not_lock(client, worker):
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(8):
            fail(client, 1)
            clock.shift(timedelta(minutes=4))
        # At most four failures ever fell within one 15-minute window.
        assert attempt(client, PASSWORD).status_code == 302


def test_the_fifth_failure_itself_says_the_username_is_locked(client, worker):
    with time_machine.travel(START, tick=False):
        fail(client, 4)
        page = attempt(client, "wrong-password").content.decode()
    assert "Too many attempts" in page


def test_lockout_is_per_username_and_ignores_capitals(client, worker, make_user):
    other = make_user(Role.FRONT_DOOR_WORKER, username="manager.stockton")
    with time_machine.travel(START, tick=False):
        fail(client, 3, "frontdoor.stockton")
        fail(client, 2, "FrontDoor.Stockton ")
        assert "Too many attempts" in attempt(client, PASSWORD).content.decode()
        assert attempt(client, PASSWORD, other.username).status_code == 302


def test_unknown_usernames_are_throttled_the_same_way(client):
    with time_machine.travel(START, tick=False):
        fail(client, 5, "nobody.here")
        page = attempt(client, "anything", "nobody.here").content.decode()
    assert "Too many attempts" in page


def test_signing_in_clears_earlier_failures(client, worker):
    with time_machine.travel(START, tick=False) as clock:
        fail(client, 4)
        assert attempt(client, PASSWORD).status_code == 302
        client.logout()
        clock.shift(timedelta(minutes=1))
        fail(client, 1)
        assert attempt(client, PASSWORD).status_code == 302


def test_failures_are_kept_in_the_database_so_every_process_sees_them(worker):
    keys = throttle.keys_for(username="frontdoor.stockton", address="192.0.2.1", known_device=False)
    with time_machine.travel(START, tick=False):
        for _ in range(5):
            assert throttle.charge(keys) is None
        locks = throttle.settle_failure(keys)
        pair = SignInThrottle.objects.get(key="pair:frontdoor.stockton@192.0.2.1")
        assert len(pair.attempts) == 5
        assert pair.locked_until == START + timedelta(minutes=15)
        assert [lock.limit for lock in locks] == [throttle.PAIR]
        refused = throttle.charge(keys)
        assert refused is not None
        assert refused.until == START + timedelta(minutes=15)


def test_a_right_password_does_not_clear_attempts_counted_after_it(worker):
    """A race: the right password is counted, then another attempt on the same pair while
    the first is still being checked. The later attempt stays counted (else a right
    password early in a burst would make room for more wrong ones); the account-wide and
    address keys get the right password's own attempt back."""
    keys = throttle.keys_for(username="frontdoor.stockton", address="192.0.2.1", known_device=False)
    with time_machine.travel(START, tick=False) as clock:
        refused, right_at = throttle.charge_attempt(keys)
        assert refused is None
        clock.shift(timedelta(seconds=1))
        assert throttle.charge(keys) is None  # a wrong one, still being checked
        throttle.settle_success(keys, charged_at=right_at)
        pair = SignInThrottle.objects.get(key="pair:frontdoor.stockton@192.0.2.1")
        account = SignInThrottle.objects.get(key="account:frontdoor.stockton")
        assert len(pair.attempts) == 2
        assert len(account.attempts) == 1


def test_a_right_password_after_failures_clears_the_pair(worker):
    keys = throttle.keys_for(username="frontdoor.stockton", address="192.0.2.1", known_device=False)
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(4):
            assert throttle.charge(keys) is None
            throttle.settle_failure(keys)
            clock.shift(timedelta(seconds=1))
        refused, right_at = throttle.charge_attempt(keys)
        assert refused is None
        throttle.settle_success(keys, charged_at=right_at)
        assert SignInThrottle.objects.get(key="pair:frontdoor.stockton@192.0.2.1").attempts == []
        assert len(SignInThrottle.objects.get(key="account:frontdoor.stockton").attempts) == 4


def test_every_failure_and_refusal_is_logged_without_the_password(client, worker, caplog):
    with (
        caplog.at_level("INFO", logger="continuum.security"),
        time_machine.travel(START, tick=False),
    ):
        fail(client, 1)
        attempt(client, "Secret-Typo-42")
        fail(client, 3)
        attempt(client, PASSWORD)

    messages = [r.getMessage() for r in caplog.records if r.name == "continuum.security"]
    failures = [m for m in messages if m.startswith("Failed sign-in")]
    assert len(failures) == 5
    assert all("'frontdoor.stockton'" in m for m in failures)
    assert any("locked" in m for m in messages)
    assert any(m.startswith("Sign-in refused") for m in messages)
    text = "\n".join(messages)
    assert "Secret-Typo-42" not in text
    assert PASSWORD not in text
    assert "wrong-password" not in text
