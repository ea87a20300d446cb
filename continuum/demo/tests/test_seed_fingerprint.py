"""Seeding made faster must make the same data: the small preset, seed 1, fingerprinted
table by table (row counts and a hash of the rows, volatile columns left out, sequence ids
renumbered by their order) equals the fingerprint recorded from the code before the
seeding was sped up (issue 16, commit 510d303), then recorded again once, deliberately,
when person search added its stored match keys to ``people_person`` (the only table that
differed).

To record it again after a deliberate change to the demo data:
``CONTINUUM_RECORD_FINGERPRINT=1 pytest continuum/demo/tests/test_seed_fingerprint.py``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection, transaction

from continuum.demo.generator import build, load_steps
from continuum.demo.generator.fingerprint import (
    differences,
    existing,
    fingerprint,
    restart_sequences,
)

pytestmark = pytest.mark.django_db

RECORDED = Path(__file__).parent / "fixtures" / "seed_small_fingerprint.json"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="recorded on PostgreSQL (its ids and types)"
)
def test_the_small_preset_makes_exactly_the_rows_it_made_before() -> None:
    bars: list[tuple[str, int | None]] = []
    counted: dict[str, int] = {}

    def step(label: str, total: int | None) -> Callable[[int], None]:
        bars.append((label, total))
        return lambda n: counted.__setitem__(label, counted.get(label, 0) + n)

    with transaction.atomic():
        # Only the build's own rows: earlier tests in this process (live servers, threads)
        # may have left rows behind, which would shift every id's rank.
        before = existing()
        restart_sequences()
        build(preset="small", seed=1, progress=step)
        made = fingerprint(stable_ids=True, columns=True, before=before)
        transaction.set_rollback(True)
    if os.environ.get("CONTINUUM_RECORD_FINGERPRINT"):
        RECORDED.write_text(json.dumps(made, indent=1, sort_keys=True) + "\n")
    expected = json.loads(RECORDED.read_text())
    # Tables with no rows when it was recorded are new steps' (the figures' facts): theirs
    # is new data, not a change to the old.
    assert differences(expected, {t: v for t, v in made.items() if t in expected}) == []
    assert sum(t["rows"] for t in made.values()) > 10_000
    # A bar for every step, in order, and counts where a step knows them.
    labels = [label for label, _ in bars]
    assert labels[0] == f"Seeding 1/{len(load_steps())}: organisations.organisations"
    assert "  people.people: councils" in labels
    assert counted["  people.people: councils"] == 4
    written = "  five_years.history: rows written"
    total = dict(bars)[written]
    assert total is not None and total > 0 and counted[written] == total
