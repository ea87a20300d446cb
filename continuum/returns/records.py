"""What Annex A reads of Continuum's records, and how it reads them: the child's columns
(``Child``, ``ChildColumns``: the LA child ID or a pseudonymous id), the council's statutory
records of the period (``StatutoryRecords``: one query, read as values into ``Record``s,
grouped by referral, with the plans' latest reviews and the children's earlier plans) and
counting a child's events in the 12 months to a day (``Dates``)."""

from __future__ import annotations

import bisect
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Max, Q

from continuum.organisations.models import Council
from continuum.people.choices import Disability
from continuum.statutory.choices import InvolvementKind
from continuum.statutory.models import ProtectionPlanReview, StatutoryInvolvement
from continuum.timescales.months import add_months

Cell = str | int | date | None
YES, NO = "Yes", "No"


# --- the child's columns -------------------------------------------------------------------


def pseudonymous_id(person_pk: object) -> str:
    """A stable id for a child with no LA child ID: a one-way hash of the record's own
    random id (never the NHS number or UPN), the same in every list and every export."""
    digest = hashlib.sha256(f"continuum-annex-a:{person_pk}".encode()).hexdigest()
    return "CN" + digest[:10].upper()


# The person's fields every list shows, read with each row (``values``: no model objects,
# which for a large council's year would cost most of the time).
PERSON_FIELDS = (
    "person_id",
    "person__sex",
    "person__ethnicity",
    "person__date_of_birth",
    "person__disabilities",
)


@dataclass(frozen=True, slots=True)
class Child:
    """What a list shows of a person."""

    pk: Any
    sex: str
    ethnicity: str
    date_of_birth: date | None
    disabilities: tuple[str, ...]

    @classmethod
    def of(cls, row: dict[str, Any]) -> Child:
        return cls(
            row["person_id"],
            row["person__sex"],
            row["person__ethnicity"],
            row["person__date_of_birth"],
            tuple(row["person__disabilities"] or ()),
        )

    def age_on(self, day: date) -> int | None:
        dob = self.date_of_birth
        if dob is None:
            return None
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


# A statutory record's fields the lists use.
RECORD_FIELDS = (
    "pk",
    "kind",
    "referral_id",
    "start_date",
    "end_date",
    "referral_source",
    "closure_reason",
    "primary_need",
    "referral_nfa",
    "strategy_discussion_date",
    "icpc_not_required",
    "enquiry_id",
    "abuse_category",
    "latest_abuse_category",
    "previous_plans",
)


@dataclass(slots=True)
class Record:
    """A statutory record as the lists read it (``StatutoryInvolvement``'s fields)."""

    person: Child
    pk: Any
    kind: str
    referral_id: Any
    start_date: date
    end_date: date | None
    referral_source: str
    closure_reason: str
    primary_need: str
    referral_nfa: bool
    strategy_discussion_date: date | None
    icpc_not_required: bool
    enquiry_id: Any
    abuse_category: str
    latest_abuse_category: str
    previous_plans: int | None

    def is_open_on(self, day: date) -> bool:
        """Open on ``day``: started on or before it and not ended by it."""
        return self.start_date <= day and (self.end_date is None or self.end_date > day)


def disability(person: Child) -> str:
    """Yes or No from the census disability codes; blank when not known (no codes)."""
    if not person.disabilities:
        return ""
    return NO if person.disabilities == (Disability.NONE,) else YES


class ChildColumns:
    """The child's columns, as at a day (the age)."""

    def __init__(self, la_child_ids: dict[Any, str]) -> None:
        self.la_child_ids = la_child_ids

    def columns(self, person: Child, on: date) -> tuple[Cell, ...]:
        unique_id = self.la_child_ids.get(person.pk) or pseudonymous_id(person.pk)
        return (unique_id, person.sex, person.ethnicity, person.date_of_birth, age(person, on))


def age(person: Child, on: date) -> int | None:
    years = person.age_on(on)
    return None if years is None or years < 0 else years


# --- counting in the twelve months before ----------------------------------------------------


class Dates:
    """Each child's dates of one kind of event, to count those in the 12 months to a day."""

    def __init__(self) -> None:
        self._by_person: dict[Any, list[date]] = defaultdict(list)

    def add(self, person_id: Any, day: date) -> None:
        bisect.insort(self._by_person[person_id], day)

    def in_twelve_months_to(self, person_id: Any, day: date) -> int:
        """How many fell in the 12 months ending on ``day`` (both ends counted)."""
        days = self._by_person.get(person_id, [])
        since = add_months(day, -12) + timedelta(days=1)
        return bisect.bisect_right(days, day) - bisect.bisect_left(days, since)

    def before(self, person_id: Any, day: date) -> int:
        """How many fell before ``day``."""
        return bisect.bisect_left(self._by_person.get(person_id, []), day)


# --- the statutory records of the period -----------------------------------------------------


class StatutoryRecords:
    """The council's statutory records open at any time from 12 months before the period to
    its end (one query), grouped by referral, with the plans' latest reviews (one more)."""

    def __init__(self, council: Council, first: date, last: date) -> None:
        since = add_months(first, -12)
        rows = (
            StatutoryInvolvement.objects.filter(council=council, start_date__lte=last)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=since))
            .order_by("start_date", "kind", "pk")
            .values(*PERSON_FIELDS, *RECORD_FIELDS)
        )
        children: dict[Any, Child] = {}
        records = []
        for row in rows:
            child = children.get(row["person_id"])
            if child is None:
                child = children[row["person_id"]] = Child.of(row)
            records.append(Record(child, *(row[name] for name in RECORD_FIELDS)))
        self.records = records
        self.parts: dict[Any, list[Record]] = defaultdict(list)
        self.referrals = Dates()
        self.enquiries = Dates()
        self.conferences = Dates()
        for record in records:
            if record.referral_id is not None:
                self.parts[record.referral_id].append(record)
            if record.kind == InvolvementKind.REFERRAL:
                self.referrals.add(record.person.pk, record.start_date)
            elif record.kind == InvolvementKind.SECTION_47:
                self.enquiries.add(record.person.pk, enquiry_date(record))
            elif record.kind == InvolvementKind.INITIAL_CONFERENCE:
                self.conferences.add(record.person.pk, record.start_date)
        plans = [r.pk for r in records if r.kind == InvolvementKind.CHILD_PROTECTION_PLAN]
        self.latest_review: dict[Any, date] = dict(
            ProtectionPlanReview.objects.filter(plan_id__in=plans, review_date__lte=last)
            .values("plan_id")
            .annotate(latest=Max("review_date"))
            .values_list("plan_id", "latest")
        )
        # Every child protection plan these children had with the council (for the number
        # of earlier plans where the return did not say): one query.
        self.plan_starts = Dates()
        people = {r.person.pk for r in records if r.kind == InvolvementKind.CHILD_PROTECTION_PLAN}
        for person_id, start in StatutoryInvolvement.objects.filter(
            council=council, kind=InvolvementKind.CHILD_PROTECTION_PLAN, person_id__in=people
        ).values_list("person_id", "start_date"):
            self.plan_starts.add(person_id, start)

    def of_kind(self, kind: str) -> Iterable[Record]:
        return (r for r in self.records if r.kind == kind)

    def parts_of(self, referral_id: Any, kind: str) -> list[Record]:
        return [p for p in self.parts.get(referral_id, []) if p.kind == kind]

    def conference_after(self, enquiry: Record) -> Record | None:
        """The initial conference that followed an enquiry: the one naming it, else (for
        records that do not say) the first in its referral on or after its start that
        names no enquiry."""
        conferences = self.parts_of(enquiry.referral_id, InvolvementKind.INITIAL_CONFERENCE)
        named = [c for c in conferences if c.enquiry_id == enquiry.pk]
        if named:
            return named[0]
        unnamed = [
            c for c in conferences if c.enquiry_id is None and c.start_date >= enquiry.start_date
        ]
        return unnamed[0] if unnamed else None


def enquiry_date(enquiry: Record) -> date:
    """The day an enquiry counts from: its strategy discussion, else its start."""
    return enquiry.strategy_discussion_date or enquiry.start_date


def overlaps(record: Record, first: date, last: date) -> bool:
    """Open at any time from ``first`` to ``last``."""
    return record.start_date <= last and (record.end_date is None or record.end_date >= first)


def ended_by(record: Record, last: date) -> date | None:
    """Its end date, if it ended by ``last`` (blank in a return made as at ``last``)."""
    return record.end_date if record.end_date is not None and record.end_date <= last else None


def yes_no(value: bool | None) -> str:
    return "" if value is None else (YES if value else NO)
