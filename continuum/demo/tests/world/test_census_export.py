"""The demo data's CIN census returns pass the DfE's validation rules: for every council
and every census year the data covers, the export has no errors (queries are allowed and
listed when the test fails)."""

from __future__ import annotations

from collections import Counter

import pytest

from continuum.demo.generator import World
from continuum.organisations.models import Council
from continuum.statutory.census.export import census_years
from continuum.statutory.census.validation import validate_census
from continuum.statutory.census.writing import CensusReturn

pytestmark = pytest.mark.django_db


def test_every_census_return_of_the_demo_data_passes_the_dfe_rules(demo_world: World) -> None:
    failures = []
    returns = 0
    for council in Council.objects.order_by("dfe_la_code"):
        for year in census_years(council):
            census = CensusReturn(council, year)
            if not census.child_count:
                continue
            returns += 1
            report = validate_census(census.to_bytes(), year=year)
            assert not report.rules_not_run, (council.name, year, report.rules_not_run)
            if report.errors:
                by_rule = Counter(f"{f.code} {f.message}" for f in report.errors)
                failures.append(f"{council.name} {year}: {dict(by_rule)}")
    assert returns >= 8
    assert not failures, "\n".join(failures)
