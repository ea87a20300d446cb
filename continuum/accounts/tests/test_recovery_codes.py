"""Recovery codes are kept only as salted hashes (OWASP ASVS 5.0 6.5.2; issue 10, found at
integration): the database never holds one in clear, each works once, a wrong one is
refused. Codes kept in clear before (django-otp's static tokens) are hashed by a migration
and still work, once."""

from __future__ import annotations

import importlib
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from continuum.accounts import second_factor
from continuum.testing.second_factor import authenticator_app

pytestmark = pytest.mark.django_db


def everything_stored() -> str:
    """The whole database, as text."""
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue().lower()


def in_clear(code: str, stored: str) -> bool:
    bare = code.replace("-", "").lower()
    return code.lower() in stored or bare in stored


def test_the_database_holds_no_recovery_code_in_clear(worker):
    authenticator_app(worker)
    codes = second_factor.new_recovery_codes(worker)
    assert len(codes) == second_factor.RECOVERY_CODE_COUNT
    assert len(set(codes)) == len(codes)
    stored = everything_stored()
    assert not [code for code in codes if in_clear(code, stored)]
    assert not StaticToken.objects.exists()


def test_a_recovery_code_is_long_enough_to_be_kept_with_a_plain_salted_hash(worker):
    # ASVS 6.5.2: a standard hash is enough for a lookup secret of 112 bits or more.
    code = second_factor.new_recovery_codes(worker)[0]
    bare = code.replace("-", "")
    assert len(bare) * 5 >= 112  # base32: 5 bits a character
    assert set(bare) <= set("abcdefghijklmnopqrstuvwxyz234567")


def test_a_recovery_code_works_once_and_a_wrong_one_is_refused(worker, time_machine):
    time_machine.move_to("2026-03-02 09:00:00+00:00", tick=False)
    authenticator_app(worker)
    codes = second_factor.new_recovery_codes(worker)
    assert second_factor.verify_code(user=worker, code="abcd-efgh-ijkl-mnop-qrst-uvwx") is None
    # django-otp slows the next try after a failure (a second, doubling): wait it out.
    time_machine.shift(60)
    passed = second_factor.verify_code(user=worker, code=codes[3].upper().replace("-", " "))
    assert passed is not None and passed[0] == second_factor.Method.RECOVERY_CODE
    assert second_factor.verify_code(user=worker, code=codes[3]) is None
    assert second_factor.recovery_codes_left(worker) == second_factor.RECOVERY_CODE_COUNT - 1
    # The others still work.
    time_machine.shift(60)
    assert second_factor.verify_code(user=worker, code=codes[4]) is not None


def test_someone_elses_recovery_code_does_not_work(worker, manager):
    theirs = second_factor.new_recovery_codes(manager)
    assert second_factor.verify_code(user=worker, code=theirs[0]) is None


def test_codes_kept_in_clear_before_are_hashed_by_the_migration_and_work_once(worker, time_machine):
    time_machine.move_to("2026-03-02 09:00:00+00:00", tick=False)
    device = StaticDevice.objects.create(
        user=worker, name=second_factor.RECOVERY_CODES, confirmed=True
    )
    StaticToken.objects.bulk_create(
        [StaticToken(device=device, token=t) for t in ("abcdefgh", "ijklmnop")]
    )
    migration = importlib.import_module(
        "continuum.accounts.migrations.0008_recovery_codes_kept_hashed"
    )
    migration.hash_codes_kept_in_clear(apps, None)

    assert not StaticToken.objects.exists() and not StaticDevice.objects.exists()
    assert "abcdefgh" not in everything_stored()
    assert second_factor.recovery_codes_left(worker) == 2
    assert second_factor.verify_code(user=worker, code="ABCD-EFGH") is not None
    assert second_factor.verify_code(user=worker, code="abcdefgh") is None
    time_machine.shift(60)
    assert second_factor.verify_code(user=worker, code="zzzzzzzz") is None
    time_machine.shift(60)
    assert second_factor.verify_code(user=worker, code="ijklmnop") is not None


def test_an_authenticator_app_code_is_never_checked_against_the_recovery_codes(
    worker, time_machine
):
    time_machine.move_to("2026-03-02 09:00:00+00:00", tick=False)
    codes = second_factor.new_recovery_codes(worker)
    assert second_factor.verify_code(user=worker, code="123456") is None
    # A wrong app code did not slow the recovery codes down: one works at once.
    assert second_factor.verify_code(user=worker, code=codes[0]) is not None
