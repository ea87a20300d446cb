"""Three local programmes in the history, the episodes whose families took part, and the
effect one of them has (issue 14: an evaluation must recover it).

- Fairer Start (Stockton-on-Tees): families with a child under five; no built-in effect.
- Encompass (Hartlepool): families with children of any age; NO effect
  (``EFFECTS["Encompass"] == 0``): the evaluation should find nothing.
- Team Around the School (Middlesbrough): families with school-age children, more often at
  level 3; a family that took part comes back to the front door within 12 months of
  closure with a chance ``TEAM_AROUND_THE_SCHOOL_EFFECT`` (20 percentage points) lower,
  absolutely, than it otherwise would after early help that met its needs, ended without
  engagement or stepped down (``returns.maybe_back``). After a step-up or a move away
  nothing changes, so the effect on all participants is that amount times the share of
  them whose early help ended one of those three ways.

Who takes part is confounded (age, level, number of needs), as families choose to. The
choices and the prevented returns are drawn from the programmes' own random stream, so the
main stream's draws are the same whoever takes part; only the returns a programme prevents
change what comes after them.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from continuum.demo.generator.steps.five_years.builder import Casefile, HistoryBuilder
from continuum.demo.generator.world import World
from continuum.early_help.choices import ClosureReason
from continuum.programmes.models import Participation, Programme

# The absolute fall in the chance of coming back within 12 months of closure.
TEAM_AROUND_THE_SCHOOL_EFFECT = 0.20
EFFECTS = {"Fairer Start": 0.0, "Encompass": 0.0, "Team Around the School": 0.20}
# The ways early help ends after which a programme's effect can show (``maybe_back``).
EFFECT_AFTER = (
    ClosureReason.NEEDS_MET,
    ClosureReason.DECLINED,
    ClosureReason.OTHER,
    ClosureReason.STEPPED_DOWN,
)


@dataclass(frozen=True)
class LocalProgramme:
    name: str
    council: str  # the council's key
    offers: str
    for_whom: str
    years_before: int  # started this many years before the as-of date (at most the history)


LOCAL_PROGRAMMES = (
    LocalProgramme(
        "Fairer Start",
        "stockton",
        "A named family worker from pregnancy to school age, a weekly stay-and-play and "
        "parenting group at the family hub, and help with speech and language, infant "
        "feeding and getting a funded nursery place.",
        "Families with a child under five, at early help levels 2 and 3, in the wards with "
        "the lowest school-readiness figures.",
        4,
    ),
    LocalProgramme(
        "Encompass",
        "hartlepool",
        "A notification to the child's school before the next school day when the police "
        "attended a domestic abuse incident at home, so a trusted adult can offer support, "
        "with the early help worker and the school planning together.",
        "Children and young people living with domestic abuse, whatever their age, whose "
        "families have early help.",
        4,
    ),
    LocalProgramme(
        "Team Around the School",
        "middlesbrough",
        "An early help worker based in the school cluster, fortnightly team-around-the-school "
        "meetings with the school's pastoral lead, the school nurse and attendance officer, "
        "and whole-family key work when attendance or behaviour starts to slip.",
        "Families with school-age children (5 to 15) whose attendance, behaviour or "
        "wellbeing is a concern, mostly at early help level 3.",
        4,
    ),
)


def chance_of_taking_part(name: str, youngest: int, level: int, needs: int) -> float:
    """How likely a family is to take part: confounded, as families and workers choose."""
    if name == "Fairer Start":
        return (0.55 if youngest < 5 else 0.05) + (0.1 if level == 3 else 0.0)
    if name == "Team Around the School":
        school_age = 5 <= youngest <= 15
        return (0.45 if school_age else 0.08) + (0.2 if level == 3 else 0.0) + 0.03 * needs
    return 0.25 + (0.1 if level == 3 else 0.0) + 0.03 * needs  # Encompass


def local_programmes(world: World) -> dict[str, tuple[Programme, float]]:
    """Each council's programme (its row written now) and its built-in effect."""
    rng = random.Random(f"{world.seed}:programmes:rows")
    made: dict[str, tuple[Programme, float]] = {}
    for p in LOCAL_PROGRAMMES:
        council = world.councils.get(p.council)
        if council is None:
            continue
        years = min(p.years_before, world.preset.years)
        starts_on = date(world.as_of.year - years, world.as_of.month, 1)
        row = Programme.objects.create(
            id=uuid.UUID(int=rng.getrandbits(128), version=4),
            name=p.name,
            offers=p.offers,
            for_whom=p.for_whom,
            starts_on=starts_on,
            created_at=world.moment(starts_on, hour=10),
        )
        row.councils.set([council])
        made[p.council] = (row, EFFECTS[p.name])
    return made


def take_part(builder: HistoryBuilder, case: Casefile) -> float:
    """Whether the case's family takes part in its council's programme (the row queued),
    and so how much lower its chance of coming back within 12 months is."""
    entry = builder.programmes.get(case.key)
    if entry is None or case.plan_day is None:
        return 0.0
    programme, effect = entry
    rng = builder.programme_rng
    ages = [c.age_on(case.start) for c in case.children if c.person.date_of_birth is not None]
    youngest = min((a for a in ages if a is not None), default=0)
    chance = chance_of_taking_part(programme.name, youngest, case.level, len(case.needs))
    roll = rng.random()  # drawn for every case, so one case's choice moves no other's
    joined = case.plan_day + timedelta(days=rng.randint(0, 28))
    if roll >= chance or joined < programme.starts_on:
        return 0.0
    if case.closed is not None and joined > case.closed:
        joined = case.closed
    if not builder.happened(joined):
        return 0.0
    builder.add(
        Participation(
            id=uuid.UUID(int=rng.getrandbits(128), version=4),
            programme=programme,
            episode=case.episode,
            joined_on=joined,
            left_on=case.closed if case.closed else None,
            recorded_at=builder.at(joined, 15),
        )
    )
    return effect


def prevented(builder: HistoryBuilder, chance: float, lower_by: float) -> bool:
    """A return that would have happened (with ``chance``) prevented by the programme:
    with chance ``lower_by / chance``, so the chance of coming back falls by ``lower_by``."""
    if lower_by <= 0 or chance <= 0:
        return False
    return builder.programme_rng.random() * chance < min(lower_by, chance)
