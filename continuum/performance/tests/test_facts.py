"""The maintained figures (issue 16, ``engine.facts``, decision 0019): after any sequence of
changes to the records and a refresh, the catalogue from the figures is the catalogue from
the source tables, with and without every dimension; a refresh is a rebuild; every table
the engine reads has its trigger; pages say when changes are waiting; the rebuild command
refuses an unknown council and changes nothing."""

from __future__ import annotations

import random
import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from continuum.accounts.models import User
from continuum.early_help.choices import EpisodeStatus
from continuum.early_help.models import Closure, Episode
from continuum.front_door.choices import OUTCOME_LEVELS, Outcome
from continuum.front_door.models import Contact, ContactDecision
from continuum.organisations.models import Council
from continuum.people.choices import Ethnicity
from continuum.people.models import Person
from continuum.performance.catalogue import DIMENSIONS
from continuum.performance.engine import compute_many, facts
from continuum.performance.engine.capture import READ_LIVE, installed
from continuum.performance.models import FigureChange, FigureState, MonthlyFigure
from continuum.performance.tests import engine_helpers as h
from continuum.testing import factories

pytestmark = pytest.mark.django_db

KINDS = ["month", "quarter", "financial_year"]


def _window() -> tuple[date, date]:
    today = timezone.localdate()
    return date(today.year - 2, 1, 1), today.replace(day=1)


def _catalogue(councils: list[Council], dimension: str | None, use_facts: bool) -> Any:
    first, last = _window()
    results = compute_many(
        councils=councils,
        period_kinds=KINDS,
        first=first,
        last=last,
        dimension=dimension,
        combined=True,
        use_facts=use_facts,
    )
    return {kind: result.cells for kind, result in results.items()}


def _assert_facts_equal_live(councils: list[Council]) -> None:
    for dimension in [None, *DIMENSIONS]:
        from_facts = _catalogue(councils, dimension, True)
        live = _catalogue(councils, dimension, False)
        for kind in KINDS:
            assert from_facts[kind] == live[kind], (dimension, kind)


def _facts_snapshot() -> set[tuple[Any, ...]]:
    return set(
        MonthlyFigure.objects.values_list(
            "source", "dimension", "council_id", "category", "measure", "month", "value"
        )
    )


# --- the operations: any sequence of what services, imports and erasure do to the records ---


def _day(rng: random.Random) -> date:
    return timezone.localdate() - timedelta(days=rng.randint(0, 700))


def _child(rng: random.Random, council: Council) -> Person:
    existing = list(Person.objects.filter(council=council, kind="child")[:20])
    if existing and rng.random() < 0.5:
        return rng.choice(existing)
    born = date(2010, 1, 1) + timedelta(days=rng.randint(0, 5000))
    return h.child(council, born, rng.choice(list(Ethnicity.values)))


def op_contact(rng: random.Random, council: Council) -> None:
    received = h.at(_day(rng), rng.randint(8, 17))
    decided = received + timedelta(hours=rng.choice([2, 30, 80])) if rng.random() < 0.6 else None
    outcome = rng.choice(list(Outcome.values)) if decided else None
    h.contact(council, received, children=[_child(rng, council)], decided=decided, outcome=outcome)


def op_decide(rng: random.Random, council: Council) -> None:
    waiting = list(Contact.objects.filter(council=council, decision__isnull=True)[:10])
    if not waiting:
        return op_contact(rng, council)
    made = rng.choice(waiting)
    outcome = rng.choice(list(Outcome.values))
    decided = made.received_at + timedelta(hours=rng.choice([1, 26, 100]))
    ContactDecision.objects.create(
        contact=made,
        level=min(OUTCOME_LEVELS[outcome]),
        outcome=outcome,
        rationale="Decided.",
        decided_by=made.created_by,
        decided_at=decided,
    )
    Contact.objects.filter(pk=made.pk).update(decided_at=decided)


def op_episode(rng: random.Random, council: Council) -> None:
    start = _day(rng)
    allocated = start + timedelta(days=rng.randint(0, 20)) if rng.random() < 0.5 else None
    made = h.episode(council, start, children=[_child(rng, council)], allocated=allocated)
    if rng.random() < 0.5:
        h.assessment(made, start + timedelta(days=30), None)


def op_allocate(rng: random.Random, council: Council) -> None:
    waiting = list(Episode.objects.filter(council=council, allocated_at__isnull=True)[:10])
    if not waiting:
        return op_episode(rng, council)
    made = rng.choice(waiting)
    made.allocated_at = h.at(made.start_date + timedelta(days=rng.randint(0, 25)))
    made.status = EpisodeStatus.ALLOCATED
    made.lead_professional_organisation = factories.council_services(council)
    made.save()


def op_close(rng: random.Random, council: Council) -> None:
    open_ = list(Episode.objects.filter(council=council, end_date__isnull=True)[:10])
    if not open_:
        return op_episode(rng, council)
    made = rng.choice(open_)
    end = min(made.start_date + timedelta(days=rng.choice([0, 10, 90])), timezone.localdate())
    Closure.objects.create(
        episode=made, closed_on=end, reason="needs_met", closed_by=h.worker(council)
    )
    Episode.objects.filter(pk=made.pk).update(end_date=end, status=EpisodeStatus.CLOSED)


def op_review(rng: random.Random, council: Council) -> None:
    episodes = list(Episode.objects.filter(council=council)[:10])
    if not episodes:
        return op_episode(rng, council)
    made = rng.choice(episodes)
    if not hasattr(made, "plan"):
        h.plan(made, made.start_date)
    h.review(made, made.start_date + timedelta(days=rng.randint(10, 80)))


def op_notification(rng: random.Random, council: Council) -> None:
    factories.NotificationFactory(council=council, received_at=h.at(_day(rng)))


def op_ethnicity(rng: random.Random, council: Council) -> None:
    people = list(Person.objects.filter(council=council, kind="child")[:20])
    if not people:
        return op_contact(rng, council)
    person = rng.choice(people)
    person.ethnicity = rng.choice(list(Ethnicity.values))
    person.date_of_birth = date(2008, 1, 1) + timedelta(days=rng.randint(0, 6000))
    person.save()


def op_delete(rng: random.Random, council: Council) -> None:
    """Erasure: a record and everything hanging from it go."""
    contacts = list(Contact.objects.filter(council=council)[:10])
    episodes = list(Episode.objects.filter(council=council)[:10])
    if episodes and (not contacts or rng.random() < 0.5):
        gone_episode = rng.choice(episodes)
        Closure.objects.filter(episode=gone_episode).delete()
        gone_episode.delete()
    elif contacts:
        gone = rng.choice(contacts)
        ContactDecision.objects.filter(contact=gone).delete()
        gone.delete()


OPERATIONS = {
    f.__name__: f
    for f in (
        op_contact,
        op_decide,
        op_episode,
        op_allocate,
        op_close,
        op_review,
        op_notification,
        op_ethnicity,
        op_delete,
    )
}


@pytest.fixture
def councils(stockton: Council, hartlepool: Council) -> list[Council]:
    return [stockton, hartlepool]


@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(sorted(OPERATIONS)), st.integers(0, 10**6), st.booleans()),
        min_size=1,
        max_size=6,
    )
)
def test_figures_after_any_changes_equal_the_source_tables(
    councils: list[Council], steps: list[tuple[str, int, bool]]
) -> None:
    if not FigureState.objects.exists():
        facts.rebuild()
    for name, seed, first_council in steps:
        OPERATIONS[name](random.Random(seed), councils[0 if first_council else 1])
    assert FigureChange.objects.exists()
    facts.refresh_pending()
    assert not FigureChange.objects.exists()
    assert facts.current(councils, timezone.localdate(), [_window()[0], _window()[1]])
    _assert_facts_equal_live(councils)


def test_a_refresh_is_a_rebuild(councils: list[Council]) -> None:
    facts.rebuild()
    rng = random.Random(16)
    for name in sorted(OPERATIONS):
        OPERATIONS[name](rng, councils[0])
    op_contact(rng, councils[1])
    assert facts.refresh_pending() >= 1
    refreshed = _facts_snapshot()
    facts.rebuild()
    assert _facts_snapshot() == refreshed
    assert refreshed


def test_the_default_reads_the_figures_only_while_they_are_current(
    councils: list[Council],
) -> None:
    facts.rebuild()
    first, last = _window()
    with CaptureQueriesContext(connection) as read:
        compute_many(councils=councils, period_kinds=["month"], first=first, last=last)
    assert not any("front_door_contact" in q["sql"] for q in read.captured_queries)
    # Another day's figures (tests pass explicit dates) come from the source tables.
    with CaptureQueriesContext(connection) as read:
        compute_many(
            councils=councils,
            period_kinds=["month"],
            first=first,
            last=last,
            as_of=timezone.localdate() - timedelta(days=1),
        )
    assert any("front_door_contact" in q["sql"] for q in read.captured_queries)


def test_every_table_the_engine_reads_has_its_trigger(councils: list[Council]) -> None:
    first, last = _window()
    tables: set[str] = set()
    for dimension in [None, *DIMENSIONS]:
        with CaptureQueriesContext(connection) as read:
            compute_many(
                councils=councils,
                period_kinds=["month"],
                first=first,
                last=last,
                dimension=dimension,
                use_facts=False,
            )
        for query in read.captured_queries:
            tables |= set(re.findall(r'(?:FROM|JOIN)\s+"([a-z_0-9]+)"', query["sql"]))
    assert tables, "the compute read nothing"
    missing = tables - READ_LIVE - installed()
    assert not missing, f"tables the engine reads without a trigger: {sorted(missing)}"


def test_a_change_is_captured_whoever_makes_it(councils: list[Council]) -> None:
    facts.rebuild()
    assert not FigureChange.objects.exists()
    person = h.child(councils[0], date(2015, 3, 1))
    # A new person is in no record yet: nothing to add.
    assert not FigureChange.objects.exists()
    Person.objects.filter(pk=person.pk).update(ethnicity=Ethnicity.WIRI)  # a bulk write
    assert FigureChange.objects.filter(council_id__isnull=True).exists()
    FigureChange.objects.all().delete()
    h.contact(councils[1], h.at(timezone.localdate()), children=[person])
    named = set(FigureChange.objects.values_list("council_id", flat=True))
    # (The factory also makes the worker's organisation: a change for any council.)
    assert councils[1].pk in named
    assert councils[0].pk not in named


def test_pages_say_when_changes_are_waiting(
    councils: list[Council], client: Any, partnership_analyst: User
) -> None:
    facts.rebuild()
    client.force_login(partnership_analyst)
    page = client.get(reverse("performance:flow")).content.decode()
    assert "Figures as of" in page
    assert "changes since are being added" not in page
    h.contact(
        councils[0], h.at(timezone.localdate()), children=[h.child(councils[0], date(2016, 1, 1))]
    )
    page = client.get(reverse("performance:flow")).content.decode()
    assert "changes since are being added" in page
    # ...and the refresh is queued, once.
    from django_tasks_db.models import DBTaskResult

    from continuum.performance.tasks import refresh_figures_task

    queued = DBTaskResult.objects.filter(task_path=refresh_figures_task.module_path)
    assert queued.count() == 1
    client.get(reverse("performance:flow"))
    assert queued.count() == 1


def test_the_version_changes_with_the_figures(councils: list[Council]) -> None:
    assert facts.version(councils) == "live"
    facts.rebuild()
    before = facts.version(councils)
    op_contact(random.Random(1), councils[0])
    facts.refresh_pending()
    assert facts.version(councils) != before


def test_rebuilding_an_unknown_council_is_refused_and_changes_nothing(
    councils: list[Council],
) -> None:
    with pytest.raises(CommandError, match="No council has the code E99999999"):
        call_command("rebuild_figures", "--council", "E99999999", "--no-progress")
    assert not FigureState.objects.exists()
    assert not MonthlyFigure.objects.exists()


def test_rebuilding_one_council(councils: list[Council]) -> None:
    h.contact(
        councils[0], h.at(timezone.localdate()), children=[h.child(councils[0], date(2016, 1, 1))]
    )
    call_command("rebuild_figures", "--council", councils[0].ons_code, "--no-progress")
    assert list(FigureState.objects.values_list("council_id", flat=True)) == [councils[0].pk]
