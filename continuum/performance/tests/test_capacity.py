"""Capacity: caseloads against the norm (workers named only for councils in detail), the
waiting list, time to allocation, next quarter's demand; the page, downloads and errors."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import cast

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import User
from continuum.early_help.choices import EpisodeStatus
from continuum.early_help.models import EarlyHelpSettings, Episode
from continuum.organisations.models import Council, OrganisationKind, Team
from continuum.performance.capacity import compute_capacity, next_quarter, percentile
from continuum.performance.tests import builders as b
from continuum.testing import factories

pytestmark = pytest.mark.django_db


AS_OF = date(2026, 11, 28)


def _team(council: Council, name: str) -> Team:
    locality = factories.LocalityFactory(council=council, name=f"{name} locality")
    team = factories.TeamFactory(
        organisation=factories.council_services(council), name=name, locality=locality
    )
    return cast(Team, team)


def _open(council: Council, lead: User, team: Team, start: date) -> Episode:
    return b.episode(
        council,
        [b.child(council)],
        start,
        lead=lead,
        allocated=start,
        team=team,
        locality=team.locality,
    )


@pytest.fixture
def caseloads(stockton: Council, hartlepool: Council) -> dict[str, object]:
    """Stockton (norm 2): Ann Council holds 3 families, Sam School 2 across two teams; one
    closed episode; two families waiting. Hartlepool (norm 15): one worker, one family."""
    EarlyHelpSettings.objects.create(council=stockton, caseload_norm=2)
    north, south = _team(stockton, "Stockton North"), _team(stockton, "Stockton South")
    ann = b.worker(stockton)
    ann.first_name, ann.last_name = "Ann", "Council"
    ann.save()
    sam = b.worker(stockton, b.partner(stockton, OrganisationKind.SCHOOL))
    sam.first_name, sam.last_name = "Sam", "School"
    sam.save()

    # Two of Ann's families came from front-door decisions on 1 October, allocated 4 and
    # 10 days later.
    for allocated in (date(2026, 10, 5), date(2026, 10, 11)):
        person = b.child(stockton)
        made = b.contact(stockton, person, date(2026, 10, 1), "eh_single")
        b.episode(
            stockton,
            [person],
            date(2026, 10, 1),
            from_contact=made,
            lead=ann,
            allocated=allocated,
            team=north,
            locality=north.locality,
        )
    _open(stockton, ann, north, date(2026, 9, 1))
    closed = _open(stockton, ann, north, date(2026, 3, 1))
    b.close(closed, date(2026, 6, 1))
    _open(stockton, sam, north, date(2026, 8, 1))
    _open(stockton, sam, south, date(2026, 8, 2))
    for start in (date(2026, 11, 21), date(2026, 10, 1)):
        b.episode(stockton, [b.child(stockton)], start, team=south, locality=south.locality)

    kim = b.worker(hartlepool)
    kim.first_name, kim.last_name = "Kim", "Hartlepool"
    kim.save()
    _open(hartlepool, kim, _team(hartlepool, "Hartlepool Central"), date(2026, 7, 1))
    return {"ann": ann, "sam": sam, "kim": kim}


def test_caseloads_against_the_norm(
    caseloads: dict[str, object], stockton: Council, hartlepool: Council
) -> None:
    result = compute_capacity(councils=[hartlepool, stockton], detail=[stockton], as_of=AS_OF)
    hpool, stock = result.councils

    assert (stock.norm, stock.open_episodes, stock.workers) == (2, 5, 2)
    assert stock.average == 2.5
    assert stock.workers_over_norm == 1  # Ann holds 3; Sam's 2 is not over a norm of 2
    assert stock.percent_over_norm == 50
    assert [(t.name, t.workers, t.open_episodes, t.workers_over_norm) for t in stock.teams] == [
        ("Stockton North", 2, 4, 1),
        ("Stockton South", 1, 1, 0),
    ]
    assert [(w.name, w.open_episodes, w.over_norm) for w in stock.worker_rows] == [
        ("Ann Council", 3, 1),
        ("Sam School", 2, 0),
    ]
    assert stock.worker_rows[1].teams == "Stockton North, Stockton South"

    # Hartlepool: totals only, with the default norm.
    assert (hpool.norm, hpool.open_episodes, hpool.workers, hpool.workers_over_norm) == (
        15,
        1,
        1,
        0,
    )
    assert hpool.teams == [] and hpool.worker_rows == []


def test_the_waiting_list_and_time_to_allocation(
    caseloads: dict[str, object], stockton: Council
) -> None:
    stock = compute_capacity(councils=[stockton], detail=[stockton], as_of=AS_OF).councils[0]
    # Waiting since 21 November (7 days) and 1 October (58 days).
    assert stock.waiting.families == 2
    assert stock.waiting.median_days == 32.5
    assert stock.waiting.longest_days == 58
    assert stock.waiting.bands == (1, 0, 0, 1)
    assert [(team, w.families) for team, w in stock.waiting_by_team] == [("Stockton South", 2)]

    october = next(m for m in stock.allocation if m.month == date(2026, 10, 1))
    assert (october.allocated, october.median_days, october.p90_days) == (2, 7, 10)
    assert stock.allocation_overall is not None and stock.allocation_overall.allocated == 2
    assert len(stock.allocation) == 12 and stock.allocation[0].month == date(2025, 11, 1)


def test_demand_is_projected_from_the_last_twelve_months(
    caseloads: dict[str, object], stockton: Council
) -> None:
    result = compute_capacity(councils=[stockton], detail=[], as_of=AS_OF)
    assert result.months[0] == date(2025, 11, 1) and result.months[-1] == date(2026, 10, 1)
    assert result.quarter == (date(2027, 1, 1), date(2027, 3, 31))
    contacts, starts = result.councils[0].demand
    assert contacts.what == "Contacts received"
    assert contacts.counts[-1] == 2 and sum(contacts.counts) == 2
    # Episodes started: March, August (2), September, October (3 with the one waiting);
    # the one started in November is in this month, which has not finished.
    assert sum(starts.counts) == 7
    assert starts.counts[-1] == 3
    assert starts.projection.expected >= 0
    assert result.councils[0].teams == []  # not in detail: no teams or workers


@pytest.mark.parametrize(
    ("today", "quarter"),
    [
        (date(2026, 11, 28), (date(2027, 1, 1), date(2027, 3, 31))),
        (date(2026, 4, 1), (date(2026, 7, 1), date(2026, 9, 30))),
        (date(2027, 3, 31), (date(2027, 4, 1), date(2027, 6, 30))),
    ],
)
def test_next_quarter_is_the_financial_quarter_after_this_one(
    today: date, quarter: tuple[date, date]
) -> None:
    assert next_quarter(today) == quarter


def test_the_nearest_rank_percentile() -> None:
    assert percentile([], 0.9) is None
    assert percentile([5], 0.9) == 5
    assert percentile(list(range(1, 11)), 0.9) == 9
    assert percentile(list(range(1, 12)), 0.9) == 10


def test_the_norm_defaults_to_fifteen(stockton: Council) -> None:
    assert EarlyHelpSettings.objects.create(council=stockton).caseload_norm == 15


# --- the page ---------------------------------------------------------------------------


def test_a_manager_sees_their_own_councils_workers_only(
    caseloads: dict[str, object], client: Client, manager: User
) -> None:
    client.force_login(manager)
    response = client.get(reverse("performance:capacity"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ann Council" in html and "Sam School" in html
    assert "Kim Hartlepool" not in html
    assert "Hartlepool Central" not in html
    assert "Hartlepool" in html  # its totals
    assert "How the projection for January to March 2027 is made" in html
    # Two charts (caseloads against the norm; demand and its projection), as data images.
    assert html.count('src="data:image/svg+xml;base64,') == 2


def test_a_partnership_analyst_sees_the_workers_of_every_council_it_serves(
    caseloads: dict[str, object], partnership_analyst: User, client: Client
) -> None:
    client.force_login(partnership_analyst)
    html = client.get(reverse("performance:capacity")).content.decode()
    assert "Ann Council" in html and "Kim Hartlepool" in html


def test_who_may_see_capacity(client: Client, eh_worker: User) -> None:
    url = reverse("performance:capacity")
    assert client.get(url).status_code == 302
    client.force_login(eh_worker)
    assert client.get(url).status_code == 403


def test_the_workers_table_downloads_without_other_councils_workers(
    caseloads: dict[str, object], client: Client, manager: User
) -> None:
    client.force_login(manager)
    response = client.get(reverse("performance:capacity"), {"table": "workers", "format": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:2] == ["Council", "Lead professional"]
    assert rows[1][:2] == ["Stockton-on-Tees", "Ann Council"]
    assert all("Kim" not in cell for row in rows for cell in row)


@pytest.mark.parametrize("table", ["caseloads", "teams", "waiting", "allocation", "demand"])
def test_the_tables_download(
    caseloads: dict[str, object], client: Client, manager: User, table: str
) -> None:
    client.force_login(manager)
    response = client.get(reverse("performance:capacity"), {"table": table, "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"council": "nowhere"}, "Choose a council from the list"),
        ({"format": "csv"}, "Choose which table to download"),
        ({"table": "people", "format": "csv"}, "Choose which table to download"),
        ({"table": "workers", "format": "docx"}, "Download as CSV or XLSX"),
    ],
)
def test_bad_parameters_show_the_error_summary(
    client: Client, query: dict[str, str], message: str, manager: User
) -> None:
    client.force_login(manager)
    response = client.get(reverse("performance:capacity"), query)
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert message in response.content.decode()


def test_the_page_costs_the_same_queries_whatever_the_caseloads(
    stockton: Council, client: Client, manager: User
) -> None:
    client.force_login(manager)
    url = reverse("performance:capacity")
    team = _team(stockton, "Growing team")
    today = timezone.localdate()

    def grow(n: int) -> None:
        for i in range(n):
            lead = b.worker(stockton)
            person = b.child(stockton)
            made = b.contact(stockton, person, today - timedelta(days=40 + i), "eh_single")
            b.episode(
                stockton,
                [person],
                today - timedelta(days=40 + i),
                from_contact=made,
                lead=lead,
                allocated=today - timedelta(days=35),
                team=team,
                locality=team.locality,
            )
            b.episode(stockton, [b.child(stockton)], today, team=team, locality=team.locality)

    grow(1)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow(5)
    cache.clear()
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
    assert Episode.objects.filter(status=EpisodeStatus.AWAITING_ALLOCATION).count() == 6
