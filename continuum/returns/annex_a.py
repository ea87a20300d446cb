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

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from continuum.early_help.models import Episode
from continuum.front_door.choices import ContactStatus
from continuum.front_door.models import ContactChild
from continuum.organisations.models import Council
from continuum.returns.records import (
    NO,
    PERSON_FIELDS,
    YES,
    Cell,
    Child,
    ChildColumns,
    Record,
    StatutoryRecords,
    disability,
    ended_by,
    enquiry_date,
    overlaps,
    yes_no,
)
from continuum.statutory.choices import InvolvementKind
from continuum.statutory.models import CensusChild

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


# --- the lists -------------------------------------------------------------------------------


@dataclass
class _Context:
    council: Council
    first: date
    last: date
    child: ChildColumns
    statutory: StatutoryRecords


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
    ctx = _Context(
        council, first, last, ChildColumns(la_child_ids), StatutoryRecords(council, first, last)
    )
    lists = []
    for number, build in BUILDERS.items():
        annex_list = AnnexList(number, TITLES[number], HEADINGS[number])
        build(ctx, annex_list)
        lists.append(annex_list)
        if progress is not None:
            progress(annex_list)
    return AnnexA(council=council, first=first, last=last, lists=lists)
