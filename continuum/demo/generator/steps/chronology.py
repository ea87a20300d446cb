"""A chronology for every person: birth, moves, GP registration, school, health visiting,
and a few of the ordinary significant events in a family's life over the preset's years.

Early help, front-door and social care events are left to the steps that make those
records, so each such event can point at the record it came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from continuum.demo.generator.registry import step
from continuum.demo.generator.steps.people import reception_year, school_year
from continuum.demo.generator.world import DemoPerson, World
from continuum.people.choices import ChronologyCategory as C
from continuum.people.choices import PersonKind, sensitivity_for
from continuum.people.models import ChronologyEvent

SOURCE = "demo"

BIRTH_HOSPITAL = {
    "hartlepool": "University Hospital of North Tees",
    "stockton": "University Hospital of North Tees",
    "middlesbrough": "The James Cook University Hospital",
    "redcar": "The James Cook University Hospital",
}


@dataclass(frozen=True)
class LifeEvent:
    category: str
    title: str
    detail: str
    min_age: int
    max_age: int
    weight: float


LIFE_EVENTS: tuple[LifeEvent, ...] = (
    LifeEvent(C.EDUCATION, "Attendance below 90% this term",
              "The school raised its concern about attendance with the family.", 5, 16, 3),
    LifeEvent(C.EDUCATION, "Suspended from school for two days",
              "A fixed-term suspension after an incident in class.", 11, 16, 1),
    LifeEvent(C.EDUCATION, "Referred to the special educational needs co-ordinator",
              "Concerns about progress in reading and writing.", 4, 11, 2),
    LifeEvent(C.EDUCATION, "Education, health and care plan agreed", "", 3, 16, 1),
    LifeEvent(C.EDUCATION, "Changed school during the school year", "", 5, 16, 1),
    LifeEvent(C.HEALTH, "Referred to speech and language therapy",
              "Referred after the health visitor's review.", 1, 6, 2),
    LifeEvent(C.MENTAL_HEALTH, "Referred to children and young people's mental health services",
              "Low mood and anxiety reported by the family and school.", 8, 17, 2),
    LifeEvent(C.HEALTH, "Attended the emergency department",
              "Seen and discharged the same day.", 0, 90, 2),
    LifeEvent(C.HEALTH, "Missed two health appointments",
              "Letters sent to the family to rebook.", 0, 17, 2),
    LifeEvent(C.MENTAL_HEALTH, "Referred to talking therapies", "", 18, 90, 1),
    LifeEvent(C.POLICE, "Police called to a domestic incident at the home",
              "Officers attended; a domestic abuse risk assessment was completed.", 18, 90, 1),
    LifeEvent(C.POLICE, "Reported missing from home and found safe",
              "Returned home the next morning.", 12, 17, 1),
    LifeEvent(C.POLICE, "Police called to a report of antisocial behaviour", "", 14, 90, 1),
    LifeEvent(C.FAMILY, "Relationship breakdown", "The adults in the home separated.", 18, 90, 1),
    LifeEvent(C.FAMILY, "Bereavement in the family", "", 0, 90, 1),
    LifeEvent(C.FAMILY, "Landlord served notice to leave the home", "", 18, 90, 1),
    LifeEvent(C.FAMILY, "Started a new job", "", 18, 66, 1),
    LifeEvent(C.FAMILY, "Lost their job", "", 18, 66, 1),
    LifeEvent(C.OTHER, "Referred to a food bank", "", 18, 90, 1),
    LifeEvent(C.OTHER, "Debt advice appointment", "", 18, 90, 1),
)  # fmt: skip

EVENTS_PER_PERSON = {0: 35, 1: 30, 2: 20, 3: 10, 4: 5}


class ChronologyWriter:
    def __init__(self, world: World) -> None:
        self.world = world
        self.rng = world.rng
        self.as_of = world.as_of
        self.since = world.as_of - timedelta(days=365 * world.preset.years)
        self.rows: list[ChronologyEvent] = []

    def add(self, who: DemoPerson, day: date, category: str, title: str, detail: str = "") -> None:
        if day > self.as_of:
            return
        born = who.person.date_of_birth
        if born is not None and day < born:
            return
        self.rows.append(
            ChronologyEvent(
                person=who.person,
                occurred_on=day,
                category=category,
                sensitivity=sensitivity_for(category),
                title=title,
                detail=detail,
                source=SOURCE,
            )
        )
        who.events.append(title)

    def days_between(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randint(0, max(0, (end - start).days)))

    def person(self, who: DemoPerson) -> None:
        person, born = who.person, who.person.date_of_birth
        if person.kind == PersonKind.UNBORN:
            due = person.expected_date_of_birth or self.as_of
            booked = due - timedelta(days=280 - self.rng.randint(56, 84))
            self.add(who, min(booked, self.as_of), C.HEALTH, "Pregnancy booked with the midwife")
            self.add(
                who,
                self.as_of - timedelta(days=self.rng.randint(0, 30)),
                C.RECORD,
                "Record created",
                "Synthetic demo record.",
            )
            return
        assert born is not None
        self.add(
            who,
            self.days_between(max(born, self.since), self.as_of),
            C.RECORD,
            "Record created",
            "Synthetic demo record.",
        )
        age = person.age_on(self.as_of) or 0
        if age < 18:
            self.add(
                who,
                born,
                C.HEALTH,
                "Born",
                f"Born at {BIRTH_HOSPITAL[who.council_key.split('-', 1)[0]]}.",
            )
        if who.moved_in > born:
            self.add(
                who, who.moved_in, C.FAMILY, "Moved to a new address", f"Moved to {who.postcode}."
            )
        if who.gp_practice is not None:
            registered = max(who.moved_in, born + timedelta(days=42))
            self.add(who, registered, C.HEALTH, f"Registered with {who.gp_practice.name}")
        self.settings(who, born)
        if age < 5:
            self.add(
                who,
                born + timedelta(days=self.rng.randint(10, 14)),
                C.HEALTH,
                "New birth visit by the health visitor",
            )
            self.add(
                who,
                born + timedelta(days=730 + self.rng.randint(0, 90)),
                C.HEALTH,
                "Health and development review at two years",
            )
        self.life_events(who, age)

    def settings(self, who: DemoPerson, born: date) -> None:
        if who.school is not None:
            reception = reception_year(born)
            secondary = school_year(born, self.as_of) >= 7
            started = date(reception + (7 if secondary else 0), 9, 1 + self.rng.randint(0, 6))
            self.add(who, started, C.EDUCATION, f"Started at {who.school.name}")
        if who.early_years is not None:
            started = born + timedelta(days=730 + self.rng.randint(0, 300))
            self.add(who, started, C.EDUCATION, f"Started at {who.early_years.name}")

    def life_events(self, who: DemoPerson, age: int) -> None:
        count = self.rng.choices(list(EVENTS_PER_PERSON), list(EVENTS_PER_PERSON.values()))[0]
        possible = [e for e in LIFE_EVENTS if e.min_age <= age <= e.max_age]
        if not possible:
            return
        born = who.person.date_of_birth or self.as_of
        for event in self.rng.choices(possible, [e.weight for e in possible], k=count):
            day = self.days_between(max(self.since, born), self.as_of)
            self.add(who, day, event.category, event.title, event.detail)


@step(order=400)
def chronology(world: World) -> None:
    writer = ChronologyWriter(world)
    for who in world.people:
        writer.person(who)
    world.bulk_create(ChronologyEvent, writer.rows)
