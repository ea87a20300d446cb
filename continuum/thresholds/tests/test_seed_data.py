"""The data migration that seeds version 1 of the shared framework."""

from __future__ import annotations

import importlib
import re

import pytest
from django.apps import apps

from continuum.thresholds.models import Domain, FrameworkVersion, Indicator, Level

seed = importlib.import_module("continuum.thresholds.migrations.0002_seed_framework_version_1")

CODE = re.compile(r"^(DEV|PAR|FAM)-([1-4])-\d{2}$")
PREFIX = {"developmental-needs": "DEV", "parenting-capacity": "PAR", "family-environment": "FAM"}


def test_three_domains_of_the_assessment_triangle() -> None:
    assert [code for code, *_ in seed.DOMAINS] == list(PREFIX)


def test_every_domain_has_every_level_and_12_to_16_indicators() -> None:
    for domain_code, _, _, _ in seed.DOMAINS:
        rows = [row for row in seed.INDICATORS if row[0] == domain_code]
        assert 12 <= len(rows) <= 16, domain_code
        assert {row[2] for row in rows} == set(Level.values), domain_code


def test_codes_are_unique_and_name_their_domain_and_level() -> None:
    codes = [row[1] for row in seed.INDICATORS]
    assert len(codes) == len(set(codes))
    for domain_code, code, level, _, _ in seed.INDICATORS:
        match = CODE.match(code)
        assert match, code
        assert match.group(1) == PREFIX[domain_code]
        assert int(match.group(2)) == level


def test_every_indicator_has_two_to_four_sentences_of_guidance() -> None:
    for _, code, _, title, guidance in seed.INDICATORS:
        assert title and len(title) <= 200, code
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", guidance.strip()) if s]
        assert 2 <= len(sentences) <= 4, (code, len(sentences))


def test_the_examples_practitioners_know_are_there() -> None:
    titles = {row[3] for row in seed.INDICATORS}
    assert "Attendance between 90% and 95%" in titles
    assert "Persistent absence below 90% with other needs" in titles
    assert "Disclosure of abuse" in titles


@pytest.mark.django_db
def test_the_database_holds_version_1_as_current() -> None:
    version = FrameworkVersion.objects.get(is_current=True)
    assert version.number == 1
    assert version.title == "Tees continuum of need"
    assert version.published_on.isoformat() == "2026-04-01"
    assert Indicator.objects.filter(version=version).count() == len(seed.INDICATORS)
    assert Domain.objects.count() == 3


@pytest.mark.django_db
def test_the_migration_reverses_and_reapplies_cleanly() -> None:
    seed.unseed_framework(apps, None)
    assert not FrameworkVersion.objects.exists()
    assert not Indicator.objects.exists()
    assert not Domain.objects.exists()

    seed.seed_framework(apps, None)
    assert FrameworkVersion.objects.get(is_current=True).number == 1
    assert Indicator.objects.count() == len(seed.INDICATORS)
