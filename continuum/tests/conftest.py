"""Fixtures for the cross-cutting tests: a user with no role (who could reach the root
conftest's ``child`` if a view forgot to ask the access policy), and one test client shared
by many requests.
"""

from __future__ import annotations

from typing import cast

import pytest
from django.test import Client

from continuum.accounts.models import User
from continuum.organisations.models import Council
from continuum.testing import factories


@pytest.fixture
def roleless_user(stockton: Council) -> User:
    """Signed in, employed by a council's children's services, but given no role yet."""
    user = factories.UserFactory(
        username="no.role", role="", organisation=factories.council_services(stockton)
    )
    return cast(User, user)


@pytest.fixture(scope="session")
def shared_client() -> Client:
    """One test client for many requests: building a client loads the middleware, and
    WhiteNoise then indexes every static file (about half a second each time). Callers
    clear its cookies before use.
    """
    return Client()
