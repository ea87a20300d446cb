"""``manage.py check --deploy``: clean with production settings; refuses the built-in
SECRET_KEY when neither DEBUG nor demo mode is on."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from continuum.web.checks import cache_is_shared, secret_key_is_set

ROOT = Path(__file__).resolve().parents[3]
INSECURE = django_settings.INSECURE_SECRET_KEY


@override_settings(SECRET_KEY=INSECURE, DEBUG=False, CONTINUUM_DEMO=False)
def test_the_built_in_secret_key_is_an_error_in_production():
    errors = secret_key_is_set(None)
    assert [e.id for e in errors] == ["continuum.E001"]
    assert "SECRET_KEY" in errors[0].msg


@pytest.mark.parametrize(
    "overrides",
    [
        {"SECRET_KEY": INSECURE, "DEBUG": True, "CONTINUUM_DEMO": False},
        {"SECRET_KEY": INSECURE, "DEBUG": False, "CONTINUUM_DEMO": True},
        {"SECRET_KEY": "x" * 64, "DEBUG": False, "CONTINUUM_DEMO": False},
    ],
)
def test_the_built_in_key_is_allowed_in_debug_and_demo_and_a_real_key_always(overrides):
    with override_settings(**overrides):
        assert secret_key_is_set(None) == []


@override_settings(SECRET_KEY=INSECURE, DEBUG=False, CONTINUUM_DEMO=False)
def test_only_check_deploy_runs_it():
    call_command("check", verbosity=0)  # the tests themselves run like this
    with pytest.raises(SystemCheckError, match="continuum.E001"):
        call_command("check", deploy=True, verbosity=0)


def test_check_deploy_passes_without_warnings_in_a_production_like_environment():
    env = {
        **os.environ,
        "DEBUG": "0",
        "CONTINUUM_DEMO": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "SECURE_SSL_REDIRECT": "1",
        "CACHE_URL": "redis://127.0.0.1:6379/0",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


LOCAL_MEMORY = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/0",
    }
}


@override_settings(CACHES=LOCAL_MEMORY, DEBUG=False, CONTINUUM_DEMO=False)
def test_a_cache_each_process_keeps_to_itself_is_a_warning_in_production():
    """The API's rate limits count in the cache: per process, they would not hold."""
    assert [w.id for w in cache_is_shared(None)] == ["continuum.W011"]


@pytest.mark.parametrize(
    "overrides",
    [
        {"CACHES": LOCAL_MEMORY, "DEBUG": False, "CONTINUUM_DEMO": True},
        {"CACHES": REDIS, "DEBUG": False, "CONTINUUM_DEMO": False},
    ],
)
def test_local_memory_is_fine_in_the_demo_and_redis_always(overrides):
    with override_settings(**overrides):
        assert cache_is_shared(None) == []
