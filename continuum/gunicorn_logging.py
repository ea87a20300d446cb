"""gunicorn's own log lines (its access log and its error log) as JSON lines on standard
output, in the same shape as the application's (continuum/logs.py): ``time``, ``level``,
``logger``, ``message``, ``request_id``; an access line adds the request's method, path,
status, size, duration, address and browser.

The path is logged without its query string: a search's query string may hold a person's
name. The request id is the one the application returned (its ``X-Request-ID`` header), so
an access line and the application's lines about the same request share it.
Used by deploy/gunicorn.conf.py (``logger_class``).
"""

from __future__ import annotations

import datetime
import logging
import sys
from typing import Any

from gunicorn.glogging import Logger
from pythonjsonlogger.json import JsonFormatter

from continuum.logs import JSON_FIELDS, JSON_RENAMED, RequestIdFilter


def json_formatter() -> logging.Formatter:
    return JsonFormatter(JSON_FIELDS, rename_fields=JSON_RENAMED, timestamp="time")


def access_fields(
    resp: Any, environ: dict[str, Any], request_time: datetime.timedelta
) -> dict[str, Any]:
    """What one access line says about a request (never its query string or cookies)."""
    headers = resp.headers.items() if hasattr(resp.headers, "items") else resp.headers
    response_headers = {str(name).lower(): value for name, value in headers}
    status = resp.status
    if isinstance(status, str):
        status = status.split(None, 1)[0]
    return {
        "request_id": response_headers.get("x-request-id"),
        "method": environ.get("REQUEST_METHOD"),
        "path": environ.get("PATH_INFO"),
        "status": int(status),
        "bytes": getattr(resp, "sent", None),
        "duration_ms": round(request_time.total_seconds() * 1000, 1),
        "remote_addr": environ.get("REMOTE_ADDR"),
        "user_agent": environ.get("HTTP_USER_AGENT"),
    }


class JsonLogger(Logger):
    """gunicorn's logger, writing JSON lines to standard output."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        formatter = json_formatter()
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                if isinstance(handler, logging.StreamHandler) and handler.stream is sys.stderr:
                    handler.setStream(sys.stdout)
                handler.setFormatter(formatter)
                if log is self.error_log:
                    handler.addFilter(RequestIdFilter())

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        if not self.access_log_enabled:
            return
        try:
            fields = access_fields(resp, environ, request_time)
            message = f"{fields['method']} {fields['path']} {fields['status']}"
            self.access_log.info(message, extra=fields)
        except Exception:
            self.error_log.exception("Could not write an access log line.")
