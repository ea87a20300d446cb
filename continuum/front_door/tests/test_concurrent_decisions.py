"""Two people deciding one contact at the same moment (issue 10, finding 14): one decision
is saved and the other person is told, with the API's 409, that the contact was decided
first; never a server error ("database is locked" on SQLite) and never two decisions.

Real concurrency: each request runs in its own thread with its own database connection,
on the test database file (SQLite) or on PostgreSQL, whichever the suite runs on.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from continuum.accounts.models import User
from continuum.front_door.models import Contact, ContactDecision
from continuum.front_door.tests.contacts_support import in_screening, indicator, submitted_contact
from continuum.front_door.tests.test_api_contacts_deciding import decision_body
from continuum.organisations.models import Council
from continuum.people.models import Person

ATTEMPTS = 4
REFUSALS = (
    "This contact already has a decision.",
    "Someone else changed or decided this contact after you opened it.",
)


def _decide_at_once(clients: list[Client], contact: Contact) -> list[Any]:
    """Each client posts the same decision on ``contact``, all released together."""
    start = threading.Barrier(len(clients))
    answers: list[Any] = [None] * len(clients)

    def decide(index: int, client: Client) -> None:
        try:
            start.wait()
            answers[index] = client.post(
                f"/api/v1/contacts/{contact.pk}/decision",
                decision_body(contact),
                content_type="application/json",
            )
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(index, client))
        for index, client in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_decisions_save_one_and_refuse_the_other_with_409(
    worker: User, colleague: User, stockton: Council, child: Person
) -> None:
    clients = []
    for user in (worker, colleague):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients.append(client)
    for _ in range(ATTEMPTS):
        screening = in_screening(
            submitted_contact(
                by=worker,
                council=stockton,
                children=[child],
                indicator_codes=(indicator(2).code,),
            ),
            by=worker,
        )
        answers = _decide_at_once(clients, screening)
        statuses = sorted(answer.status_code for answer in answers)
        assert statuses == [200, 409], [a.content[:300] for a in answers]
        refused = next(answer for answer in answers if answer.status_code == 409)
        assert refused.json()["detail"].startswith(REFUSALS)
        assert ContactDecision.objects.filter(contact=screening).count() == 1
