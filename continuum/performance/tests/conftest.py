"""Fixtures for the performance tests: no figures kept from an earlier test, and an analyst of
an early help partnership serving Stockton-on-Tees and Hartlepool (who sees both councils in
detail, unlike the root conftest's ``analyst``, who works for Stockton's children's services).
"""

from __future__ import annotations

from typing import cast

import pytest
from django.core.cache import cache

from continuum.accounts.models import Role, User
from continuum.organisations.models import Council, OrganisationKind
from continuum.testing import factories


@pytest.fixture(autouse=True)
def _fresh_figures() -> None:
    """Pages and reports keep their figures for a few minutes; each test starts without any
    (a kept one could be another test's)."""
    cache.clear()


@pytest.fixture
def partnership_analyst(stockton: Council, hartlepool: Council) -> User:
    partnership = factories.OrganisationFactory(
        name="Test Early Help Partnership",
        kind=OrganisationKind.OTHER,
        serves=[stockton, hartlepool],
    )
    return cast(
        User,
        factories.UserFactory(
            username="analyst.tees", role=Role.PERFORMANCE_ANALYST, organisation=partnership
        ),
    )
