"""What the children in need census needs of each referred child, once the history is
written (order 950): the council's own LA child ID (``CensusChild``, unique in the
council, now and then a former UPN), a UPN or the reason it is not known, the disability
codes an assessment records, the number of previous child protection plans on each plan,
and, rarely, a child who died (the referral closed with RC2 on the day).

The DfE's rules it follows (the validator's codes): a child without a UPN has a reason,
UN7 only when every referral went no further (8772), UN1 only under school age (8770Q);
a child with a referral that went further has disability codes (8540), NONE alone (8790);
every plan has its number of previous plans (8730); a closure for death has the date of
death (8585Q) and nothing happens to the child after it (4008, 8915, 8920).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.db.models import Max, Q

from continuum.demo.generator.copying import update
from continuum.demo.generator.registry import step
from continuum.demo.generator.steps.people import reception_year, school_year
from continuum.demo.generator.world import World
from continuum.early_help.models import Episode
from continuum.front_door.models import ContactChild
from continuum.people.choices import Disability, UPNUnknown
from continuum.people.identifiers import synthetic_upn
from continuum.people.models import ChronologyEvent, Person
from continuum.statutory.choices import InvolvementKind, ReferralClosure
from continuum.statutory.models import CensusChild, StatutoryInvolvement

# Chances: a former UPN on the council's record; a child dying, among those whose last
# record is a closed referral.
FORMER_UPN = 0.01
DEATH = 0.003
CENSUS_FIELDS = ["upn", "upn_unknown_reason", "disabilities", "date_of_death"]


@step(order=950)
def census_records(world: World) -> None:
    referrals: list[dict[str, Any]] = [
        dict(row)
        for row in StatutoryInvolvement.objects.filter(kind=InvolvementKind.REFERRAL)
        .order_by("council__name", "start_date", "person_id", "id")
        .values("id", "person_id", "council_id", "start_date", "end_date", "referral_nfa")
    ]
    if not referrals:
        return
    people = Person.objects.in_bulk({r["person_id"] for r in referrals})
    by_person: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for r in referrals:
        by_person[r["person_id"]].append(r)
    census_children(world, referrals, people)
    upns = {upn for upn in Person.objects.values_list("upn", flat=True) if upn}
    changed = {pid: identity(world, people[pid], rows, upns) for pid, rows in by_person.items()}
    deaths = died(world, by_person, people)
    for pid in deaths:
        changed[pid] = True
    save_people(world, [people[pid] for pid, change in changed.items() if change])
    previous_plans()
    world.note(
        f"Census: {len(by_person):,} referred children with LA child IDs; "
        f"{sum(1 for p in people.values() if p.upn_unknown_reason):,} without a UPN, "
        f"each with a reason; {len(deaths)} died."
    )


def census_children(
    world: World, referrals: list[dict[str, Any]], people: dict[Any, Person]
) -> None:
    """One LA child ID per child and council, unique in the council, in the order of the
    child's first referral there."""
    rows: list[CensusChild] = []
    seen: set[tuple[Any, Any]] = set()
    taken: dict[Any, set[str]] = defaultdict(set)
    for r in referrals:
        key = (r["council_id"], r["person_id"])
        if key in seen:
            continue
        seen.add(key)
        while (child_id := str(world.rng.randint(1_000_000, 9_999_999))) in taken[key[0]]:
            pass
        taken[key[0]].add(child_id)
        person = people[r["person_id"]]
        former = ""
        if person.upn and person.date_of_birth and world.rng.random() < FORMER_UPN:
            council = next(c for c in world.councils.values() if c.pk == r["council_id"])
            former = synthetic_upn(
                world.rng, la_code=council.dfe_la_code, year=reception_year(person.date_of_birth)
            )
        rows.append(
            CensusChild(
                id=world.new_uuid(),
                person_id=r["person_id"],
                council_id=r["council_id"],
                la_child_id=child_id,
                former_upn=former,
            )
        )
    world.bulk_create(CensusChild, rows)


def identity(world: World, person: Person, rows: list[dict[str, Any]], upns: set[str]) -> bool:
    """The child's UPN or the reason it is not known, and disability codes once assessed;
    whether anything changed."""
    before = (person.upn, person.upn_unknown_reason, list(person.disabilities))
    went_further = any(not r["referral_nfa"] for r in rows)
    if not person.upn:
        born = person.date_of_birth
        if not went_further:
            person.upn_unknown_reason = UPNUnknown.NO_FURTHER_ACTION
        elif born is None or school_year(born, world.as_of) < 0:
            person.upn_unknown_reason = UPNUnknown.UNDER_SIX
        else:
            # Past school age now, but at school when referred: the UPN they had.
            council = next(c for c in world.councils.values() if c.pk == person.council_id)
            year = reception_year(born)
            while (upn := synthetic_upn(world.rng, la_code=council.dfe_la_code, year=year)) in upns:
                pass
            upns.add(upn)
            person.upn = upn
    if person.upn:
        person.upn_unknown_reason = ""
    if went_further and not person.disabilities:
        # The assessment asks: not known becomes no disability.
        person.disabilities = [Disability.NONE.value]
    return before != (person.upn, person.upn_unknown_reason, list(person.disabilities))


def died(
    world: World, by_person: dict[Any, list[dict[str, Any]]], people: dict[Any, Person]
) -> list[Any]:
    """Rarely, a child whose last record anywhere is a closed referral died that day: the
    referral closes with RC2 and the child has a date of death."""
    candidates = []
    for pid, rows in by_person.items():
        last = max(rows, key=lambda r: r["start_date"])
        if last["end_date"] is None or last["referral_nfa"]:
            continue
        if world.rng.random() < DEATH:
            candidates.append((pid, last))
    deaths = []
    for pid, last in candidates:
        day: date = last["end_date"]
        if _anything_after(pid, day):
            continue
        people[pid].date_of_death = day
        StatutoryInvolvement.objects.filter(pk=last["id"]).update(
            closure_reason=ReferralClosure.DIED
        )
        deaths.append(pid)
    return deaths


def _anything_after(person_id: Any, day: date) -> bool:
    statutory = StatutoryInvolvement.objects.filter(person_id=person_id).aggregate(
        last=Max("end_date"), started=Max("start_date")
    )
    if statutory["started"] > day or (statutory["last"] or day) > day:
        return True
    if StatutoryInvolvement.objects.filter(person_id=person_id, end_date=None).exists():
        return True
    return (
        ContactChild.objects.filter(
            person_id=person_id, contact__received_at__date__gt=day
        ).exists()
        or Episode.objects.filter(children=person_id)
        .filter(Q(start_date__gt=day) | Q(closure=None) | Q(closure__closed_on__gt=day))
        .exists()
        or ChronologyEvent.objects.filter(person_id=person_id, occurred_on__gt=day).exists()
    )


def save_people(world: World, people: list[Person]) -> None:
    """The census details on the record and on its latest version in the history."""
    size = world.preset.batch_size
    update(Person, people, CENSUS_FIELDS, batch_size=size)
    by_id = {p.pk: p for p in people}
    latest = {}
    ids = list(by_id)
    for first in range(0, len(ids), size):  # in batches: SQLite limits a query's parameters
        chunk = ids[first : first + size]
        for version in Person.history.filter(id__in=chunk).order_by("id", "history_date"):
            latest[version.id] = version
    for version in latest.values():
        for name in CENSUS_FIELDS:
            setattr(version, name, getattr(by_id[version.id], name))
    update(Person.history.model, list(latest.values()), CENSUS_FIELDS, batch_size=size)


def previous_plans() -> None:
    """Each child protection plan's number of earlier plans for the child."""
    plans = list(
        StatutoryInvolvement.objects.filter(kind=InvolvementKind.CHILD_PROTECTION_PLAN).order_by(
            "person_id", "start_date", "pk"
        )
    )
    count: dict[Any, int] = defaultdict(int)
    for plan in plans:
        plan.previous_plans = count[plan.person_id]
        count[plan.person_id] += 1
    update(StatutoryInvolvement, plans, ["previous_plans"], batch_size=2000)
