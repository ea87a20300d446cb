"""One small demo world per test module: building it takes a few seconds, and most tests
only read it. It is built inside a transaction that is rolled back afterwards, and each
test runs in a savepoint inside that, so nothing is left behind for other tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from continuum.demo.generator import World, build


@pytest.fixture(scope="module")
def demo_world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    with django_db_blocker.unblock(), transaction.atomic():
        world = build(preset="small", seed=1)
        yield world
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Signing in checks a password hash; the test suite need not pay for a strong one."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
