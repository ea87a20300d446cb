"""Log lines: one JSON object per line on standard output (``LOG_FORMAT=json``, production)
or readable text (``LOG_FORMAT=text``, the demo), each carrying the id of the request it was
written during.

``RequestIdMiddleware`` (continuum/audit/middleware.py) gives every request an id and puts
it in :data:`request_id` for as long as the request runs; :class:`RequestIdFilter`, on the
handler, copies it onto every record the handler writes, whichever logger wrote it (the
security log, Django's own, a library's). Outside a request (a management command, the
task worker) the id is empty.

Built on python-json-logger, not hand-rolled: its formatter escapes messages and
exception text correctly, whatever they contain.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from typing import Any

# The id of the request being answered on this thread (or task), or None outside one.
request_id: ContextVar[str | None] = ContextVar("continuum_request_id", default=None)

LOG_FORMATS = ("json", "text")
# Fields of each JSON line, in order (renamed below); ``exception`` appears when there is one.
JSON_FIELDS = ["levelname", "name", "message", "request_id"]
JSON_RENAMED = {"levelname": "level", "name": "logger", "exc_info": "exception"}
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record (``missing`` when written outside a request)."""

    def __init__(self, missing: str | None = None) -> None:
        super().__init__()
        self.missing = missing

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get() or self.missing
        return True


def logging_config(*, log_format: str, level: str) -> dict[str, Any]:
    """Django's ``LOGGING``: everything to standard output through one handler, in
    ``log_format``; the security log (sign-in failures, lockouts, break-glass reviews)
    always at INFO."""
    if log_format not in LOG_FORMATS:
        raise ValueError(f"LOG_FORMAT must be json or text, not {log_format!r}.")
    formatters: dict[str, dict[str, Any]] = {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": JSON_FIELDS,
            "rename_fields": JSON_RENAMED,
            "timestamp": "time",
        },
        "text": {"format": TEXT_FORMAT},
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {
                "()": "continuum.logs.RequestIdFilter",
                "missing": None if log_format == "json" else "-",
            }
        },
        "formatters": {log_format: formatters[log_format]},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": log_format,
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {"continuum.security": {"level": "INFO"}},
    }
