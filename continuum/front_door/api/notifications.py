"""Police domestic-abuse notifications and their joint triage over JSON.

Police see the notifications their force made and the triage outcome (safety planning,
MARAC) but never the children's contact: ``triage.children_contact`` tells them only
whether one was made. The council's front door sees the contact's id and status too.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from continuum.access import policy
from continuum.access.requests import user_of
from continuum.accounts.models import User
from continuum.front_door.api.common import (
    DUPLICATES_MESSAGE,
    DuplicatesOut,
    FrontDoorPages,
    NewPersonIn,
    council_for,
    duplicates,
    log_people_read,
    new_person,
    visible_people,
)
from continuum.front_door.choices import DashRisk, NotificationStatus
from continuum.front_door.intake import PersonEntry, record_notification_with_people
from continuum.front_door.models import (
    DomesticAbuseNotification,
    NotificationChild,
    TriageAttendance,
    TriageMeeting,
    TriageOutcome,
)
from continuum.front_door.overdue import notification_due_date, notification_is_overdue
from continuum.front_door.policies import FrontDoorAction
from continuum.front_door.selectors import notifications as notification_selectors
from continuum.front_door.selectors import triage as triage_selectors
from continuum.front_door.services import (
    NotificationDetails,
    check_may_hold_meeting,
    hold_triage_meeting,
    triage_notification,
)
from continuum.organisations.models import Council, Organisation
from continuum.people.choices import PersonKind
from continuum.ui.api import BODY, BlankIsAbsent, Loc, MessageOut, invalid, paginated

notifications_router = Router(tags=["domestic-abuse notifications"])
meetings_router = Router(tags=["domestic-abuse notifications"])


# --- schemas ---------------------------------------------------------------------------------


class NotificationChildIn(Schema):
    person: uuid.UUID | None = Field(None, description="A child already on the record.")
    new_person: NewPersonIn | None = Field(None, description="Or a child new to the record.")
    present: bool = Field(False, description="Present at the incident.")


class NotificationIn(Schema):
    council: str | None = Field(
        None, description="DfE LA code; may be left out when your force serves only one."
    )
    incident_at: datetime
    victim: uuid.UUID | None = Field(None, description="The victim, on the record.")
    new_victim: NewPersonIn | None = Field(None, description="Or the victim, new to it.")
    alleged_perpetrator: uuid.UUID | None = None
    new_alleged_perpetrator: NewPersonIn | None = None
    alleged_perpetrator_description: str = Field(
        "", max_length=200, description="When the alleged perpetrator is not identified."
    )
    children: list[NotificationChildIn] = Field(
        description="The children in the household or present at the incident."
    )
    dash_risk: str = Field(max_length=10, description="standard, medium or high.")
    dash_ticks: int = Field(description="0 to 27; 14 or more must be high risk.")
    repeat_incidents_12_months: int = Field(0, le=1000)
    reporting_officer: str = Field(max_length=150)
    reporting_officer_number: str = Field("", max_length=20, description="Collar number.")
    summary: str = ""
    not_duplicates: bool = Field(
        False, description="Set after a 409: add the new people as new records."
    )


class NotificationChildOut(Schema):
    person: uuid.UUID = Field(alias="person_id")
    present: bool = Field(alias="was_present")


class ChildrenContactOut(Schema):
    """The contact a triage made for the children, as the reader may see it."""

    present: bool = Field(description="Whether the triage made a contact for the children.")
    id: uuid.UUID | None = Field(description="Only for those who may see the contact.")
    status: str | None = Field(description="Only for those who may see the contact.")

    @staticmethod
    def resolve_present(outcome: TriageOutcome) -> bool:
        return outcome.children_contact_id is not None

    @staticmethod
    def resolve_id(outcome: TriageOutcome) -> uuid.UUID | None:
        contact = triage_selectors.children_contact_seen(outcome)
        return contact.pk if contact is not None else None

    @staticmethod
    def resolve_status(outcome: TriageOutcome) -> str | None:
        contact = triage_selectors.children_contact_seen(outcome)
        return contact.status if contact is not None else None


def _in_full(notification: DomesticAbuseNotification) -> bool:
    """Marked by the policy (``with_in_full``) on every notification an answer shows."""
    return bool(getattr(notification, "in_full", False))


class TriageOut(Schema):
    triaged_at: datetime = Field(alias="recorded_at")
    safety_planning: str = Field(description="Empty unless you read the notification in full.")
    marac_referral: bool
    marac_basis: str
    no_marac_reason: str = Field(description="Empty unless you read the notification in full.")
    children_contact: ChildrenContactOut

    @staticmethod
    def resolve_safety_planning(outcome: TriageOutcome) -> str:
        return outcome.safety_planning if _in_full(outcome.notification) else ""

    @staticmethod
    def resolve_no_marac_reason(outcome: TriageOutcome) -> str:
        return outcome.no_marac_reason if _in_full(outcome.notification) else ""

    @staticmethod
    def resolve_children_contact(outcome: TriageOutcome) -> TriageOutcome:
        return outcome


class NotificationOut(Schema):
    """A notification with its triage timescale and, once triaged, the outcome.

    Police read a notification in full (``in_full``) only while they need it: the officer
    who made it and the force's joint triage team, until a period after triage (28 days by
    default). Otherwise the answer carries its reference and the outcome only: the people,
    the risk, the summary and the safety planning are left empty."""

    id: uuid.UUID
    reference: str = Field(description="A short reference to quote.")
    in_full: bool = Field(
        description="False when you see only the notification's reference and outcome."
    )
    council: str = Field(alias="council.dfe_la_code", description="DfE LA code.")
    status: str
    incident_at: datetime
    received_at: datetime
    triage_due_date: date
    is_overdue: bool = Field(description="Awaiting triage past its due date, or triaged late.")
    victim: uuid.UUID | None
    alleged_perpetrator: uuid.UUID | None
    alleged_perpetrator_description: str
    children: list[NotificationChildOut]
    dash_risk: str
    dash_ticks: int | None
    repeat_incidents_12_months: int | None
    reporting_officer: str
    reporting_officer_number: str
    summary: str
    version: int
    triage: TriageOut | None

    @staticmethod
    def resolve_reference(notification: DomesticAbuseNotification) -> str:
        return notification_selectors.notification_reference_of(notification)

    @staticmethod
    def resolve_in_full(notification: DomesticAbuseNotification) -> bool:
        return _in_full(notification)

    @staticmethod
    def resolve_victim(notification: DomesticAbuseNotification) -> uuid.UUID | None:
        return notification.victim_id if _in_full(notification) else None

    @staticmethod
    def resolve_alleged_perpetrator(notification: DomesticAbuseNotification) -> uuid.UUID | None:
        return notification.alleged_perpetrator_id if _in_full(notification) else None

    @staticmethod
    def resolve_alleged_perpetrator_description(notification: DomesticAbuseNotification) -> str:
        return notification.alleged_perpetrator_description if _in_full(notification) else ""

    @staticmethod
    def resolve_children(notification: DomesticAbuseNotification) -> list[NotificationChild]:
        return list(notification.child_links.all()) if _in_full(notification) else []

    @staticmethod
    def resolve_dash_risk(notification: DomesticAbuseNotification) -> str:
        return notification.dash_risk if _in_full(notification) else ""

    @staticmethod
    def resolve_dash_ticks(notification: DomesticAbuseNotification) -> int | None:
        return notification.dash_ticks if _in_full(notification) else None

    @staticmethod
    def resolve_repeat_incidents_12_months(notification: DomesticAbuseNotification) -> int | None:
        return notification.repeat_incidents_12_months if _in_full(notification) else None

    @staticmethod
    def resolve_summary(notification: DomesticAbuseNotification) -> str:
        return notification.summary if _in_full(notification) else ""

    @staticmethod
    def resolve_triage_due_date(notification: DomesticAbuseNotification) -> date:
        return notification_due_date(notification)

    @staticmethod
    def resolve_is_overdue(notification: DomesticAbuseNotification) -> bool:
        return notification_is_overdue(notification)

    @staticmethod
    def resolve_triage(notification: DomesticAbuseNotification) -> TriageOutcome | None:
        return getattr(notification, "triage", None)


class NotificationFilters(Schema):
    status: Annotated[NotificationStatus | None, BlankIsAbsent] = Field(
        None, description="awaiting_triage or triaged."
    )
    risk: Annotated[DashRisk | None, BlankIsAbsent] = Field(
        None, description="standard, medium or high."
    )
    council: str | None = Field(None, description="DfE LA code.")
    overdue: bool | None = None


class TriageIn(Schema):
    meeting: int = Field(description="The joint triage meeting's id.")
    version: int = Field(description="The notification's version when you read it.")
    safety_planning: str
    marac_referral: bool
    marac_basis: str = Field("", max_length=12, description="ticks, judgement or escalation.")
    no_marac_reason: str = Field("", description="Required for high risk without a referral.")
    create_children_contact: bool = Field(
        True, description="Make the children's contact, in screening (the usual outcome)."
    )


class TriageAttendeeIn(Schema):
    agency: str = Field(
        max_length=20, description="police, idva, childrens_services, health, education, other."
    )
    name: str = Field(max_length=150)
    organisation: int | None = Field(None, description="Id of the organisation, if listed.")


class TriageMeetingIn(Schema):
    council: str | None = Field(
        None,
        max_length=10,
        description=(
            "DfE LA code of the council whose notifications the meeting triages: your own "
            "council (the default) or, placed in a hub whose agreement includes joint "
            "triage, one of its councils."
        ),
    )
    held_at: datetime
    attendance: list[TriageAttendeeIn]


class TriageAttendeeOut(Schema):
    agency: str
    name: str
    organisation: str | None

    @staticmethod
    def resolve_organisation(attendee: TriageAttendance) -> str | None:
        return attendee.organisation.name if attendee.organisation else None


class TriageMeetingOut(Schema):
    id: int
    council: str = Field(alias="council.dfe_la_code")
    held_at: datetime
    chaired_by: str
    attendance: list[TriageAttendeeOut]
    notifications_triaged: list[uuid.UUID]

    @staticmethod
    def resolve_chaired_by(meeting: TriageMeeting) -> str:
        return str(meeting.chaired_by)

    @staticmethod
    def resolve_attendance(meeting: TriageMeeting) -> list[TriageAttendance]:
        return list(meeting.attendance.select_related("organisation").order_by("pk"))

    @staticmethod
    def resolve_notifications_triaged(meeting: TriageMeeting) -> list[uuid.UUID]:
        return [outcome.notification_id for outcome in meeting.outcomes.order_by("pk")]


# --- reading ---------------------------------------------------------------------------------


def _visible_notification(request: HttpRequest, pk: uuid.UUID) -> DomesticAbuseNotification:
    return policy.get_visible_or_404(user_of(request), DomesticAbuseNotification, pk)


def _notifications_read_by(user: User) -> QuerySet[DomesticAbuseNotification]:
    """The notifications ``user`` may see, with all an answer shows of them fetched in a
    few queries: the children's contact of each triage only where ``user`` may see it."""
    return triage_selectors.with_children_contact_seen_by(
        user, notification_selectors.notifications_for(user=user)
    )


def _answer(request: HttpRequest, pk: uuid.UUID) -> DomesticAbuseNotification:
    """The notification as the answer shows it (404 if the user may not see it)."""
    return get_object_or_404(_notifications_read_by(user_of(request)), pk=pk)


def _person_entry(
    request: HttpRequest,
    existing: uuid.UUID | None,
    new: NewPersonIn | None,
    kind: str,
    loc: Loc,
) -> PersonEntry | None:
    if existing is not None and new is not None:
        raise invalid(
            [(loc, "Give either the id of a person on the record or a new person, not both.")]
        )
    if existing is not None:
        return PersonEntry(existing=visible_people(request, [existing], loc)[0])
    if new is not None:
        return PersonEntry(new=new_person(new, kind))
    return None


def _required(entry: PersonEntry | None, loc: Loc) -> PersonEntry:
    if entry is None:
        raise invalid([(loc, "Give the id of a person on the record, or a new person.")])
    return entry


# --- notifications ---------------------------------------------------------------------------


@notifications_router.post(
    "", response={201: NotificationOut, 409: DuplicatesOut}, summary="Enter a notification"
)
def create_notification(
    request: HttpRequest, payload: NotificationIn
) -> Status[DomesticAbuseNotification] | Status[dict[str, Any]]:
    """A police domestic-abuse notification, waiting for joint triage. The victim, the
    alleged perpetrator and the children are people you may see (by id) or new people,
    checked first against the records you may see (409 with the candidates)."""
    policy.require(
        user_of(request),
        FrontDoorAction.CREATE_NOTIFICATION,
        message="You may not enter notifications.",
    )
    council = council_for(request, payload.council)
    victim = _required(
        _person_entry(
            request, payload.victim, payload.new_victim, PersonKind.ADULT, [*BODY, "victim"]
        ),
        [*BODY, "victim"],
    )
    perpetrator = _person_entry(
        request,
        payload.alleged_perpetrator,
        payload.new_alleged_perpetrator,
        PersonKind.ADULT,
        [*BODY, "alleged_perpetrator"],
    )
    children: list[tuple[PersonEntry, bool]] = []
    for index, child in enumerate(payload.children):
        loc: Loc = [*BODY, "children", index]
        entry = _person_entry(request, child.person, child.new_person, PersonKind.CHILD, loc)
        children.append((_required(entry, loc), child.present))
    if not payload.not_duplicates:
        entered = [("victim", victim), ("alleged_perpetrator", perpetrator)]
        entered += [(f"children.{i}", entry) for i, (entry, _) in enumerate(children)]
        found = duplicates(
            request,
            [(where, e.new) for where, e in entered if e is not None and e.new is not None],
        )
        if found:
            return Status(409, {"detail": DUPLICATES_MESSAGE, "possible_duplicates": found})
    notification = record_notification_with_people(
        recorded_by=user_of(request),
        council=council,
        details=NotificationDetails(
            incident_at=payload.incident_at,
            dash_risk=payload.dash_risk,
            dash_ticks=payload.dash_ticks,
            repeat_incidents_12_months=payload.repeat_incidents_12_months,
            reporting_officer=payload.reporting_officer,
            reporting_officer_number=payload.reporting_officer_number,
            alleged_perpetrator_description=payload.alleged_perpetrator_description,
            summary=payload.summary,
        ),
        victim=victim,
        alleged_perpetrator=perpetrator,
        children=children,
    )
    return Status(201, _answer(request, notification.pk))


@notifications_router.get("", response=list[NotificationOut], summary="List notifications")
@paginated(FrontDoorPages)
def list_notifications(
    request: HttpRequest, filters: Query[NotificationFilters]
) -> QuerySet[DomesticAbuseNotification]:
    """The notifications you may see, newest first: the council's front door all of the
    council's; police those their force made, with the triage outcomes. Those awaiting
    triage (``status=awaiting_triage``) come as the joint triage takes them: highest DASH
    risk first, then the oldest."""
    user = user_of(request)
    notifications = notification_selectors.notifications_for(
        user=user,
        status=filters.status or "",
        risk=filters.risk or "",
        council_code=(filters.council or "").strip(),
        overdue=filters.overdue,
    )
    if filters.status == NotificationStatus.AWAITING_TRIAGE:
        notifications = notification_selectors.risk_first(notifications)
    return triage_selectors.with_children_contact_seen_by(user, notifications)


@notifications_router.get(
    "/{notification_id}", response=NotificationOut, summary="Read a notification"
)
def get_notification(request: HttpRequest, notification_id: uuid.UUID) -> DomesticAbuseNotification:
    """One notification you may see (404 otherwise). Writes one access-log row for each
    person named on it: the victim, the alleged perpetrator and the children."""
    notification = _answer(request, notification_id)
    if _in_full(notification):  # the reference and outcome alone read no one's record
        log_people_read(request, notification_selectors.people_named(notification))
    return notification


@notifications_router.post(
    "/{notification_id}/triage",
    response={200: NotificationOut, 409: MessageOut},
    summary="Record the joint triage of a notification",
)
def triage(
    request: HttpRequest, notification_id: uuid.UUID, payload: TriageIn
) -> DomesticAbuseNotification:
    """Safety planning, the MARAC decision (no referral at high risk needs a reason) and
    the children's outcome: a contact in screening carrying the children, the victim and
    alleged perpetrator as adults, and the incident, for its own threshold decision. A
    second triage, or a change someone else made first, answers 409."""
    user = user_of(request)
    notification = _visible_notification(request, notification_id)
    policy.require(
        user_of(request), FrontDoorAction.TRIAGE, notification, "You may not triage notifications."
    )
    meeting = policy.visible(user, TriageMeeting).filter(pk=payload.meeting).first()
    if meeting is None:
        raise invalid([([*BODY, "meeting"], "No triage meeting you may see has this id.")])
    triage_notification(
        notification=notification,
        meeting=meeting,
        by=user,
        expected_version=payload.version,
        safety_planning=payload.safety_planning,
        marac_referral=payload.marac_referral,
        marac_basis=payload.marac_basis,
        no_marac_reason=payload.no_marac_reason,
        create_children_contact=payload.create_children_contact,
    )
    return _answer(request, notification_id)


# --- joint triage meetings -------------------------------------------------------------------


def _meeting_council(user: User, code: str | None) -> Council:
    """The council a meeting is for: the one whose DfE LA code was given (whether the user
    triages for it is the service's rule), or the user's own."""
    if not code or not code.strip():
        council = policy.council_of(user)
        assert council is not None  # the TRIAGE rule requires one
        return council
    found = Council.objects.filter(dfe_la_code=code.strip()).first()
    if found is None:
        raise invalid([([*BODY, "council"], f"No council has the DfE LA code {code!r}.")])
    return found


@meetings_router.post("", response={201: TriageMeetingOut}, summary="Start a joint triage meeting")
def create_meeting(request: HttpRequest, payload: TriageMeetingIn) -> Status[TriageMeeting]:
    """A joint triage meeting of your council (or, placed in a hub whose agreement includes
    joint triage, of the council given by ``council``), with attendance by agency. A council
    you do not triage for is refused at ``council`` (422) and nothing is saved."""
    policy.require(
        user_of(request), FrontDoorAction.TRIAGE, message="You may not hold triage meetings."
    )
    user = user_of(request)
    council = _meeting_council(user, payload.council)
    check_may_hold_meeting(chaired_by=user, council=council)
    organisations = {o.pk: o for o in Organisation.objects.filter(serves=council).distinct()}
    unknown: list[tuple[Loc, str]] = [
        (
            [*BODY, "attendance", index, "organisation"],
            f"No organisation serving {council.name} has this id.",
        )
        for index, row in enumerate(payload.attendance)
        if row.organisation is not None and row.organisation not in organisations
    ]
    if unknown:
        raise invalid(unknown)
    meeting = hold_triage_meeting(
        council=council,
        chaired_by=user,
        held_at=payload.held_at,
        attendance=[
            {
                "agency": row.agency,
                "name": row.name,
                "organisation": organisations.get(row.organisation or 0),
            }
            for row in payload.attendance
        ],
    )
    return Status(201, meeting)


@meetings_router.get("/{meeting_id}", response=TriageMeetingOut, summary="Read a triage meeting")
def get_meeting(request: HttpRequest, meeting_id: int) -> TriageMeeting:
    """A meeting of your council: when, who attended by agency, what it triaged."""
    return policy.get_visible_or_404(user_of(request), TriageMeeting, meeting_id)
