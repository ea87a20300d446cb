"""The hubs' fixtures: the Hartlepool and Stockton MACH, its councils' strategic and
information governance leads, and an agreement in force."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from continuum.accounts.models import Role, User
from continuum.hubs.models import DataSharingAgreement
from continuum.organisations.models import Council, Organisation
from continuum.testing import factories


@pytest.fixture
def mach(stockton: Council, hartlepool: Council) -> Organisation:
    return factories.hub_organisation("Hartlepool and Stockton MACH", stockton, hartlepool)


@pytest.fixture
def in_force(mach: Organisation, stockton: Council, hartlepool: Council) -> DataSharingAgreement:
    return factories.hub_agreement(stockton, hartlepool, hub=mach, reference="MACH-1")


@pytest.fixture
def strategic_lead(make_user: Callable[..., User], stockton: Council) -> User:
    return make_user(Role.STRATEGIC_LEAD, council=stockton, username="strategic.stockton")


@pytest.fixture
def hartlepool_lead(make_user: Callable[..., User], hartlepool: Council) -> User:
    return make_user(Role.STRATEGIC_LEAD, council=hartlepool, username="strategic.hartlepool")


@pytest.fixture
def middlesbrough(db: Any) -> Council:
    return factories.tees_council("Middlesbrough")


@pytest.fixture
def middlesbrough_lead(make_user: Callable[..., User], middlesbrough: Council) -> User:
    return make_user(Role.STRATEGIC_LEAD, council=middlesbrough, username="strategic.mbro")
