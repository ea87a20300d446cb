"""Reading contacts for the front-door pages: one contact with its people, timeline and
history, a referrer's own contacts, and the queue (every open contact of a council,
overdue first).

Every read starts from ``policy.visible(user, Contact)``, so nothing a user may not see is
listed or counted.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import User
from continuum.front_door.choices import OPEN_STATUSES, ContactStatus
from continuum.front_door.models import Contact, ContactAdult, ContactChild, ContactStatusChange
from continuum.front_door.policies import FrontDoorAction, councils_user_may_refer_to
from continuum.front_door.services.contacts import REPEAT_WINDOW_DAYS
from continuum.organisations.models import Council, Team
from continuum.people import matching
from continuum.people.models import Person
from continuum.timescales.working_days import working_days_between

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


def previous_contacts_visible_to(*, user: User, contact: Contact) -> list[Contact]:
    """The submitted contacts about any of this contact's children, or their other records
    (linked, or possibly the same child), in the 12 months before it that ``user`` may
    see: the history behind a repeat contact."""
    since = contact.received_at - timedelta(days=REPEAT_WINDOW_DAYS)
    children = list(contact.children.values_list("pk", flat=True))
    children += matching.matched_person_ids(children)
    found = (
        policy.visible(user, Contact)
        .filter(
            children__in=children,
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


def reference_of(contact: Contact) -> str:
    """A short reference to quote: the first eight characters of the contact's id."""
    return str(contact.pk).replace("-", "")[:8].upper()


# --- a referrer's own contacts ---------------------------------------------------------------


def contacts_made_by(*, user: User) -> QuerySet[Contact]:
    """The contacts ``user`` made or is the referrer on, newest first."""
    own = policy.visible(user, Contact).filter(Q(created_by=user) | Q(referrer_user=user))
    return with_people(own).order_by("-received_at")


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


def queue_councils(user: User) -> list[Council]:
    """The councils whose contacts ``user`` screens and decides from one queue: their own
    council's, and (placed in a hub) every council of the agreement they decide for. Their
    own council first."""
    if not policy.can(user, FrontDoorAction.VIEW_QUEUE):
        return []
    return councils_user_may_refer_to(user)


def queue(
    *,
    user: User,
    council: Council | None = None,
    councils: Sequence[Council] = (),
    team: Team | None = None,
    statuses: Sequence[str] = (),
    today: date | None = None,
) -> Queue:
    """Every open contact of ``council`` (or of each of ``councils``: a hub's one queue)
    the user may see: overdue first, then oldest."""
    today = today or timezone.localdate()
    chosen = [*councils, *([council] if council is not None else [])]
    open_contacts = policy.visible(user, Contact).filter(
        council__in=[c.pk for c in chosen], status__in=OPEN_STATUSES
    )
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
