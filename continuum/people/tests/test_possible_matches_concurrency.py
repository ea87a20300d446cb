"""Two people entering the same NHS number at once (issue 10, finding 5): the identifiers
are no longer unique in the database, so the check is serialised. On PostgreSQL exactly
one record is created and the other is told about it; nothing half-saved."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from continuum.accounts.models import User
from continuum.organisations.models import Council
from continuum.people import services
from continuum.people.models import Person

NHS = "9997778200"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_at_once_with_the_same_nhs_number_make_one_record(
    worker: User, stockton: Council
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL")
    start = threading.Barrier(2)
    outcomes: list[Any] = []

    def create(given_name: str) -> None:
        try:
            start.wait()
            services.create_person(
                created_by=worker,
                council=stockton,
                given_name=given_name,
                family_name="Quarry",
                nhs_number=NHS,
            )
            outcomes.append("created")
        except ValidationError as refused:
            outcomes.append(refused.message_dict)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create, args=(name,)) for name in ("Nell", "Nel")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("created") == 1
    (refused,) = [o for o in outcomes if o != "created"]
    assert "already exists" in refused["nhs_number"][0]
    assert Person.objects.filter(nhs_number=NHS).count() == 1
