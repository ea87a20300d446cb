"""The synthetic census return: the same for the same seed, made-up children the census
import reads, and nothing the DfE's rules find."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from continuum.demo.census_file import census_file
from continuum.statutory.census.validation import validate_census


def test_the_same_seed_gives_the_same_file() -> None:
    one = census_file(la_code="808", year=2026, children=30, seed=4)
    assert one == census_file(la_code="808", year=2026, children=30, seed=4)
    assert one != census_file(la_code="808", year=2026, children=30, seed=5)
    assert one.count(b"<Child>") == 30


def test_the_dfe_rules_find_nothing_in_it() -> None:
    report = validate_census(census_file(la_code="805", year=2025, children=300, seed=2))
    assert report.failures == ()


@pytest.mark.django_db
def test_the_command_writes_it(tmp_path: Path) -> None:
    path = tmp_path / "cin.xml"
    call_command("census_file", "--council=808", "--year=2026", "--children=5", f"--output={path}")
    assert path.read_bytes() == census_file(la_code="808", year=2026, children=5, seed=1)
