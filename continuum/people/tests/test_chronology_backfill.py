"""Migration people.0003 sorts the chronology entries that existed before categories and
sensitivity were filtered by reader (issue 10, finding 10).

In a scratch database of its own (``continuum.testing.database.scratch_database``),
migrated from zero to just before people.0003: the test database's every later migration,
of every app, need not be unmade and remade around it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from continuum.testing.database import scratch_database

BEFORE = [("people", "0002_possible_matches_and_shared_identifiers")]
AFTER = [("people", "0003_chronology_sensitivity")]


def migrate(to: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(to)
    return executor.loader.project_state(to).apps


def test_existing_decisions_and_camhs_referrals_are_sorted_by_the_migration(
    django_db_blocker: Any,
) -> None:
    with django_db_blocker.unblock(), scratch_database():
        _existing_decisions_and_camhs_referrals_are_sorted_by_the_migration()


def _existing_decisions_and_camhs_referrals_are_sorted_by_the_migration() -> None:
    old = migrate(BEFORE)
    council = old.get_model("organisations", "Council").objects.first()
    if council is None:
        council = old.get_model("organisations", "Council").objects.create(
            name="Stockton-on-Tees", dfe_la_code="808", ons_code="E06000004", child_population=1
        )
    person = old.get_model("people", "Person").objects.create(
        council=council, given_name="Ada", family_name="Test", kind="child"
    )
    events = old.get_model("people", "ChronologyEvent").objects
    on = date(2025, 1, 6)
    decision = events.create(
        person=person,
        occurred_on=on,
        category="contact",
        title="Front-door decision: Early help (level 2)",
        detail="The rationale.",
    )
    camhs = events.create(
        person=person,
        occurred_on=on,
        category="health",
        title="Referred to children and young people's mental health services",
    )
    school = events.create(
        person=person, occurred_on=on, category="education", title="Attendance below 90%"
    )
    new = migrate(AFTER)
    after = new.get_model("people", "ChronologyEvent").objects
    sorted_decision = after.get(pk=decision.pk)
    assert (sorted_decision.category, sorted_decision.sensitivity) == (
        "decision",
        "council_only",
    )
    assert after.get(pk=camhs.pk).category == "mental_health"
    assert (after.get(pk=school.pk).category, after.get(pk=school.pk).sensitivity) == (
        "education",
        "standard",
    )
    # And back again.
    back = migrate(BEFORE).get_model("people", "ChronologyEvent").objects
    assert back.get(pk=decision.pk).category == "contact"
    assert back.get(pk=camhs.pk).category == "health"
