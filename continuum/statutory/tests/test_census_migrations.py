"""The data migrations to the census codes (people 0004 to 0006, statutory 0002 to 0004),
forward and back, on a few rows of the old shape.

In a scratch database of its own (``continuum.testing.database.scratch_database``),
migrated from zero to just before the census codes: the test database's every later
migration, of every app, need not be unmade and remade around it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from continuum.testing.database import scratch_database

BEFORE = [("people", "0003_chronology_sensitivity"), ("statutory", "0001_initial")]
AFTER = [("people", "0006_without_yes_no_disability"), ("statutory", "0004_census_columns")]


def migrate(to: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(to)
    return executor.loader.project_state(to).apps


def _old_rows(old: Any) -> dict[str, Any]:
    council_model = old.get_model("organisations", "Council")
    council = council_model.objects.filter(dfe_la_code="808").first()
    if council is None:
        council = council_model.objects.create(
            name="Stockton-on-Tees", dfe_la_code="808", ons_code="E06000004", child_population=1
        )
    people = old.get_model("people", "Person").objects
    rows: dict[str, Any] = {
        "indeterminate": people.create(council=council, family_name="A", sex="I", disability="yes"),
        "none": people.create(council=council, family_name="B", sex="F", disability="no"),
        "unknown": people.create(council=council, family_name="C", sex="M", disability="unknown"),
    }
    involvement = old.get_model("statutory", "StatutoryInvolvement").objects
    child = rows["none"]

    def referral(reason: str, day: int) -> Any:
        return involvement.create(
            person=child,
            council=council,
            kind="referral",
            start_date=date(2024, 1, day),
            end_date=date(2024, 1, day),
            closure_reason=reason,
        )

    for reason, day in (("RC3", 1), ("RC4", 2), ("RC5", 3), ("RC7", 4), ("RC8", 5)):
        rows[reason] = referral(reason, day)
    rows["nfa"] = referral("RC6", 6)
    rows["assessed"] = referral("RC6", 7)
    involvement.create(
        person=child,
        council=council,
        kind="assessment",
        referral=rows["assessed"],
        start_date=date(2024, 1, 7),
        end_date=date(2024, 1, 7),
    )
    episode = referral("", 8)
    rows["enquiry"] = involvement.create(
        person=child,
        council=council,
        kind="section_47",
        referral=episode,
        start_date=date(2024, 1, 8),
    )
    rows["conference"] = involvement.create(
        person=child, council=council, kind="icpc", referral=episode, start_date=date(2024, 1, 22)
    )
    rows["plan"] = involvement.create(
        person=child,
        council=council,
        kind="cp_plan",
        referral=episode,
        start_date=date(2024, 1, 22),
        abuse_category="sexual",
    )
    return rows


def test_old_codes_move_to_the_census_codes_and_back(django_db_blocker: Any) -> None:
    with django_db_blocker.unblock(), scratch_database():
        _old_codes_move_to_the_census_codes_and_back()


def _old_codes_move_to_the_census_codes_and_back() -> None:
    rows = _old_rows(migrate(BEFORE))
    new = migrate(AFTER)
    people = new.get_model("people", "Person").objects
    was_i = people.get(pk=rows["indeterminate"].pk)
    assert (was_i.sex, was_i.disabilities) == ("U", ["DDA"])
    assert people.get(pk=rows["none"].pk).disabilities == ["NONE"]
    assert people.get(pk=rows["unknown"].pk).disabilities == []
    involvement = new.get_model("statutory", "StatutoryInvolvement").objects

    def now(key: str) -> tuple[str, bool]:
        row = involvement.get(pk=rows[key].pk)
        return row.closure_reason, row.referral_nfa

    # RC3 and RC7 keep their codes; RC4 and RC5 move up one; RC6 is RC8, going no
    # further only when nothing else was recorded.
    assert now("RC3") == ("RC3", False) and now("RC7") == ("RC7", False)
    assert now("RC4") == ("RC5", False) and now("RC5") == ("RC6", False)
    assert now("RC8") == ("RC8", False)
    assert now("nfa") == ("RC8", True)
    assert now("assessed") == ("RC8", False)
    assert involvement.get(pk=rows["plan"].pk).abuse_category == "SAB"
    assert involvement.get(pk=rows["conference"].pk).enquiry_id == rows["enquiry"].pk

    old = migrate(BEFORE)
    people = old.get_model("people", "Person").objects
    assert people.get(pk=rows["indeterminate"].pk).disability == "yes"
    assert people.get(pk=rows["indeterminate"].pk).sex == "U"  # I cannot be told apart
    assert people.get(pk=rows["none"].pk).disability == "no"
    assert people.get(pk=rows["unknown"].pk).disability == "unknown"
    involvement = old.get_model("statutory", "StatutoryInvolvement").objects
    for key in ("RC3", "RC4", "RC5", "RC7", "RC8"):
        assert involvement.get(pk=rows[key].pk).closure_reason == key
    assert involvement.get(pk=rows["nfa"].pk).closure_reason == "RC6"
    assert involvement.get(pk=rows["plan"].pk).abuse_category == "sexual"
