"""Case audits' own fixtures: the partnership's lead, peer auditors employed by the other
Tees councils, and a programme being planned for Stockton-on-Tees and Hartlepool."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import pytest

from continuum.accounts.models import Role, User
from continuum.case_audits.models import AuditProgramme
from continuum.organisations.models import Council
from continuum.testing import factories


@pytest.fixture
def redcar(db: Any) -> Council:
    return factories.tees_council("Redcar and Cleveland")


@pytest.fixture
def middlesbrough(db: Any) -> Council:
    return factories.tees_council("Middlesbrough")


@pytest.fixture
def partnership_lead(db: Any) -> User:
    """The Tees safeguarding children partnership's lead (the partnership serves all four
    councils)."""
    return cast(
        User,
        factories.UserFactory(
            role=Role.SAFEGUARDING_PARTNERSHIP_LEAD,
            organisation=factories.safeguarding_partnership(),
            username="partnership.lead",
        ),
    )


@pytest.fixture
def redcar_auditor(make_user: Callable[..., User], redcar: Council) -> User:
    """A quality-assurance auditor employed by Redcar and Cleveland."""
    return make_user(Role.AUDITOR, council=redcar, username="auditor.redcar")


@pytest.fixture
def middlesbrough_auditor(make_user: Callable[..., User], middlesbrough: Council) -> User:
    return make_user(Role.AUDITOR, council=middlesbrough, username="auditor.middlesbrough")


@pytest.fixture
def stockton_auditor(make_user: Callable[..., User], stockton: Council) -> User:
    """An auditor of Stockton-on-Tees: never given Stockton's own cases."""
    return make_user(Role.AUDITOR, council=stockton, username="auditor.stockton")


@pytest.fixture
def programme(stockton: Council, hartlepool: Council, partnership_lead: User) -> AuditProgramme:
    """A programme being planned: Stockton-on-Tees' and Hartlepool's early help episodes of
    the past year, ten a council at random from seed 1."""
    return cast(
        AuditProgramme,
        factories.AuditProgrammeFactory(
            councils=[stockton, hartlepool], created_by=partnership_lead
        ),
    )
