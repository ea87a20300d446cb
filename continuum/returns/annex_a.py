"""Ofsted's Annex A lists 1 to 7 for one council and period, from Continuum's records.

``build_annex_a(council=..., first=..., last=...)`` answers every list's rows in Ofsted's
column headings and order (``HEADINGS``; the 2023 template, see docs/annex-a.md): contacts,
early help assessments, referrals, assessments, section 47 enquiries, children in need and
child protection plans. Only the council's own records: its contacts, its early help
episodes and its statutory records (a partner's contact to another council is not in it).

A handful of queries whatever the size (the council's LA child IDs, the contacts' children,
the early help episodes' children, the statutory records of the period and the twelve
months before it, the plans' reviews, the children's earlier plans); every row is built in
Python from those. Where Continuum does not know a column (the allocated team and worker
of social care, when a child was last seen or seen alone, emergency protection orders) the
cell is blank, as docs/annex-a.md says.

Reads only, and no names: the export's caller asks the policy (``ReturnsAction``) and
logs the export (``audit.services.log_export``).
"""

from __future__ import annotations

import bisect
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Max, Q
from django.utils import timezone

from continuum.early_help.models import Episode
from continuum.front_door.choices import ContactStatus
from continuum.front_door.models import ContactChild
from continuum.organisations.models import Council
from continuum.people.choices import Disability
from continuum.statutory.choices import InvolvementKind
from continuum.statutory.models import CensusChild, ProtectionPlanReview, StatutoryInvolvement
from continuum.timescales.months import add_months

Cell = str | int | date | None

# The columns every list starts with (the child), then each list's own.
CHILD_COLUMNS = ("Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age")
DISABILITY = "Does the Child have a Disability"
ALLOCATED = ("Allocated Team", "Allocated Worker")

HEADINGS: dict[int, tuple[str, ...]] = {
    1: (*CHILD_COLUMNS, "Date of Contact", "Contact Source"),
    2: (
        *CHILD_COLUMNS,
        "Assessment start date",
        "Assessment completion date",
        "Organisation completing assessment",
    ),
    3: (
        *CHILD_COLUMNS,
        "Date of Referral",
        "Referral Source",
        "Referral NFA?",
        "Number of Referrals in Last 12 Months",
        *ALLOCATED,
    ),
    4: (
        *CHILD_COLUMNS,
        DISABILITY,
        "Continuous Assessment Start Date",
        "Child Seen During Continuous Assessment",
        "Continuous Assessment Date of Authorisation",
        "Was the child assessed as requiring LA children's social care support?",
        *ALLOCATED,
    ),
    5: (
        *CHILD_COLUMNS,
        DISABILITY,
        "Strategy discussion initiating Section 47 Enquiry Start Date",
        "Was an Initial Child Protection Conference deemed unnecessary?",
        "Date of Initial Child Protection Conference",
        "Did the Initial Child Protection Conference Result in a Child Protection Plan",
        "Number of Section 47 Enquiries in the last 12 months",
        "Number of ICPCs in the last 12 months",
        *ALLOCATED,
    ),
    6: (
        *CHILD_COLUMNS,
        DISABILITY,
        "CIN Start Date",
        "Primary Need Code",
        "Date Child Was Last Seen",
        "CIN Closure Date",
        "Reason for Closure",
        "Case Status",
        *ALLOCATED,
    ),
    7: (
        *CHILD_COLUMNS,
        DISABILITY,
        "Child Protection Plan Start Date",
        "Initial Category of Abuse",
        "Latest Category of Abuse",
        "Date of the Last Statutory Visit",
        "Was the Child Seen Alone?",
        "Date of latest review conference",
        "Child Protection Plan End Date",
        "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six "
        "Months (Y/N)",
        "Number of Previous Child Protection Plans",
        *ALLOCATED,
    ),
}
TITLES = {
    1: "Contacts",
    2: "Early help assessments",
    3: "Referrals",
    4: "Assessments",
    5: "Section 47 enquiries",
    6: "Children in need",
    7: "Child protection",
}
LIST_NUMBERS = tuple(HEADINGS)
# The longest period one return may cover (Ofsted asks for up to a year or so).
MAX_PERIOD_DAYS = 3 * 366
YES, NO = "Yes", "No"


@dataclass
class AnnexList:
    number: int
    title: str
    headings: tuple[str, ...]
    rows: list[tuple[Cell, ...]] = field(default_factory=list)
    # The people the rows are about (by id), for the access log.
    person_ids: list[Any] = field(default_factory=list)

    @property
    def sheet_name(self) -> str:
        return f"List {self.number}"

    def add(self, person: Child, cells: tuple[Cell, ...]) -> None:
        if len(cells) != len(self.headings):
            raise ValueError(f"A row of list {self.number} has the wrong number of cells.")
        self.rows.append(cells)
        self.person_ids.append(person.pk)


@dataclass
class AnnexA:
    council: Council
    first: date
    last: date
    lists: list[AnnexList]

    @property
    def row_counts(self) -> dict[int, int]:
        return {annex_list.number: len(annex_list.rows) for annex_list in self.lists}

    @property
    def person_ids(self) -> list[Any]:
        """Every person any list is about, once each, in the order first listed."""
        return list(dict.fromkeys(pk for a in self.lists for pk in a.person_ids))


def check_period(*, first: date | None, last: date | None) -> tuple[date, date]:
    """The period asked for, or ``ValidationError`` keyed by field naming what is wrong."""
    errors: dict[str, str] = {}
    if first is None:
        errors["first"] = "Enter the first day of the period"
    if last is None:
        errors["last"] = "Enter the last day of the period"
    if first is not None and last is not None:
        if first > last:
            errors["last"] = "The last day of the period must be on or after its first day"
        elif (last - first).days > MAX_PERIOD_DAYS:
            errors["last"] = "The period must be no longer than 3 years"
    if errors:
        raise ValidationError(errors)
    assert first is not None and last is not None
    return first, last


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


class _Child:
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


class _Dates:
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


class _Statutory:
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
        self.referrals = _Dates()
        self.enquiries = _Dates()
        self.conferences = _Dates()
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
        self.plan_starts = _Dates()
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


# --- the lists -------------------------------------------------------------------------------


@dataclass
class _Context:
    council: Council
    first: date
    last: date
    child: _Child
    statutory: _Statutory


def _contacts(ctx: _Context, out: AnnexList) -> None:
    """List 1: each child of each contact the council received in the period (drafts not
    yet submitted are not contacts)."""
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(ctx.first, time.min), zone)
    end = timezone.make_aware(datetime.combine(ctx.last + timedelta(days=1), time.min), zone)
    links = (
        ContactChild.objects.filter(contact__council=ctx.council, contact__received_at__gte=start)
        .filter(contact__received_at__lt=end)
        .exclude(contact__status=ContactStatus.DRAFT)
        .order_by("contact__received_at", "contact_id", "person__family_name", "person_id")
        .values(*PERSON_FIELDS, "contact__received_at", "contact__referral_source")
    )
    for link in links:
        child = Child.of(link)
        received = timezone.localtime(link["contact__received_at"]).date()
        out.add(
            child,
            (*ctx.child.columns(child, received), received, link["contact__referral_source"]),
        )


def _early_help_assessments(ctx: _Context, out: AnnexList) -> None:
    """List 2: each child of each of the council's early help episodes whose whole-family
    assessment was under way at any time in the period; the organisation completing it is
    the lead professional's."""
    through = Episode.children.through
    links = (
        through.objects.filter(
            episode__council=ctx.council, episode__assessment__started_on__lte=ctx.last
        )
        .filter(
            Q(episode__assessment__completed_on__isnull=True)
            | Q(episode__assessment__completed_on__gte=ctx.first)
        )
        .order_by("episode__assessment__started_on", "episode_id", "person_id")
        .values(
            *PERSON_FIELDS,
            "episode__assessment__started_on",
            "episode__assessment__completed_on",
            "episode__lead_professional_organisation__name",
        )
    )
    for link in links:
        child = Child.of(link)
        started = link["episode__assessment__started_on"]
        completed = link["episode__assessment__completed_on"]
        if completed is not None and completed > ctx.last:
            completed = None
        out.add(
            child,
            (
                *ctx.child.columns(child, started),
                started,
                completed,
                link["episode__lead_professional_organisation__name"] or "",
            ),
        )


def _referrals(ctx: _Context, out: AnnexList) -> None:
    """List 3: referrals to children's social care made in the period; the child's
    referrals counted over the 12 months to the end of the period (this one included)."""
    for referral in ctx.statutory.of_kind(InvolvementKind.REFERRAL):
        if not ctx.first <= referral.start_date <= ctx.last:
            continue
        person = referral.person
        out.add(
            person,
            (
                *ctx.child.columns(person, referral.start_date),
                referral.start_date,
                referral.referral_source,
                yes_no(referral.referral_nfa),
                ctx.statutory.referrals.in_twelve_months_to(person.pk, ctx.last),
                "",
                "",
            ),
        )


def requiring_support(ctx: _Context, assessment: Record, referral: Record | None) -> str:
    """Whether the assessment found the child needed the council's support: Yes when a
    child in need plan, child protection plan or care followed it in its referral; No when
    the referral closed without one; blank while that is not known yet."""
    if assessment.end_date is None or assessment.end_date > ctx.last:
        return ""
    follows = (
        InvolvementKind.CHILD_IN_NEED_PLAN,
        InvolvementKind.CHILD_PROTECTION_PLAN,
        InvolvementKind.LOOKED_AFTER,
    )
    for kind in follows:
        for part in ctx.statutory.parts_of(assessment.referral_id, kind):
            if part.start_date >= assessment.start_date and part.start_date <= ctx.last:
                return YES
    if referral is not None and ended_by(referral, ctx.last) is not None:
        return NO
    return ""


def _assessments(ctx: _Context, out: AnnexList) -> None:
    """List 4: social work assessments under way at any time in the period."""
    by_pk = {r.pk: r for r in ctx.statutory.of_kind(InvolvementKind.REFERRAL)}
    for assessment in ctx.statutory.of_kind(InvolvementKind.ASSESSMENT):
        if not overlaps(assessment, ctx.first, ctx.last):
            continue
        # Its referral is among the records (it starts before its parts and ends after).
        referral = by_pk.get(assessment.referral_id) if assessment.referral_id else None
        person = assessment.person
        out.add(
            person,
            (
                *ctx.child.columns(person, assessment.start_date),
                disability(person),
                assessment.start_date,
                "",
                ended_by(assessment, ctx.last),
                requiring_support(ctx, assessment, referral),
                "",
                "",
            ),
        )


def _section_47_enquiries(ctx: _Context, out: AnnexList) -> None:
    """List 5: section 47 enquiries whose strategy discussion (or, where none is recorded,
    start) fell in the period; the child's enquiries and initial conferences counted over
    the 12 months to the end of the period."""
    statutory = ctx.statutory
    for enquiry in statutory.of_kind(InvolvementKind.SECTION_47):
        day = enquiry_date(enquiry)
        if not ctx.first <= day <= ctx.last:
            continue
        person = enquiry.person
        conference = statutory.conference_after(enquiry)
        if conference is not None and conference.start_date > ctx.last:
            conference = None
        held = conference.start_date if conference else None
        plan = None
        if held is not None:
            plans = statutory.parts_of(enquiry.referral_id, InvolvementKind.CHILD_PROTECTION_PLAN)
            plan = any(p.start_date == held for p in plans)
        unnecessary: bool | None = True if enquiry.icpc_not_required else None
        if held is not None:
            unnecessary = False
        out.add(
            person,
            (
                *ctx.child.columns(person, day),
                disability(person),
                enquiry.strategy_discussion_date,
                yes_no(unnecessary),
                held,
                yes_no(plan),
                statutory.enquiries.in_twelve_months_to(person.pk, ctx.last),
                statutory.conferences.in_twelve_months_to(person.pk, ctx.last),
                "",
                "",
            ),
        )


def case_status(ctx: _Context, referral: Record) -> str:
    """What the child in need episode was at the end of the period: closed, looked after,
    on a child protection plan, on a child in need plan, or open without a plan."""
    if ended_by(referral, ctx.last) is not None:
        return "Closed"
    for kind, status in (
        (InvolvementKind.LOOKED_AFTER, "Looked after"),
        (InvolvementKind.CHILD_PROTECTION_PLAN, "Child protection plan"),
        (InvolvementKind.CHILD_IN_NEED_PLAN, "Child in need plan"),
    ):
        if any(p.is_open_on(ctx.last) for p in ctx.statutory.parts_of(referral.pk, kind)):
            return status
    return "Child in need"


def _children_in_need(ctx: _Context, out: AnnexList) -> None:
    """List 6: child in need episodes (referrals that went further than no further action)
    open at any time in the period; age at the end of the period."""
    for referral in ctx.statutory.of_kind(InvolvementKind.REFERRAL):
        if referral.referral_nfa or not overlaps(referral, ctx.first, ctx.last):
            continue
        person = referral.person
        closed = ended_by(referral, ctx.last)
        out.add(
            person,
            (
                *ctx.child.columns(person, ctx.last),
                disability(person),
                referral.start_date,
                referral.primary_need,
                None,
                closed,
                referral.closure_reason if closed else "",
                case_status(ctx, referral),
                "",
                "",
            ),
        )


def _child_protection(ctx: _Context, out: AnnexList) -> None:
    """List 7: child protection plans in force at any time in the period; age at the end
    of the period."""
    statutory = ctx.statutory
    for plan in statutory.of_kind(InvolvementKind.CHILD_PROTECTION_PLAN):
        if not overlaps(plan, ctx.first, ctx.last):
            continue
        person = plan.person
        previous = plan.previous_plans
        if previous is None:
            previous = statutory.plan_starts.before(person.pk, plan.start_date)
        out.add(
            person,
            (
                *ctx.child.columns(person, ctx.last),
                disability(person),
                plan.start_date,
                plan.abuse_category,
                plan.latest_abuse_category or plan.abuse_category,
                None,
                "",
                statutory.latest_review.get(plan.pk),
                ended_by(plan, ctx.last),
                "",
                previous,
                "",
                "",
            ),
        )


BUILDERS: dict[int, Callable[[_Context, AnnexList], None]] = {
    1: _contacts,
    2: _early_help_assessments,
    3: _referrals,
    4: _assessments,
    5: _section_47_enquiries,
    6: _children_in_need,
    7: _child_protection,
}


def build_annex_a(
    *,
    council: Council,
    first: date,
    last: date,
    progress: Callable[[AnnexList], None] | None = None,
) -> AnnexA:
    """Lists 1 to 7 for ``council`` from ``first`` to ``last`` (both days included).
    ``progress`` is told as each list is made (the command's progress bar)."""
    first, last = check_period(first=first, last=last)
    la_child_ids = dict(
        CensusChild.objects.filter(council=council).values_list("person_id", "la_child_id")
    )
    ctx = _Context(council, first, last, _Child(la_child_ids), _Statutory(council, first, last))
    lists = []
    for number, build in BUILDERS.items():
        annex_list = AnnexList(number, TITLES[number], HEADINGS[number])
        build(ctx, annex_list)
        lists.append(annex_list)
        if progress is not None:
            progress(annex_list)
    return AnnexA(council=council, first=first, last=last, lists=lists)
