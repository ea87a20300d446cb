"""A reset of someone's second factor needs two administrators: one asks, another
approves; nobody approves their own request or a reset of themselves."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from continuum.accounts import second_factor
from continuum.accounts.models import Role, SecondFactorReset
from continuum.testing.second_factor import authenticator_app

pytestmark = pytest.mark.django_db

RESETS = reverse("web:second-factor-resets")


@pytest.fixture
def first_admin(make_user):
    return make_user(Role.SYSTEM_ADMINISTRATOR, username="admin.one")


@pytest.fixture
def second_admin(make_user):
    return make_user(Role.SYSTEM_ADMINISTRATOR, username="admin.two")


def decide(client, reset, decision="approve"):
    return client.post(
        reverse("web:decide-second-factor-reset", args=[reset.pk]), {"decision": decision}
    )


def test_one_administrator_asks_and_another_approves(client, first_admin, second_admin, worker):
    authenticator_app(worker)
    second_factor.new_recovery_codes(worker)
    client.force_login(first_admin)
    response = client.post(
        RESETS, {"username": "FrontDoor.Stockton", "reason": "Her phone was stolen today."}
    )
    assert response.status_code == 302
    reset = SecondFactorReset.objects.get()
    assert (reset.user, reset.requested_by, reset.decided_at) == (worker, first_admin, None)

    # The one who asked cannot approve it ...
    assert decide(client, reset).status_code == 403
    assert TOTPDevice.objects.filter(user=worker).exists()

    # ... another administrator can.
    client.force_login(second_admin)
    page = client.get(RESETS).content.decode()
    assert "Her phone was stolen today." in page
    assert decide(client, reset).status_code == 302
    reset.refresh_from_db()
    assert reset.approved is True and reset.decided_by == second_admin
    assert not TOTPDevice.objects.filter(user=worker).exists()
    assert not StaticDevice.objects.filter(user=worker).exists()


def test_nobody_approves_a_reset_of_themselves(first_admin, second_admin):
    reset = second_factor.request_reset(
        requested_by=first_admin, user=second_admin, reason="Lost the security key."
    )
    with pytest.raises(second_factor.NotPermitted):
        second_factor.decide_reset(reset_id=reset.pk, decided_by=second_admin, approve=True)


def test_nobody_asks_for_their_own_reset(client, first_admin):
    client.force_login(first_admin)
    page = client.post(
        RESETS, {"username": first_admin.username, "reason": "I lost my phone today."}
    ).content.decode()
    assert "Ask another administrator to reset your own second factor" in page
    assert not SecondFactorReset.objects.exists()


def test_a_reason_in_words_is_needed(client, first_admin, worker):
    client.force_login(first_admin)
    page = client.post(RESETS, {"username": worker.username, "reason": "xxxxxxxx"}).content.decode()
    assert "govuk-error-summary" in page
    assert not SecondFactorReset.objects.exists()


def test_a_refused_reset_changes_nothing(client, first_admin, second_admin, worker):
    authenticator_app(worker)
    reset = second_factor.request_reset(
        requested_by=first_admin, user=worker, reason="Says she lost her phone."
    )
    client.force_login(second_admin)
    assert decide(client, reset, "refuse").status_code == 302
    reset.refresh_from_db()
    assert reset.approved is False
    assert TOTPDevice.objects.filter(user=worker).exists()
    # Decided once: approving it afterwards is refused, with a message.
    response = decide(client, reset)
    assert response.status_code == 302
    assert "already been decided" in client.get(RESETS).content.decode()
    assert TOTPDevice.objects.filter(user=worker).exists()


@pytest.mark.parametrize("role", [r for r in Role if r != Role.SYSTEM_ADMINISTRATOR])
def test_only_system_administrators_see_the_page(client, make_user, role):
    client.force_login(make_user(role, username=f"someone.{role}"))
    assert client.get(RESETS).status_code == 403


@pytest.mark.parametrize("role", list(Role))
def test_the_navigation_offers_the_page_to_system_administrators_only(client, make_user, role):
    client.force_login(make_user(role, username=f"nav.{role}"))
    page = client.get("/").content.decode()
    assert (f'href="{RESETS}"' in page) == (role == Role.SYSTEM_ADMINISTRATOR)
