"""Liveness and readiness (issue 16): no sign-in, nothing about people, nothing about how the
service is connected; readiness answers 503 naming what is unavailable.

Nothing is mocked: an unavailable database is a real connection to a port nobody listens
on (or, on SQLite, a file in a folder that does not exist); an unavailable cache is a real
Redis client pointed at such a port.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import ConnectionHandler
from django.test import Client
from django.urls import reverse

from continuum.audit.models import AccessLogEntry
from continuum.web import health


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def unreachable_database(tmp_path: Path) -> Iterator[BaseDatabaseWrapper]:
    """A real connection, configured like the test database's, that cannot connect."""
    conf: dict[str, Any] = {
        key: value for key, value in django_settings.DATABASES["default"].items() if key != "TEST"
    }
    if conf["ENGINE"].endswith("sqlite3"):
        conf["NAME"] = str(tmp_path / "no-such-folder" / "continuum.sqlite3")
    else:
        conf.update(HOST="127.0.0.1", PORT=str(_free_port()), PASSWORD="not-this-one")
        conf["OPTIONS"] = {**conf.get("OPTIONS", {}), "connect_timeout": 3}
    connection = ConnectionHandler({"default": conf})["default"]
    yield connection
    connection.close()


def test_live_answers_without_a_database_or_signing_in() -> None:
    """No ``db`` fixture: pytest-django refuses any database access in this test."""
    response = Client().get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert "sessionid" not in response.cookies
    assert response["X-Request-ID"]


def test_probes_answer_any_host_name_and_plain_http(settings: Any) -> None:
    """Orchestrators address a process by its own IP, over plain HTTP inside the network."""
    settings.ALLOWED_HOSTS = ["continuum.example.gov.uk"]
    settings.SECURE_SSL_REDIRECT = True
    response = Client(HTTP_HOST="10.1.2.3:8000").get("/health/live")
    assert response.status_code == 200
    # Everything else still checks the host name.
    assert Client(HTTP_HOST="10.1.2.3:8000").get("/accounts/sign-in").status_code == 400


@pytest.mark.django_db
def test_ready_answers_ok_when_the_database_and_the_task_queue_answer() -> None:
    client = Client()
    response = client.get(reverse("web:ready"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "task_queue": "ok"}}
    assert client.head("/health/ready").status_code == 200
    assert "sessionid" not in response.cookies
    assert Session.objects.count() == 0
    assert AccessLogEntry.objects.count() == 0


@pytest.mark.django_db
def test_a_database_that_does_not_answer_is_named_and_nothing_leaks(
    unreachable_database: BaseDatabaseWrapper,
) -> None:
    assert health.check_database(unreachable_database) is False
    checks = health.readiness(connection=unreachable_database)
    assert checks == {"database": "unavailable", "task_queue": "unavailable"}
    # The real connection still answers: the failed check left nothing broken behind.
    assert health.readiness() == {"database": "ok", "task_queue": "ok"}


@pytest.mark.django_db
def test_ready_answers_503_naming_an_unreachable_cache_without_its_address(settings: Any) -> None:
    port = _free_port()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://:secret-password@127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 2},
        }
    }
    response = Client().get("/health/ready")
    assert response.status_code == 503
    body = response.json()
    assert body == {
        "status": "unavailable",
        "checks": {"database": "ok", "task_queue": "ok", "cache": "unavailable"},
        "unavailable": ["cache"],
    }
    text = json.dumps(body)
    assert str(port) not in text and "secret" not in text and "redis" not in text


def test_other_methods_are_refused() -> None:
    client = Client()
    assert client.post("/health/live").status_code == 405
    assert client.delete("/health/ready").status_code == 405


@pytest.mark.django_db
def test_the_probes_are_not_rate_limited() -> None:
    client = Client()
    statuses = {client.get("/health/ready").status_code for _ in range(50)}
    assert statuses == {200}
