"""A deployment's settings (issue 16, docs/deploy.md): sessions only where every process
shares them, and gunicorn configured from the environment."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured

from continuum.settings import SESSION_ENGINES, session_engine

GUNICORN_CONF = Path(django_settings.BASE_DIR) / "deploy" / "gunicorn.conf.py"
LOCMEM = "django.core.cache.backends.locmem.LocMemCache"
REDIS = "django.core.cache.backends.redis.RedisCache"


def test_sessions_are_in_the_database_by_default() -> None:
    assert session_engine("database", LOCMEM) == "django.contrib.sessions.backends.db"
    assert django_settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


@pytest.mark.parametrize("choice", ["cache", "cached_db"])
def test_sessions_in_the_cache_need_a_cache_every_process_shares(choice: str) -> None:
    assert session_engine(choice, REDIS) == SESSION_ENGINES[choice]
    with pytest.raises(ImproperlyConfigured, match="every process shares"):
        session_engine(choice, LOCMEM)


def test_an_unknown_session_engine_is_refused() -> None:
    with pytest.raises(ImproperlyConfigured, match="database, cached_db or cache"):
        session_engine("file", REDIS)


def test_gunicorn_reads_its_configuration_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in {
        "GUNICORN_BIND": "127.0.0.1:9000,unix:/run/continuum.sock",
        "GUNICORN_WORKERS": "3",
        "GUNICORN_THREADS": "6",
        "GUNICORN_TIMEOUT": "45",
        "GUNICORN_MAX_REQUESTS": "0",
        "GUNICORN_FORWARDED_ALLOW_IPS": "10.0.0.1",
    }.items():
        monkeypatch.setenv(name, value)
    conf = runpy.run_path(str(GUNICORN_CONF))
    assert conf["bind"] == ["127.0.0.1:9000", "unix:/run/continuum.sock"]
    assert (conf["workers"], conf["threads"], conf["worker_class"]) == (3, 6, "gthread")
    assert (conf["timeout"], conf["max_requests"]) == (45, 0)
    assert conf["forwarded_allow_ips"] == "10.0.0.1"
    assert conf["accesslog"] == "-"
    assert conf["logger_class"] == "continuum.gunicorn_logging.JsonLogger"


def test_gunicorn_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GUNICORN_BIND", "GUNICORN_WORKERS", "GUNICORN_THREADS", "GUNICORN_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    conf = runpy.run_path(str(GUNICORN_CONF))
    assert conf["bind"] == ["0.0.0.0:8000"]
    assert 1 <= conf["workers"] <= 8 and conf["threads"] == 4 and conf["timeout"] == 60
    assert conf["graceful_timeout"] == 30 and conf["max_requests_jitter"] == 200
