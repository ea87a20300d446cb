"""Issue 10, findings 2 and 3: the throttle counts per account *and* per address, holds under
concurrency, and nobody can lock a named person out of their own device."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest
import time_machine
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from continuum.accounts import services, throttle
from continuum.accounts.models import Role
from continuum.testing.second_factor import authenticator_app, current_code

SIGN_IN = reverse("accounts:sign-in")
PASSWORD = "a-long-test-password"
START = timezone.make_aware(datetime(2026, 3, 2, 9, 0))
ATTACKER = "203.0.113.66"


def attempt(client, password: str, *, address: str, username: str = "frontdoor.stockton"):
    return client.post(SIGN_IN, {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.django_db
def test_an_attacker_cannot_lock_the_person_out_from_their_own_address(client, worker):
    with time_machine.travel(START, tick=False):
        attacker = Client()
        for _ in range(6):
            attempt(attacker, "wrong-password", address=ATTACKER)
        assert "Too many attempts" in attempt(attacker, PASSWORD, address=ATTACKER).content.decode()
        assert not signed_in(attacker)

        response = attempt(client, PASSWORD, address="198.51.100.7")
        assert response.status_code == 302
        assert signed_in(client)


@pytest.mark.django_db
def test_failures_from_many_addresses_slow_the_account_but_not_its_owners_known_device(
    client, worker
):
    with time_machine.travel(START, tick=False):
        # The owner signed in from this browser before (password and second factor): it
        # carries a known-device cookie.
        device = authenticator_app(worker)
        response = attempt(client, PASSWORD, address="198.51.100.7")
        assert response.status_code == 302
        client.post(response["Location"], {"code": current_code(device)})
        assert services.KNOWN_DEVICE_COOKIE in client.cookies
        client.post(reverse("accounts:sign-out"))  # (the test client's logout forgets cookies)
        assert not signed_in(client)
        for n in range(4):  # 4 addresses x 5 = the account's 20
            botnet = Client()
            for _ in range(5):
                attempt(botnet, "wrong-password", address=f"203.0.113.{n}")
        stranger = Client()
        page = attempt(stranger, PASSWORD, address="192.0.2.200").content.decode()
        assert "Too many attempts to sign in with this username" in page
        assert not signed_in(stranger)

        response = attempt(client, PASSWORD, address="198.51.100.99")
        assert response.status_code == 302
        assert signed_in(client)


@pytest.mark.django_db
def test_a_forged_known_device_cookie_is_ignored(worker):
    with time_machine.travel(START, tick=False):
        for n in range(4):
            for _ in range(5):
                attempt(Client(), "wrong-password", address=f"203.0.113.{n}")
        forger = Client()
        forger.cookies[services.KNOWN_DEVICE_COOKIE] = "frontdoor.stockton"
        page = attempt(forger, PASSWORD, address="192.0.2.200").content.decode()
    assert "Too many attempts" in page
    assert not signed_in(forger)


@pytest.mark.django_db
def test_one_address_trying_many_usernames_is_refused(client, make_user):
    user = make_user(Role.FRONT_DOOR_WORKER, username="sprayed.last")
    with time_machine.travel(START, tick=False):
        for n in range(throttle.ADDRESS.attempts):
            attempt(client, "Winter2026!", address=ATTACKER, username=f"someone.{n}")
        page = attempt(client, PASSWORD, address=ATTACKER, username=user.username)
        assert "Too many attempts to sign in with this network address" in page.content.decode()
        assert (
            attempt(Client(), PASSWORD, address="198.51.100.7", username=user.username).status_code
            == 302
        )


@pytest.mark.django_db
def test_every_refusal_is_in_the_security_log_with_the_address(client, worker, caplog):
    with (
        caplog.at_level("INFO", logger="continuum.security"),
        time_machine.travel(START, tick=False),
    ):
        for _ in range(7):
            attempt(client, "wrong-password", address=ATTACKER)
    messages = [r.getMessage() for r in caplog.records if r.name == "continuum.security"]
    refusals = [m for m in messages if m.startswith("Sign-in refused")]
    assert len(refusals) == 2
    assert all(ATTACKER in m and "account-address limit" in m for m in refusals)


def _race(username: str, passwords: list[str]) -> tuple[int, int, list[bool]]:
    """Post every password at once, each from its own client and connection; answers the
    passwords checked (failed, succeeded) and who got in."""
    failed, succeeded = [], []
    lock = threading.Lock()

    def on_failed(**kwargs):
        with lock:
            failed.append(1)

    def on_success(**kwargs):
        with lock:
            succeeded.append(1)

    barrier = threading.Barrier(len(passwords))
    results: list[bool] = [False] * len(passwords)

    def run(n: int, password: str) -> None:
        client = Client()
        try:
            barrier.wait()
            attempt(client, password, address=ATTACKER, username=username)
            results[n] = signed_in(client)
        finally:
            connection.close()

    user_login_failed.connect(on_failed, weak=False)
    user_logged_in.connect(on_success, weak=False)
    try:
        threads = [threading.Thread(target=run, args=(n, p)) for n, p in enumerate(passwords)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        user_login_failed.disconnect(on_failed)
        user_logged_in.disconnect(on_success)
    return len(failed), len(succeeded), results


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_forty_simultaneous_attempts_check_at_most_five_passwords(worker):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL (SQLite serialises every write)")
    passwords = ["wrong-password"] * 39 + [PASSWORD]
    failed, succeeded, _ = _race(worker.username, passwords)
    assert failed + succeeded <= throttle.PAIR.attempts


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_right_password_does_not_get_in_while_the_account_is_locked(worker):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL (SQLite serialises every write)")
    for _ in range(throttle.PAIR.attempts):
        attempt(Client(), "wrong-password", address=ATTACKER)
        connection.close()
    passwords = ["wrong-password"] * 39 + [PASSWORD]
    failed, succeeded, results = _race(worker.username, passwords)
    assert (failed, succeeded) == (0, 0)
    assert not any(results)


@pytest.mark.django_db
def test_a_successful_password_is_logged_too(client, worker, caplog):
    with caplog.at_level("INFO", logger="continuum.security"):
        attempt(client, PASSWORD, address="198.51.100.7")
    messages = [r.getMessage() for r in caplog.records if r.name == "continuum.security"]
    assert any(
        m.startswith("Password accepted for username 'frontdoor.stockton' from 198.51.100.7")
        for m in messages
    )
    assert PASSWORD not in "\n".join(messages)
