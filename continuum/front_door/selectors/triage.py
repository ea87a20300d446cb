"""Reading joint triage meetings: who attended by agency, what each meeting triaged and
what is still waiting, and the contact a triage made for the children as the reader may
see it (police may not: they learn only whether one was made).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from continuum.access import policy
from continuum.accounts.models import User
from continuum.front_door.choices import TriageAgency
from continuum.front_door.models import (
    Contact,
    DomesticAbuseNotification,
    TriageAttendance,
    TriageMeeting,
    TriageOutcome,
)
from continuum.front_door.selectors.notifications import awaiting_triage

# Where ``with_children_contact_seen_by`` puts each triage outcome's contact for the children.
SEEN_CHILDREN_CONTACT = "seen_children_contact"


def next_awaiting(
    *, user: User, meeting: TriageMeeting, after: DomesticAbuseNotification | None = None
) -> DomesticAbuseNotification | None:
    """The next notification of the meeting's council waiting for triage."""
    waiting = awaiting_triage(user=user).filter(council=meeting.council)
    if after is not None:
        waiting = waiting.exclude(pk=after.pk)
    return waiting.first()


@dataclass(frozen=True)
class AgencyAttendance:
    agency: str
    label: str
    attendees: list[TriageAttendance]


def attendance_by_agency(meeting: TriageMeeting) -> list[AgencyAttendance]:
    """Who attended, grouped by agency in the usual order (police, IDVA, children's
    services, health, education, other); agencies nobody came from are listed empty."""
    attendees = list(meeting.attendance.select_related("organisation").order_by("name", "pk"))
    return [
        AgencyAttendance(
            agency=value,
            label=label,
            attendees=[a for a in attendees if a.agency == value],
        )
        for value, label in TriageAgency.choices
    ]


def meeting_outcomes(meeting: TriageMeeting) -> QuerySet[TriageOutcome]:
    return meeting.outcomes.select_related(
        "notification", "notification__victim", "children_contact"
    ).order_by("recorded_at", "pk")


def meetings_for(*, user: User) -> QuerySet[TriageMeeting]:
    return policy.visible(user, TriageMeeting).select_related("chaired_by", "council")


def visible_children_contact(*, user: User, outcome: TriageOutcome | None) -> Contact | None:
    """The contact the triage made for the children, if ``user`` may see it (police may
    not: they learn only whether one was made)."""
    if outcome is None or outcome.children_contact_id is None:
        return None
    return policy.visible(user, Contact).filter(pk=outcome.children_contact_id).first()


def with_children_contact_seen_by(
    user: User, notifications: QuerySet[DomesticAbuseNotification]
) -> QuerySet[DomesticAbuseNotification]:
    """``notifications`` with the contact each triage made for the children, fetched for
    all of them in one query and only where ``user`` may see it (read it with
    ``children_contact_seen``)."""
    return notifications.prefetch_related(
        Prefetch(
            "triage__children_contact",
            queryset=policy.visible(user, Contact),
            to_attr=SEEN_CHILDREN_CONTACT,
        )
    )


def children_contact_seen(outcome: TriageOutcome) -> Contact | None:
    """The children's contact ``with_children_contact_seen_by`` fetched for ``outcome``:
    None when the triage made none or the reader may not see it. An outcome fetched any
    other way has none to give, and raises ``AttributeError`` rather than show a contact
    to a reader who may not see it."""
    contact: Contact | None = getattr(outcome, SEEN_CHILDREN_CONTACT)
    return contact
