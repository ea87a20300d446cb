"""Consent indicators against hand-counted fixtures: episodes started with the family's
agreement to early help recorded (within 7 days of the start), and withdrawals of consent;
through disclosure control, the comparison page's downloads and the indicators API.

Episodes started in Stockton (teams North and South):

    episode  started   family's consent                                     agreed?
    e1       1 Oct     adult P of the household, 28 Sep; child A2's, 2 Oct  yes (counted once)
    e2       1 Oct     child B's, given by a parent, 8 Oct (the 7th day)     yes
    e3       5 Oct     child C's, 20 Oct (after the 12th)                    no
    e4       6 Oct     child D's: sharing only, not early help              no
    e5       12 Oct    none (a lawful basis)                                 no
    e6       2 Oct     child F's, 1 Sep, early help withdrawn 20 Sep        no
    e7       20 Sep    child G's, 15 Sep                                     yes (September)
    e8       9 Oct     adult Q of another household, 1 Oct                  no
    e9       15 Oct    child H's, 10 Oct; TAF sharing withdrawn 12 Oct       yes

October: 8 started (North e1, e3, e5: 3; South e2, e4, e6, e8, e9: 5), 3 agreed (North 1,
South 2). September: 1 started, 1 agreed. Withdrawals: September 1 (of early help), October
1 (of TAF sharing).
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import cast

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from continuum.accounts.models import User
from continuum.early_help.models import Episode
from continuum.organisations.models import Council, Team
from continuum.people.models import Household
from continuum.performance import disclosure, engine
from continuum.performance.periods import Period, PeriodKind
from continuum.performance.tests import engine_helpers as h
from continuum.testing import factories

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 12, 1)
SEPTEMBER = Period(PeriodKind.MONTH, date(2026, 9, 1), date(2026, 9, 30))
OCTOBER = Period(PeriodKind.MONTH, date(2026, 10, 1), date(2026, 10, 31))
AGREED = "eh_consent_agreed_pct"
WITHDRAWALS = "eh_consent_withdrawals"
EARLY_HELP_WITHDRAWN = "eh_consent_early_help_withdrawn"


@pytest.fixture
def episodes(stockton: Council) -> dict[str, Episode]:
    north = h.team(stockton, "North Early Help", "Stockton North")
    south = h.team(stockton, "South Early Help", "Stockton South")
    child = {name: h.child(stockton, date(2016, 1, 1)) for name in "ABCDEFGHI"}
    child["A2"] = h.child(stockton, date(2018, 1, 1))

    def started(day: date, team: Team, *names: str) -> Episode:
        return h.episode(stockton, day, children=[child[n] for n in names], team_=team)

    made = {
        "e1": started(date(2026, 10, 1), north, "A", "A2"),
        "e2": started(date(2026, 10, 1), south, "B"),
        "e3": started(date(2026, 10, 5), north, "C"),
        "e4": started(date(2026, 10, 6), south, "D"),
        "e5": started(date(2026, 10, 12), north, "E"),
        "e6": started(date(2026, 10, 2), south, "F"),
        "e7": started(date(2026, 9, 20), north, "G"),
        "e8": started(date(2026, 10, 9), south, "I"),
        "e9": started(date(2026, 10, 15), south, "H"),
    }
    h.consent(h.adult(made["e1"].household), date(2026, 9, 28))
    h.consent(child["A2"], date(2026, 10, 2), parent=h.adult(made["e1"].household))
    h.consent(child["B"], date(2026, 10, 8), parent=h.adult(made["e2"].household))
    h.consent(child["C"], date(2026, 10, 20))
    h.consent(child["D"], date(2026, 10, 6), early_help=False)
    withdrawn = h.consent(child["F"], date(2026, 9, 1))
    h.withdrawal(withdrawn, date(2026, 9, 20), early_help=True)
    h.consent(child["G"], date(2026, 9, 15))
    other_household = cast(Household, factories.HouseholdFactory(council=stockton))
    h.consent(h.adult(other_household), date(2026, 10, 1))
    taf_withdrawn = h.consent(child["H"], date(2026, 10, 10))
    h.withdrawal(taf_withdrawn, date(2026, 10, 12))
    return made


def _compute(councils: list[Council], codes: list[str], **kwargs: object) -> engine.Result:
    return engine.compute(
        councils=councils,
        period_kind=PeriodKind.MONTH,
        first=SEPTEMBER.start,
        last=OCTOBER.end,
        indicators=codes,
        as_of=AS_OF,
        **kwargs,  # type: ignore[arg-type]
    )


def test_episodes_started_with_the_familys_agreement(
    episodes: dict[str, Episode], stockton: Council
) -> None:
    result = _compute([stockton], [AGREED])
    october = result.get(AGREED, stockton.pk, OCTOBER)
    assert october is not None
    assert (october.numerator, october.denominator) == (3, 8)
    assert october.value == pytest.approx(37.5)
    september = result.get(AGREED, stockton.pk, SEPTEMBER)
    assert september is not None
    assert (september.numerator, september.denominator, september.value) == (1, 1, 100.0)


def test_by_team(episodes: dict[str, Episode], stockton: Council) -> None:
    result = _compute([stockton], [AGREED], dimension="team")
    north = result.get(AGREED, stockton.pk, OCTOBER, "North Early Help")
    south = result.get(AGREED, stockton.pk, OCTOBER, "South Early Help")
    assert north is not None and south is not None
    assert (north.numerator, north.denominator) == (1, 3)
    assert (south.numerator, south.denominator) == (2, 5)


def test_withdrawals_counted_in_the_month_withdrawn(
    episodes: dict[str, Episode], stockton: Council
) -> None:
    result = _compute([stockton], [WITHDRAWALS, EARLY_HELP_WITHDRAWN], combined=True)
    for code, september, october in ((WITHDRAWALS, 1, 1), (EARLY_HELP_WITHDRAWN, 1, 0)):
        cells = [result.get(code, stockton.pk, p) for p in (SEPTEMBER, OCTOBER)]
        assert [(c.numerator, c.denominator, c.value) for c in cells if c] == [
            (september, None, september),
            (october, None, october),
        ], code
    combined = result.get(WITHDRAWALS, None, OCTOBER)
    assert combined is not None and combined.value == 1


@pytest.fixture
def withdrawals(stockton: Council, hartlepool: Council) -> None:
    """October 2026: Stockton 6 withdrawals (2 of early help), Hartlepool 5 (1 of early
    help); one more of Stockton's in November, outside the month."""
    for council, total, of_early_help in ((stockton, 6, 2), (hartlepool, 5, 1)):
        for i in range(total):
            record = h.consent(h.child(council, date(2015, 1, 1)), date(2026, 6, 1))
            h.withdrawal(record, date(2026, 10, 3 + i), early_help=i < of_early_help)
    late = h.consent(h.child(stockton, date(2015, 1, 1)), date(2026, 6, 1))
    h.withdrawal(late, date(2026, 11, 2))


def test_withdrawals_by_council(withdrawals: None, stockton: Council, hartlepool: Council) -> None:
    result = _compute([stockton, hartlepool], [WITHDRAWALS, EARLY_HELP_WITHDRAWN])
    counts = {
        (code, council.name): getattr(result.get(code, council.pk, OCTOBER), "value", None)
        for code in (WITHDRAWALS, EARLY_HELP_WITHDRAWN)
        for council in (stockton, hartlepool)
    }
    assert counts == {
        (WITHDRAWALS, "Stockton-on-Tees"): 6,
        (WITHDRAWALS, "Hartlepool"): 5,
        (EARLY_HELP_WITHDRAWN, "Stockton-on-Tees"): 2,
        (EARLY_HELP_WITHDRAWN, "Hartlepool"): 1,
    }


def test_small_counts_are_suppressed(
    withdrawals: None, episodes: dict[str, Episode], stockton: Council, hartlepool: Council
) -> None:
    result = disclosure.compute(
        councils=[stockton, hartlepool],
        period_kind=PeriodKind.MONTH,
        first=OCTOBER.start,
        last=OCTOBER.end,
        indicators=[WITHDRAWALS, EARLY_HELP_WITHDRAWN, AGREED],
        as_of=AS_OF,
    )
    shown = result.get(WITHDRAWALS, stockton.pk, OCTOBER)
    assert shown is not None and not shown.suppressed and shown.value == 7  # with e9's
    small = result.get(EARLY_HELP_WITHDRAWN, hartlepool.pk, OCTOBER)
    assert small is not None and small.suppressed
    assert (small.numerator, small.value) == (None, None)
    agreed = result.get(AGREED, stockton.pk, OCTOBER)  # 3 of 8
    assert agreed is not None and agreed.suppressed
    assert (agreed.numerator, agreed.denominator, agreed.value) == (None, None, None)


def test_the_comparison_downloads_hold_them(
    withdrawals: None, partnership_analyst: User, client: Client
) -> None:
    client.force_login(partnership_analyst)
    url = reverse("performance:comparison")
    query = {"indicator": WITHDRAWALS, "period": "2026-10"}
    page = client.get(url, query)
    assert page.status_code == 200
    assert "Withdrawals of consent" in page.content.decode()
    trends = client.get(
        reverse("performance:trends"),
        {"indicator": AGREED, "council": "all", "from": "2026-09", "to": "2026-10"},
    )
    assert trends.status_code == 200
    rows = list(
        csv.reader(io.StringIO(client.get(url, query | {"format": "csv"}).content.decode()))
    )
    by_council = {r[0]: r[1:4] for r in rows[1:4]}
    assert by_council == {
        "Hartlepool": ["5", "", "5"],
        "Stockton-on-Tees": ["6", "", "6"],
        "All councils": ["11", "", "11"],
    }
    xlsx = client.get(
        url, {"indicator": EARLY_HELP_WITHDRAWN, "period": "2026-10", "format": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert "Withdrawals of consent to early help" in str(values[0][0])
    assert [v[:2] for v in values[2:5]] == [
        ("Hartlepool", disclosure.MARKER),
        ("Stockton-on-Tees", disclosure.MARKER),
        ("All councils", disclosure.MARKER),
    ]
    assert any(disclosure.MEANING in str(v[0]) for v in values)


def test_the_api_answers_them(
    withdrawals: None, manager: User, client: Client, stockton: Council, hartlepool: Council
) -> None:
    client.force_login(manager)
    definitions = {i["code"]: i for i in client.get("/api/v1/indicators").json()["items"]}
    assert definitions[AGREED]["unit"] == "percent"
    assert definitions[WITHDRAWALS]["unit"] == "count"
    response = client.get(
        f"/api/v1/indicators/{WITHDRAWALS}/values",
        {
            "council": [stockton.dfe_la_code, hartlepool.dfe_la_code],
            "from": "2026-10",
            "to": "2026-10",
        },
    )
    assert response.status_code == 200, response.content
    values = {v["council"]: (v["numerator"], v["value"]) for v in response.json()["values"]}
    assert values == {stockton.dfe_la_code: (6, 6.0), hartlepool.dfe_la_code: (5, 5.0)}
