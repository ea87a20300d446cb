"""The history's police domestic-abuse notifications and joint triage: each notification
with its children, the working morning's triage meeting with the agencies attending, and
the triage outcome (safety planning, MARAC) with the children's contact it sends on."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from continuum.accounts.models import User
from continuum.demo.generator.steps.five_years.builder import HistoryBuilder, Made, pick
from continuum.demo.generator.steps.five_years.contacts import contact
from continuum.demo.generator.steps.five_years.kin import Kin
from continuum.demo.generator.world import DemoPerson
from continuum.front_door.choices import (
    DashRisk,
    HowReceived,
    MaracBasis,
    NotificationStatus,
    ReferralSource,
    TriageAgency,
)
from continuum.front_door.models import (
    Contact,
    DomesticAbuseNotification,
    NotificationChild,
    TriageAttendance,
    TriageMeeting,
    TriageOutcome,
)
from continuum.timescales.working_days import first_working_day_on_or_after, is_working_day


def police_chair(builder: HistoryBuilder, key: str) -> User:
    return builder.rng.choice(
        builder.team_staff(key)["managers"] + builder.team_staff(key)["front_door"]
    )


def notification(
    builder: HistoryBuilder, key: str, kin: Kin, children: list[DemoPerson], day: date
) -> Made:
    """A notification of an incident on ``day`` and, once triaged, its children's contact
    (an untriaged one has none yet)."""
    rng, world = builder.rng, builder.world
    risk = pick(rng, {DashRisk.STANDARD: 50, DashRisk.MEDIUM: 30, DashRisk.HIGH: 20})
    ticks = (
        rng.randint(0, 9) if risk == DashRisk.STANDARD
        else rng.randint(6, 13) if risk == DashRisk.MEDIUM
        else rng.randint(14, 22) if rng.random() < 0.8 else rng.randint(10, 13)
    )  # fmt: skip
    women = [c for c in kin.carers if c.person.sex == "F" and c.person.kind == "adult"]
    men = [c for c in kin.carers if c.person.sex == "M"]
    victim = (women or kin.carers)[0]
    incident = builder.at(day, rng.choice((0, 1, 19, 20, 21, 22, 23)), rng.randint(0, 59))
    received = incident + timedelta(hours=rng.randint(3, 14))
    received = min(received, builder.cutoff - timedelta(hours=1))
    incident = min(incident, received - timedelta(hours=1))
    meeting_day = _triage_day(builder, received)
    held_at = builder.at(meeting_day, 10)
    triaged_at = held_at + timedelta(minutes=rng.randint(10, 90))
    row = DomesticAbuseNotification(
        id=world.new_uuid(),
        council=world.councils[key],
        incident_at=incident,
        received_at=received,
        victim=victim.person,
        alleged_perpetrator=men[0].person if men and men[0] is not victim else None,
        alleged_perpetrator_description=""
        if men and men[0] is not victim
        else "Ex-partner, named to officers",
        dash_risk=risk,
        dash_ticks=ticks,
        repeat_incidents_12_months=rng.choices((0, 1, 2, 3, 4), (45, 25, 15, 10, 5))[0],
        reporting_officer=f"PC {builder.faker.last_name()}",
        reporting_officer_number=str(rng.randint(1000, 9999)),
        summary="Domestic-abuse incident with children in the household (synthetic history).",
        status=NotificationStatus.TRIAGED
        if triaged_at <= builder.cutoff
        else NotificationStatus.AWAITING_TRIAGE,
        created_by=builder.police,
        created_at=received,
        version=2 if triaged_at <= builder.cutoff else 1,
    )
    builder.add(row)
    for child in children:
        builder.add(
            NotificationChild(notification=row, person=child.person, was_present=rng.random() < 0.6)
        )
    if triaged_at > builder.cutoff:
        return Made(Contact(), kin, children, "untriaged", 0.0)  # no contact yet
    meeting = triage_meeting(builder, key, meeting_day, held_at)
    m = contact(
        builder,
        key,
        kin,
        children,
        timezone.localtime(received).date(),
        ReferralSource.POLICE,
        "notification",
        received=received,
        submitted=triaged_at,
        how=HowReceived.DOMESTIC_ABUSE_NOTIFICATION,
        by=meeting.chaired_by,
    )
    m.severity += {DashRisk.STANDARD: 0.0, DashRisk.MEDIUM: 0.3, DashRisk.HIGH: 0.7}[risk]
    _triage_outcome(builder, row, meeting, m.contact, triaged_at)
    return m


def _triage_day(builder: HistoryBuilder, received: datetime) -> date:
    """Joint triage each working morning at ten; one in ten waits for the next meeting."""
    meeting_day = timezone.localtime(received).date()
    if timezone.localtime(received).hour >= 10 or not is_working_day(meeting_day):
        meeting_day += timedelta(days=1)
    meeting_day = first_working_day_on_or_after(meeting_day)
    if builder.rng.random() < 0.1:
        meeting_day = first_working_day_on_or_after(meeting_day + timedelta(days=1))
    return meeting_day


def _triage_outcome(
    builder: HistoryBuilder,
    row: DomesticAbuseNotification,
    meeting: TriageMeeting,
    children_contact: Contact,
    triaged_at: datetime,
) -> None:
    """Safety planning and MARAC: high risk goes (but for the odd documented exception),
    and now and then an escalating lower risk."""
    rng, risk = builder.rng, row.dash_risk
    referral = risk == DashRisk.HIGH and rng.random() > 0.02
    basis = ""
    if referral:
        basis = (
            MaracBasis.VISIBLE_HIGH_RISK
            if row.dash_ticks >= 14
            else MaracBasis.PROFESSIONAL_JUDGEMENT
        )
    elif risk != DashRisk.HIGH and row.repeat_incidents_12_months >= 3 and rng.random() < 0.5:
        referral, basis = True, MaracBasis.ESCALATION
    # As joint triage does: the flag, the DASH risk level and MARAC on the children's contact.
    children_contact.domestic_abuse = True
    children_contact.dash_risk = risk
    children_contact.marac_referral = referral
    builder.add(
        TriageOutcome(
            notification=row,
            meeting=meeting,
            safety_planning="IDVA service to offer support and safety planning; schools told.",
            marac_referral=referral,
            marac_basis=basis,
            no_marac_reason=(
                "Heard at MARAC recently for the same relationship; the IDVA will update the "
                "coordinator instead."
                if risk == DashRisk.HIGH and not referral
                else ""
            ),
            children_contact=children_contact,
            recorded_by=meeting.chaired_by,
            recorded_at=triaged_at,
        )
    )


def triage_meeting(
    builder: HistoryBuilder, key: str, day: date, held_at: datetime
) -> TriageMeeting:
    """The council's joint triage meeting on ``day``, with the agencies attending."""
    meeting = builder.meetings.get((key, day))
    if meeting is None:
        chair = police_chair(builder, key)
        meeting = TriageMeeting(
            council=builder.world.councils[key],
            held_at=held_at,
            chaired_by=chair,
            created_at=held_at,
        )
        builder.meetings[(key, day)] = meeting
        builder.add(meeting)
        rng = builder.rng
        attendance = [
            (TriageAgency.POLICE, builder.world.organisations.get("police"), "DS on duty"),
            (TriageAgency.IDVA, None, "IDVA on duty"),
            (
                TriageAgency.CHILDRENS_SERVICES,
                builder.world.organisations.get(f"council:{key}"),
                chair.get_full_name(),
            ),
        ]
        if rng.random() < 0.9:
            attendance.append((TriageAgency.HEALTH, None, "Safeguarding nurse"))
        if rng.random() < 0.8:
            attendance.append((TriageAgency.EDUCATION, None, "Education safeguarding officer"))
        for agency, organisation, name in attendance:
            builder.add(
                TriageAttendance(
                    meeting=meeting, agency=agency, organisation=organisation, name=name
                )
            )
    return meeting
