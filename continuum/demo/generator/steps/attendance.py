"""School attendance and suspensions for school-age children, term by term, as a council's
attendance service would send them (``education.AttendanceRecord``).

Who gets records: every child of the people step of school age (Reception to Year 11) in
the last six terms that ended before the as-of date, at their own school; and every child of
an early help episode (the five years' history included), from the term before the episode
started to the term after it closed, at a school of their council for their phase.

THE PATTERN (built in): most children attend about 94% of sessions (a spread of a few
points). In a family whose episode has school-attendance needs (a need for "Getting a good
education", SF01; for history episodes, which record no needs, about a third of episodes),
attendance falls by 8 to 18 points in the term before early help starts and stays low while
it is open; after closure the child gets back between 30% and 80% of what was lost (less if
the family disengaged). Other families' children lose 0 to 5 points before and get most of
it back. Unauthorised absence is a larger share of absence in the families with attendance
needs, and suspensions (secondary pupils, mostly) are more likely there too.

Runs after the five years' history (order 950); its random stream is its own, so it changes
nothing the other steps make.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from continuum.demo.generator.registry import step
from continuum.demo.generator.steps.people import school_year
from continuum.demo.generator.world import World
from continuum.early_help.choices import ClosureReason
from continuum.early_help.models import Episode, Need
from continuum.education.choices import Term
from continuum.education.models import AttendanceRecord
from continuum.education.terms import SchoolTerm, term_of
from continuum.organisations.models import Organisation
from continuum.people.choices import PersonKind
from continuum.people.models import Person

RECENT_TERMS = 6
TYPICAL = 0.945
SPREAD = 0.025
SESSIONS = {Term.AUTUMN: 142, Term.SPRING: 118, Term.SUMMER: 128}
SCHOOL_NEED_SHARE = 0.35  # of history episodes, which record no needs
SUSPENSION_DAYS = (0.5, 1, 1, 1.5, 2, 3, 5)


@dataclass(frozen=True)
class EarlyHelp:
    """An episode as the pattern sees it."""

    started: SchoolTerm
    closed: SchoolTerm | None
    school_need: bool
    disengaged: bool


def school_urn(school: Organisation) -> str:
    """The school's URN: its code if it has one, else a stable invented six digits."""
    if school.ods_code.isdigit() and len(school.ods_code) == 6:
        return school.ods_code
    return str(100000 + zlib.crc32(school.name.encode()) % 900000)


def _terms_ended_before(as_of: date, count: int) -> list[SchoolTerm]:
    term = term_of(as_of).before()
    terms: list[SchoolTerm] = []
    while len(terms) < count:
        terms.append(term)
        term = term.before()
    return list(reversed(terms))


def _episodes(world: World) -> dict[object, list[EarlyHelp]]:
    """Each child's early help episodes, by person id."""
    with_school_need = set(
        Need.objects.filter(outcome_areas__code="SF01").values_list("episode_id", flat=True)
    )
    with_needs = set(Need.objects.values_list("episode_id", flat=True))
    found: dict[object, list[EarlyHelp]] = {}
    rows = Episode.children.through.objects.values_list(
        "person_id",
        "episode_id",
        "episode__start_date",
        "episode__closure__closed_on",
        "episode__closure__reason",
    ).order_by("episode_id", "person_id")
    decided: dict[object, bool] = {}
    for person_id, episode_id, started, closed, reason in rows:
        if episode_id not in decided:
            if episode_id in with_needs:
                decided[episode_id] = episode_id in with_school_need
            else:
                decided[episode_id] = world.rng.random() < SCHOOL_NEED_SHARE
        found.setdefault(person_id, []).append(
            EarlyHelp(
                started=term_of(started),
                closed=term_of(closed) if closed else None,
                school_need=decided[episode_id],
                disengaged=reason == ClosureReason.DECLINED,
            )
        )
    return found


class AttendanceMaker:
    def __init__(self, world: World) -> None:
        self.world = world
        self.rng = world.rng
        self.last_term = term_of(world.as_of).before()
        self.keys = {council.pk: key for key, council in world.councils.items()}
        self.schools: dict[tuple[object, str], Organisation] = {}
        self.records: list[AttendanceRecord] = []

    def school(self, person: Person, term: SchoolTerm, own: Organisation | None) -> Organisation:
        secondary = school_year(person.date_of_birth, term.starts_on()) >= 7  # type: ignore[arg-type]
        if own is not None and term == self.last_term:
            return own
        phase = "secondary" if secondary else "primary"
        key = (person.pk, phase)
        if key not in self.schools:
            local = self.world.local[self.keys[person.council_id]]
            mine = own is not None and own in local[phase]
            self.schools[key] = own if mine and own is not None else self.rng.choice(local[phase])
        return self.schools[key]

    def loss(self, term: SchoolTerm, episodes: list[EarlyHelp]) -> tuple[float, bool]:
        """Points of attendance lost in ``term`` to what early help was for, and whether
        the family had school-attendance needs then."""
        for eh in episodes:
            before = eh.started.before()
            ended = eh.closed
            if not (before <= term and (ended is None or term <= ended.after())):
                continue
            drop = self.rng.uniform(0.08, 0.18) if eh.school_need else self.rng.uniform(0, 0.05)
            if ended is not None and ended < term:
                regained = self.rng.uniform(0.3, 0.8) if eh.school_need else 0.8
                if eh.disengaged:
                    regained *= 0.4
                drop *= 1 - regained
            elif term > eh.started:
                drop *= self.rng.uniform(0.7, 1.0)
            return drop, eh.school_need
        return 0.0, False

    def add(
        self,
        person: Person,
        terms: list[SchoolTerm],
        episodes: list[EarlyHelp],
        own_school: Organisation | None,
    ) -> None:
        born = person.date_of_birth
        if born is None:
            return
        usual = min(1.0, max(0.8, self.rng.gauss(TYPICAL, SPREAD)))
        for term in terms:
            if term > self.last_term or not 0 <= school_year(born, term.starts_on()) <= 11:
                continue
            lost, school_need = self.loss(term, episodes)
            rate = min(1.0, max(0.35, usual - lost + self.rng.gauss(0, 0.01)))
            possible = SESSIONS[Term(term.term)] - self.rng.randint(0, 6)
            missed = round(possible * (1 - rate))
            share = self.rng.uniform(0.4, 0.75) if school_need else self.rng.uniform(0.15, 0.45)
            unauthorised = round(missed * share)
            secondary = school_year(born, term.starts_on()) >= 7
            chance = (0.12 if secondary else 0.03) if school_need and lost > 0.05 else 0.01
            suspensions = 0
            days = Decimal(0)
            if self.rng.random() < chance:
                suspensions = 1 + (self.rng.random() < 0.25)
                days = Decimal(
                    str(sum(self.rng.choice(SUSPENSION_DAYS) for _ in range(suspensions)))
                )
            school = self.school(person, term, own_school)
            self.records.append(
                AttendanceRecord(
                    person=person,
                    council_id=person.council_id,
                    academic_year=term.academic_year,
                    term=term.term,
                    school_urn=school_urn(school),
                    school_name=school.name,
                    sessions_possible=possible,
                    sessions_authorised_absence=missed - unauthorised,
                    sessions_unauthorised_absence=unauthorised,
                    suspensions=suspensions,
                    suspension_days=days,
                )
            )


def _episode_terms(episodes: list[EarlyHelp], last: SchoolTerm) -> list[SchoolTerm]:
    terms: set[SchoolTerm] = set()
    for eh in episodes:
        term = eh.started.before()
        end = eh.closed.after() if eh.closed is not None else last
        while term <= end and term <= last:
            terms.add(term)
            term = term.after()
    return sorted(terms)


@step(order=950)
def attendance(world: World) -> None:
    maker = AttendanceMaker(world)
    episodes = _episodes(world)
    recent = _terms_ended_before(world.as_of, RECENT_TERMS)
    done: set[object] = set()
    for who in world.people:
        person = who.person
        if person.kind != PersonKind.CHILD or not person.upn:
            continue
        own = episodes.get(person.pk, [])
        terms = sorted(set(recent) | set(_episode_terms(own, maker.last_term)))
        maker.add(person, terms, own, who.school)
        done.add(person.pk)
    others = sorted((pk for pk in episodes if pk not in done), key=str)
    people = Person.objects.in_bulk(others)
    for pk in others:
        child = people.get(pk)
        if child is None or not child.upn or child.kind == PersonKind.UNBORN:
            continue
        own = episodes[pk]
        maker.add(child, _episode_terms(own, maker.last_term), own, None)
    world.bulk_create(AttendanceRecord, maker.records, history=False)
    children = len({r.person_id for r in maker.records})
    world.note(f"{len(maker.records)} terms of school attendance for {children} children")
