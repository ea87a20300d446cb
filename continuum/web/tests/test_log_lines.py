"""Log lines (issue 16): one JSON object per line with time, level, logger, message and the
request id, on every line written while a request is answered (the security log
included), and exception text; gunicorn's access lines in the same shape."""

from __future__ import annotations

import datetime
import io
import json
import logging
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from gunicorn.config import Config

from continuum import logs
from continuum.gunicorn_logging import JsonLogger
from continuum.logs import RequestIdFilter, logging_config


def _handler(log_format: str, stream: io.StringIO) -> logging.Handler:
    """The handler settings.LOGGING builds, writing to ``stream`` instead of stdout."""
    config = logging_config(log_format=log_format, level="INFO")
    handler = logging.StreamHandler(stream)
    formatter_config = dict(config["formatters"][log_format])
    if log_format == "json":
        from pythonjsonlogger.json import JsonFormatter

        formatter_config.pop("()")
        handler.setFormatter(JsonFormatter(**formatter_config))
    else:
        handler.setFormatter(logging.Formatter(formatter_config["format"]))
    handler.addFilter(RequestIdFilter(config["filters"]["request_id"]["missing"]))
    return handler


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = _handler("json", stream)
    root = logging.getLogger()
    root.addHandler(handler)
    level = root.level
    root.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def _lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_settings_send_every_line_through_the_request_id_filter() -> None:
    console = django_settings.LOGGING["handlers"]["console"]
    assert console["filters"] == ["request_id"]
    assert console["stream"] == "ext://sys.stdout"
    assert django_settings.LOGGING["root"]["handlers"] == ["console"]


@pytest.mark.django_db
def test_a_security_log_line_during_a_request_carries_its_request_id(
    json_lines: io.StringIO,
) -> None:
    response = Client().post(
        reverse("accounts:sign-in"), {"username": "nobody", "password": "wrong-password"}
    )
    assert response.status_code == 200
    security = [line for line in _lines(json_lines) if line["logger"] == "continuum.security"]
    assert security, "a failed sign-in is logged to the security log"
    for line in security:
        assert line["request_id"] == response["X-Request-ID"]
        assert {"time", "level", "logger", "message", "request_id"} <= set(line)
        assert "wrong-password" not in json.dumps(line)
    # The id belongs to that request only.
    assert logs.request_id.get() is None


def test_outside_a_request_the_id_is_empty_and_exceptions_are_kept(
    json_lines: io.StringIO,
) -> None:
    try:
        raise ZeroDivisionError("the figures' denominator")
    except ZeroDivisionError:
        logging.getLogger("continuum.tests").exception("Could not draw a chart.")
    (line,) = _lines(json_lines)
    assert line["request_id"] is None
    assert line["level"] == "ERROR"
    assert line["message"] == "Could not draw a chart."
    assert "ZeroDivisionError: the figures' denominator" in line["exception"]
    datetime.datetime.fromisoformat(line["time"])


def test_a_line_with_quotes_and_new_lines_is_still_one_json_object(
    json_lines: io.StringIO,
) -> None:
    token = logs.request_id.set("r-1")
    try:
        logging.getLogger("continuum.tests").warning('a "quoted"\nmessage')
    finally:
        logs.request_id.reset(token)
    (line,) = _lines(json_lines)
    assert line["message"] == 'a "quoted"\nmessage' and line["request_id"] == "r-1"


def test_text_lines_for_the_demo_say_the_request_id_too() -> None:
    stream = io.StringIO()
    handler = _handler("text", stream)
    record = logging.LogRecord("continuum.x", logging.INFO, __file__, 1, "hello", None, None)
    token = logs.request_id.set("abc")
    try:
        handler.handle(record)
    finally:
        logs.request_id.reset(token)
    handler.handle(record)
    first, second = stream.getvalue().splitlines()
    assert "[abc] hello" in first and "[-] hello" in second


def test_an_unknown_log_format_is_refused() -> None:
    with pytest.raises(ValueError, match="json or text"):
        logging_config(log_format="xml", level="INFO")


def test_gunicorn_access_lines_are_json_with_the_request_id_and_no_query_string() -> None:
    cfg = Config()
    cfg.set("accesslog", "-")
    logger = JsonLogger(cfg)
    stream = io.StringIO()
    for handler in logger.access_log.handlers:
        handler.setStream(stream)
    response = SimpleNamespace(status="200 OK", headers=[("X-Request-ID", "rid-42")], sent=1234)
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/people/search",
        "QUERY_STRING": "q=Smith",
        "RAW_URI": "/people/search?q=Smith",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.9",
        "HTTP_USER_AGENT": "probe",
    }
    logger.access(response, None, environ, datetime.timedelta(milliseconds=12.5))
    (line,) = _lines(stream)
    assert line["request_id"] == "rid-42"
    assert line["logger"] == "gunicorn.access" and line["level"] == "INFO"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/people/search", 200)
    assert line["duration_ms"] == 12.5 and line["bytes"] == 1234
    assert "Smith" not in stream.getvalue()
