"""A few case notes on each open early help episode, so the demo shows the work between
the milestones: home visits, phone calls and TAF discussions by the lead professional in
the six weeks before the as-of date, with each child seen (or not, on a phone call) and,
for school-age children, sometimes seen alone; one note in about twelve is sensitive.

What a note says fits each child's age (a baby's feeds and sleep, a toddler's nursery, a
primary child's reading, a teenager's exams), so no toddler is said to be worried about
exams. Each note also gives each child a chronology entry linking to it, as recording one
does. Deterministic by seed (its own random stream); cheap (bulk inserts only).
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from continuum.case_notes.choices import NoteType
from continuum.case_notes.models import CaseNote, ChildSeen
from continuum.demo.generator.registry import step
from continuum.demo.generator.world import World
from continuum.early_help.choices import EpisodeStatus
from continuum.early_help.models import Episode
from continuum.people.choices import ChronologyCategory, ChronologySensitivity, PersonKind
from continuum.people.models import ChronologyEvent, Person

NOTES_PER_EPISODE = (2, 3, 4)
WITHIN_DAYS = 42
SENSITIVE_SHARE = 1 / 12

# What a visit finds of a child, by age band: (up to this age in years, sentences).
ABOUT_A_CHILD: list[tuple[int, tuple[str, ...]]] = [
    (
        1,
        (
            "{name} was alert and babbling on the play mat; Mum says feeds are going well.",
            "{name} was asleep in the cot; the health visitor's weight check last week was fine.",
            "{name} is sleeping better since the bedtime routine started.",
        ),
    ),
    (
        4,
        (
            "{name} showed me the paintings from nursery on the fridge.",
            "{name} played with the building blocks and chatted to me about the park.",
            "{name} has settled into nursery three mornings a week.",
        ),
    ),
    (
        11,
        (
            "{name} read to me from the school reading book and talked about friends in class.",
            "{name} is enjoying football club after school on Thursdays.",
            "{name} said the new morning routine means getting to school on time.",
        ),
    ),
    (
        17,
        (
            "{name} talked about revision for the mock exams and agreed to try homework club.",
            "{name} said things at home are calmer and is going to the youth club on Fridays.",
            "{name} has been getting to school on time and wants to look at college courses.",
        ),
    ),
]
ABOUT_THE_FAMILY = (
    "The home was warm and tidy; there was food in the cupboards.",
    "Mum has been going to the parenting group and says it is helping.",
    "We reviewed the plan together; the next TAF meeting is booked.",
    "Dad has been in touch with the housing officer about the damp in the back bedroom.",
)
PHONE_CALLS = (
    "Rang Mum to confirm the next home visit; she said it has been a good week.",
    "Spoke to the school's family support worker about attendance this half term.",
    "Rang Dad to check the referral to the debt advice service went through.",
)
TAF_DISCUSSIONS = (
    "Discussed progress against the plan with the school and health visitor; actions updated.",
    "TAF partners agreed the family are making progress; review in six weeks.",
)
SENSITIVE = (
    "Mum spoke privately about her own health and agreed to see her GP; "
    "support offered through the wellbeing service.",
)


def _about(child: Person, on: date, rng: random.Random) -> str:
    age = child.age_on(on)
    if age is None:
        return ""
    for up_to, sentences in ABOUT_A_CHILD:
        if age <= up_to:
            return rng.choice(sentences).format(name=child.given_name)
    return ""


def _text(kind: str, children: list[Person], on: date, rng: random.Random) -> str:
    if kind == NoteType.PHONE_CALL:
        return rng.choice(PHONE_CALLS)
    if kind == NoteType.TAF_DISCUSSION:
        return rng.choice(TAF_DISCUSSIONS)
    parts = [rng.choice(ABOUT_THE_FAMILY)]
    parts += [sentence for child in children if (sentence := _about(child, on, rng))]
    return " ".join(parts)


def _open_episodes(world: World) -> list[Episode]:
    return list(
        Episode.objects.filter(lead_professional__isnull=False)
        .exclude(status=EpisodeStatus.CLOSED)
        .exclude(pk__in=[str(pk) for pk in world.history_ids])
        .select_related("lead_professional")
        .prefetch_related("children")
        .order_by("start_date", "pk")
    )


def _when(world: World, episode: Episode, rng: random.Random) -> datetime:
    earliest = max(episode.start_date, world.as_of - timedelta(days=WITHIN_DAYS))
    span = max((world.as_of - timedelta(days=1) - earliest).days, 0)
    day = earliest + timedelta(days=rng.randint(0, span))
    return world.moment(day, hour=rng.randint(9, 16), minute=rng.choice((0, 15, 30, 45)))


@step(order=960)
def case_notes(world: World) -> None:
    rng = world.rng
    notes: list[CaseNote] = []
    seen: list[ChildSeen] = []
    events: list[ChronologyEvent] = []
    for episode in _open_episodes(world):
        lead = episode.lead_professional
        assert lead is not None
        children = sorted(
            (c for c in episode.children.all() if c.kind != PersonKind.UNBORN),
            key=lambda c: (c.date_of_birth or world.as_of, str(c.pk)),
        )
        for _ in range(rng.choice(NOTES_PER_EPISODE)):
            at = _when(world, episode, rng)
            kind = rng.choices(
                [NoteType.HOME_VISIT, NoteType.PHONE_CALL, NoteType.TAF_DISCUSSION],
                weights=[6, 3, 1],
            )[0]
            sensitive = kind == NoteType.HOME_VISIT and rng.random() < SENSITIVE_SHARE
            text = rng.choice(SENSITIVE) if sensitive else _text(kind, children, at.date(), rng)
            note = CaseNote(
                id=world.new_uuid(),
                episode=episode,
                note_type=kind,
                occurred_at=at,
                present="Mum and the children" if kind == NoteType.HOME_VISIT else "",
                text=text,
                sensitive=sensitive,
                author=lead,
                author_organisation=lead.organisation,
                recorded_at=at + timedelta(hours=2),
            )
            notes.append(note)
            for child in children:
                visited = kind == NoteType.HOME_VISIT
                age = child.age_on(at.date()) or 0
                alone = visited and age >= 5 and rng.random() < 0.4
                seen.append(ChildSeen(note=note, child=child, seen=visited, seen_alone=alone))
                events.append(
                    ChronologyEvent(
                        person=child,
                        occurred_on=at.date(),
                        category=ChronologyCategory.EARLY_HELP,
                        sensitivity=ChronologySensitivity.STANDARD,
                        title=f"Case note: {note.get_note_type_display().lower()}",
                        source=f"case_notes.note:{note.pk}",
                        recorded_by=lead,
                    )
                )
    world.bulk_create(CaseNote, notes)
    world.bulk_create(ChildSeen, seen, history=False)
    world.bulk_create(ChronologyEvent, events, history=False)
    sensitive_count = sum(note.sensitive for note in notes)
    world.note(f"{len(notes)} case notes ({sensitive_count} sensitive) on open episodes")
