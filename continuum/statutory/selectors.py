"""Reads of statutory involvement, each starting from ``policy.visible``: a child's
referrals with their parts and Working Together timescales, the council's timescale
breaches, and the front-door decisions to refer whose referral is not recorded yet."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import User
from continuum.front_door.models import ContactDecision
from continuum.people.models import Person
from continuum.statutory.choices import REFERRAL_OUTCOMES, InvolvementKind
from continuum.statutory.models import StatutoryInvolvement
from continuum.timescales.working_together import Deadline, assessment_deadline, icpc_deadline

ASSESSMENT = "assessment"
CONFERENCE = "icpc"
TIMESCALE_LABELS = {
    ASSESSMENT: "Assessment within 45 working days of the referral",
    CONFERENCE: "Initial conference within 15 working days of the strategy discussion",
}


@dataclass(frozen=True)
class Timescale:
    """One Working Together timescale of one record."""

    kind: str  # ASSESSMENT or CONFERENCE
    record: StatutoryInvolvement  # the assessment (or referral without one), or the enquiry
    deadline: Deadline

    @property
    def label(self) -> str:
        return TIMESCALE_LABELS[self.kind]

    @property
    def status(self) -> str:
        """ "Overdue", "Late", "In time" or "Due"."""
        if self.deadline.overdue:
            return "Overdue"
        if self.deadline.late:
            return "Late"
        if self.deadline.met_on is not None:
            return "In time"
        return "Due"


@dataclass
class ReferralSummary:
    referral: StatutoryInvolvement
    parts: list[StatutoryInvolvement] = field(default_factory=list)
    timescales: list[Timescale] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[StatutoryInvolvement]:
        return [p for p in self.parts if p.kind == kind]

    @property
    def open_enquiries(self) -> list[StatutoryInvolvement]:
        """Section 47 enquiries still waiting for their initial conference."""
        held = {p.enquiry_id for p in self.parts if p.kind == InvolvementKind.INITIAL_CONFERENCE}
        return [
            p
            for p in self.of_kind(InvolvementKind.SECTION_47)
            if p.pk not in held and not p.icpc_not_required
        ]

    @property
    def open_assessments(self) -> list[StatutoryInvolvement]:
        return [p for p in self.of_kind(InvolvementKind.ASSESSMENT) if p.end_date is None]


def timescales_of(
    referral: StatutoryInvolvement, parts: Iterable[StatutoryInvolvement], today: date
) -> list[Timescale]:
    """The referral's timescales: each assessment's 45 working days from the referral date
    (the referral's own while no assessment is recorded and it is open), and each section
    47 enquiry's initial conference (unless not required)."""
    parts = list(parts)
    found: list[Timescale] = []
    assessments = [p for p in parts if p.kind == InvolvementKind.ASSESSMENT]
    for assessment in assessments:
        found.append(
            Timescale(
                ASSESSMENT,
                assessment,
                assessment_deadline(
                    referral_on=referral.start_date, authorised_on=assessment.end_date, today=today
                ),
            )
        )
    if not assessments and referral.end_date is None and not referral.referral_nfa:
        found.append(
            Timescale(
                ASSESSMENT,
                referral,
                assessment_deadline(
                    referral_on=referral.start_date, authorised_on=None, today=today
                ),
            )
        )
    held = {
        p.enquiry_id: p.start_date for p in parts if p.kind == InvolvementKind.INITIAL_CONFERENCE
    }
    for enquiry in parts:
        if enquiry.kind != InvolvementKind.SECTION_47 or enquiry.icpc_not_required:
            continue
        found.append(
            Timescale(
                CONFERENCE,
                enquiry,
                icpc_deadline(
                    strategy_discussion_on=enquiry.strategy_discussion_date,
                    enquiry_started_on=enquiry.start_date,
                    held_on=held.get(enquiry.pk),
                    today=today,
                ),
            )
        )
    return found


def referrals_of(*, user: User, person: Person, today: date | None = None) -> list[ReferralSummary]:
    """The child's referrals the user may see, newest first, with their parts in date
    order and their timescales."""
    today = today or timezone.localdate()
    visible = policy.visible(user, StatutoryInvolvement).filter(person=person)
    summaries = {
        r.pk: ReferralSummary(r)
        for r in visible.filter(kind=InvolvementKind.REFERRAL).order_by("-start_date")
    }
    for part in visible.exclude(kind=InvolvementKind.REFERRAL).order_by("start_date", "kind"):
        if part.referral_id in summaries:
            summaries[part.referral_id].parts.append(part)
    for summary in summaries.values():
        summary.timescales = timescales_of(summary.referral, summary.parts, today)
    return list(summaries.values())


def get_referral(*, user: User, pk: object) -> StatutoryInvolvement:
    """A referral the user may see (404 otherwise)."""
    found = policy.get_visible_or_404(user, StatutoryInvolvement, str(pk))
    if found.kind != InvolvementKind.REFERRAL:
        raise Http404
    return found


def summary_of(
    *, user: User, referral: StatutoryInvolvement, today: date | None = None
) -> ReferralSummary:
    today = today or timezone.localdate()
    summary = ReferralSummary(
        referral,
        list(
            policy.visible(user, StatutoryInvolvement)
            .filter(referral=referral)
            .order_by("start_date", "kind")
        ),
    )
    summary.timescales = timescales_of(referral, summary.parts, today)
    return summary


def breaches(
    *, user: User, today: date | None = None, include_late: bool = True
) -> list[Timescale]:
    """The council's breached timescales the user may see: assessments open past 45
    working days from the referral or authorised after it, and initial conferences not
    held within 15 working days of the strategy discussion (or held after) - overdue
    first, then the longest past due. Referrals open, or closed in the last year, are
    read; a timescale met late counts if it was met in the last year."""
    today = today or timezone.localdate()
    visible = policy.visible(user, StatutoryInvolvement).select_related("person")
    since = today - timedelta(days=365)
    recent = visible.filter(kind=InvolvementKind.REFERRAL).exclude(end_date__lt=since)
    referrals = {r.pk: r for r in recent}
    parts: dict[object, list[StatutoryInvolvement]] = {pk: [] for pk in referrals}
    for part in StatutoryInvolvement.objects.filter(
        referral__in=recent.values("pk"),
        kind__in=[
            InvolvementKind.ASSESSMENT,
            InvolvementKind.SECTION_47,
            InvolvementKind.INITIAL_CONFERENCE,
        ],
    ).select_related("person"):
        parts[part.referral_id].append(part)
    found = [
        t
        for pk, referral in referrals.items()
        for t in timescales_of(referral, parts[pk], today)
        if t.deadline.overdue
        or (include_late and t.deadline.late and t.deadline.met_on and t.deadline.met_on >= since)
    ]
    found.sort(key=lambda t: (not t.deadline.overdue, t.deadline.due))
    return found


def decisions_awaiting_referral(*, user: User) -> QuerySet[ContactDecision]:
    """Final front-door decisions to refer to children's social care (s17 or s47) of the
    user's council whose referral is not recorded yet, oldest first."""
    recorded = StatutoryInvolvement.objects.filter(
        contact=OuterRef("contact"), kind=InvolvementKind.REFERRAL
    )
    return (
        policy.visible(user, ContactDecision)
        .filter(outcome__in=list(REFERRAL_OUTCOMES), contact__decided_at__isnull=False)
        .exclude(Exists(recorded))
        .select_related("contact")
        .order_by("contact__received_at")
    )
