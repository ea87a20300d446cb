"""Importing a council's children in need census return (registered as the import kind
"cin-census"; the imports app records, runs and shows it).

``check`` reads and checks the whole file (``reading``); ``apply`` writes it in the one
transaction the imports app opens:

- **Children** are matched to the council's people by LA child ID (``CensusChild``), then
  UPN, then date of birth with sex and the referral's date (the census carries no names: an
  episode already recorded for a child born that day stands in for "name with date of
  birth"). One candidate is the child; two or more are never guessed: the child's record
  waits as a ``CensusMatch`` for a manager to pick the person or say it is a new one (counted
  as refused until then). No candidate: a new person (named by the LA child ID, as the
  return has no names) and their ``CensusChild``.
- **Episodes** (CINdetails) are matched by the child and the referral date, and what they
  hold (assessments, plans, enquiries, conferences, reviews) by kind and start date; each is
  created, updated (dates and codes) or left alone, and marked ``source=census``.
- **The census is a snapshot of the year**: an episode, or a part of one, that came from a
  census return, was open during the file's year and is not in the file is removed (the
  council's return no longer holds it: it was recorded in error or merged). Nothing
  recorded in Continuum itself is ever removed by an import.
- **Counts** are per child: created (a new person), updated (anything written or removed),
  unchanged, refused (waiting for a match to be resolved); ended counts the episodes and
  parts removed.
- Then the DfE's validation rules for the year run over the file (``validation``); each
  error and query is saved as a ``CensusFinding`` against the child, replacing the
  council's unresolved findings for the year.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q
from simple_history.utils import bulk_create_with_history

from continuum.imports.models import ImportRun
from continuum.imports.registry import Counts, Progress
from continuum.organisations.models import Council
from continuum.people.choices import Ethnicity, PersonKind
from continuum.people.models import Person
from continuum.statutory.census.reading import CensusFile, CensusRecord, Episode, read_census
from continuum.statutory.census.validation import validate_census
from continuum.statutory.choices import InvolvementKind, RecordSource
from continuum.statutory.models import (
    CensusChild,
    CensusFinding,
    CensusMatch,
    FindingSeverity,
    ProtectionPlanReview,
    StatutoryInvolvement,
)

KIND = "cin-census"
Key = tuple[str, date]  # (kind, start date)


def check(data: bytes, run: ImportRun) -> CensusFile:
    """The whole file read and checked against the census's structure (``FileRefused``
    with every problem otherwise), for the council the run is for."""
    census = read_census(data, council=run.council)
    ImportRun.objects.filter(pk=run.pk).update(summary=census.summary)
    return census


# --- matching -------------------------------------------------------------------------------


@dataclass
class Match:
    person: Person | None = None
    census_child: CensusChild | None = None
    candidates: list[Person] = field(default_factory=list)
    basis: str = ""

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1


def match_children(census: CensusFile) -> dict[str, Match]:
    """Each child of the file matched to the council's people, in a handful of queries."""
    council = census.council
    records = census.children
    known = {
        child.la_child_id: child
        for child in CensusChild.objects.filter(
            council=council, la_child_id__in=[r.la_child_id for r in records]
        ).select_related("person")
    }
    with_census_id = CensusChild.objects.filter(council=council).values("person_id")
    by_upn: dict[str, list[Person]] = defaultdict(list)
    upns = [r.upn for r in records if r.upn and r.la_child_id not in known]
    for person in Person.objects.filter(council=council, upn__in=upns):
        by_upn[person.upn or ""].append(person)
    by_birth: dict[tuple[date, str, date], list[Person]] = defaultdict(list)
    births = {r.date_of_birth for r in records if r.date_of_birth and r.la_child_id not in known}
    seen: set[tuple[Any, ...]] = set()
    for referral in (
        StatutoryInvolvement.objects.filter(
            council=council,
            kind=InvolvementKind.REFERRAL,
            person__date_of_birth__in=births,
        )
        .exclude(person__in=with_census_id)
        .select_related("person")
    ):
        person = referral.person
        key = (person.date_of_birth, person.sex, referral.start_date)
        if (key, person.pk) not in seen:
            seen.add((key, person.pk))
            by_birth[key].append(person)  # type: ignore[index]
    matches: dict[str, Match] = {}
    for record in records:
        matches[record.la_child_id] = _match(record, known, by_upn, by_birth)
    return matches


def _match(
    record: CensusRecord,
    known: dict[str, CensusChild],
    by_upn: dict[str, list[Person]],
    by_birth: dict[tuple[date, str, date], list[Person]],
) -> Match:
    child = known.get(record.la_child_id)
    if child is not None:
        return Match(person=child.person, census_child=child, basis="LA child ID")
    if record.upn and by_upn.get(record.upn):
        found = by_upn[record.upn]
        if len(found) > 1:
            return Match(candidates=found, basis=f"{len(found)} people have the UPN")
        return Match(person=found[0], basis="UPN")
    if record.date_of_birth:
        found = []
        for episode in record.episodes:
            key = (record.date_of_birth, record.sex, episode.referral_date)
            found.extend(p for p in by_birth.get(key, []) if p not in found)
        if len(found) > 1:
            return Match(
                candidates=found,
                basis=f"{len(found)} people have the date of birth, sex and a referral that day",
            )
        if found:
            return Match(person=found[0], basis="date of birth, sex and referral date")
    return Match(basis="new")


# --- writing --------------------------------------------------------------------------------


@dataclass
class _Writes:
    """What an import writes, collected child by child and written in bulk."""

    people: list[Person] = field(default_factory=list)
    census_children: list[CensusChild] = field(default_factory=list)
    involvements: list[StatutoryInvolvement] = field(default_factory=list)
    parts: list[StatutoryInvolvement] = field(default_factory=list)
    conferences: list[StatutoryInvolvement] = field(default_factory=list)
    reviews: list[ProtectionPlanReview] = field(default_factory=list)
    removed: list[Any] = field(default_factory=list)
    removed_reviews: list[Any] = field(default_factory=list)

    def flush(self) -> None:
        if self.people:
            bulk_create_with_history(self.people, Person, batch_size=500)
        CensusChild.objects.bulk_create(self.census_children, batch_size=500)
        StatutoryInvolvement.objects.bulk_create(self.involvements, batch_size=500)
        StatutoryInvolvement.objects.bulk_create(self.parts, batch_size=500)
        StatutoryInvolvement.objects.bulk_create(self.conferences, batch_size=500)
        ProtectionPlanReview.objects.bulk_create(self.reviews, batch_size=500)
        if self.removed_reviews:
            ProtectionPlanReview.objects.filter(pk__in=self.removed_reviews).delete()
        if self.removed:
            StatutoryInvolvement.objects.filter(pk__in=self.removed).delete()


class _Existing:
    """The council's statutory records of the matched children, read at once."""

    def __init__(self, council: Council, person_ids: Iterable[Any]) -> None:
        rows = StatutoryInvolvement.objects.filter(council=council, person__in=list(person_ids))
        self.referrals: dict[Any, dict[date, StatutoryInvolvement]] = defaultdict(dict)
        self.parts: dict[Any, dict[Key, StatutoryInvolvement]] = defaultdict(dict)
        for row in rows.order_by("start_date"):
            if row.kind == InvolvementKind.REFERRAL:
                self.referrals[row.person_id].setdefault(row.start_date, row)
            else:
                self.parts[row.referral_id].setdefault((row.kind, row.start_date), row)
        self.reviews: dict[Any, dict[date, Any]] = defaultdict(dict)
        for plan_id, held, pk in ProtectionPlanReview.objects.filter(
            plan__council=council, plan__person__in=list(self.referrals)
        ).values_list("plan_id", "review_date", "pk"):
            self.reviews[plan_id][held] = pk


class _ChildWriter:
    """Writes one child's record from the file: the person, the census child, the
    episodes and what they hold. ``changed`` says whether anything was written."""

    def __init__(self, census: CensusFile, writes: _Writes, existing: _Existing) -> None:
        self.census = census
        self.writes = writes
        self.existing = existing
        self.ended = 0

    def in_year(self, row: StatutoryInvolvement) -> bool:
        return row.start_date <= self.census.reference_date and (
            row.end_date is None or row.end_date >= self.census.period_start
        )

    def write(self, record: CensusRecord, match: Match) -> tuple[bool, bool]:
        """(created, changed) for the child."""
        created = match.person is None
        person = match.person or self._new_person(record)
        changed = created or self._update_person(person, record)
        if match.census_child is None:
            self.writes.census_children.append(
                CensusChild(
                    person=person,
                    council=self.census.council,
                    la_child_id=record.la_child_id,
                    former_upn=record.former_upn,
                )
            )
            changed = True
        elif match.census_child.former_upn != record.former_upn:
            match.census_child.former_upn = record.former_upn
            match.census_child.save(update_fields=["former_upn"])
            changed = True
        referrals = self.existing.referrals.get(person.pk, {})
        in_file = set()
        for episode in record.episodes:
            in_file.add(episode.referral_date)
            changed |= self._episode(person, episode, referrals.get(episode.referral_date))
        for start, referral in referrals.items():
            census_only = referral.source == RecordSource.CENSUS
            if start not in in_file and census_only and self.in_year(referral):
                self.writes.removed.append(referral.pk)
                self.ended += 1
                changed = True
        return created, changed

    def _new_person(self, record: CensusRecord) -> Person:
        person = Person(council=self.census.council, family_name="")
        self._set_person(person, record)
        person.family_name = f"Census child {record.la_child_id}"
        person.set_search_keys()
        self.writes.people.append(person)
        return person

    @staticmethod
    def _person_values(record: CensusRecord) -> dict[str, Any]:
        unborn = record.date_of_birth is None and record.expected_date_of_birth is not None
        values: dict[str, Any] = {
            "kind": PersonKind.UNBORN if unborn else PersonKind.CHILD,
            "date_of_birth": record.date_of_birth,
            "expected_date_of_birth": record.expected_date_of_birth if unborn else None,
            "sex": record.sex,
            "date_of_death": record.date_of_death,
        }
        if record.upn:
            values.update(upn=record.upn, upn_unknown_reason="")
        elif record.upn_unknown_reason:
            values["upn_unknown_reason"] = record.upn_unknown_reason
        if record.ethnicity:
            values["ethnicity"] = record.ethnicity
        if record.disabilities:
            values["disabilities"] = sorted(record.disabilities)
        return values

    def _set_person(self, person: Person, record: CensusRecord) -> None:
        for name, value in self._person_values(record).items():
            setattr(person, name, value)
        if not person.ethnicity:
            person.ethnicity = Ethnicity.NOBT

    def _update_person(self, person: Person, record: CensusRecord) -> bool:
        values = self._person_values(record)
        if person.kind not in (PersonKind.CHILD, PersonKind.UNBORN):
            values.pop("kind")
        if person.upn and not record.upn:
            values.pop("upn_unknown_reason", None)
        if sorted(person.disabilities or []) == values.get("disabilities"):
            values.pop("disabilities", None)
        changed = [name for name, value in values.items() if getattr(person, name) != value]
        if not changed:
            return False
        for name in changed:
            setattr(person, name, values[name])
        person.version += 1
        person.save(update_fields=[*changed, "version"])
        return True

    # --- episodes ------------------------------------------------------------------------

    def _episode(
        self, person: Person, episode: Episode, referral: StatutoryInvolvement | None
    ) -> bool:
        values = {
            "end_date": episode.closure_date,
            "referral_source": episode.referral_source,
            "primary_need": episode.primary_need,
            "closure_reason": episode.closure_reason,
            "referral_nfa": episode.referral_nfa,
        }
        if referral is None:
            referral = StatutoryInvolvement(
                person=person,
                council=self.census.council,
                kind=InvolvementKind.REFERRAL,
                start_date=episode.referral_date,
                source=RecordSource.CENSUS,
                **values,
            )
            self.writes.involvements.append(referral)
            self._parts(person, referral, episode, {})
            return True
        changed = _update(referral, values)
        existing = self.existing.parts.get(referral.pk, {})
        return self._parts(person, referral, episode, existing) or changed

    def _parts(
        self,
        person: Person,
        referral: StatutoryInvolvement,
        episode: Episode,
        existing: dict[Key, StatutoryInvolvement],
    ) -> bool:
        wanted: list[tuple[str, date, dict[str, Any]]] = []
        for a in episode.assessments:
            wanted.append(
                (
                    InvolvementKind.ASSESSMENT,
                    a.start_date,
                    {
                        "end_date": a.authorised_date,
                        "internal_review_date": a.internal_review_date,
                        "factors": sorted(a.factors),
                    },
                )
            )
        for p in episode.cin_plans:
            wanted.append(
                (InvolvementKind.CHILD_IN_NEED_PLAN, p.start_date, {"end_date": p.end_date})
            )
        for e in episode.enquiries:
            values: dict[str, Any] = {
                "icpc_target_date": e.icpc_target_date,
                "icpc_not_required": e.icpc_not_required,
            }
            if e.conference_date is not None:
                values["end_date"] = e.conference_date
            wanted.append((InvolvementKind.SECTION_47, e.start_date, values))
        for c in episode.protection_plans:
            wanted.append(
                (
                    InvolvementKind.CHILD_PROTECTION_PLAN,
                    c.start_date,
                    {
                        "end_date": c.end_date,
                        "abuse_category": c.abuse_category,
                        "latest_abuse_category": (
                            ""
                            if c.latest_abuse_category == c.abuse_category
                            else c.latest_abuse_category
                        ),
                        "previous_plans": c.previous_plans,
                    },
                )
            )
        changed = False
        held: dict[Key, StatutoryInvolvement] = {}
        for kind, start, values in wanted:
            row = existing.get((kind, start))
            if row is None:
                row = self._new_part(person, referral, kind, start, values, self.writes.parts)
                changed = True
            else:
                changed |= _update(row, values)
            held[(kind, start)] = row
        changed |= self._conferences(person, referral, episode, existing, held)
        changed |= self._reviews(episode, held)
        for key, row in existing.items():
            if key not in held and row.source == RecordSource.CENSUS and self.in_year(row):
                self.writes.removed.append(row.pk)
                self.ended += 1
                changed = True
        return changed

    def _new_part(
        self,
        person: Person,
        referral: StatutoryInvolvement,
        kind: str,
        start: date,
        values: dict[str, Any],
        into: list[StatutoryInvolvement],
    ) -> StatutoryInvolvement:
        row = StatutoryInvolvement(
            person=person,
            council=self.census.council,
            kind=kind,
            referral=referral,
            start_date=start,
            source=RecordSource.CENSUS,
            **values,
        )
        into.append(row)
        return row

    def _conferences(
        self,
        person: Person,
        referral: StatutoryInvolvement,
        episode: Episode,
        existing: dict[Key, StatutoryInvolvement],
        held: dict[Key, StatutoryInvolvement],
    ) -> bool:
        changed = False
        wanted: list[tuple[date, StatutoryInvolvement | None]] = [
            (e.conference_date, held[(InvolvementKind.SECTION_47, e.start_date)])
            for e in episode.enquiries
            if e.conference_date is not None
        ]
        if episode.conference_date is not None:
            wanted.append((episode.conference_date, None))
        for day, enquiry in wanted:
            key = (InvolvementKind.INITIAL_CONFERENCE, day)
            row = existing.get(key)
            values = {"end_date": day, "enquiry": enquiry}
            if row is None:
                row = self._new_part(
                    person,
                    referral,
                    InvolvementKind.INITIAL_CONFERENCE,
                    day,
                    values,
                    self.writes.conferences,
                )
                changed = True
            elif row.enquiry_id != (enquiry.pk if enquiry else None) or row.end_date != day:
                row.enquiry, row.end_date = enquiry, day
                row.save(update_fields=["enquiry", "end_date"])
                changed = True
            held[key] = row
        return changed

    def _reviews(self, episode: Episode, held: dict[Key, StatutoryInvolvement]) -> bool:
        changed = False
        for plan in episode.protection_plans:
            row = held[(InvolvementKind.CHILD_PROTECTION_PLAN, plan.start_date)]
            have = self.existing.reviews.get(row.pk, {})
            for day in plan.reviews:
                if day not in have:
                    self.writes.reviews.append(ProtectionPlanReview(plan=row, review_date=day))
                    changed = True
            for day, pk in have.items():
                in_year = self.census.period_start <= day <= self.census.reference_date
                if in_year and day not in plan.reviews and row.source == RecordSource.CENSUS:
                    self.writes.removed_reviews.append(pk)
                    changed = True
        return changed


def _update(row: StatutoryInvolvement, values: dict[str, Any]) -> bool:
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    if not changed:
        return False
    for name in changed:
        setattr(row, name, values[name])
    row.save(update_fields=changed)
    return True


# --- the import -----------------------------------------------------------------------------


def apply(census: CensusFile, run: ImportRun, progress: Progress) -> Counts:
    """Write the checked file (inside the imports app's transaction)."""
    # One import of a council's census at a time (a second waits for the first to commit,
    # then finds its children).
    Council.objects.select_for_update().filter(pk=census.council.pk).first()
    counts = Counts()
    total = len(census.children)
    progress(0, total)
    matches = match_children(census)
    held_people = {p.pk for m in matches.values() if m.ambiguous for p in m.candidates}
    matched = [m.person.pk for m in matches.values() if m.person is not None]
    writes = _Writes()
    writer = _ChildWriter(census, writes, _Existing(census.council, matched))
    in_file: set[Any] = set()
    for done, record in enumerate(census.children, start=1):
        match = matches[record.la_child_id]
        if match.ambiguous:
            _hold(census, run, record, match)
            counts.refused += 1
        else:
            created, changed = writer.write(record, match)
            if match.person is not None:
                in_file.add(match.person.pk)
            if created:
                counts.created += 1
            elif changed:
                counts.updated += 1
            else:
                counts.unchanged += 1
        if done % 100 == 0 or done == total:
            progress(done, total)
    counts.ended = writer.ended + _end_missing_children(census, in_file | held_people, writes)
    writes.flush()
    run.note = _record_findings(census, run)
    if counts.refused:
        waiting = f"{counts.refused} child{'ren' if counts.refused > 1 else ''}"
        run.note = f"{waiting} fit more than one person: a team manager says who. {run.note}"
    return counts


def _end_missing_children(census: CensusFile, in_file: set[Any], writes: _Writes) -> int:
    """Episodes from earlier census returns, open in the year, of children this file no
    longer holds at all."""
    gone = (
        StatutoryInvolvement.objects.filter(
            council=census.council,
            kind=InvolvementKind.REFERRAL,
            source=RecordSource.CENSUS,
            start_date__lte=census.reference_date,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=census.period_start))
        .exclude(person__in=in_file)
        .values_list("pk", flat=True)
    )
    removed = list(gone)
    writes.removed.extend(removed)
    return len(removed)


def _hold(census: CensusFile, run: ImportRun, record: CensusRecord, match: Match) -> None:
    held = CensusMatch.objects.create(
        council=census.council,
        year=census.year,
        import_run=run,
        la_child_id=record.la_child_id,
        basis=match.basis,
        record=record.as_json(),
    )
    held.candidates.set(match.candidates)


def _record_findings(census: CensusFile, run: ImportRun) -> str:
    """The DfE's rules for the year over the file: each error and query a finding. What
    they found, in a sentence (for a dry run, whose findings are not kept, too)."""
    if census.root is None:
        return ""
    try:
        report = validate_census(census.root, year=census.year)
    except ValueError as exc:  # no rules for the year
        return f"The DfE's rules were not run: {exc}"
    CensusFinding.objects.filter(
        council=census.council, year=census.year, resolved_at__isnull=True
    ).delete()
    children = dict(
        CensusChild.objects.filter(council=census.council).values_list("la_child_id", "pk")
    )
    CensusFinding.objects.bulk_create(
        [
            CensusFinding(
                council=census.council,
                year=census.year,
                import_run=run,
                census_child_id=children.get(failure.la_child_id or ""),
                la_child_id=failure.la_child_id or "",
                code=failure.code,
                severity=FindingSeverity.ERROR if failure.is_error else FindingSeverity.QUERY,
                message=failure.message,
                element=": ".join(
                    part for part in (failure.table or "", ", ".join(failure.fields)) if part
                )[:300],
            )
            for failure in report.failures
        ],
        batch_size=500,
    )
    if not report.failures:
        return f"The DfE's rules for {census.year} find nothing."
    codes = Counter(failure.code for failure in report.failures)
    listed = ", ".join(f"{code} ({count})" for code, count in sorted(codes.items()))
    return (
        f"The DfE's rules for {census.year} find {len(report.errors)} errors and "
        f"{len(report.queries)} queries: {listed}."
    )


def write_one(census: CensusFile, record: CensusRecord, person: Person | None) -> Counts:
    """Import one child's record as ``person`` (or a new person): a resolved match."""
    match = Match(person=person, basis="resolved")
    if person is not None:
        match.census_child = CensusChild.objects.filter(
            council=census.council, person=person
        ).first()
    writes = _Writes()
    writer = _ChildWriter(census, writes, _Existing(census.council, [person.pk] if person else []))
    created, changed = writer.write(record, match)
    writes.flush()
    return Counts(created=int(created), updated=int(changed and not created), ended=writer.ended)
