"""The front-door queue (overdue first, then oldest; filters; counts) and the front-door
summary (received, decided, decided within timescale, by outcome and by source)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import User
from continuum.front_door import selectors
from continuum.front_door.choices import ContactStatus, Outcome, ReferralSource
from continuum.front_door.models import Contact, ContactDecision
from continuum.organisations.models import Council
from continuum.testing import factories


def _at(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=timezone.get_current_timezone())


def _contact(council: Council, by: User, received_at: datetime, **fields: Any) -> Contact:
    contact: Contact = factories.ContactFactory.create(
        council=council, created_by=by, received_at=received_at, **fields
    )
    return contact


def _decided(
    council: Council,
    by: User,
    *,
    received_at: datetime,
    decided_at: datetime,
    outcome: str = Outcome.EARLY_HELP_SINGLE,
    level: int = 2,
    **fields: Any,
) -> Contact:
    contact = _contact(
        council, by, received_at, status=ContactStatus.DECIDED, decided_at=decided_at, **fields
    )
    ContactDecision.objects.create(
        contact=contact,
        level=level,
        outcome=outcome,
        rationale="Synthetic decision for the summary.",
        decided_by=by,
        decided_at=decided_at,
    )
    return contact


# --- the queue -------------------------------------------------------------------------------


def test_the_queue_lists_open_contacts_overdue_first_then_oldest(
    worker: User, stockton: Council, hartlepool: Council
) -> None:
    # Today is Wednesday 11 March 2026.
    friday = _contact(stockton, worker, _at(2026, 3, 6))  # due Mon 9: overdue
    monday = _contact(stockton, worker, _at(2026, 3, 9), status=ContactStatus.IN_SCREENING)
    tuesday = _contact(stockton, worker, _at(2026, 3, 10))  # due Wed 11: not yet
    _contact(stockton, worker, _at(2026, 3, 2), status=ContactStatus.DRAFT)
    _decided(stockton, worker, received_at=_at(2026, 3, 2), decided_at=_at(2026, 3, 3))
    _contact(hartlepool, worker, _at(2026, 3, 2))

    with time_machine.travel(_at(2026, 3, 11, 12), tick=False):
        response = Client()
        response.force_login(worker)
        page = response.get(reverse("front_door:queue"))
    queue = page.context["queue"]
    assert [row.contact for row in queue.rows] == [friday, monday, tuesday]
    assert [row.overdue for row in queue.rows] == [True, True, False]
    assert [row.age for row in queue.rows] == [3, 2, 1]
    assert [row.due for row in queue.rows] == [
        date(2026, 3, 9),
        date(2026, 3, 10),
        date(2026, 3, 11),
    ]
    assert queue.overdue == 2
    assert queue.by_status == {
        ContactStatus.SUBMITTED: 2,
        ContactStatus.IN_SCREENING: 1,
        ContactStatus.AWAITING_INFORMATION: 0,
        ContactStatus.RETURNED: 0,
    }
    body = page.content.decode()
    assert "Overdue" in body
    assert "2</strong> overdue" in body


def test_the_queue_filters_by_team_and_status(worker: User, stockton: Council) -> None:
    team = factories.TeamFactory.create(
        organisation=factories.council_services(stockton), name="North hub"
    )
    in_team = _contact(stockton, worker, _at(2026, 3, 9), team=team)
    _contact(stockton, worker, _at(2026, 3, 9), status=ContactStatus.IN_SCREENING)
    client = Client()
    client.force_login(worker)

    by_team = client.get(reverse("front_door:queue"), {"team": team.pk})
    assert [row.contact for row in by_team.context["queue"].rows] == [in_team]

    by_status = client.get(reverse("front_door:queue"), {"status": ContactStatus.IN_SCREENING})
    assert [row.contact.status for row in by_status.context["queue"].rows] == [
        ContactStatus.IN_SCREENING
    ]
    assert "Selected filters" in by_status.content.decode()


def test_a_team_of_another_council_is_not_a_filter_choice(
    worker: User, stockton: Council, hartlepool: Council
) -> None:
    other_team = factories.TeamFactory.create(
        organisation=factories.council_services(hartlepool), name="Hartlepool hub"
    )
    _contact(stockton, worker, _at(2026, 3, 9))
    client = Client()
    client.force_login(worker)
    page = client.get(reverse("front_door:queue"), {"team": other_team.pk})
    assert "team" in page.context["form"].errors
    assert "Hartlepool hub" not in page.content.decode()


# --- the summary ----------------------------------------------------------------------------


def _summary(client: Client, **query: Any) -> Any:
    return client.get(reverse("front_door:summary"), query)


def _range(start: date, end: date, period: str, **extra: Any) -> dict[str, Any]:
    return {
        "period": period,
        "date_from_day": start.day,
        "date_from_month": start.month,
        "date_from_year": start.year,
        "date_to_day": end.day,
        "date_to_month": end.month,
        "date_to_year": end.year,
        **extra,
    }


@pytest.fixture
def late_summer(worker: User, stockton: Council, hartlepool: Council) -> dict[str, Contact]:
    """Contacts around the August 2026 bank holiday (Monday 31 August)."""
    with time_machine.travel(_at(2026, 9, 30)):
        return {
            # Received Friday 28 August, due Tuesday 1 September: decided on time.
            "on_time": _decided(
                stockton,
                worker,
                received_at=_at(2026, 8, 28),
                decided_at=_at(2026, 9, 1, 16),
                referral_source=ReferralSource.POLICE,
                outcome=Outcome.NO_FURTHER_ACTION,
                level=1,
            ),
            # Received Monday 7 September, due Tuesday 8: decided Wednesday 9, late.
            "late": _decided(
                stockton,
                worker,
                received_at=_at(2026, 9, 7),
                decided_at=_at(2026, 9, 9),
                referral_source=ReferralSource.SCHOOLS,
            ),
            "waiting": _contact(stockton, worker, _at(2026, 9, 8)),
            "draft": _contact(stockton, worker, _at(2026, 9, 8), status=ContactStatus.DRAFT),
            "elsewhere": _contact(hartlepool, worker, _at(2026, 9, 8)),
        }


def test_the_summary_counts_received_decided_and_on_time_by_week(
    worker: User, stockton: Council, late_summer: dict[str, Contact]
) -> None:
    client = Client()
    client.force_login(worker)
    response = _summary(client, **_range(date(2026, 8, 24), date(2026, 9, 13), "week"))
    (summary,) = response.context["summaries"]
    assert summary.council == stockton
    rows = {row.start: row for row in summary.rows}
    assert list(rows) == [date(2026, 8, 24), date(2026, 8, 31), date(2026, 9, 7)]
    assert (rows[date(2026, 8, 24)].received, rows[date(2026, 8, 24)].decided) == (1, 0)
    assert (rows[date(2026, 8, 31)].received, rows[date(2026, 8, 31)].decided) == (0, 1)
    assert rows[date(2026, 8, 31)].decided_in_time == 1
    assert rows[date(2026, 9, 7)].received == 2  # the late one and the one waiting
    assert (rows[date(2026, 9, 7)].decided, rows[date(2026, 9, 7)].decided_in_time) == (1, 0)
    assert summary.total.percent_in_time == 50
    assert summary.total.by_outcome == {Outcome.NO_FURTHER_ACTION: 1, Outcome.EARLY_HELP_SINGLE: 1}
    assert summary.total.by_source == {ReferralSource.POLICE: 1, ReferralSource.SCHOOLS: 2}
    assert "50%" in response.content.decode()


def test_the_summary_by_month_and_by_day(worker: User, late_summer: dict[str, Contact]) -> None:
    client = Client()
    client.force_login(worker)
    months = _summary(client, **_range(date(2026, 8, 1), date(2026, 9, 30), "month"))
    (summary,) = months.context["summaries"]
    assert [(row.label, row.received, row.decided) for row in summary.rows] == [
        ("August 2026", 1, 0),
        ("September 2026", 2, 2),
    ]
    days = _summary(client, **_range(date(2026, 9, 7), date(2026, 9, 9), "day"))
    (summary,) = days.context["summaries"]
    assert [(row.received, row.decided) for row in summary.rows] == [(1, 0), (1, 0), (0, 1)]


def test_the_summary_is_a_fixed_number_of_queries(
    worker: User,
    stockton: Council,
    late_summer: dict[str, Contact],
    django_assert_max_num_queries: Any,
) -> None:
    with django_assert_max_num_queries(4):
        selectors.front_door_summary(
            user=worker,
            councils=[stockton],
            period="day",
            start=date(2026, 8, 1),
            end=date(2026, 9, 30),
        )


def test_analysts_see_every_council_without_contacts_naming_a_restricted_child(
    analyst: User, worker: User, stockton: Council, late_summer: dict[str, Contact]
) -> None:
    restricted = factories.PersonFactory.create(council=stockton, is_restricted=True)
    _contact(stockton, worker, _at(2026, 9, 8), children=[restricted])
    client = Client()
    client.force_login(analyst)
    response = _summary(client, **_range(date(2026, 9, 7), date(2026, 9, 13), "week"))
    by_council = {s.council.name: s for s in response.context["summaries"]}
    assert set(by_council) == set(Council.objects.values_list("name", flat=True))
    assert by_council["Stockton-on-Tees"].total.received == 2
    assert by_council["Hartlepool"].total.received == 1
    # Numbers only: no names or links to contacts.
    assert reverse("front_door:contact", args=[late_summer["late"].pk]) not in (
        response.content.decode()
    )


def test_council_staff_see_only_their_councils_numbers(
    worker: User, hartlepool: Council, late_summer: dict[str, Contact]
) -> None:
    client = Client()
    client.force_login(worker)
    response = _summary(
        client, **_range(date(2026, 9, 7), date(2026, 9, 13), "week", council=hartlepool.pk)
    )
    assert "council" in response.context["form"].errors
    assert response.context["summaries"] == []


@pytest.mark.parametrize(
    ("start", "end", "period", "message"),
    [
        (date(2026, 9, 13), date(2026, 9, 7), "week", "must be the same as or after"),
        (date(2026, 1, 1), date(2026, 9, 7), "day", "choose at most 92 days"),
        (date(2026, 1, 1), date(2026, 9, 7), "fortnight", "Select a valid choice"),
    ],
)
def test_a_bad_summary_range_is_refused_naming_the_field(
    worker: User, start: date, end: date, period: str, message: str
) -> None:
    client = Client()
    client.force_login(worker)
    response = _summary(client, **_range(start, end, period))
    errors = " ".join(str(e) for e in response.context["form"].errors.values())
    assert message in errors
    assert "There is a problem" in response.content.decode()
