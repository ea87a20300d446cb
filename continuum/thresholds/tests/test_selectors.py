"""Reading the framework: grouping, and a council's overlay on the shared version."""

from __future__ import annotations

import pytest

from continuum.organisations.models import Council
from continuum.thresholds import selectors
from continuum.thresholds.models import FrameworkVersion, Level
from continuum.thresholds.selectors import Status

pytestmark = pytest.mark.django_db


def test_the_current_version_is_version_1(version: FrameworkVersion) -> None:
    assert version.number == 1
    assert version.is_current


def test_indicators_are_grouped_by_domain_then_level(version: FrameworkVersion) -> None:
    groups = selectors.indicators_by_domain(version=version)
    assert [g.domain.name for g in groups] == [
        "The child's developmental needs",
        "Parenting capacity",
        "Family and environmental factors",
    ]
    for group in groups:
        assert [lg.level for lg in group.by_level] == Level.values
        assert all(i.domain == group.domain for i in group.indicators)


def test_filtering_by_level_keeps_every_domain(version: FrameworkVersion) -> None:
    groups = selectors.indicators_by_domain(version=version, level=4)
    assert len(groups) == 3
    assert all(i.level == 4 for g in groups for i in g.indicators)
    assert all(g.indicators for g in groups)


def test_a_council_without_a_variation_uses_the_shared_framework(
    stockton: Council, version: FrameworkVersion
) -> None:
    framework = selectors.effective_framework(council=stockton)
    assert framework.variation is None
    assert {i.status for i in framework.indicators} == {Status.SHARED}
    assert len(framework.indicators) == selectors.indicators_of(version=version).count()
    assert selectors.differences(council=stockton) == []


def test_a_changed_indicator_shows_local_and_shared_values(hartlepool_variation: Council) -> None:
    framework = selectors.effective_framework(council=hartlepool_variation)
    changed = framework.find("DEV-2-01")
    assert changed is not None
    assert changed.status == Status.CHANGED
    assert changed.status_label == "Changed locally"
    assert changed.level == 3 and changed.shared is not None and changed.shared.level == 2
    assert changed.title.endswith("for two terms running")
    assert changed.shared.title == "Attendance between 90% and 95%"
    assert changed.guidance == changed.shared.guidance  # not changed, so the shared one
    assert changed.changed_fields == ["title", "level"]
    assert "persistent locally" in changed.reason


def test_added_and_removed_indicators_are_marked(hartlepool_variation: Council) -> None:
    framework = selectors.effective_framework(council=hartlepool_variation)
    added = framework.find("HPL-FAM-2-01")
    removed = framework.find("FAM-1-03")
    assert added is not None and added.status == Status.ADDED and added.shared is None
    assert added.domain.code == "family-environment"
    assert removed is not None and removed.status == Status.REMOVED and not removed.in_use
    assert removed.status_label == "Not used locally"
    assert removed not in framework.in_use


def test_differences_list_only_the_differences(hartlepool_variation: Council) -> None:
    found = selectors.differences(council=hartlepool_variation)
    assert sorted((i.code, i.status) for i in found) == [
        ("DEV-2-01", Status.CHANGED),
        ("FAM-1-03", Status.REMOVED),
        ("HPL-FAM-2-01", Status.ADDED),
    ]


def test_one_councils_variation_does_not_touch_another(
    hartlepool_variation: Council, stockton: Council
) -> None:
    assert selectors.differences(council=stockton) == []
    shared = selectors.effective_framework(council=None)
    assert shared.find("DEV-2-01").level == 2  # type: ignore[union-attr]
    assert shared.find("HPL-FAM-2-01") is None


def test_the_effective_framework_groups_by_domain_in_order(hartlepool_variation: Council) -> None:
    groups = selectors.effective_framework(council=hartlepool_variation).by_domain(level=2)
    family = groups[2]
    assert family.domain.code == "family-environment"
    assert "HPL-FAM-2-01" in [i.code for i in family.indicators]
    assert all(i.level == 2 for g in groups for i in g.indicators)


def test_selecting_codes_resolves_local_levels_and_reports_unknown_ones(
    hartlepool_variation: Council,
) -> None:
    framework = selectors.effective_framework(council=hartlepool_variation)
    selection = selectors.select_indicators(
        codes=["dev-2-01", "HPL-FAM-2-01", "FAM-1-03", "NOPE-1"], framework=framework
    )
    assert [(f.code, f.level) for f in selection.facts] == [("DEV-2-01", 3), ("HPL-FAM-2-01", 2)]
    # Not used in Hartlepool, and never existed: both unknown here.
    assert selection.unknown == ["FAM-1-03", "NOPE-1"]


def test_councils_are_listed_with_their_difference_counts(
    hartlepool_variation: Council, stockton: Council, version: FrameworkVersion
) -> None:
    counts = {
        row.council.name: row.difference_count
        for row in selectors.councils_with_difference_counts(version=version)
    }
    assert counts["Hartlepool"] == 3
    assert counts["Stockton-on-Tees"] == 0


def test_no_current_version_is_reported(version: FrameworkVersion, stockton: Council) -> None:
    FrameworkVersion.objects.update(is_current=False)
    with pytest.raises(selectors.NoFrameworkPublished):
        selectors.effective_framework(council=stockton)
