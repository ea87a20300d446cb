"""Example partner files made from the demo world: the police force's daily file of
domestic-abuse notifications and the attendance service's file of school attendance, in the
columns ``docs/partner-feeds.md`` describes. Synthetic people only: the families and
children are the generator's.

The examples name people already in the demo world (so loading them shows the matching at
work: the same people, not second records) and, in the police file, one family new to it.
The same database (the same seed, preset and as-of date) gives the same files.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from continuum.education import feeds as attendance_feed
from continuum.education.models import AttendanceRecord
from continuum.education.terms import academic_year_label, term_of
from continuum.front_door import feeds as police_feed
from continuum.organisations.models import Council
from continuum.people.choices import PersonKind, Sex
from continuum.people.models import HouseholdMember, Person

NOTIFICATIONS = 12
ATTENDANCE_ROWS = 60
SUMMARIES = (
    "Verbal argument reported by a neighbour; no injuries seen. Children asleep upstairs.",
    "Victim called police after being pushed; minor bruising. Children present and upset.",
    "Alleged perpetrator attended the address in breach of bail conditions; arrested.",
    "Argument over child contact arrangements at handover; police attended, words of advice.",
    "Victim reports controlling behaviour and threats by text over several weeks.",
    "Damage to the front door; alleged perpetrator left before police arrived.",
)
OFFICERS = ("PC Amy Lowe", "PC Daniel Rees", "PS Karen Holt", "PC Imran Siddiq", "PC Jo Barker")


def _csv(columns: Sequence[str], rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _families(council: Council, as_of: date) -> list[tuple[list[Person], list[Person]]]:
    """Households of the council living together on ``as_of``: (adults, children), in a
    stable order."""
    by_household: dict[str, tuple[list[Person], list[Person]]] = {}
    members = (
        HouseholdMember.objects.filter(household__council=council, end_date__isnull=True)
        .select_related("person")
        .order_by("household_id", "person__date_of_birth", "person_id")
    )
    for member in members:
        person = member.person
        if person.date_of_birth is None or person.kind == PersonKind.UNBORN:
            continue
        adults, children = by_household.setdefault(str(member.household_id), ([], []))
        age = person.age_on(as_of)
        if age is not None and age >= 21:
            adults.append(person)
        elif age is not None and age >= 18:
            continue
        elif person.kind == PersonKind.CHILD:
            children.append(person)
    return [
        (adults, children)
        for _, (adults, children) in sorted(by_household.items())
        if adults and children and len(children) <= 4
    ]


def police_notifications_csv(*, council: Council, as_of: date, seed: int = 1) -> str:
    """The force's daily files for the fortnight before ``as_of``, as one file."""
    rng = random.Random(f"{seed}:police-notifications")
    families = _families(council, as_of)
    chosen = rng.sample(families, min(NOTIFICATIONS - 1, len(families)))
    rows: list[dict[str, str]] = []
    widest = max([len(children) for _, children in chosen] + [2])
    for index, (adults, children) in enumerate(chosen):
        victim = next((a for a in adults if a.sex == Sex.FEMALE), adults[0])
        others = [a for a in adults if a.pk != victim.pk]
        ticks = rng.choice((3, 5, 7, 9, 11, 12, 14, 16, 18))
        risk = (
            "high"
            if ticks >= 14
            else rng.choice(("standard", "medium") if ticks < 8 else ("medium",))
        )
        incident = datetime.combine(
            as_of - timedelta(days=rng.randint(1, 14)),
            time(rng.randint(0, 23), rng.choice((5, 20, 35, 50))),
        )
        row = {
            "incident_reference": f"CL-{incident:%y}-{40000 + index * 37:06d}",
            "incident_at": f"{incident:%Y-%m-%d %H:%M}",
            "victim_given_name": victim.given_name,
            "victim_family_name": victim.family_name,
            "victim_date_of_birth": _day(victim.date_of_birth),
            "victim_nhs_number": victim.nhs_number or "",
            "perpetrator_given_name": others[0].given_name if others else "",
            "perpetrator_family_name": others[0].family_name if others else "",
            "perpetrator_date_of_birth": _day(others[0].date_of_birth) if others else "",
            "perpetrator_nhs_number": "",
            "perpetrator_description": "" if others else "Ex-partner, not living at the address",
            "dash_risk": risk,
            "dash_ticks": str(ticks),
            "repeat_incidents_12_months": str(rng.choice((0, 0, 1, 1, 2, 4))),
            "reporting_officer": rng.choice(OFFICERS),
            "collar_number": str(rng.randint(1000, 9999)),
            "summary": rng.choice(SUMMARIES),
        }
        for number in range(1, widest + 1):
            child = children[number - 1] if number <= len(children) else None
            row.update(
                {
                    f"child_{number}_given_name": child.given_name if child else "",
                    f"child_{number}_family_name": child.family_name if child else "",
                    f"child_{number}_date_of_birth": _day(child.date_of_birth) if child else "",
                    f"child_{number}_nhs_number": (child.nhs_number or "") if child else "",
                    f"child_{number}_upn": (child.upn or "") if child else "",
                    f"child_{number}_present": (
                        ("yes" if rng.random() < 0.5 else "no") if child else ""
                    ),
                }
            )
        rows.append(row)
    # A family new to the council's records: made up here, never in the world.
    new = {key: "" for key in rows[0]} if rows else {}
    new.update(
        {
            "incident_reference": f"CL-{as_of:%y}-{40000 + len(rows) * 37:06d}",
            "incident_at": f"{as_of - timedelta(days=1):%Y-%m-%d} 22:15",
            "victim_given_name": "Leanne",
            "victim_family_name": "Example-Hartley",
            "victim_date_of_birth": "1994-07-19",
            "perpetrator_description": "Unknown male, about 30, known to the victim as 'Jay'",
            "dash_risk": "medium",
            "dash_ticks": "10",
            "repeat_incidents_12_months": "0",
            "reporting_officer": "PC Daniel Rees",
            "collar_number": "2231",
            "summary": "First report to police. Victim staying with her mother with the children.",
            "child_1_given_name": "Ava",
            "child_1_family_name": "Example-Hartley",
            "child_1_date_of_birth": "2018-02-03",
            "child_1_present": "no",
            "child_2_given_name": "Noah",
            "child_2_family_name": "Example-Hartley",
            "child_2_date_of_birth": "2021-10-11",
            "child_2_present": "yes",
        }
    )
    rows.append(new)
    rows.sort(key=lambda r: r["incident_at"])
    columns = list(police_feed.NOTIFICATION_COLUMNS)
    for number in range(1, widest + 1):
        columns += police_feed.child_columns(number)
    return _csv(columns, rows)


def school_attendance_csv(*, council: Council, as_of: date) -> str:
    """The attendance service's file for the last term that ended before ``as_of``."""
    term = term_of(as_of).before()
    records = (
        AttendanceRecord.objects.filter(
            council=council, academic_year=term.academic_year, term=term.term
        )
        .select_related("person")
        .order_by("person__upn", "school_urn")[:ATTENDANCE_ROWS]
    )
    rows = [
        {
            "upn": record.person.upn or "",
            "academic_year": academic_year_label(record.academic_year),
            "term": record.term,
            "school_urn": record.school_urn,
            "school_name": record.school_name,
            "sessions_possible": str(record.sessions_possible),
            "sessions_authorised_absence": str(record.sessions_authorised_absence),
            "sessions_unauthorised_absence": str(record.sessions_unauthorised_absence),
            "suspensions": str(record.suspensions),
            "suspension_days": f"{record.suspension_days:g}" if record.suspensions else "0",
        }
        for record in records
    ]
    return _csv(attendance_feed.COLUMNS, rows)
