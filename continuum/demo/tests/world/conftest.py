"""The demo world, built once per test session for the tests in this package, which only
read it: building it takes a few seconds.

It is built inside a transaction that is rolled back at the end of the package, and each
test runs in a savepoint inside that, so nothing a test writes lasts and nothing is left
behind for other tests. Run with ``-n`` (as ``make test`` does), the package's tests go to
one worker as one unit and run one after another (the root ``conftest.py`` schedules them
so), so the world is built once, not once per module or per worker.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from continuum.demo.generator import World, build


@pytest.fixture(scope="package")
def demo_world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    with django_db_blocker.unblock(), transaction.atomic():
        world = build(preset="small", seed=1)
        yield world
        transaction.set_rollback(True)
