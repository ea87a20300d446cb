"""The one way Continuum writes dates and times for people, in GOV.UK style: "5 December
2026", "9:30am", "5 December 2026 at 9:30am", "December 2026"; the short form ("5 Dec
2026") only where a table is deliberately dense. Templates use the filters of the same
names (``ui/templatetags/govuk_dates.py``, built in to every template); Python code calls
these functions. ``ui/tests/test_dates.py`` fails if a template or module writes a date
another way.

Machine-readable forms (``|date:'c'`` in a ``<time datetime>``, ``%Y-%m-%d`` in a query
or a file) are not for people and are left alone.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone

SHORT = "short"
WEEKDAY = "weekday"
SECONDS = "seconds"


def _local(value: datetime) -> datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def govuk_date(value: date | datetime | None, style: str = "") -> str:
    """ "5 December 2026"; ``style="short"``: "5 Dec 2026"; ``style="weekday"``:
    "Saturday 5 December 2026". A date and time gives its (local) day."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = _local(value)
    text = f"{value.day} {value:%b %Y}" if style == SHORT else f"{value.day} {value:%B %Y}"
    if style == WEEKDAY:
        text = f"{value:%A} {text}"
    return text


def govuk_time(value: time | datetime | None, style: str = "") -> str:
    """ "9:30am", "10am", "5:05pm", "midday", "midnight"; ``style="seconds"``: "9:30:15am"
    (for the access log, where the second matters)."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = _local(value).timetz()
    seconds = style == SECONDS and value.second
    if value.minute == 0 and not seconds:
        if value.hour == 0:
            return "midnight"
        if value.hour == 12:
            return "midday"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    text = f"{hour}" if value.minute == 0 and not seconds else f"{hour}:{value.minute:02d}"
    if style == SECONDS:
        text = f"{hour}:{value.minute:02d}:{value.second:02d}"
    return f"{text}{suffix}"


def govuk_datetime(value: datetime | None, style: str = "") -> str:
    """ "5 December 2026 at 9:30am"; ``style`` as ``govuk_date`` (and "seconds" as
    ``govuk_time``)."""
    if value is None or value == "":
        return ""
    local = _local(value)
    date_style = style if style in (SHORT, WEEKDAY) else ""
    time_style = style if style == SECONDS else ""
    return f"{govuk_date(local, date_style)} at {govuk_time(local, time_style)}"


def govuk_month(value: date | datetime | None, style: str = "") -> str:
    """ "December 2026"; ``style="name"``: "December" (the year said once, as in
    "October to December 2026"); ``style="short"``: "Dec 2026" (a chart's axis)."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = _local(value)
    if style == "name":
        return f"{value:%B}"
    return f"{value:%b %Y}" if style == SHORT else f"{value:%B %Y}"
