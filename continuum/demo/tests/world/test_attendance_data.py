"""School attendance in the demo world: school-age children only, figures that add up,
lower before early help where attendance was a need and better after closure; and the
example partner files, which the feeds take as they are."""

from __future__ import annotations

from pathlib import Path
from statistics import mean

import pytest
from django.conf import settings
from django.db.models import F

from continuum.demo.generator import World
from continuum.demo.generator.examples import police_notifications_csv, school_attendance_csv
from continuum.demo.generator.steps.people import school_year
from continuum.early_help.models import Episode
from continuum.education.feeds import parse_attendance
from continuum.education.models import AttendanceRecord
from continuum.education.terms import term_of
from continuum.front_door.feeds import parse_notifications
from continuum.people.models import Person

pytestmark = pytest.mark.django_db
EXAMPLES = Path(settings.BASE_DIR) / "docs" / "examples"


def test_school_age_children_have_attendance_that_adds_up(demo_world: World) -> None:
    records = list(AttendanceRecord.objects.select_related("person"))
    assert len(records) > 100
    assert not AttendanceRecord.objects.filter(
        sessions_possible__lt=F("sessions_authorised_absence") + F("sessions_unauthorised_absence")
    ).exists()
    for record in records:
        born = record.person.date_of_birth
        assert born is not None
        assert 0 <= school_year(born, record.school_term.starts_on()) <= 11
        assert record.school_term.ends_on() < demo_world.as_of
        assert len(record.school_urn) == 6
    rates = [r.attendance_rate for r in records if r.attendance_rate is not None]
    assert 0.9 < mean(rates) < 0.96


def test_attendance_is_better_after_early_help_than_before(demo_world: World) -> None:
    rates = {
        (r.person_id, r.academic_year, r.term): r.attendance_rate
        for r in AttendanceRecord.objects.all()
    }
    before, after = [], []
    for child_id, started, closed in Episode.children.through.objects.filter(
        episode__closure__isnull=False
    ).values_list("person_id", "episode__start_date", "episode__closure__closed_on"):
        b = rates.get((child_id, *term_of(started).before()))
        a = rates.get((child_id, *term_of(closed).after()))
        if a is not None and b is not None:
            before.append(b)
            after.append(a)
    assert len(before) >= 5
    assert mean(after) > mean(before)


def test_the_example_files_are_taken_as_they_are(demo_world: World) -> None:
    stockton = demo_world.councils["stockton"]
    police = police_notifications_csv(council=stockton, as_of=demo_world.as_of)
    attendance = school_attendance_csv(council=stockton, as_of=demo_world.as_of)

    notifications = parse_notifications(police.encode())
    rows = parse_attendance(attendance.encode())

    assert len(notifications) == 12
    named = [n.victim.new for n in notifications]
    known = sum(
        Person.objects.filter(
            given_name=p.given_name, family_name=p.family_name, date_of_birth=p.date_of_birth
        ).exists()
        for p in named
    )
    assert known == 11  # one family is new to the records
    assert len(rows) == 60
    assert {r.upn for r in rows} <= set(
        Person.objects.filter(council=stockton).values_list("upn", flat=True)
    )


def test_the_shipped_example_files_fit_their_feeds() -> None:
    assert len(parse_notifications((EXAMPLES / "police-notifications.csv").read_bytes())) == 12
    assert len(parse_attendance((EXAMPLES / "school-attendance.csv").read_bytes())) == 60
