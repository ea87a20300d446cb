"""Liveness and readiness, for load balancers, orchestrators and the container's health check.

- ``GET /health/live``: 200 ``{"status": "ok"}`` while the process answers requests; it
  touches nothing else (no database), so a database outage never gets web processes
  restarted.
- ``GET /health/ready``: 200 when the database answers a query, the task queue's table (the
  django-tasks database backend, decision 0013) can be read, and the cache answers when it
  is Redis; otherwise 503 naming what is unavailable. Take a process out of the load
  balancer on 503, don't restart it.

Neither needs signing in, and neither says anything about people, users or how the service
is connected: each check answers only "ok" or "unavailable" (what went wrong is logged, for
the operator). :class:`HealthProbeMiddleware` answers both before the host check
(``ALLOWED_HOSTS``: probes address a process by its own IP), the HTTPS redirect (probes
speak plain HTTP inside the network), sessions and sign-in, so a probe never creates a
session or an access-log row, and is never rate-limited. The same views are also in the
URL patterns (``web:live``, ``web:ready``), so the route sweep sees them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_safe

logger = logging.getLogger("continuum.health")

OK = "ok"
UNAVAILABLE = "unavailable"
LIVE_PATH = "/health/live"
READY_PATH = "/health/ready"


def check_database(connection: BaseDatabaseWrapper) -> bool:
    """The database answers a query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any failure means "not ready"; the reason is logged
        logger.warning("Readiness: the database did not answer (%s).", type(error).__name__)
        _discard_if_broken(connection)
        return False
    return True


def check_task_queue(connection: BaseDatabaseWrapper) -> bool:
    """The background tasks' queue can be read: with the django-tasks database backend, its
    table (the worker takes tasks from it, the web processes add them). Another backend is
    not checked here."""
    if not _tasks_in_the_database():
        return True
    from django_tasks_db.models import DBTaskResult

    table = connection.ops.quote_name(DBTaskResult._meta.db_table)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {table} LIMIT 1")  # noqa: S608 - the model's own table
            cursor.fetchall()
    except Exception as error:
        logger.warning("Readiness: the task queue cannot be read (%s).", type(error).__name__)
        _discard_if_broken(connection)
        return False
    return True


def check_cache(cache: BaseCache) -> bool:
    """The shared cache answers, when it is one (Redis): sessions and rate limits live there."""
    key = "continuum:health:ready"
    try:
        cache.set(key, OK, timeout=10)
        return bool(cache.get(key) == OK)
    except Exception as error:
        logger.warning("Readiness: the cache did not answer (%s).", type(error).__name__)
        return False


def cache_is_shared() -> bool:
    return "redis" in str(settings.CACHES["default"]["BACKEND"]).lower()


def readiness(
    connection: BaseDatabaseWrapper | None = None, cache: BaseCache | None = None
) -> dict[str, str]:
    """Each dependency checked: ``{"database": "ok", "task_queue": "unavailable", ...}``."""
    connection = connection or default_connection
    checks: dict[str, Callable[[], bool]] = {
        "database": lambda: check_database(connection),
        "task_queue": lambda: check_task_queue(connection),
    }
    if cache is not None or cache_is_shared():
        checks["cache"] = lambda: check_cache(cache or caches["default"])
    results: dict[str, str] = {}
    for name, check in checks.items():
        if name == "task_queue" and results["database"] != OK and _tasks_in_the_database():
            # The queue is a table in that database: no second wait for the same outage.
            results[name] = UNAVAILABLE
            continue
        results[name] = OK if check() else UNAVAILABLE
    return results


@require_safe
def live(request: HttpRequest) -> HttpResponse:
    return _json({"status": OK}, status=200)


@require_safe
def ready(request: HttpRequest) -> HttpResponse:
    checks = readiness()
    failed = sorted(name for name, result in checks.items() if result != OK)
    body: dict[str, object] = {"status": UNAVAILABLE if failed else OK, "checks": checks}
    if failed:
        body["unavailable"] = failed
    return _json(body, status=503 if failed else 200)


class HealthProbeMiddleware:
    """Answers ``GET``/``HEAD`` ``/health/live`` and ``/health/ready`` before the host check,
    the HTTPS redirect, sessions and sign-in (see the module's docstring). Sits right after
    ``RequestIdMiddleware``, so a probe's log lines carry a request id too."""

    PROBES = {LIVE_PATH: live, READY_PATH: ready}

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = self.PROBES.get(request.path_info)
        if probe is not None and request.method in ("GET", "HEAD"):
            return probe(request)
        return self.get_response(request)


def _json(body: dict[str, object], *, status: int) -> HttpResponse:
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _tasks_in_the_database() -> bool:
    backend = str(settings.TASKS.get("default", {}).get("BACKEND", ""))
    return backend.startswith("django_tasks_db.")


def _discard_if_broken(connection: BaseDatabaseWrapper) -> None:
    """A failed check leaves no half-open connection behind for the next request."""
    try:
        if connection.connection is not None and not connection.is_usable():
            connection.close()
    except Exception:  # noqa: S110 - closing a broken connection may itself fail
        pass
