"""Issue 10, finding 12: emergency (break-glass) access needs a reason in real sentences,
is capped per user per week, and the holding council's information governance lead is told
at once."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from continuum.access.models import BreakGlassGrant
from continuum.errors import InvalidState
from continuum.organisations.models import Council
from continuum.people import services
from continuum.people.models import Person
from continuum.people.services import reason_problem
from continuum.testing import factories

pytestmark = pytest.mark.django_db

BAD_REASONS = [
    "xxxxxxxxxxxxxxxxxxxx",  # the one the assessor used
    "x" * 200,
    "x x x x x x x x x x x x x x x",
    "aaaaaaaaaa bbbbbbbbbb cccccccccc",
    "emergency emergency emergency emergency",
    "test test test test test test test",
    "asdf asdf asdf asdf asdf asdf",
    "12345678901234567890 1234567890",
    "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
    "need to see this now",  # too short to say why
    "Urgent. Urgent. Urgent. Urgent. Urgent.",
    "zzzzzzzz is a child at risk tonight",  # a run of one letter
]
GOOD_REASONS = [
    "Police called at 2am about a child found alone; records needed tonight.",
    "Child brought to A&E alone; need to check for existing plans",
    "Mother arrived at our front door saying she fled Hartlepool with her son last night.",
    "School reports the girl disclosed abuse at her father's home in another area today.",
]


@pytest.mark.parametrize("reason", BAD_REASONS)
def test_reasons_that_are_not_sentences_are_refused(reason: str) -> None:
    assert reason_problem(reason) is not None


@pytest.mark.parametrize("reason", GOOD_REASONS)
def test_real_reasons_are_accepted(reason: str) -> None:
    assert reason_problem(reason) is None


@pytest.fixture
def elsewhere(hartlepool: Council) -> Person:
    return factories.PersonFactory.create(council=hartlepool, nhs_number="9434765919")


def test_the_service_refuses_twenty_xs_and_grants_nothing(worker: Any, elsewhere: Person) -> None:
    with pytest.raises(ValidationError) as refused:
        services.break_glass(user=worker, person=elsewhere, reason="x" * 20)
    assert "reason" in refused.value.message_dict
    assert "in a sentence" in refused.value.message_dict["reason"][0]
    assert not BreakGlassGrant.objects.exists()


def test_the_page_refuses_twenty_xs_with_a_clear_message(
    client: Client, worker: Any, elsewhere: Person
) -> None:
    client.force_login(worker)
    response = client.post(
        reverse("people:break-glass"), {"nhs_number": "9434765919", "reason": "x" * 20}
    )
    assert response.status_code == 200
    assert "in a sentence" in response.content.decode()
    assert not BreakGlassGrant.objects.exists()


def test_grants_are_capped_per_user_per_week(
    settings: Any, worker: Any, hartlepool: Council
) -> None:
    settings.BREAK_GLASS_GRANTS_PER_WEEK = 3
    reason = GOOD_REASONS[0]
    # One grant eight days ago no longer counts.
    factories.BreakGlassGrantFactory.create(
        user=worker,
        granted_at=timezone.now() - timedelta(days=8),
        expires_at=timezone.now() - timedelta(days=7),
    )
    for _ in range(3):
        person = factories.PersonFactory.create(council=hartlepool)
        services.break_glass(user=worker, person=person, reason=reason)

    fourth = factories.PersonFactory.create(council=hartlepool)
    with pytest.raises(InvalidState, match="3 times in the last 7 days"):
        services.break_glass(user=worker, person=fourth, reason=reason)
    assert BreakGlassGrant.objects.filter(person=fourth).count() == 0


def test_the_cap_is_per_user(settings: Any, worker: Any, manager: Any, hartlepool: Council) -> None:
    settings.BREAK_GLASS_GRANTS_PER_WEEK = 1
    services.break_glass(
        user=worker,
        person=factories.PersonFactory.create(council=hartlepool),
        reason=GOOD_REASONS[0],
    )
    services.break_glass(
        user=manager,
        person=factories.PersonFactory.create(council=hartlepool),
        reason=GOOD_REASONS[1],
    )
    assert BreakGlassGrant.objects.count() == 2


def test_the_page_shows_the_cap_refusal(
    settings: Any, client: Client, worker: Any, elsewhere: Person
) -> None:
    settings.BREAK_GLASS_GRANTS_PER_WEEK = 1
    factories.BreakGlassGrantFactory.create(user=worker)
    client.force_login(worker)
    response = client.post(
        reverse("people:break-glass"), {"nhs_number": "9434765919", "reason": GOOD_REASONS[0]}
    )
    assert response.status_code == 200
    assert "1 time in the last 7 days" in response.content.decode()
    assert not BreakGlassGrant.objects.filter(person=elsewhere).exists()


def test_the_holding_councils_information_governance_lead_is_told_at_once(
    client: Client,
    worker: Any,
    elsewhere: Person,
    hartlepool_ig_lead: Any,
    ig_lead: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="continuum.security"):
        grant = services.break_glass(user=worker, person=elsewhere, reason=GOOD_REASONS[0])
    assert any("information governance" in r.getMessage() for r in caplog.records)

    client.force_login(hartlepool_ig_lead)
    page = client.get(reverse("audit:information-governance")).content.decode()
    assert reverse("audit:break-glass-review", args=[grant.pk]) in page
    assert GOOD_REASONS[0] in page
    # The grantee's own council's lead is not the holding council's: not on their page.
    client.force_login(ig_lead)
    page = client.get(reverse("audit:information-governance")).content.decode()
    assert reverse("audit:break-glass-review", args=[grant.pk]) not in page


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite runs one writer at a time anyway"
)
def test_two_requests_at_once_cannot_both_take_the_last_grant(
    settings: Any, worker: Any, hartlepool: Council
) -> None:
    settings.BREAK_GLASS_GRANTS_PER_WEEK = 1
    people = [factories.PersonFactory.create(council=hartlepool) for _ in range(2)]
    barrier = threading.Barrier(len(people))
    results: list[str] = []

    def ask(person: Person) -> None:
        try:
            barrier.wait()
            services.break_glass(user=worker, person=person, reason=GOOD_REASONS[0])
            results.append("granted")
        except InvalidState:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=ask, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == ["granted", "refused"]
    assert BreakGlassGrant.objects.filter(user=worker).count() == 1
