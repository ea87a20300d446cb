"""gunicorn's configuration for Continuum, every value from an environment variable.

    gunicorn -c deploy/gunicorn.conf.py continuum.wsgi

docs/deploy.md lists the variables. Threads (the gthread worker) answer requests that wait
on the database while other threads work; several worker processes use the cores. Each
thread keeps at most one database connection, so PostgreSQL must allow
workers x threads connections per web process (plus the task workers).
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000").split(",")
# Processes: by default two per core plus one, at most 8 (each holds the whole app).
workers = _int("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 8))
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 4)
# A request still running after this many seconds has its worker restarted (the report's
# PDF is built by the task worker, not in a request).
timeout = _int("GUNICORN_TIMEOUT", 60)
# On a restart or deploy (SIGTERM), requests in flight get this long to finish.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Each worker is replaced after about this many requests (jitter: not all at once), so a
# slow leak never grows; 0 turns it off.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
# Addresses of the proxies whose X-Forwarded-* headers gunicorn believes (comma-separated,
# or * behind a private load balancer). The application's own TRUSTED_PROXIES decides which
# client address it uses (continuum.ui.client_address).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# Load the application before forking: a broken deployment fails at once, and the workers
# share the loaded code's memory.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") not in ("0", "false", "no")
# Logs: gunicorn's and the application's, JSON lines on standard output, each with the
# request id (continuum/gunicorn_logging.py, continuum/logs.py).
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG", "1") not in ("0", "false", "no") else None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
logger_class = "continuum.gunicorn_logging.JsonLogger"
# Where workers' heartbeat files go; in a container, a memory-backed folder (/dev/shm).
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR") or None
proc_name = "continuum"


def when_ready(server: object) -> None:
    """With the application preloaded, import every view once, before the processes start,
    so they share that memory and no one's first request waits for the imports."""
    if preload_app:
        from django.urls import get_resolver

        get_resolver().url_patterns  # noqa: B018 - imports the URL patterns' modules
