"""When a person's second factor is reset, or their account deactivated, every session they
have ends at once (issue 10, found at integration): whoever holds one of them (a stolen
phone's browser, a shared computer) is signed out, not left signed in."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from continuum.accounts import second_factor
from continuum.accounts.models import Role, User
from continuum.accounts.tests.test_account_changes import change_form, change_url
from continuum.testing.second_factor import authenticator_app, sign_in_with_code

pytestmark = pytest.mark.django_db

HOME = reverse("web:home")


def signed_in_as(client: Client, user: User) -> bool:
    response = client.get(HOME)
    return response.status_code == 200 and client.session.get("_auth_user_id") == str(user.pk)


@pytest.fixture
def first_admin(make_user, stockton):
    return make_user(
        Role.SYSTEM_ADMINISTRATOR,
        council=stockton,
        username="admin.one",
        is_staff=True,
        is_superuser=True,
    )


@pytest.fixture
def second_admin(make_user, stockton):
    return make_user(
        Role.SYSTEM_ADMINISTRATOR,
        council=stockton,
        username="admin.two",
        is_staff=True,
        is_superuser=True,
    )


def test_approving_a_second_factor_reset_ends_every_session_of_the_person(
    first_admin, second_admin, worker, manager
):
    authenticator_app(worker)
    phone, office = Client(), Client()
    sign_in_with_code(phone, worker)
    office.force_login(worker)
    bystander = Client()
    bystander.force_login(manager)
    assert signed_in_as(phone, worker) and signed_in_as(office, worker)

    reset = second_factor.request_reset(
        requested_by=first_admin, user=worker, reason="Her phone was stolen today."
    )
    # Asking alone changes nothing.
    assert signed_in_as(phone, worker)
    second_factor.decide_reset(reset_id=reset.pk, decided_by=second_admin, approve=True)

    for client in (phone, office):
        response = client.get(HOME)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign-in"))
        assert "_auth_user_id" not in client.session
    # Nobody else is signed out, the approver included.
    assert signed_in_as(bystander, manager)


def test_a_refused_reset_ends_no_session(first_admin, second_admin, worker):
    client = Client()
    client.force_login(worker)
    reset = second_factor.request_reset(
        requested_by=first_admin, user=worker, reason="Her phone was stolen today."
    )
    second_factor.decide_reset(reset_id=reset.pk, decided_by=second_admin, approve=False)
    assert signed_in_as(client, worker)


def test_the_person_signs_in_again_after_the_reset(first_admin, second_admin, worker):
    reset = second_factor.request_reset(
        requested_by=first_admin, user=worker, reason="Her phone was stolen today."
    )
    second_factor.decide_reset(reset_id=reset.pk, decided_by=second_admin, approve=True)
    client = Client()
    response = client.post(
        reverse("accounts:sign-in"),
        {"username": worker.username, "password": "a-long-test-password"},
    )
    assert response.status_code == 302
    # No second factor any more: they set one up again, signed in.
    assert client.session.get("_auth_user_id") == str(worker.pk)
    assert client.get(reverse("accounts:second-factor")).status_code == 200
    worker.refresh_from_db()
    client.force_login(worker)
    assert signed_in_as(client, worker)


def test_deactivating_an_account_ends_its_sessions_for_good(client, first_admin, worker):
    theirs = Client()
    theirs.force_login(worker)
    client.force_login(first_admin)
    client.post(change_url(worker), change_form(worker, is_active=False))
    worker.refresh_from_db()
    assert not worker.is_active
    assert not signed_in_as(theirs, worker)
    # Made active again, the old session still does not come back.
    client.post(change_url(worker), change_form(worker, is_active=True))
    worker.refresh_from_db()
    assert worker.is_active
    response = theirs.get(HOME)
    assert response.status_code == 302
    assert "_auth_user_id" not in theirs.session
