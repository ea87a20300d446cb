"""The comparison and deflator pages, the navigation item, and the spending section of the
partnership report."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import Role, User
from continuum.organisations.models import Council
from continuum.performance.periods import last_complete_month
from continuum.spending.choices import ReturnStatus
from continuum.spending.models import DeflatorSeries
from continuum.spending.tests import cmp_world as w
from continuum.spending.tests.cmp_world import spending_reference_data  # noqa: F401
from continuum.testing import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("spending_reference_data")]

MakeUser = Callable[..., Any]

URL = "/spending/"
ALLOWED = [Role.TEAM_MANAGER, Role.PERFORMANCE_ANALYST, Role.STRATEGIC_LEAD]
REFUSED = [
    Role.FRONT_DOOR_WORKER,
    Role.EARLY_HELP_PRACTITIONER,
    Role.PARTNER_PRACTITIONER,
    Role.AUDITOR,
    Role.INFORMATION_GOVERNANCE_LEAD,
]


@pytest.fixture
def returns(stockton: Council, hartlepool: Council) -> None:
    for council, amount, status in (
        (stockton, 300_000, ReturnStatus.SIGNED_OFF),
        (hartlepool, 100_000, ReturnStatus.SUBMITTED),
    ):
        ret = w.a_return(council, 2023, status)
        w.spend(
            ret,
            factories.council_category(council, "FS", "Family support", "family_support"),
            amount,
        )


@pytest.mark.parametrize("role", [*ALLOWED, Role.SAFEGUARDING_PARTNERSHIP_LEAD])
def test_dashboard_roles_and_the_partnership_lead_see_the_comparison(
    make_user: MakeUser,
    client: Client,
    returns: None,
    role: str,
) -> None:
    client.force_login(make_user(role))
    response = client.get(URL, {"years": "2023-24", "measure": "total", "prices": "real"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Early help spending compared" in page
    assert "Stockton-on-Tees" in page and "Hartlepool" in page
    assert "300,000.0" in page
    # The deflator named with its source and base year, and what it is.
    assert "2023-24 prices" in page and "HM Treasury" in page
    assert "Entered for the demonstration" in page
    # Hartlepool's return is awaiting sign-off: shown, and flagged.
    assert "Return not signed off" in page and "100,000.0" in page
    assert "voluntary sector&#x27;s own resources" in page.lower() or "own resources" in page


@pytest.mark.parametrize("role", REFUSED)
def test_practitioners_partners_and_auditors_do_not(
    make_user: MakeUser,
    client: Client,
    role: str,
) -> None:
    client.force_login(make_user(role))
    assert client.get(URL).status_code == 403
    assert client.get(reverse("spending:deflators")).status_code == 403


def test_signed_out_users_are_sent_to_sign_in(client: Client) -> None:
    assert client.get(URL).status_code == 302


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"measure": "per_teacher"}, "measure"),
        ({"prices": "nominal"}, "prices"),
        ({"years": "soon"}, "years"),
        ({"councils": "999999"}, "councils"),
        ({"format": "pdf"}, "format"),
        ({"format": "csv", "table": "secret"}, "format"),
    ],
)
def test_a_query_it_cannot_answer_shows_the_error_summary(
    analyst: User, client: Client, query: dict[str, str], field: str
) -> None:
    client.force_login(analyst)
    response = client.get(URL, query)
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and f'href="#{field}"' in page


def test_each_table_downloads_as_csv_and_xlsx(analyst: User, client: Client, returns: None) -> None:
    client.force_login(analyst)
    csv = client.get(
        URL,
        {
            "years": "2023-24",
            "measure": "total",
            "prices": "cash",
            "table": "measure",
            "format": "csv",
        },
    )
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    body = csv.content.decode()
    assert "Stockton-on-Tees,300000.0" in body and "Hartlepool,100000.0" in body
    for table in ("categories", "sources", "voluntary", "denominators", "flags"):
        xlsx = client.get(URL, {"table": table, "format": "xlsx"})
        assert xlsx.status_code == 200, table
        assert xlsx["Content-Disposition"].endswith('.xlsx"')


def test_the_navigation_offers_spending_to_those_allowed(
    analyst: User, eh_worker: User, client: Client
) -> None:
    client.force_login(analyst)
    assert 'href="/spending/"' in client.get("/").content.decode()
    client.force_login(eh_worker)
    assert 'href="/spending/"' not in client.get("/").content.decode()


def test_the_deflators_page_names_the_series(analyst: User, client: Client) -> None:
    client.force_login(analyst)
    page = client.get(reverse("spending:deflators")).content.decode()
    assert "HM Treasury" in page and "2023-24 = 100" in page and "2026-27" in page
    assert "Load a new series" not in page  # an analyst may not
    assert client.post(reverse("spending:deflators"), {}).status_code == 403


def test_the_partnership_lead_loads_a_series_from_the_page(
    make_user: MakeUser, client: Client
) -> None:
    client.force_login(make_user(Role.SAFEGUARDING_PARTNERSHIP_LEAD))
    form = {
        "name": "GDP deflators at market prices",
        "source": "HM Treasury, test release",
        "published_on_day": "15",
        "published_on_month": "1",
        "published_on_year": "2026",
        "base_year": "2024-25",
        "rows": "year,index\n2023-24,96.5\n2024-25,100\n",
    }
    bad = client.post(reverse("spending:deflators"), {**form, "rows": "2024-25,100\n2025-26,minus"})
    assert bad.status_code == 400
    assert "not a number" in bad.content.decode()
    assert DeflatorSeries.objects.count() == 1
    good = client.post(reverse("spending:deflators"), form)
    assert good.status_code == 303
    current = DeflatorSeries.objects.get(is_current=True)
    assert current.source == "HM Treasury, test release" and current.base_year == 2024


# The partnership report's section --------------------------------------------------------


@pytest.fixture
def report_month(stockton: Council) -> str:
    month = last_complete_month()
    for n in range(5):
        factories.ContactFactory(
            council=stockton,
            received_at=timezone.make_aware(datetime.combine(month + timedelta(days=n), time(10))),
        )
    return f"{month:%Y-%m}"


def test_the_partnership_report_shows_the_spending_section(
    analyst: User, client: Client, stockton: Council, hartlepool: Council, report_month: str
) -> None:
    month = last_complete_month()
    year = month.year - 1 if month.month >= 4 else month.year - 2
    for council in (stockton, hartlepool):
        ret = w.a_return(council, year)
        w.spend(
            ret,
            factories.council_category(council, "FS", "Family support", "family_support"),
            250_000,
        )
    w.a_return(stockton, year + 1)  # a year not yet ended: not the one shown
    client.force_login(analyst)
    response = client.get(reverse("performance:report"), {"month": report_month})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="spending"' in page and "Early help spending" in page
    label = f"{year}-{(year + 1) % 100:02d}"
    assert f"Early help spending by council, {label}, real terms" in page
    assert "Per family helped" in page and "HM Treasury" in page


def test_without_returns_the_report_has_no_spending_section(
    analyst: User, client: Client, report_month: str
) -> None:
    client.force_login(analyst)
    response = client.get(reverse("performance:report"), {"month": report_month})
    assert response.status_code == 200
    assert 'id="spending"' not in response.content.decode()
