"""A second factor for every account (issue 10): sign-in is the password, then a code from
an authenticator app, a security key or a recovery code; until then a signed-in user reaches
only the second-factor pages and signing out."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from continuum.accounts import second_factor
from continuum.accounts.models import Role
from continuum.accounts.second_factor import SECOND_FACTOR_SESSION_KEY
from continuum.testing.second_factor import authenticator_app, current_code, sign_in_with_code

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("accounts:sign-in")
SECOND_FACTOR = reverse("accounts:second-factor")
SET_UP_APP = reverse("accounts:set-up-authenticator-app")
SET_UP_KEY = reverse("accounts:set-up-security-key")
PASSWORD = "a-long-test-password"


def password_only(client, user, **extra):
    response = client.post(SIGN_IN, {"username": user.username, "password": PASSWORD, **extra})
    assert response.status_code == 302
    return response


def passed_with(client) -> str | None:
    return client.session.get(SECOND_FACTOR_SESSION_KEY)


# --- enforcement --------------------------------------------------------------------------


def test_after_the_password_comes_the_second_factor(client, worker):
    authenticator_app(worker)
    response = password_only(client, worker)
    assert response["Location"] == f"{SECOND_FACTOR}?next=%2F"
    assert passed_with(client) is None


@pytest.mark.parametrize(
    "url",
    ["/", "/people/", "/front-door/", "/audit/access-log", "/accounts/second-factors"],
)
def test_a_password_only_session_cannot_reach_any_page(client, worker, child, url):
    password_only(client, worker)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(SECOND_FACTOR)


def test_a_password_only_session_cannot_reach_a_persons_record(client, worker, child):
    password_only(client, worker)
    response = client.get(reverse("people:detail", args=[child.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(SECOND_FACTOR)


def test_a_password_only_session_gets_401_from_the_api(client, worker):
    password_only(client, worker)
    response = client.get("/api/v1/people")
    assert response.status_code == 401
    assert "second factor" in response.json()["detail"]


def test_a_password_only_session_reaches_the_second_factor_pages_and_signing_out(client, worker):
    password_only(client, worker)
    assert client.get(SECOND_FACTOR).status_code == 200
    assert client.get(SET_UP_APP).status_code == 200
    assert client.post(reverse("accounts:sign-out")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_password_only_session_is_offered_no_navigation(client, worker):
    """Before the second factor every link but signing out would lead back to it."""
    password_only(client, worker)
    page = client.get(SECOND_FACTOR).content.decode()
    assert reverse("people:search") not in page
    assert "Sign out" in page


def test_the_admin_site_needs_the_second_factor_too(client, make_user):
    admin = make_user(
        Role.SYSTEM_ADMINISTRATOR, username="admin.two", is_staff=True, is_superuser=True
    )
    authenticator_app(admin)
    password_only(client, admin, next="/reference-data/")
    response = client.get("/reference-data/")
    assert response.status_code == 302
    assert response["Location"].startswith(SECOND_FACTOR)


def test_a_single_sign_on_that_did_the_second_factor_counts(client, worker):
    """The contract with single sign-on: any non-empty method in the session key."""
    password_only(client, worker)
    session = client.session
    session[SECOND_FACTOR_SESSION_KEY] = second_factor.Method.IDENTITY_PROVIDER
    session.save()
    assert client.get("/").status_code == 200


# --- enrolment at first sign-in -----------------------------------------------------------


def test_first_sign_in_sets_up_an_authenticator_app_then_shows_recovery_codes_once(client, worker):
    password_only(client, worker)
    choose = client.get(SECOND_FACTOR).content.decode()
    assert "Set up a second factor" in choose
    assert SET_UP_APP in choose and SET_UP_KEY in choose

    page = client.get(f"{SET_UP_APP}?next=/").content.decode()
    assert "<svg" in page  # the QR code, inline
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>|\sstyle=", page)
    device = TOTPDevice.objects.get(user=worker, confirmed=False)
    assert device.config_url.startswith("otpauth://totp/Continuum")

    wrong = client.post(SET_UP_APP, {"code": "000000", "next": "/"})
    assert "Enter the 6-digit code your app shows now" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=worker, confirmed=True).exists()
    assert passed_with(client) is None

    right = client.post(SET_UP_APP, {"code": current_code(device), "next": "/"})
    assert right.status_code == 200
    codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", right.content.decode())
    assert len(codes) == 10
    assert passed_with(client) == "totp"
    assert client.get("/").status_code == 200
    # Shown once: the manage page says how many, never which.
    manage = client.get(reverse("accounts:second-factors")).content.decode()
    assert "10 recovery codes left" in manage
    assert codes[0] not in manage


def test_a_password_alone_cannot_add_a_second_factor_to_an_account_that_has_one(client, worker):
    authenticator_app(worker)
    password_only(client, worker)
    assert client.get(SET_UP_APP)["Location"].startswith(SECOND_FACTOR)
    assert client.get(SET_UP_KEY)["Location"].startswith(SECOND_FACTOR)
    begin = client.post(reverse("otp_webauthn:credential-registration-begin"))
    assert begin.status_code == 403
    assert TOTPDevice.objects.filter(user=worker).count() == 1


# --- signing in with a code ---------------------------------------------------------------


def test_the_right_code_finishes_signing_in_with_a_new_session_key(client, worker):
    device = authenticator_app(worker)
    password_only(client, worker, next="/thresholds/")
    before = client.session.session_key
    response = client.post(f"{SECOND_FACTOR}?next=/thresholds/", {"code": current_code(device)})
    assert response["Location"] == "/thresholds/"
    assert passed_with(client) == "totp"
    assert client.session.session_key != before


def test_a_wrong_code_is_refused_with_a_clear_message(client, worker, caplog):
    authenticator_app(worker)
    password_only(client, worker)
    with caplog.at_level("INFO", logger="continuum.security"):
        response = client.post(SECOND_FACTOR, {"code": "123456"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "Enter a correct code" in page
    assert passed_with(client) is None
    assert any("Wrong second-factor code" in r.getMessage() for r in caplog.records)


def test_a_code_cannot_be_used_twice(client, worker):
    device = authenticator_app(worker)
    code = current_code(device)
    password_only(client, worker)
    client.post(SECOND_FACTOR, {"code": code})
    assert passed_with(client) == "totp"
    client.post(reverse("accounts:sign-out"))
    password_only(client, worker)
    client.post(SECOND_FACTOR, {"code": code})
    assert passed_with(client) is None


def test_a_recovery_code_works_once(client, worker):
    authenticator_app(worker)
    codes = second_factor.new_recovery_codes(worker)
    password_only(client, worker)
    client.post(SECOND_FACTOR, {"code": codes[0].upper()})
    assert passed_with(client) == "recovery-code"
    client.post(reverse("accounts:sign-out"))
    password_only(client, worker)
    client.post(SECOND_FACTOR, {"code": codes[0]})
    assert passed_with(client) is None
    assert second_factor.recovery_codes_left(worker) == 9


def test_sign_in_with_code_reaches_a_persons_record(client, worker, child):
    sign_in_with_code(client, worker)
    assert passed_with(client) == "totp"
    assert client.get("/").status_code == 200


# --- managing your own --------------------------------------------------------------------


def test_your_only_second_factor_cannot_be_removed(client, worker):
    device = authenticator_app(worker)
    client.force_login(worker)
    response = client.post(reverse("accounts:remove-second-factor", args=["app", device.pk]))
    assert response.status_code == 302
    assert (
        "cannot remove your only second factor"
        in client.get(reverse("accounts:second-factors")).content.decode()
    )
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_someone_elses_second_factor_cannot_be_removed(client, worker, manager):
    theirs = authenticator_app(manager)
    client.force_login(worker)
    response = client.post(reverse("accounts:remove-second-factor", args=["app", theirs.pk]))
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(pk=theirs.pk).exists()


def test_new_recovery_codes_replace_the_old(client, worker):
    authenticator_app(worker)
    old = second_factor.new_recovery_codes(worker)
    client.force_login(worker)
    page = client.post(reverse("accounts:recovery-codes")).content.decode()
    new = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", page)
    assert len(new) == 10
    assert second_factor.verify_code(user=worker, code=new[0]) is not None
    assert second_factor.verify_code(user=worker, code=old[0]) is None


# --- security keys: the ceremonies' refusals ----------------------------------------------


def test_a_security_key_is_never_a_sign_in_on_its_own(client):
    response = client.post(reverse("otp_webauthn:credential-authentication-begin"))
    assert response.status_code in (401, 403)
    response = client.post(
        reverse("otp_webauthn:credential-authentication-complete"),
        data="{}",
        content_type="application/json",
    )
    assert response.status_code in (401, 403)
    assert "_auth_user_id" not in client.session


def test_completing_a_key_ceremony_that_was_never_started_is_refused(client, worker):
    password_only(client, worker)
    response = client.post(
        reverse("otp_webauthn:credential-registration-complete"),
        data="{}",
        content_type="application/json",
    )
    assert response.status_code >= 400
    assert passed_with(client) is None
