"""Who sees the performance section and in how much detail; tables and their downloads."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from continuum.access import policy
from continuum.accounts.models import Role, User
from continuum.organisations.models import Council
from continuum.performance.policies import (
    PerformanceAction,
    councils_compared,
    councils_in_detail,
)
from continuum.performance.tables import Table, download_response

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["manager", "partnership_analyst"])
def test_every_dashboard_user_compares_all_councils(
    stockton: Council, hartlepool: Council, request: pytest.FixtureRequest, who: str
) -> None:
    user = request.getfixturevalue(who)
    assert policy.can(user, PerformanceAction.VIEW_DASHBOARDS)
    assert list(councils_compared(user)) == [hartlepool, stockton]


def test_detail_is_for_the_councils_a_user_works_for(
    stockton: Council, hartlepool: Council, manager: User, partnership_analyst: User
) -> None:
    assert list(councils_in_detail(manager)) == [stockton]
    assert policy.can(manager, PerformanceAction.VIEW_DETAIL, stockton)
    assert not policy.can(manager, PerformanceAction.VIEW_DETAIL, hartlepool)
    assert list(councils_in_detail(partnership_analyst)) == [hartlepool, stockton]
    assert policy.can(partnership_analyst, PerformanceAction.VIEW_DETAIL, hartlepool)


@pytest.mark.parametrize(
    "role",
    [Role.FRONT_DOOR_WORKER, Role.EARLY_HELP_PRACTITIONER, Role.PARTNER_PRACTITIONER, Role.AUDITOR],
)
def test_case_workers_and_partners_do_not_see_the_dashboards(
    role: str, stockton: Council, make_user: Callable[..., User], client: Client
) -> None:
    user = make_user(role, council=stockton)
    assert not policy.can(user, PerformanceAction.VIEW_DASHBOARDS)
    assert not councils_compared(user).exists()
    client.force_login(user)
    assert client.get(reverse("performance:index")).status_code == 403


def test_the_index_says_which_councils_the_user_sees_in_detail(
    client: Client, manager: User
) -> None:
    client.force_login(manager)
    response = client.get(reverse("performance:index"))
    assert response.status_code == 200
    assert "the detail (teams, localities, agencies, workers) for Stockton-on-Tees" in (
        response.content.decode()
    )


def test_anonymous_users_are_sent_to_sign_in(client: Client) -> None:
    response = client.get(reverse("performance:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


def sample() -> Table:
    return Table(
        caption="Contacts per 10,000 children",
        columns=["Council", "Contacts", "Rate"],
        rows=[["Hartlepool", 120, 60.5], ['=HYPERLINK("x")', 3, None]],
        numeric=[False, True, True],
        notes=["Source: Continuum"],
    )


def test_a_row_of_the_wrong_width_is_refused() -> None:
    with pytest.raises(ValueError, match="wrong number of cells"):
        Table(caption="t", columns=["a", "b"], rows=[["only one"]])


def test_csv_download_has_the_tables_numbers_and_defuses_formulas() -> None:
    response = download_response(sample(), "Contacts per 10,000 children", "csv")
    assert response["Content-Disposition"] == (
        'attachment; filename="contacts-per-10-000-children.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Council", "Contacts", "Rate"]
    assert rows[1] == ["Hartlepool", "120", "60.5"]
    assert rows[2] == ['\'=HYPERLINK("x")', "3", ""]
    assert rows[3] == ["Source: Continuum"]


def test_xlsx_download_has_the_same_numbers() -> None:
    response = download_response(sample(), "Contacts", "xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "Contacts per 10,000 children"
    assert values[1] == ["Council", "Contacts", "Rate"]
    assert values[2] == ["Hartlepool", 120, 60.5]


def test_an_unknown_download_format_is_an_error() -> None:
    with pytest.raises(ValueError, match="Download as csv or xlsx"):
        download_response(sample(), "Contacts", "pdf")


def test_money_columns_read_as_pounds_on_the_page_and_stay_numbers_in_downloads() -> None:
    table = Table(
        caption="Spend per child",
        columns=["Council", "Per child (£)", "Families"],
        numeric=[False, True, True],
        money=[False, True, False],
        rows=[["Hartlepool", 1168.2, 15], ["Stockton-on-Tees", None, 3]],
    )
    body = [[cell["text"] for cell in row] for row in table.body()]
    assert body == [["Hartlepool", "£1,168.20", "15"], ["Stockton-on-Tees", "–", "3"]]
    rows = list(csv.reader(io.StringIO(download_response(table, "t", "csv").content.decode())))
    assert rows[1] == ["Hartlepool", "1168.2", "15"]
