"""The spending returns' own records: a strategic lead, a second one, a partnership lead,
and Stockton's headings mapped onto the classification (version 1, loaded by migration)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from continuum.accounts.models import Role, User
from continuum.organisations.models import Council
from continuum.spending.models import CouncilCategory
from continuum.testing import factories


@pytest.fixture
def lead(make_user: Callable[..., User], stockton: Council) -> User:
    return make_user(Role.STRATEGIC_LEAD, council=stockton, username="lead.stockton")


@pytest.fixture
def second_lead(make_user: Callable[..., User], stockton: Council) -> User:
    return make_user(Role.STRATEGIC_LEAD, council=stockton, username="lead2.stockton")


@pytest.fixture
def partnership_lead(make_user: Callable[..., User]) -> User:
    return make_user(Role.SAFEGUARDING_PARTNERSHIP_LEAD, username="partnership.lead")


@pytest.fixture
def headings(stockton: Council) -> dict[str, CouncilCategory]:
    return {
        "FS01": factories.council_category(stockton, "FS01", "Family support", "family_support"),
        "YS01": factories.council_category(stockton, "YS01", "Youth service", "youth"),
    }


@pytest.fixture
def last_year() -> int:
    from continuum.spending.services.returns import current_financial_year

    return current_financial_year() - 1


def no_change(*models: Any) -> Callable[[], tuple[int, ...]]:
    """A snapshot of row counts (and history) to compare after a refusal."""

    def counts() -> tuple[int, ...]:
        found: list[int] = []
        for model in models:
            found.append(model.objects.count())
            history = getattr(model, "history", None)
            if history is not None:
                found.append(history.count())
        return tuple(found)

    return counts
