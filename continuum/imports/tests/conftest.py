"""A small kind of file for testing the imports machinery itself: lines of ``name,number``,
refused whole if any line is not; importing counts the lines (and writes nothing)."""

from __future__ import annotations

from typing import Any

import pytest

from continuum.imports.models import ImportRun
from continuum.imports.registry import Counts, FileRefused, Importer, Problem, Progress, register

TEST_KIND = "test-lines"


def _check(data: bytes, run: ImportRun) -> list[tuple[str, int]]:
    rows: list[tuple[str, int]] = []
    problems: list[Problem] = []
    for number, line in enumerate(data.decode().splitlines(), start=1):
        name, _, value = line.partition(",")
        if not value.strip().isdigit():
            problems.append(Problem(f"row {number}, column number", "Give a whole number.", name))
        else:
            rows.append((name, int(value)))
    if problems:
        raise FileRefused(problems)
    return rows


def _apply(rows: list[tuple[str, int]], run: ImportRun, progress: Progress) -> Counts:
    for done, _ in enumerate(rows, start=1):
        progress(done, len(rows))
    return Counts(created=len(rows))


TEST_IMPORTER = Importer(
    kind=TEST_KIND,
    label="Test lines",
    extensions=(".csv",),
    max_bytes=1000,
    action="imports.test_lines",
    check=_check,
    apply=_apply,
)


@pytest.fixture(autouse=True)
def test_importer() -> Any:
    register(TEST_IMPORTER)
    return TEST_IMPORTER
