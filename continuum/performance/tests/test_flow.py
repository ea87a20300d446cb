"""The continuum flow: a small hand-made cohort whose every path is obvious, the page, its
downloads and its errors, and a query count that does not grow with the cohort."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from continuum.accounts.models import User
from continuum.early_help.choices import ClosureReason, EpisodeOrigin
from continuum.front_door.choices import ContactStatus, Outcome
from continuum.organisations.models import Council, OrganisationKind
from continuum.people.models import Person
from continuum.performance import disclosure, flow_chart
from continuum.performance.flow import compute_flow
from continuum.performance.flow_chart import sankey_svg
from continuum.performance.tests import builders as b
from continuum.statutory.choices import InvolvementKind
from continuum.tests.pages import does_not_show

pytestmark = pytest.mark.django_db


FIRST, LAST = date(2026, 1, 1), date(2026, 3, 31)
AS_OF = date(2026, 11, 28)


@pytest.fixture
def cohort(stockton: Council, hartlepool: Council) -> dict[str, object]:
    """Eight Stockton children with a contact in January to March 2026, each on one path."""
    school_worker = b.worker(stockton, b.partner(stockton, OrganisationKind.SCHOOL))
    council_worker = b.worker(stockton)

    a = b.child(stockton)  # no further action; a second contact later in the period
    b.contact(stockton, a, date(2026, 1, 10), Outcome.NO_FURTHER_ACTION)
    b.contact(stockton, a, date(2026, 3, 20), Outcome.SOCIAL_CARE_ASSESSMENT)

    b.contact(stockton, b.child(stockton), date(2026, 1, 15), Outcome.SIGNPOSTING)

    c = b.child(stockton)  # early help led by a school, closed with needs met
    c_contact = b.contact(stockton, c, date(2026, 2, 1), Outcome.EARLY_HELP_SINGLE)
    c_episode = b.episode(
        stockton,
        [c],
        date(2026, 2, 2),
        from_contact=c_contact,
        lead=school_worker,
        allocated=date(2026, 2, 10),
    )
    b.close(c_episode, date(2026, 6, 1), ClosureReason.NEEDS_MET)

    d = b.child(stockton)  # early help led by the council, stepped up, child protection
    d_contact = b.contact(stockton, d, date(2026, 2, 2), Outcome.EARLY_HELP_MULTI)
    d_episode = b.episode(
        stockton,
        [d],
        date(2026, 2, 3),
        from_contact=d_contact,
        lead=council_worker,
        allocated=date(2026, 2, 5),
    )
    b.step_up(d_episode, date(2026, 4, 1))
    b.close(d_episode, date(2026, 4, 20), ClosureReason.STEPPED_UP)
    d_referral = b.referral(stockton, d, date(2026, 5, 1))
    b.part(d_referral, InvolvementKind.CHILD_PROTECTION_PLAN, date(2026, 6, 1))

    e = b.child(stockton)  # social care, looked after, stepped down to early help
    e_contact = b.contact(stockton, e, date(2026, 3, 1), Outcome.SOCIAL_CARE_ASSESSMENT)
    e_referral = b.referral(stockton, e, date(2026, 3, 2), contact=e_contact)
    b.part(e_referral, InvolvementKind.LOOKED_AFTER, date(2026, 4, 1), date(2026, 8, 1))
    b.episode(
        stockton,
        [e],
        date(2026, 9, 1),
        origin=EpisodeOrigin.STEP_DOWN,
        lead=council_worker,
        allocated=date(2026, 9, 2),
    )

    b.contact(stockton, b.child(stockton), date(2026, 3, 3))  # not decided yet

    g = b.child(stockton)  # no further action, then referred to social care in June
    b.contact(stockton, g, date(2026, 1, 20), Outcome.NO_FURTHER_ACTION)
    b.referral(stockton, g, date(2026, 6, 1))

    b.contact(stockton, b.child(stockton), date(2026, 3, 5), Outcome.EARLY_HELP_SINGLE)

    # Not in the cohort: a draft, a contact in April, another council's child, an adult.
    b.contact(stockton, b.child(stockton), date(2026, 2, 1), status=ContactStatus.DRAFT)
    b.contact(stockton, b.child(stockton), date(2026, 4, 1), Outcome.NO_FURTHER_ACTION)
    b.contact(hartlepool, b.child(hartlepool), date(2026, 2, 1), Outcome.NO_FURTHER_ACTION)
    return {"stockton": stockton, "hartlepool": hartlepool}


EXPECTED_LINKS = {
    ("contact", "nfa"): 2,
    ("contact", "advice"): 1,
    ("contact", "early_help"): 3,
    ("contact", "social_care"): 1,
    ("contact", "not_decided"): 1,
    ("early_help", "lead_school"): 1,
    ("early_help", "lead_council"): 1,
    ("early_help", "no_episode"): 1,
    ("lead_school", "closed_needs_met"): 1,
    ("lead_council", "stepped_up"): 1,
    ("stepped_up", "child_in_need"): 1,
    ("child_in_need", "child_protection"): 1,
    ("social_care", "child_in_need"): 1,
    ("child_in_need", "looked_after"): 1,
    ("looked_after", "step_down"): 1,
    ("nfa", "child_in_need"): 1,
}


def test_the_flow_follows_each_child_once_through_the_continuum(
    cohort: dict[str, object], stockton: Council
) -> None:
    flow = compute_flow(councils=[stockton], first=FIRST, last=LAST, as_of=AS_OF)

    assert flow.children == 8
    assert {(lk.source, lk.target): lk.value for lk in flow.links} == EXPECTED_LINKS
    values = {node.key: node.value for node in flow.nodes}
    assert values["contact"] == 8
    assert values["child_in_need"] == 3  # stepped up, social care, and back after NFA
    assert values["child_protection"] == values["looked_after"] == values["step_down"] == 1
    # Nodes are only the stages someone reached.
    assert "lead_health" not in values and "still_open" not in values
    assert flow.follow_up_complete is False


def test_the_follow_up_stops_at_its_end(cohort: dict[str, object], stockton: Council) -> None:
    """Followed for 30 days only, the later stages have not happened yet."""
    flow = compute_flow(councils=[stockton], first=FIRST, last=LAST, as_of=AS_OF, follow_up_days=30)
    links = {(lk.source, lk.target): lk.value for lk in flow.links}
    assert links[("lead_school", "still_open")] == 1
    assert links[("lead_council", "still_open")] == 1
    assert ("nfa", "child_in_need") not in links
    # A referral made from the contact itself counts whenever it started.
    assert links[("social_care", "child_in_need")] == 1
    assert ("child_in_need", "looked_after") not in links


def test_all_councils_together_add_up(cohort: dict[str, object], stockton: Council) -> None:
    hartlepool = cohort["hartlepool"]
    assert isinstance(hartlepool, Council)
    flow = compute_flow(councils=[stockton, hartlepool], first=FIRST, last=LAST, as_of=AS_OF)
    assert flow.children == 9
    assert flow.link("contact", "nfa") == 3


def test_the_flow_costs_the_same_queries_whatever_the_cohort(
    stockton: Council, django_assert_max_num_queries: Any
) -> None:
    def grow(n: int) -> None:
        for i in range(n):
            person = b.child(stockton)
            made = b.contact(stockton, person, date(2026, 2, 1 + i), Outcome.EARLY_HELP_SINGLE)
            b.episode(stockton, [person], date(2026, 2, 2 + i), from_contact=made)
            b.referral(stockton, person, date(2026, 5, 1 + i))

    grow(2)
    with CaptureQueriesContext(connection) as small:
        compute_flow(councils=[stockton], first=FIRST, last=LAST, as_of=AS_OF)
    grow(8)
    with django_assert_max_num_queries(5):
        flow = compute_flow(councils=[stockton], first=FIRST, last=LAST, as_of=AS_OF)
    assert flow.children == 10
    assert len(small.captured_queries) <= 5


def test_the_sankey_is_an_svg_naming_every_stage(
    cohort: dict[str, object], stockton: Council
) -> None:
    flow = compute_flow(councils=[stockton], first=FIRST, last=LAST, as_of=AS_OF)
    svg = sankey_svg(flow)
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "<script" not in svg
    # Readable where it is shown: the figure (WIDTH points across) is scaled to the page's
    # column, 960 px at most; every label is at least 12 px there (issue 12: about 8 px).
    sizes = [float(s) for s in re.findall(r"font-size: ([\d.]+)px", svg)]
    assert sizes and min(sizes) * 960 / flow_chart.WIDTH >= 12
    empty = compute_flow(councils=[stockton], first=date(2020, 1, 1), last=date(2020, 1, 31))
    assert empty.children == 0 and sankey_svg(empty) == ""


# --- the page ---------------------------------------------------------------------------


def test_the_page_shows_the_chart_and_its_table(
    cohort: dict[str, object], analyst: User, client: Client
) -> None:
    client.force_login(analyst)
    response = client.get(
        reverse("performance:flow"), {"council": "808", "from": "2026-01", "to": "2026-03"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html
    assert (
        "8 children with a contact, or on early help opened by a partner, in Stockton-on-Tees"
        in html
    )
    assert "This counts <strong>children</strong>, not contacts" in html
    assert "Stepped up to social care" in html
    # Aggregates only: no child's name appears (as the page would write it, or raw).
    people = Person.objects.all()
    assert people
    assert [p.full_name for p in people if not does_not_show(html, p.full_name)] == []


def test_the_table_downloads_as_csv_and_xlsx(
    cohort: dict[str, object], analyst: User, client: Client
) -> None:
    client.force_login(analyst)
    query = {"council": "808", "from": "2026-01", "to": "2026-03"}
    response = client.get(reverse("performance:flow"), query | {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Stage", "To", "Children"]
    # The hand-built cohort is small: its 3 and its 1 are counts of fewer than 5 children,
    # downloaded as the disclosure marker, with its meaning (see test_disclosure).
    assert ["Children with a contact", "Early help", "[c]"] in rows
    assert ["No further action", "Referred to social care (child in need)", "[c]"] in rows
    assert [disclosure.MEANING] in rows

    response = client.get(reverse("performance:flow"), query | {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert [c.value for c in sheet[2]] == ["Stage", "To", "Children"]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"council": "999"}, "council", "Choose a council from the list"),
        ({"from": "January"}, "from", "is not a month"),
        ({"to": "2026-13"}, "to", "the month must be 01 to 12"),
        ({"from": "2026-03", "to": "2026-01"}, "from", "on or before the last month"),
        ({"from": "2026-01", "to": "2099-01"}, "to", "a month that has finished"),
        ({"from": "2020-01", "to": "2026-01"}, "from", "at most 36 months"),
        ({"format": "pdf"}, "format", "Download as CSV or XLSX"),
    ],
)
def test_bad_parameters_show_the_error_summary(
    analyst: User, client: Client, query: dict[str, str], field: str, message: str
) -> None:
    client.force_login(analyst)
    response = client.get(reverse("performance:flow"), query)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert f'href="#{field}"' in html
    assert message in html


def test_who_may_see_the_flow(client: Client, manager: User, eh_worker: User) -> None:
    url = reverse("performance:flow")
    assert client.get(url).status_code == 302  # anonymous: sign in
    client.force_login(eh_worker)
    assert client.get(url).status_code == 403
    client.force_login(manager)
    assert client.get(url).status_code == 200


def test_the_page_costs_the_same_queries_whatever_the_cohort(
    stockton: Council, analyst: User, client: Client
) -> None:
    client.force_login(analyst)
    url = reverse("performance:flow")
    query = {"council": "808", "from": "2026-01", "to": "2026-03"}

    def grow(n: int) -> None:
        for i in range(n):
            person = b.child(stockton)
            b.contact(stockton, person, date(2026, 1, 2 + i), Outcome.NO_FURTHER_ACTION)
            b.referral(stockton, person, date(2026, 2, 2 + i))

    grow(1)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url, query).status_code == 200
    grow(6)
    cache.clear()
    with CaptureQueriesContext(connection) as large:
        assert client.get(url, query).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_page_keeps_its_figures_for_a_few_minutes(
    cohort: dict[str, object], analyst: User, client: Client
) -> None:
    client.force_login(analyst)
    url = reverse("performance:flow")
    query = {"council": "808", "from": "2026-01", "to": "2026-03"}
    with CaptureQueriesContext(connection) as first:
        client.get(url, query)
    with CaptureQueriesContext(connection) as again:
        second = client.get(url, query)
    assert len(again.captured_queries) == len(first.captured_queries) - 5
    assert "8 children with a contact" in second.content.decode()
    # Another question is worked out afresh.
    with CaptureQueriesContext(connection) as other:
        response = client.get(url, query | {"council": "all"})
    assert len(other.captured_queries) == len(first.captured_queries)
    assert (
        "9 children with a contact, or on early help opened by a partner, in all councils together"
        in response.content.decode()
    )


def test_partner_opened_episodes_enter_the_flow_as_their_own_starting_point(
    stockton: Council,
) -> None:
    school_worker = b.worker(stockton, b.partner(stockton, OrganisationKind.SCHOOL))
    # Two children on an episode a school opened in February, then stepped up and referred.
    h, i = b.child(stockton), b.child(stockton)
    opened = b.episode(
        stockton,
        [h, i],
        date(2026, 2, 10),
        origin=EpisodeOrigin.PARTNER,
        lead=school_worker,
        allocated=date(2026, 2, 10),
    )
    b.step_up(opened, date(2026, 4, 1))
    b.close(opened, date(2026, 4, 20), ClosureReason.STEPPED_UP)
    b.referral(stockton, h, date(2026, 5, 1))
    # A child who came to the front door first keeps the contact as their starting point.
    j = b.child(stockton)
    b.contact(stockton, j, date(2026, 1, 5), Outcome.NO_FURTHER_ACTION)
    b.episode(stockton, [j], date(2026, 3, 1), origin=EpisodeOrigin.PARTNER, lead=school_worker)
    # Opened by a partner after the period: not in the cohort.
    b.episode(stockton, [b.child(stockton)], date(2026, 4, 2), origin=EpisodeOrigin.PARTNER)

    flow = compute_flow(councils=[stockton], first=FIRST, last=LAST, as_of=AS_OF)
    assert flow.children == 3
    links = {(lk.source, lk.target): lk.value for lk in flow.links}
    assert links == {
        ("partner_episode", "lead_school"): 2,
        ("lead_school", "stepped_up"): 2,
        ("stepped_up", "child_in_need"): 1,
        ("contact", "nfa"): 1,
    }
    start = flow.node("partner_episode")
    assert start is not None and start.column == 0 and start.value == 2
    svg = sankey_svg(flow)
    assert "Early help" in svg and "opened by a" in svg
    # Two children are too few to publish: the starting point and its links are hidden.
    published = flow.protected()
    assert "partner_episode" in published.hidden_nodes
    assert published.children_text == "fewer than 5"
