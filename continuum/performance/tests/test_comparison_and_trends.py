"""The council comparison and trends pages: who sees what, the numbers against a small
hand-counted fixture, the charts, the downloads and bad query parameters."""

from __future__ import annotations

import base64
import csv
import io
import re
from datetime import date, datetime, time
from typing import cast

import pytest
import time_machine
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from continuum.accounts.models import Role, User
from continuum.organisations.models import Council, Locality, OrganisationKind, Team
from continuum.performance.models import AgeBand, ChildPopulation
from continuum.testing import factories

pytestmark = pytest.mark.django_db

COMPARISON = reverse("performance:comparison")
TRENDS = reverse("performance:trends")
REPEAT = "fd_repeat_contacts_pct"
CONTACTS = "fd_contacts_per_10k"


def _team(council: Council, name: str, locality: str) -> Team:
    place, _ = Locality.objects.get_or_create(council=council, name=locality)
    return cast(
        Team,
        factories.TeamFactory(
            organisation=factories.council_services(council), name=name, locality=place
        ),
    )


def _contacts(council: Council, day: date, count: int, team: Team, repeats: int = 0) -> None:
    received = timezone.make_aware(datetime.combine(day, time(10)))
    for i in range(count):
        factories.ContactFactory(
            council=council, received_at=received, team=team, is_repeat=i < repeats
        )


def _population(council: Council, per_band: int, years: tuple[int, ...] = (2026,)) -> None:
    for year in years:
        for band in AgeBand:
            ChildPopulation.objects.create(
                council=council, mid_year=year, age_band=band, children=per_band, source="Test"
            )


@pytest.fixture
def october(stockton: Council, hartlepool: Council) -> None:
    """October 2026. Stockton: 50 contacts, 15 repeats (North 30 with 10, South 20 with 5),
    50,000 children. Hartlepool: 25 contacts, 20 repeats (team Headland), 25,000 children.
    All councils: 35 repeats of 75 contacts = 46.7%; 75 contacts per 75,000 = 10 per 10,000.
    (No count below 5: smaller ones are suppressed, see test_disclosure.)"""
    north = _team(stockton, "North Stockton front door", "Billingham")
    south = _team(stockton, "South Stockton front door", "Thornaby")
    headland = _team(hartlepool, "Headland front door", "Headland")
    _contacts(stockton, date(2026, 10, 6), 30, north, repeats=10)
    _contacts(stockton, date(2026, 10, 20), 20, south, repeats=5)
    _contacts(hartlepool, date(2026, 10, 13), 25, headland, repeats=20)
    _population(stockton, 12500)
    _population(hartlepool, 6250)


def _svgs(html: str) -> list[str]:
    found = re.findall(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', html)
    return [base64.b64decode(item).decode("utf-8") for item in found]


def _table_rows(html: str) -> list[list[str]]:
    """The first table's body rows as text, the way the page shows them."""
    body = html.split('<tbody class="govuk-table__body">', 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    return [[c.strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)] for r in rows]


# --- comparison ------------------------------------------------------------------------------


def test_comparison_shows_every_council_the_combined_figure_and_a_funnel_plot(
    october: None, partnership_analyst: User, client: Client
) -> None:
    client.force_login(partnership_analyst)
    response = client.get(COMPARISON, {"indicator": REPEAT, "period": "2026-10"})
    assert response.status_code == 200
    html = response.content.decode()
    rows = _table_rows(html)
    assert rows[0][:4] == ["Hartlepool", "20", "25", "80.0"]
    assert rows[1][:4] == ["Stockton-on-Tees", "15", "50", "30.0"]
    assert rows[2][:4] == ["All councils", "35", "75", "46.7"]
    # Hartlepool, 20 of 25 against 35/75 (46.7%): Binomial(25, 0.467) has mean 11.7 and
    # standard deviation 2.49, so 20 is 3.3 deviations above: past the 99.8% limit (about
    # 3.1). Stockton's 15 of 50 (mean 23.3, deviation 3.53) is 2.4 below: past the 95%
    # limit only; repeat contacts are better lower.
    assert rows[0][4] == "Above the 99.8% limit: worse than all councils"
    assert rows[1][4] == "Below the 95% limit: better than all councils"
    (svg,) = _svgs(html)
    assert svg.startswith("<?xml") and "</svg>" in svg
    assert "Stockton-on-Tees" in svg and "Hartlepool" in svg
    assert "99.8% limits" in svg
    assert 'alt="Funnel plot of repeat contacts within 12 months' in html
    # No breakdown without asking for one, and never a child's name.
    assert "North Stockton front door" not in html


def test_the_funnel_marks_a_council_far_from_the_others(
    stockton: Council, hartlepool: Council, partnership_analyst: User, client: Client
) -> None:
    big = _team(stockton, "North Stockton front door", "Billingham")
    small = _team(hartlepool, "Headland front door", "Headland")
    _contacts(stockton, date(2026, 10, 6), 60, big, repeats=6)  # 10%
    _contacts(hartlepool, date(2026, 10, 6), 30, small, repeats=24)  # 80%
    client.force_login(partnership_analyst)
    html = client.get(COMPARISON, {"indicator": REPEAT, "period": "2026-10"}).content.decode()
    rows = {row[0]: row for row in _table_rows(html)}
    # Repeat contacts: lower is better. 80% of 30 against 33.3% is far above the limits.
    assert rows["Hartlepool"][4] == "Above the 99.8% limit: worse than all councils"
    assert rows["Stockton-on-Tees"][4] == "Below the 99.8% limit: better than all councils"
    assert "Beyond the 99.8% limits" in _svgs(html)[0]


def test_a_rate_per_10000_children_compares_on_poisson_limits(
    october: None, partnership_analyst: User, client: Client
) -> None:
    client.force_login(partnership_analyst)
    response = client.get(COMPARISON, {"indicator": CONTACTS, "period": "2026-10"})
    assert response.status_code == 200
    rows = _table_rows(response.content.decode())
    assert rows[0][:4] == ["Hartlepool", "25", "25,000", "10.0"]
    assert rows[1][:4] == ["Stockton-on-Tees", "50", "50,000", "10.0"]
    assert "Children (population)" in _svgs(response.content.decode())[0]


def test_a_manager_sees_their_own_councils_breakdown_beside_the_others_totals(
    october: None, manager: User, client: Client
) -> None:
    client.force_login(manager)
    response = client.get(
        COMPARISON, {"indicator": REPEAT, "period": "2026-10", "dimension": "team"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert [row[0] for row in _table_rows(html)] == [
        "Hartlepool",
        "Stockton-on-Tees",
        "All councils",
    ]
    breakdown = html.split("By team", 1)[1]
    assert "North Stockton front door" in breakdown
    assert "South Stockton front door" in breakdown
    assert "Headland front door" not in html  # Hartlepool's teams are not Stockton's
    svgs = _svgs(html)
    assert len(svgs) == 2  # the funnel plot and Stockton's bar chart
    assert "North Stockton front door" in svgs[1]


def test_breakdown_download_has_the_councils_own_rows_only(
    october: None, manager: User, client: Client
) -> None:
    client.force_login(manager)
    response = client.get(
        COMPARISON,
        {
            "indicator": REPEAT,
            "period": "2026-10",
            "dimension": "team",
            "table": "breakdown",
            "format": "csv",
        },
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Council", "Team", "Numerator", "Denominator", "Value (per cent)"]
    assert rows[1:4] == [
        ["Stockton-on-Tees", "North Stockton front door", "10", "30", "33.3"],
        ["Stockton-on-Tees", "South Stockton front door", "5", "20", "25.0"],
        ["Stockton-on-Tees", "All", "", "", "30.0"],
    ]
    assert "Hartlepool" not in response.content.decode()


def test_comparison_downloads_match_the_table(
    october: None, partnership_analyst: User, client: Client
) -> None:
    client.force_login(partnership_analyst)
    query = {"indicator": REPEAT, "period": "2026-10"}
    page_rows = _table_rows(client.get(COMPARISON, query).content.decode())
    response = client.get(COMPARISON, query | {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["Council", "Numerator", "Denominator", "Value (per cent)"]
    assert [r[:4] for r in rows[1:4]] == [r[:4] for r in page_rows]
    assert [r[4] for r in rows[1:3]] == [r[4] for r in page_rows[:2]]
    assert any(r and r[0].startswith("Numerator:") for r in rows)
    xlsx = client.get(COMPARISON, query | {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert values[2][:4] == ("Hartlepool", 20, 25, 80.0)
    assert values[4][:4] == ("All councils", 35, 75, 46.7)


@time_machine.travel(datetime(2026, 11, 15, 12, 0), tick=False)
def test_the_latest_complete_period_is_the_default(
    october: None, partnership_analyst: User, client: Client
) -> None:
    client.force_login(partnership_analyst)
    html = client.get(COMPARISON, {"indicator": REPEAT}).content.decode()
    assert '<option value="2026-10" selected>October 2026</option>' in html
    assert _table_rows(html)[2][:4] == ["All councils", "35", "75", "46.7"]
    quarter = client.get(COMPARISON, {"indicator": REPEAT, "period_kind": "quarter"})
    # Q2 2026-27 (July to September) is the latest finished quarter; October is not in it.
    assert '<option value="2026-09" selected>Q2 2026-27</option>' in quarter.content.decode()


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"indicator": "no_such_indicator"}, "indicator", "Choose an indicator from the list"),
        ({"period_kind": "fortnight"}, "period_kind", "Choose month, quarter"),
        ({"period": "2026-13"}, "period", "the month must be 01 to 12"),
        ({"period": "October"}, "period", "use the form YYYY-MM"),
        ({"period": "2099-01"}, "period", "has not finished yet"),
        ({"dimension": "shoe_size"}, "dimension", "Choose a breakdown from the list"),
        (
            {"indicator": REPEAT, "dimension": "lead_professional_agency"},
            "dimension",
            "cannot be broken down by lead professional",
        ),
        ({"format": "pdf"}, "format", "Download as CSV or XLSX"),
        ({"table": "breakdown", "format": "csv"}, "table", "choose a breakdown first"),
    ],
)
def test_bad_comparison_parameters_show_the_error_summary(
    query: dict[str, str],
    field: str,
    message: str,
    partnership_analyst: User,
    client: Client,
) -> None:
    client.force_login(partnership_analyst)
    response = client.get(COMPARISON, query)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert f'href="#{field}"' in html
    assert message in html
    assert "govuk-table" not in html  # nothing computed, nothing downloaded


def test_a_breakdown_is_refused_to_a_user_who_works_for_no_council(
    stockton: Council, client: Client
) -> None:
    body = factories.OrganisationFactory(name="Test Research Unit", kind=OrganisationKind.OTHER)
    analyst = cast(User, factories.UserFactory(role=Role.PERFORMANCE_ANALYST, organisation=body))
    client.force_login(analyst)
    assert client.get(COMPARISON, {"period": "2026-10"}).status_code == 200
    response = client.get(COMPARISON, {"period": "2026-10", "dimension": "team"})
    assert response.status_code == 400
    assert "Breakdowns are only for the councils you work for" in response.content.decode()


# --- trends ----------------------------------------------------------------------------------


@pytest.fixture
def shifted_year(stockton: Council) -> None:
    """Stockton, 50,000 children: 10, 15, 10 contacts in January to March 2026, then 25 a
    month from April to October (2, 3, 2, then 5 per 10,000 children; five times a small
    sum, so no count is below 5 and suppressed): with the first three months as the
    baseline (mean 2.33, mean moving range 1, upper limit 4.99), every month from April is
    above it."""
    team = _team(stockton, "North Stockton front door", "Billingham")
    for month, count in zip(range(1, 11), [2, 3, 2, 5, 5, 5, 5, 5, 5, 5], strict=True):
        _contacts(stockton, date(2026, month, 10), 5 * count, team)
    _population(stockton, 12500)


def test_trends_draws_the_spc_chart_and_says_what_it_shows(
    shifted_year: None, stockton: Council, partnership_analyst: User, client: Client
) -> None:
    client.force_login(partnership_analyst)
    query = {
        "indicator": CONTACTS,
        "council": stockton.dfe_la_code,
        "from": "2026-01",
        "to": "2026-10",
        "baseline": "3",
    }
    response = client.get(TRENDS, query)
    assert response.status_code == 200
    html = response.content.decode()
    # Contacts per 10,000 has no better direction: special cause "neither", said plainly.
    assert "special cause neither" not in html.lower()
    assert (
        "Special cause variation of an increasing nature, neither an improvement nor a concern "
        "(neither higher nor lower is better): October 2026 was above the upper limit"
    ) in html
    assert "7 months in a row above the average since April 2026" in html
    assert "April 2026 was above the upper limit" not in html  # the latest point leads
    assert "October 2026 was above the upper limit" in html
    (svg,) = _svgs(html)
    assert "Special cause: neither better nor worse" in svg
    assert "End of the baseline" in svg
    assert "Jan 2026" in svg
    rows = _table_rows(html)
    assert rows[0] == [
        "January 2026",
        "10",
        "50,000",
        "2.0",
        "Common cause variation: no significant change",
        "–",
    ]
    assert rows[9][:4] == ["October 2026", "25", "50,000", "5.0"]
    assert rows[9][4].startswith("Special cause variation of an increasing nature, neither")
    assert "Outside limits" in rows[9][5] and "shift" in rows[9][5].lower()


def test_trends_for_all_councils_together_and_its_downloads(
    shifted_year: None, hartlepool: Council, partnership_analyst: User, client: Client
) -> None:
    _population(hartlepool, 12500)
    client.force_login(partnership_analyst)
    query = {"indicator": CONTACTS, "council": "all", "from": "2026-01", "to": "2026-10"}
    response = client.get(TRENDS, query)
    assert response.status_code == 200
    html = response.content.decode()
    assert "all councils together" in html
    page_rows = _table_rows(html)
    assert page_rows[0][:4] == ["January 2026", "10", "100,000", "1.0"]
    download = client.get(TRENDS, query | {"format": "csv"})
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert rows[0][:4] == ["Period", "Numerator", "Denominator", "Value (per 10,000 children)"]
    assert [r[:5] for r in rows[1:11]] == [
        [r[0], r[1].replace(",", ""), r[2].replace(",", ""), r[3], r[4]] for r in page_rows
    ]
    xlsx = client.get(TRENDS, query | {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    assert list(sheet.iter_rows(values_only=True))[2][:4] == ("January 2026", 10, 100000, 1.0)


def test_trends_defaults_to_the_users_own_council(
    manager: User, stockton: Council, client: Client
) -> None:
    client.force_login(manager)
    html = client.get(TRENDS, {"to": "2026-10"}).content.decode()
    assert f'<option value="{stockton.dfe_la_code}" selected>Stockton-on-Tees</option>' in html
    assert 'value="2023-11"' in html  # 36 months to October 2026


def test_a_target_gives_assurance(
    shifted_year: None, stockton: Council, partnership_analyst: User, client: Client
) -> None:
    client.force_login(partnership_analyst)
    query = {
        "indicator": CONTACTS,
        "council": stockton.dfe_la_code,
        "from": "2026-01",
        "to": "2026-10",
        "target": "4",
    }
    html = client.get(TRENDS, query).content.decode()
    assert "Against the target of 4.0" in html


def test_rolling_12_months_warns_that_its_points_overlap(
    shifted_year: None, stockton: Council, partnership_analyst: User, client: Client
) -> None:
    client.force_login(partnership_analyst)
    query = {
        "indicator": CONTACTS,
        "council": stockton.dfe_la_code,
        "period_kind": "rolling_12_months",
        "from": "2026-01",
        "to": "2026-10",
    }
    html = client.get(TRENDS, query).content.decode()
    assert "share 11 of their 12 months" in html
    # 12 months to October 2026: all 210 contacts of 2026 per 50,000 children.
    assert _table_rows(html)[-1][:4] == ["12 months to October 2026", "210", "50,000", "42.0"]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"from": "2026-1x"}, "from", "use the form YYYY-MM"),
        ({"from": "2026-10", "to": "2026-01"}, "from", "must be before the last month"),
        ({"from": "2010-01", "to": "2026-01"}, "from", "at most 120 months"),
        ({"to": "2099-01"}, "to", "has not finished yet"),
        ({"council": "999"}, "council", "Choose a council from the list"),
        ({"indicator": "nope"}, "indicator", "Choose an indicator from the list"),
        ({"target": "lots"}, "target", "The target must be a number"),
        ({"target": "nan"}, "target", "The target must be a number"),
        ({"baseline": "1"}, "baseline", "2 or more"),
        ({"format": "docx"}, "format", "Download as CSV or XLSX"),
    ],
)
def test_bad_trends_parameters_show_the_error_summary(
    query: dict[str, str], field: str, message: str, partnership_analyst: User, client: Client
) -> None:
    client.force_login(partnership_analyst)
    response = client.get(TRENDS, query)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert f'href="#{field}"' in html
    assert message in html
    assert "govuk-table" not in html


def test_too_few_points_says_so_instead_of_drawing(
    stockton: Council, partnership_analyst: User, client: Client
) -> None:
    client.force_login(partnership_analyst)
    query = {
        "indicator": CONTACTS,
        "council": stockton.dfe_la_code,
        "from": "2026-10",
        "to": "2026-10",
    }
    response = client.get(TRENDS, query)
    assert response.status_code == 200
    html = response.content.decode()
    assert "not enough months with a value" in html
    assert not _svgs(html)


# --- who may see the pages -------------------------------------------------------------------


@pytest.mark.parametrize("url", [COMPARISON, TRENDS])
def test_case_workers_are_refused_and_strangers_asked_to_sign_in(
    url: str, client: Client, eh_worker: User, worker: User
) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{resolve_url(settings.LOGIN_URL)}?next={url}")
    client.force_login(eh_worker)
    assert client.get(url).status_code == 403
    client.force_login(worker)
    assert client.get(url, {"format": "csv"}).status_code == 403


@pytest.mark.parametrize("url", [COMPARISON, TRENDS])
def test_the_pages_are_in_the_sub_navigation(
    url: str, partnership_analyst: User, client: Client
) -> None:
    client.force_login(partnership_analyst)
    html = client.get(reverse("performance:index")).content.decode()
    assert f'href="{url}"' in html


def test_trends_start_where_the_records_do(
    manager: User, stockton: Council, client: Client
) -> None:
    """Without a chosen first month, the chart begins at the first month with contacts
    (not months of zeros before the records began), and the user may still go earlier."""
    team = _team(stockton, "Front door", "North")
    _contacts(stockton, date(2025, 6, 10), 3, team)
    client.force_login(manager)
    html = client.get(TRENDS, {"to": "2026-10"}).content.decode()
    assert 'value="2025-06"' in html
    assert _table_rows(html)[0][0] == "June 2025"
    earlier = client.get(TRENDS, {"from": "2024-01", "to": "2026-10"}).content.decode()
    assert _table_rows(earlier)[0][0] == "January 2024"
