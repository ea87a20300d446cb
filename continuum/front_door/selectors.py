"""Reading contacts for the front-door pages: a contact's timeline and history, the queue,
a referrer's own contacts, decisions awaiting sign-off and the front-door summary.

Every read starts from ``policy.visible(user, Contact)``, so nothing a user may not see is
listed or counted. The summary is numbers only; for analysts and strategic leads it leaves
out contacts naming a restricted child, so a count never reveals that one exists.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import User
from continuum.accounts.roles import AGGREGATE_ROLES
from continuum.front_door.choices import OPEN_STATUSES, ContactStatus, Outcome, ReferralSource
from continuum.front_door.models import (
    Contact,
    ContactAdult,
    ContactChild,
    ContactStatusChange,
    SharingDecision,
)
from continuum.front_door.services import REPEAT_WINDOW_DAYS
from continuum.organisations.models import Council, Team
from continuum.people.models import Person
from continuum.thresholds.models import Domain, Indicator
from continuum.thresholds.rules import IndicatorFacts, Suggestion, suggest_level
from continuum.thresholds.selectors import current_version, indicators_by_domain
from continuum.timescales.working_days import decision_due_date, working_days_between

# --- one contact ---------------------------------------------------------------------------


def with_people(contacts: QuerySet[Contact]) -> QuerySet[Contact]:
    """``contacts`` with their children (and decision) fetched in the same few queries."""
    return contacts.select_related("council", "decision", "team").prefetch_related(
        Prefetch(
            "child_links",
            queryset=ContactChild.objects.select_related("person").order_by(
                "person__family_name", "person__given_name"
            ),
        )
    )


def children_of(contact: Contact) -> list[Person]:
    return [link.person for link in contact.child_links.all()]


def adults_of(contact: Contact) -> QuerySet[ContactAdult]:
    return contact.adults.select_related("person").order_by(
        "person__family_name", "person__given_name"
    )


def timeline_of(contact: Contact) -> QuerySet[ContactStatusChange]:
    """The contact's status changes, newest first, with who made each."""
    return contact.status_changes.select_related("changed_by", "changed_by__organisation").order_by(
        "-changed_at", "-id"
    )


def sharing_decisions_of(contact: Contact) -> QuerySet[SharingDecision]:
    return contact.sharing_decisions.select_related("recorded_by").order_by("recorded_at", "id")


def previous_contacts_visible_to(*, user: User, contact: Contact) -> list[Contact]:
    """The submitted contacts about any of this contact's children in the 12 months before
    it that ``user`` may see: the history behind a repeat contact."""
    since = contact.received_at - timedelta(days=REPEAT_WINDOW_DAYS)
    found = (
        policy.visible(user, Contact)
        .filter(
            children__in=contact.children.all(),
            received_at__gte=since,
            received_at__lt=contact.received_at,
        )
        .exclude(pk=contact.pk)
        .exclude(status=ContactStatus.DRAFT)
        .values("pk")
    )
    return list(with_people(Contact.objects.filter(pk__in=found)).order_by("-received_at"))


def people_named(contact: Contact) -> list[uuid.UUID]:
    """Whose records a contact's page shows: its children, then its parents and carers
    (each read of the page is a read of theirs, for the access log)."""
    ids = [link.person_id for link in contact.child_links.all()]
    ids += list(contact.adults.values_list("person_id", flat=True))
    return list(dict.fromkeys(ids))


def outcome_is_final(contact: Contact) -> bool:
    """The referrer may be told the outcome: decided, and signed off where that is needed."""
    return contact.status in (ContactStatus.DECIDED, ContactStatus.CLOSED)


# --- the indicators to choose from ------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorGroup:
    domain: Domain
    indicators: list[Indicator]


def indicator_groups() -> list[IndicatorGroup]:
    """The current framework's indicators, grouped by domain (empty when none is current)."""
    version = current_version()
    if version is None:
        return []
    return [
        IndicatorGroup(domain=group.domain, indicators=group.indicators)
        for group in indicators_by_domain(version=version)
        if group.indicators
    ]


def indicator_codes() -> list[str]:
    version = current_version()
    if version is None:
        return []
    return list(
        Indicator.objects.filter(version=version).order_by("code").values_list("code", flat=True)
    )


def suggestion_for(codes: Iterable[str]) -> Suggestion | None:
    """What the shared framework suggests for the indicators with ``codes`` (None if none
    of them is in the current version)."""
    version = current_version()
    wanted = [c for c in codes if c]
    if version is None or not wanted:
        return None
    indicators = Indicator.objects.filter(version=version, code__in=wanted).select_related("domain")
    facts = [
        IndicatorFacts(code=i.code, title=i.title, level=i.level, domain=i.domain.code)
        for i in indicators
    ]
    return suggest_level(facts) if facts else None


# --- a referrer's own contacts, and sign-off ------------------------------------------------


def contacts_made_by(*, user: User) -> QuerySet[Contact]:
    """The contacts ``user`` made or is the referrer on, newest first."""
    own = policy.visible(user, Contact).filter(Q(created_by=user) | Q(referrer_user=user))
    return with_people(own).order_by("-received_at")


def awaiting_sign_off(*, user: User) -> QuerySet[Contact]:
    """Contacts of the user's council whose no-further-action decision waits for a team
    manager's sign-off, oldest first."""
    council = policy.council_of(user)
    if council is None:
        return Contact.objects.none()
    return with_people(
        policy.visible(user, Contact).filter(
            council=council,
            decision__needs_manager_sign_off=True,
            decision__signed_off_at__isnull=True,
        )
    ).order_by("received_at")


# --- the queue -------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    contact: Contact
    children: list[Person]
    due: date
    age: int
    overdue: bool

    @property
    def awaiting_sign_off(self) -> bool:
        decision = getattr(self.contact, "decision", None)
        return bool(decision and decision.awaiting_sign_off)


@dataclass(frozen=True)
class Queue:
    rows: list[QueueRow]
    by_status: dict[str, int]

    @property
    def overdue(self) -> int:
        return sum(1 for row in self.rows if row.overdue)


def teams_of(council: Council) -> QuerySet[Team]:
    """The council's own teams (those of its children's services)."""
    return Team.objects.filter(organisation__council=council).order_by("name")


def queue(
    *,
    user: User,
    council: Council,
    team: Team | None = None,
    statuses: Sequence[str] = (),
    today: date | None = None,
) -> Queue:
    """Every open contact of ``council`` the user may see: overdue first, then oldest."""
    today = today or timezone.localdate()
    open_contacts = policy.visible(user, Contact).filter(council=council, status__in=OPEN_STATUSES)
    if team is not None:
        open_contacts = open_contacts.filter(team=team)
    by_status = dict.fromkeys((str(s) for s in OPEN_STATUSES), 0)
    for status, count in (
        open_contacts.order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    ):
        by_status[status] = count
    if statuses:
        open_contacts = open_contacts.filter(status__in=statuses)
    rows = []
    for contact in with_people(open_contacts):
        due = contact.decision_due_date
        rows.append(
            QueueRow(
                contact=contact,
                children=children_of(contact),
                due=due,
                age=working_days_between(contact.received_on, today),
                overdue=today > due,
            )
        )
    rows.sort(key=lambda row: (not row.overdue, row.contact.received_at))
    return Queue(rows=rows, by_status=by_status)


# --- the front-door summary ------------------------------------------------------------------


class Period(models.TextChoices):
    DAY = "day", "Day"
    WEEK = "week", "Week"
    MONTH = "month", "Month"


def period_start(day: date, period: str) -> date:
    if period == Period.WEEK:
        return day - timedelta(days=day.weekday())
    if period == Period.MONTH:
        return day.replace(day=1)
    return day


def _next_period(start: date, period: str) -> date:
    if period == Period.WEEK:
        return start + timedelta(days=7)
    if period == Period.MONTH:
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start + timedelta(days=1)


def period_label(start: date, period: str) -> str:
    if period == Period.WEEK:
        return f"Week beginning {start:%-d %b %Y}"
    if period == Period.MONTH:
        return f"{start:%B %Y}"
    return f"{start:%a %-d %b %Y}"


@dataclass
class SummaryRow:
    start: date
    label: str
    received: int = 0
    decided: int = 0
    decided_in_time: int = 0
    by_outcome: dict[str, int] = field(default_factory=dict)
    by_source: dict[str, int] = field(default_factory=dict)

    @property
    def percent_in_time(self) -> int | None:
        if not self.decided:
            return None
        return round(100 * self.decided_in_time / self.decided)

    def outcome_counts(self, outcomes: Sequence[str]) -> list[int]:
        return [self.by_outcome.get(o, 0) for o in outcomes]

    def source_counts(self, sources: Sequence[str]) -> list[int]:
        return [self.by_source.get(s, 0) for s in sources]


@dataclass
class CouncilSummary:
    council: Council
    rows: list[SummaryRow]
    total: SummaryRow
    outcomes: list[tuple[str, str]]
    sources: list[tuple[str, str]]

    @property
    def outcome_codes(self) -> list[str]:
        return [code for code, _ in self.outcomes]

    @property
    def source_codes(self) -> list[str]:
        return [code for code, _ in self.sources]


def councils_for_summary(user: User) -> list[Council]:
    """Council staff see their own council's numbers; analysts and strategic leads all."""
    council = policy.council_of(user)
    if council is not None:
        return [council]
    if user.role in AGGREGATE_ROLES:
        return list(Council.objects.order_by("name"))
    return []


def _summary_scope(user: User) -> QuerySet[Contact]:
    council = policy.council_of(user)
    if council is not None:
        return policy.visible(user, Contact).filter(council=council)
    restricted_child = ContactChild.objects.filter(
        contact=OuterRef("pk"), person__is_restricted=True
    )
    return Contact.objects.exclude(Exists(restricted_child))


def _local_day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def front_door_summary(
    *, user: User, councils: Sequence[Council], period: str, start: date, end: date
) -> list[CouncilSummary]:
    """Per council and period (day, week or month) from ``start`` to ``end`` inclusive:
    contacts received (submitted to the front door), by source; decisions made, by outcome;
    and how many of those were made by their due date (one working day).

    Two grouped queries in all; due dates are worked out here from the dates of receipt.
    """
    allowed = {c.pk for c in councils_for_summary(user)}
    councils = [c for c in councils if c.pk in allowed]
    london = ZoneInfo(settings.TIME_ZONE)
    since, until = _local_day_start(start), _local_day_start(end + timedelta(days=1))
    scope = _summary_scope(user).filter(council__in=councils)

    received = (
        scope.exclude(status=ContactStatus.DRAFT)
        .filter(received_at__gte=since, received_at__lt=until)
        .annotate(day=TruncDate("received_at", tzinfo=london))
        .order_by()
        .values("council", "day", "referral_source")
        .annotate(n=Count("pk"))
    )
    decided = (
        scope.filter(decided_at__gte=since, decided_at__lt=until)
        .annotate(
            received_day=TruncDate("received_at", tzinfo=london),
            decided_day=TruncDate("decided_at", tzinfo=london),
        )
        .order_by()
        .values("council", "received_day", "decided_day", "decision__outcome")
        .annotate(n=Count("pk"))
    )

    rows: dict[int, dict[date, SummaryRow]] = {}
    for council in councils:
        rows[council.pk] = {}
        cursor = period_start(start, period)
        while cursor <= end:
            rows[council.pk][cursor] = SummaryRow(start=cursor, label=period_label(cursor, period))
            cursor = _next_period(cursor, period)

    sources_seen: dict[int, set[str]] = defaultdict(set)
    for item in received:
        row = rows[item["council"]][period_start(item["day"], period)]
        row.received += item["n"]
        source = item["referral_source"]
        row.by_source[source] = row.by_source.get(source, 0) + item["n"]
        sources_seen[item["council"]].add(source)
    for decision in decided:
        row = rows[decision["council"]][period_start(decision["decided_day"], period)]
        row.decided += decision["n"]
        if decision["decided_day"] <= decision_due_date(decision["received_day"]):
            row.decided_in_time += decision["n"]
        outcome = decision["decision__outcome"] or ""
        row.by_outcome[outcome] = row.by_outcome.get(outcome, 0) + decision["n"]

    source_order = [code for code, _ in ReferralSource.choices]
    summaries = []
    for council in councils:
        council_rows = list(rows[council.pk].values())
        total = SummaryRow(start=start, label="Total")
        for row in council_rows:
            total.received += row.received
            total.decided += row.decided
            total.decided_in_time += row.decided_in_time
            for key, n in row.by_outcome.items():
                total.by_outcome[key] = total.by_outcome.get(key, 0) + n
            for key, n in row.by_source.items():
                total.by_source[key] = total.by_source.get(key, 0) + n
        sources = [
            (code, str(ReferralSource(code).label))
            for code in source_order
            if code in sources_seen[council.pk]
        ]
        summaries.append(
            CouncilSummary(
                council=council,
                rows=council_rows,
                total=total,
                outcomes=[(code, str(label)) for code, label in Outcome.choices],
                sources=sources,
            )
        )
    return summaries


# --- the outcome letter ----------------------------------------------------------------------


@dataclass(frozen=True)
class FrontDoorContactLine:
    """How a referrer reaches the front door about a contact."""

    name: str
    reference: str
    phone: str
    email: str


def reference_of(contact: Contact) -> str:
    """A short reference to quote: the first eight characters of the contact's id."""
    return str(contact.pk).replace("-", "")[:8].upper()


def front_door_contact_line(contact: Contact) -> FrontDoorContactLine:
    """The council's front door, with the phone and email of whoever decided the contact
    (or the team that screened it) for the referrer's questions."""
    decision = getattr(contact, "decision", None)
    decider = decision.decided_by if decision is not None else None
    organisation = decider.organisation if decider is not None else None
    name = organisation.name if organisation is not None else f"{contact.council.name} Council"
    if contact.team is not None:
        name = f"{contact.team.name}, {name}"
    return FrontDoorContactLine(
        name=f"{name} (front door)",
        reference=reference_of(contact),
        phone=decider.phone if decider is not None else "",
        email=decider.email if decider is not None else "",
    )
