"""Dates and times are written one way, GOV.UK's ("5 December 2026", "9:30am"), by
``continuum.ui.dates`` and its template filters; no template or module writes them
another way ("05 December 2026", "14:30", "Dec 5")."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from django.template import Context, Template

from continuum.ui.dates import govuk_date, govuk_datetime, govuk_month, govuk_time

CONTINUUM = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("value", "style", "expected"),
    [
        (date(2026, 12, 5), "", "5 December 2026"),
        (date(2026, 12, 25), "", "25 December 2026"),
        (date(2026, 12, 5), "short", "5 Dec 2026"),
        (date(2026, 12, 5), "weekday", "Saturday 5 December 2026"),
        (None, "", ""),
    ],
)
def test_a_date_is_written_without_a_leading_zero(
    value: date | None, style: str, expected: str
) -> None:
    assert govuk_date(value, style) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (time(9, 30), "9:30am"),
        (time(9, 5), "9:05am"),
        (time(10, 0), "10am"),
        (time(17, 45), "5:45pm"),
        (time(12, 0), "midday"),
        (time(0, 0), "midnight"),
        (time(12, 30), "12:30pm"),
        (time(0, 15), "12:15am"),
    ],
)
def test_a_time_is_on_the_12_hour_clock_in_lower_case(value: time, expected: str) -> None:
    assert govuk_time(value) == expected


def test_the_access_log_keeps_its_seconds() -> None:
    assert govuk_time(time(9, 30, 15), "seconds") == "9:30:15am"


def test_a_date_and_time_is_local_and_joined_by_at() -> None:
    # 14:30 UTC in June is 3:30pm in London (British Summer Time).
    assert govuk_datetime(datetime(2026, 6, 5, 14, 30, tzinfo=UTC)) == "5 June 2026 at 3:30pm"
    assert govuk_datetime(datetime(2026, 12, 5, 9, 0, tzinfo=UTC)) == "5 December 2026 at 9am"


def test_months() -> None:
    assert govuk_month(date(2026, 12, 1)) == "December 2026"
    assert govuk_month(date(2026, 12, 1), "short") == "Dec 2026"
    assert govuk_month(date(2026, 12, 1), "name") == "December"


def test_the_filters_are_built_in_to_every_template() -> None:
    rendered = Template(
        "{{ day|govuk_date }}; {{ day|govuk_date:'short' }}; {{ at|govuk_datetime }}; "
        "{{ at|govuk_time }}; {{ day|govuk_month }}; {{ missing|govuk_date|default:'Not known' }}"
    ).render(Context({"day": date(2026, 12, 5), "at": datetime(2026, 12, 5, 9, 30, tzinfo=UTC)}))
    assert rendered == (
        "5 December 2026; 5 Dec 2026; 5 December 2026 at 9:30am; 9:30am; December 2026; Not known"
    )


# Django's own date and time filters are allowed only for machine-readable values (the
# datetime attribute of <time>, a form's value).
TEMPLATE_FORMAT = re.compile(r"\|\s*(date|time)\b(?::\s*(\"[^\"]*\"|'[^']*'))?")
MACHINE_FORMATS = {"'c'", '"c"', "'Y-m-d'", '"Y-m-d"', "'Y-m'", '"Y-m"'}


def _templates() -> list[Path]:
    return sorted(p for p in CONTINUUM.rglob("*.html") if "node_modules" not in p.parts)


def test_no_template_writes_a_date_another_way() -> None:
    found = []
    for path in _templates():
        for number, line in enumerate(path.read_text().splitlines(), 1):
            for match in TEMPLATE_FORMAT.finditer(line):
                if match.group(2) not in MACHINE_FORMATS:
                    found.append(f"{path.relative_to(CONTINUUM)}:{number}: {match.group(0)}")
    assert not found, (
        "Write dates with the GOV.UK filters (|govuk_date, |govuk_datetime, |govuk_time, "
        "|govuk_month; continuum/ui/dates.py), not Django's |date or |time:\n" + "\n".join(found)
    )


# In Python, a date formatted for people names its month or weekday (%B, %b, %A, %a) or
# writes a 12-hour time (%I, %p); each of those belongs in continuum/ui/dates.py.
PYTHON_FORMAT = re.compile(r"%-?[BbAaIp]")
PYTHON_ALLOWED = {Path("ui/dates.py")}


def test_no_module_writes_a_date_for_people_another_way() -> None:
    found = []
    for path in sorted(CONTINUUM.rglob("*.py")):
        relative = path.relative_to(CONTINUUM)
        if relative in PYTHON_ALLOWED or {"tests", "migrations"} & set(relative.parts):
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            code = line.split("#", 1)[0]
            if "%" in code and PYTHON_FORMAT.search(_formats_in(code)):
                found.append(f"{relative}:{number}: {line.strip()}")
    assert not found, (
        "Write dates for people with continuum.ui.dates (govuk_date, govuk_datetime, "
        "govuk_time, govuk_month), not strftime or an f-string format:\n" + "\n".join(found)
    )


def _formats_in(code: str) -> str:
    """The parts of a line that are date formats: after a colon in an f-string's braces,
    or a strftime's argument."""
    parts = re.findall(r"\{[^{}]*?:(%[^{}]*)\}", code)
    parts += re.findall(r"strftime\(\s*[\"']([^\"']*)[\"']", code)
    return " ".join(parts)
