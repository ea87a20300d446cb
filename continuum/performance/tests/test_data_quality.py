"""Data quality: each check counts what it should, by council and (in detail) by team; the
page, its downloads and its errors; queries that do not grow with the records."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date, timedelta
from typing import cast

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import Role, User
from continuum.early_help.models import Assessment, ChildVoice, Need
from continuum.front_door.choices import FamilyAgreement, Outcome, ReferralSource
from continuum.organisations.models import Council, Team
from continuum.people.choices import Ethnicity
from continuum.performance.data_quality import NO_TEAM, compute_data_quality
from continuum.performance.tests import builders as b
from continuum.statutory.choices import InvolvementKind
from continuum.testing import factories
from continuum.thresholds.models import Domain

pytestmark = pytest.mark.django_db


FIRST, LAST = date(2026, 1, 1), date(2026, 3, 31)


def _team(council: Council, name: str) -> Team:
    team = factories.TeamFactory(organisation=factories.council_services(council), name=name)
    return cast(Team, team)


@pytest.fixture
def records(stockton: Council, hartlepool: Council) -> dict[str, Team]:
    front_door = _team(stockton, "Stockton Front Door")
    x = b.child(stockton, date_of_birth=None, ethnicity=Ethnicity.WBRI)  # no date of birth
    y = b.child(stockton, ethnicity=Ethnicity.NOBT)  # ethnicity not obtained

    # c1: unknown source, neither agreement nor lawful basis, a level unlike the suggestion
    # with no reason why.
    c1 = b.contact(
        stockton,
        x,
        date(2026, 1, 10),
        Outcome.NO_FURTHER_ACTION,
        team=front_door,
        referral_source=ReferralSource.UNKNOWN,
        family_agreement="",
        lawful_basis="",
    )
    assert c1.decision is not None
    c1.decision.suggested_level = 2
    c1.decision.save()
    # c2: fine, but its decision has no rationale.
    c2 = b.contact(stockton, x, date(2026, 2, 10), Outcome.SIGNPOSTING, team=front_door)
    c2.decision.rationale = ""
    c2.decision.save()
    # c3: no team; fine (agreement declined with a lawful basis).
    b.contact(
        stockton,
        y,
        date(2026, 3, 10),
        Outcome.NO_FURTHER_ACTION,
        family_agreement=FamilyAgreement.DECLINED,
        lawful_basis="public_task",
    )
    # Outside the period: not counted.
    b.contact(stockton, b.child(stockton), date(2026, 4, 10), referral_source="")

    # Episodes: one allocated properly, one allocated with no agency, one waiting.
    lead = b.worker(stockton)
    good = b.episode(
        stockton, [b.child(stockton)], date(2026, 1, 5), lead=lead, allocated=date(2026, 1, 6)
    )
    no_agency = b.episode(
        stockton, [b.child(stockton)], date(2026, 1, 7), lead=lead, allocated=date(2026, 1, 8)
    )
    no_agency.lead_professional_organisation = None
    no_agency.save()
    b.episode(stockton, [b.child(stockton)], date(2026, 2, 1))

    # Assessments: one without the child's voice; one with a reason it was not gathered.
    Assessment.objects.create(
        episode=good,
        started_on=date(2026, 1, 6),
        due_date=date(2026, 2, 6),
        completed_on=date(2026, 2, 1),
    )
    heard = Assessment.objects.create(
        episode=no_agency,
        started_on=date(2026, 1, 8),
        due_date=date(2026, 2, 8),
        completed_on=date(2026, 2, 2),
    )
    ChildVoice.objects.create(
        assessment=heard,
        child=no_agency.children.get(),
        not_gathered_reason="A baby: we observed her with her mother instead.",
    )
    # A closure leaving a need without an outcome.
    Need.objects.create(episode=good, domain=Domain.objects.all()[0], description="Routines")
    b.close(good, date(2026, 3, 1))

    # Statutory: a closed referral without a reason; a part before it; a part left open.
    referral = b.referral(stockton, b.child(stockton), date(2026, 2, 1), date(2026, 3, 1))
    b.part(referral, InvolvementKind.ASSESSMENT, date(2026, 1, 15), date(2026, 2, 20))
    b.part(referral, InvolvementKind.CHILD_IN_NEED_PLAN, date(2026, 2, 10))
    b.part(referral, InvolvementKind.SECTION_47, date(2026, 2, 3), date(2026, 2, 5))  # fine

    hart_team = _team(hartlepool, "Hartlepool Hub")
    b.contact(
        hartlepool,
        b.child(hartlepool, ethnicity=Ethnicity.WBRI),
        date(2026, 1, 3),
        Outcome.NO_FURTHER_ACTION,
        team=hart_team,
        referral_source=ReferralSource.UNKNOWN,
    )
    return {"front_door": front_door, "hartlepool": hart_team}


def test_each_check_counts_by_council_and_team(
    records: dict[str, Team], stockton: Council, hartlepool: Council
) -> None:
    result = compute_data_quality(
        councils=[hartlepool, stockton], detail=[stockton], first=FIRST, last=LAST
    )

    def total(key: str, council: Council = stockton) -> tuple[int, int]:
        count = result.total(key, council)
        return count.checked, count.failing

    assert total("contact_referral_source") == (3, 1)
    assert total("contact_consent") == (3, 1)
    assert total("decision_reason") == (3, 2)
    assert total("child_date_of_birth") == (2, 1)  # x is on two contacts: counted once
    assert total("child_ethnicity") == (2, 1)
    assert total("episode_lead_agency") == (2, 1)  # the one waiting is not checked
    assert total("assessment_child_voice") == (2, 1)
    assert total("closure_reason_outcomes") == (1, 1)
    assert total("statutory_before_referral") == (3, 1)
    assert total("statutory_open_under_closed") == (3, 1)
    assert total("referral_closure_reason") == (1, 1)
    assert total("contact_referral_source", hartlepool) == (1, 1)
    assert result.total("contact_referral_source", stockton).percent == pytest.approx(100 / 3)

    teams = dict(result.teams[("contact_referral_source", stockton.pk)])
    assert (teams["Stockton Front Door"].checked, teams["Stockton Front Door"].failing) == (2, 1)
    assert (teams[NO_TEAM].checked, teams[NO_TEAM].failing) == (1, 0)
    children = dict(result.teams[("child_ethnicity", stockton.pk)])
    assert (children[NO_TEAM].checked, children[NO_TEAM].failing) == (1, 1)
    assert (children["Stockton Front Door"].checked, children["Stockton Front Door"].failing) == (
        1,
        0,
    )
    # Hartlepool is not in detail: totals only.
    assert ("contact_referral_source", hartlepool.pk) not in result.teams


def test_the_page_shows_teams_only_for_the_managers_council(
    records: dict[str, Team], client: Client, manager: User
) -> None:
    client.force_login(manager)
    response = client.get(reverse("performance:data-quality"), {"from": "2026-01", "to": "2026-03"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Stockton Front Door" in html
    assert "Hartlepool Hub" not in html
    assert "Missing or invalid values, by council" in html
    assert "% with consent or lawful basis recorded at submission" in html


def test_the_download_has_council_totals_and_teams(
    records: dict[str, Team], client: Client, manager: User
) -> None:
    client.force_login(manager)
    response = client.get(
        reverse("performance:data-quality"), {"from": "2026-01", "to": "2026-03", "format": "csv"}
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["Check", "What it affects", "Council", "Team"]
    source = [r for r in rows if r[0] == "Contacts without a referral source"]
    assert [r[2:6] for r in source] == [
        ["Hartlepool", "All teams", "1", "1"],
        ["Stockton-on-Tees", "All teams", "3", "1"],
        ["Stockton-on-Tees", "Stockton Front Door", "2", "1"],
        ["Stockton-on-Tees", NO_TEAM, "1", "0"],
    ]
    response = client.get(
        reverse("performance:data-quality"), {"from": "2026-01", "to": "2026-03", "format": "xlsx"}
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"from": "2026-1-1"}, "is not a month"),
        ({"council": "x"}, "Choose a council"),
        ({"format": "json"}, "Download as CSV or XLSX"),
    ],
)
def test_bad_parameters_show_the_error_summary(
    stockton: Council,
    make_user: Callable[..., User],
    client: Client,
    query: dict[str, str],
    message: str,
) -> None:
    client.force_login(make_user(Role.STRATEGIC_LEAD, council=stockton))
    response = client.get(reverse("performance:data-quality"), query)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_who_may_see_data_quality(client: Client, worker: User) -> None:
    url = reverse("performance:data-quality")
    assert client.get(url).status_code == 302
    client.force_login(worker)
    assert client.get(url).status_code == 403


def test_the_page_costs_the_same_queries_whatever_the_records(
    stockton: Council, client: Client, manager: User
) -> None:
    client.force_login(manager)
    url = reverse("performance:data-quality")
    day = timezone.localdate().replace(day=1) - timedelta(days=20)

    def grow(n: int) -> None:
        for i in range(n):
            team = _team(stockton, f"Team {i} {timezone.now().timestamp()}")
            b.contact(stockton, b.child(stockton), day, Outcome.NO_FURTHER_ACTION, team=team)
            b.referral(stockton, b.child(stockton), day, day + timedelta(days=3))

    grow(1)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow(4)
    cache.clear()
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
