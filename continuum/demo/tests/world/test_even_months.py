"""The small preset's months are even (issue 12): its latest month held twice the contacts
of the others (the detailed front-door step's month on top of the history's), so the
trends page reported a special cause that was only the generator's."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import date

import pytest
from django.http import QueryDict
from django.utils import timezone

from continuum.demo.generator import World
from continuum.front_door.choices import ContactStatus
from continuum.front_door.models import Contact
from continuum.organisations.models import Council
from continuum.performance.periods import month_start
from continuum.performance.stats import spc
from continuum.performance.views.comparison import ALL
from continuum.performance.views.trends import build_trend, first_month_of_records, parse_trends
from continuum.timescales.months import add_months

pytestmark = pytest.mark.django_db

# No month further than this from the median month (Poisson noise on ~25 a month is
# about 20%, a short February a little more; the latest month was 2.1 times the median).
MOST = 1.6


def contacts_by_month(world: World, council: Council | None = None) -> dict[date, int]:
    """Submitted contacts by the month they arrived, every whole month of the history up to
    the last one before the as-of date."""
    contacts = Contact.objects.exclude(status=ContactStatus.DRAFT)
    if council is not None:
        contacts = contacts.filter(council=council)
    counts = Counter(
        month_start(timezone.localtime(received).date())
        for received in contacts.values_list("received_at", flat=True)
    )
    first = date(world.as_of.year - world.preset.years, world.as_of.month, 1)
    last = add_months(month_start(world.as_of), -1)
    months, month = [], first
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return {month: counts[month] for month in months}


def test_no_month_holds_many_more_or_fewer_contacts_than_the_others(demo_world: World) -> None:
    counts = contacts_by_month(demo_world)
    assert len(counts) >= 24
    median = statistics.median(counts.values())
    assert median >= 15
    uneven = {
        f"{month:%B %Y}": n
        for month, n in counts.items()
        if not median / MOST <= n <= median * MOST
    }
    assert uneven == {}, f"median {median}"


def test_the_trends_page_reads_common_cause_for_the_latest_month(demo_world: World) -> None:
    """Contacts per 10,000 children (the page's first indicator), all councils together and
    each council, months to the last one before the as-of date."""
    latest = add_months(month_start(demo_world.as_of), -1)
    compared = list(Council.objects.filter(pk__in=[c.pk for c in demo_world.councils.values()]))
    for where in [ALL, *(c.dfe_la_code for c in compared)]:
        q = parse_trends(QueryDict(""), compared, where, latest, first_month_of_records())
        assert q.errors == {}
        trend = build_trend(q, compared)
        assert trend.chart is not None
        assert trend.points[-1].period.start == latest
        assert trend.chart.points[-1].variation == spc.COMMON_CAUSE, (where, trend.summary)
