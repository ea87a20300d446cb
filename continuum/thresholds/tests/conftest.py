"""Fixtures for the threshold framework's tests: the seeded version and a local variation."""

from __future__ import annotations

from typing import Any

import pytest

from continuum.organisations.models import Council
from continuum.thresholds import selectors, services
from continuum.thresholds.models import ChangeKind, Domain, FrameworkVersion, Indicator


@pytest.fixture
def version(db: Any) -> FrameworkVersion:
    """Version 1, seeded by the data migration."""
    current = selectors.current_version()
    assert current is not None
    return current


def shared(code: str) -> Indicator:
    return Indicator.objects.get(version__is_current=True, code=code)


@pytest.fixture
def hartlepool_variation(hartlepool: Council, version: FrameworkVersion) -> Council:
    """Hartlepool: one indicator changed, one added, one not used."""
    services.record_local_change(
        council=hartlepool,
        kind=ChangeKind.CHANGE,
        indicator=shared("DEV-2-01"),
        level=3,
        title="Attendance between 90% and 95% for two terms running",
        reason="Attendance in this band is persistent locally; partners agreed to step up.",
    )
    services.record_local_change(
        council=hartlepool,
        kind=ChangeKind.ADD,
        domain=Domain.objects.get(code="family-environment"),
        code="HPL-FAM-2-01",
        title="Family affected by a recent local plant closure",
        level=2,
        guidance="Loss of work at a large local employer is hitting household income. "
        "Offer the local employment and debt advice partnership.",
        reason="A local event with wide effects on families.",
    )
    services.record_local_change(
        council=hartlepool,
        kind=ChangeKind.REMOVE,
        indicator=shared("FAM-1-03"),
        reason="Covered by the council's community offer rather than a threshold indicator.",
    )
    return hartlepool
