"""The one time parser: what practitioners type for a time, and what it refuses."""

from __future__ import annotations

from datetime import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from continuum.ui.times import parse_time


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("14:30", time(14, 30)),
        ("14.30", time(14, 30)),
        ("1430", time(14, 30)),
        ("9", time(9, 0)),
        ("09:05", time(9, 5)),
        (" 21:30 ", time(21, 30)),
        ("0", time(0, 0)),
        ("23:59", time(23, 59)),
    ],
)
def test_times_as_people_type_them(typed: str, expected: time) -> None:
    assert parse_time(typed) == expected


@pytest.mark.parametrize(
    "typed", ["", "24:00", "25:61", "12:60", "half past two", "12:3", "12:345", "-1", "1:2:3"]
)
def test_anything_not_a_time_on_the_24_hour_clock_is_none(typed: str) -> None:
    assert parse_time(typed) is None


@pytest.mark.parametrize(
    "way", ["{hour:02d}:{minute:02d}", "{hour}.{minute:02d}", "{hour:02d}{minute:02d}"]
)
@given(st.integers(0, 23), st.integers(0, 59))
def test_every_time_of_day_reads_back_in_each_way_it_can_be_typed(
    way: str, hour: int, minute: int
) -> None:
    typed = way.format(hour=hour, minute=minute)
    assert parse_time(typed) == time(hour, minute)
