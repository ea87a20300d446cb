"""Issue 10, finding 4 (its last part): a user reading an unusual number of distinct
people's records in an hour is flagged to their council's information governance lead, on
a page they review (who, when, how many, a link to that user's access-log rows; marked
reviewed with an outcome)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import Role
from continuum.audit.models import AccessLogEntry, UnusualReadingFlag
from continuum.audit.services import check_unusual_reading, log_search
from continuum.testing import factories

pytestmark = pytest.mark.django_db


def read_distinct(record_read: Callable[..., Any], user: Any, n: int) -> None:
    for _ in range(n):
        record_read(user, uuid.uuid4())


def test_reading_more_than_fifty_distinct_records_in_an_hour_raises_one_flag(
    settings: Any, record_read: Callable[..., Any], worker: Any, stockton: Any
) -> None:
    settings.UNUSUAL_READS_PER_HOUR = 50
    read_distinct(record_read, worker, 50)
    assert not UnusualReadingFlag.objects.exists()

    read_distinct(record_read, worker, 1)

    flag = UnusualReadingFlag.objects.get()
    assert (flag.user, flag.records_read, flag.people_shown) == (worker, 51, 0)
    assert list(flag.councils.all()) == [stockton]
    # At most one per user per hour: more reads raise no second flag.
    read_distinct(record_read, worker, 5)
    assert UnusualReadingFlag.objects.count() == 1


def test_reading_the_same_record_again_and_again_is_not_unusual(
    settings: Any, record_read: Callable[..., Any], worker: Any
) -> None:
    settings.UNUSUAL_READS_PER_HOUR = 3
    same = uuid.uuid4()
    for _ in range(20):
        record_read(worker, same)
    assert not UnusualReadingFlag.objects.exists()


def test_reads_more_than_an_hour_ago_do_not_count(
    settings: Any, record_read: Callable[..., Any], worker: Any
) -> None:
    settings.UNUSUAL_READS_PER_HOUR = 3
    two_hours_ago = timezone.now() - timedelta(hours=2)
    with time_machine.travel(two_hours_ago, tick=False):
        read_distinct(record_read, worker, 3)
    read_distinct(record_read, worker, 3)
    assert not UnusualReadingFlag.objects.exists()


def test_people_shown_by_searches_count_against_their_own_threshold(
    settings: Any, worker: Any, stockton: Any, rf: Any
) -> None:
    settings.UNUSUAL_SHOWN_PER_HOUR = 100
    request = rf.get("/")
    log_search(
        request=request,
        user=worker,
        terms={"q": ""},
        result_count=90,
        shown_ids=[uuid.uuid4() for _ in range(90)],
    )
    assert not UnusualReadingFlag.objects.exists()
    log_search(
        request=request,
        user=worker,
        terms={"q": ""},
        result_count=90,
        shown_ids=[uuid.uuid4() for _ in range(20)],
    )
    flag = UnusualReadingFlag.objects.get()
    assert (flag.records_read, flag.people_shown) == (0, 110)


def test_a_partners_flag_goes_to_the_councils_holding_the_records(
    settings: Any, record_read: Callable[..., Any], teacher: Any, stockton: Any, hartlepool: Any
) -> None:
    settings.UNUSUAL_READS_PER_HOUR = 1
    record_read(teacher, factories.PersonFactory.create(council=stockton).pk)
    record_read(teacher, factories.PersonFactory.create(council=hartlepool).pk)
    flag = UnusualReadingFlag.objects.get()
    assert set(flag.councils.all()) == {stockton, hartlepool}


def test_checking_costs_a_few_queries_whatever_the_volume(
    settings: Any,
    record_read: Callable[..., Any],
    worker: Any,
    django_assert_max_num_queries: Any,
) -> None:
    settings.UNUSUAL_READS_PER_HOUR = 500
    read_distinct(record_read, worker, 200)
    with django_assert_max_num_queries(2):
        check_unusual_reading(user=worker, searched=False)
    with django_assert_max_num_queries(2):
        check_unusual_reading(user=worker, searched=True)


@pytest.fixture
def flag(settings: Any, record_read: Callable[..., Any], worker: Any) -> UnusualReadingFlag:
    settings.UNUSUAL_READS_PER_HOUR = 2
    read_distinct(record_read, worker, 3)
    return UnusualReadingFlag.objects.get()


def test_the_councils_lead_sees_who_when_how_many_and_the_rows(
    client: Client, ig_lead: Any, worker: Any, flag: UnusualReadingFlag
) -> None:
    client.force_login(ig_lead)
    page = client.get(reverse("audit:information-governance")).content.decode()
    detail = reverse("audit:unusual-reading", args=[flag.pk])
    assert detail in page
    assert str(worker) in page

    response = client.get(detail)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Opened the records of 3 different people" in page
    for entry in AccessLogEntry.objects.filter(user=worker):
        assert str(entry.subject_id) in page


def test_the_lead_marks_it_reviewed_with_an_outcome(
    client: Client, ig_lead: Any, flag: UnusualReadingFlag
) -> None:
    client.force_login(ig_lead)
    detail = reverse("audit:unusual-reading", args=[flag.pk])

    refused = client.post(detail, {"outcome": "  "})
    assert refused.status_code == 200
    assert "Enter what you found and what you have done" in refused.content.decode()
    flag.refresh_from_db()
    assert flag.reviewed_at is None

    response = client.post(detail, {"outcome": "Planned audit of closed cases, agreed."})
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.reviewed_by == ig_lead
    assert flag.outcome == "Planned audit of closed cases, agreed."
    page = client.get(reverse("audit:information-governance")).content.decode()
    assert "Nobody&#x27;s reading is waiting for review." in page or "Nobody's reading" in page


@pytest.mark.parametrize("who", ["hartlepool_ig_lead", "manager", "worker"])
def test_nobody_else_sees_or_reviews_the_flag(
    request: Any, client: Client, who: str, flag: UnusualReadingFlag
) -> None:
    client.force_login(request.getfixturevalue(who))
    detail = reverse("audit:unusual-reading", args=[flag.pk])
    assert client.get(detail).status_code in (403, 404)
    assert client.post(detail, {"outcome": "Looked"}).status_code in (403, 404)
    flag.refresh_from_db()
    assert flag.reviewed_at is None
    assert client.get(reverse("audit:information-governance")).status_code in (200, 403)
    if who != "hartlepool_ig_lead":
        assert client.get(reverse("audit:information-governance")).status_code == 403


@pytest.mark.parametrize("role", list(Role))
def test_only_information_governance_leads_open_the_review_page(
    client: Client, make_user: Callable[..., Any], role: Role
) -> None:
    client.force_login(make_user(role))
    status = client.get(reverse("audit:information-governance")).status_code
    assert status == (200 if role == Role.INFORMATION_GOVERNANCE_LEAD else 403)


def test_the_leads_home_page_counts_flags_waiting(
    client: Client, ig_lead: Any, flag: UnusualReadingFlag
) -> None:
    client.force_login(ig_lead)
    page = client.get(reverse("web:home")).content.decode()
    assert "1</span>\nuser flagged for unusual reading" in page
    assert reverse("audit:information-governance") in page
