"""The programmes' fixtures: a Stockton programme, the partnership's lead, and an episode
of Stockton an early help practitioner leads."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any, cast

import pytest
from django.utils import timezone

from continuum.accounts.models import Role, User
from continuum.early_help.choices import EpisodeStatus
from continuum.early_help.models import Episode
from continuum.organisations.models import Council
from continuum.programmes.models import Programme
from continuum.testing import factories


@pytest.fixture
def fairer_start(stockton: Council) -> Programme:
    return cast(
        Programme,
        factories.ProgrammeFactory(
            name="Fairer Start",
            councils=[stockton],
            starts_on=timezone.localdate() - timedelta(days=400),
        ),
    )


@pytest.fixture
def partnership_lead(db: Any) -> User:
    return cast(
        User,
        factories.UserFactory(
            role=Role.SAFEGUARDING_PARTNERSHIP_LEAD,
            organisation=factories.safeguarding_partnership(),
            username="lead.partnership",
        ),
    )


@pytest.fixture
def strategic_lead(make_user: Callable[..., User], stockton: Council) -> User:
    return make_user(Role.STRATEGIC_LEAD, council=stockton, username="strategic.stockton")


@pytest.fixture
def auditor(make_user: Callable[..., User], stockton: Council) -> User:
    return make_user(Role.AUDITOR, council=stockton, username="auditor.stockton")


@pytest.fixture
def episode(stockton: Council, eh_worker: User) -> Episode:
    """Open since 30 days ago, led by the Stockton early help practitioner."""
    return cast(
        Episode,
        factories.EpisodeFactory(
            council=stockton,
            status=EpisodeStatus.ALLOCATED,
            lead_professional=eh_worker,
            start_date=timezone.localdate() - timedelta(days=30),
        ),
    )
