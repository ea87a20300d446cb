"""Domestic-abuse notifications from the police and joint triage: planned, then written."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from continuum.demo.generator.historic import Rows, Version
from continuum.demo.generator.steps.front_door.figures import (
    DASH_SEVERITY,
    DASH_WEIGHTS,
    TRUSTS,
    quota,
)
from continuum.demo.generator.steps.front_door.records import Family, Notification, Planned, local
from continuum.demo.generator.world import DemoPerson, World
from continuum.front_door.choices import (
    DashRisk,
    MaracBasis,
    NotificationStatus,
    ReferralSource,
    TriageAgency,
)
from continuum.front_door.models import (
    DomesticAbuseNotification,
    NotificationChild,
    TriageAttendance,
    TriageMeeting,
    TriageOutcome,
)
from continuum.front_door.services import (
    HIGH_RISK_TICKS,
)
from continuum.people.choices import PersonKind
from continuum.timescales.working_days import (
    is_working_day,
    triage_due_date,
)

if TYPE_CHECKING:
    from continuum.demo.generator.steps.front_door.planning import FrontDoorPlanner


class TriagePlanner:
    """Police notifications for a council's month and the joint triage meetings."""

    def __init__(self, planner: FrontDoorPlanner) -> None:
        self.planner = planner
        self.world = planner.world
        self.rng = planner.rng
        self.faker = planner.faker
        self.as_of = planner.as_of
        self.cutoff = planner.cutoff
        self.month_start = planner.month_start

    def plan_notifications(
        self, key: str, known: list[Family], fresh: list[Family], count: int
    ) -> list[Notification]:
        made = []
        risks = quota(DASH_WEIGHTS, count)
        self.rng.shuffle(risks)
        for n, risk in enumerate(risks):
            family = fresh.pop() if fresh and self.rng.random() >= 0.3 else self.rng.choice(known)
            # The last arrives the day before the as-of date, after the last meeting.
            last = n == count - 1
            first_day, last_day = self.month_start, self.as_of - timedelta(days=2)
            day = (
                self.as_of - timedelta(days=1) if last else self.planner.day_in(first_day, last_day)
            )
            children = family.children_on(day)
            if children:
                made.append(self.notification(family, children, day, risk))
        made.sort(key=lambda n: n.received_at)
        if key in ("stockton", "middlesbrough"):
            # One the meetings missed: past its due date and still waiting.
            older = [n for n in made if triage_due_date(local(n.received_at).date()) < last_day]
            if older:
                older[-1].hold_back = True
        for planned in made:
            planned.miss_first = not planned.hold_back and self.rng.random() < 0.1
        self.planner.notifications += made
        return made

    def notification(
        self, family: Family, children: list[DemoPerson], day: date, risk: str
    ) -> Notification:
        rng = self.rng
        women = [a for a in family.adults if a.person.sex == "F"]
        men = [a for a in family.adults if a.person.sex == "M"]
        male_victim = bool(men) and (not women or rng.random() < 0.1)
        victim = rng.choice(men if male_victim else women or family.adults)
        partners = [a for a in (women if male_victim else men) if a is not victim]
        elsewhere = [
            p
            for p in self.world.people
            if p.family == victim.family
            and p.household.pk != family.household.pk
            and p.person.kind == PersonKind.ADULT
            and not p.person.is_restricted
        ]
        perpetrator, description = None, ""
        if partners and rng.random() < 0.8:
            perpetrator = rng.choice(partners)
        elif elsewhere:
            perpetrator = rng.choice(elsewhere)
        else:
            description = rng.choice(
                (
                    "Ex-partner, not known to services; name given to officers",
                    "New partner of a few months; details being confirmed",
                )
            )
        if risk == DashRisk.STANDARD:
            ticks = rng.randint(0, 9)
        elif risk == DashRisk.MEDIUM:
            ticks = rng.randint(6, 13)
        else:  # 14 or more ticks is visible high risk; fewer, professional judgement
            ticks = rng.randint(14, 22) if rng.random() < 0.8 else rng.randint(10, 13)
        incident_at = self.world.moment(
            day, hour=rng.choice((0, 1, 14, 16, 18, 19, 20, 21, 22, 23)), minute=rng.randint(0, 59)
        )
        received_at = min(
            incident_at + timedelta(hours=rng.randint(3, 16), minutes=rng.randint(0, 59)),
            self.cutoff - timedelta(minutes=30),
        )
        incident_at = min(incident_at, received_at - timedelta(hours=1))
        present = [(child, rng.random() < 0.6) for child in children]
        where = "present" if any(p for _, p in present) else "asleep upstairs"
        summary = rng.choice(
            (
                f"An argument that became physical; the children were {where}.",
                f"Threats and damage to property reported; the children were {where}.",
                f"A neighbour called police after hearing shouting; the children were {where}.",
                f"Assault reported by the victim the next morning; the children were {where}.",
            )
        )
        return Notification(
            family=family,
            victim=victim,
            perpetrator=perpetrator,
            perpetrator_description=description,
            children=present,
            incident_at=incident_at,
            received_at=received_at,
            risk=risk,
            ticks=ticks,
            repeats=rng.choices((0, 1, 2, 3, 4), (45, 25, 15, 10, 5))[0],
            officer=f"PC {self.faker.first_name()} {self.faker.last_name()}",
            collar=str(rng.randint(1000, 9999)),
            summary=summary,
        )

    def plan_triage(self, key: str, notifications: list[Notification]) -> None:
        """A joint triage meeting each working morning there is something to triage."""
        waiting = [n for n in notifications if not n.hold_back]
        day = self.month_start
        while day <= self.as_of and waiting:
            held_at = self.world.moment(day, hour=10)
            day += timedelta(days=1)
            if not is_working_day(local(held_at).date()) or held_at > self.cutoff:
                continue
            ready = [n for n in waiting if n.received_at < held_at]
            today = [n for n in ready if not n.miss_first]
            for n in ready:
                n.miss_first = False
            if not today:
                continue
            chair = self.rng.choice([self.planner.managers[key], *self.planner.workers[key]])
            meeting = TriageMeeting(
                council=self.world.councils[key], held_at=held_at, chaired_by=chair
            )
            meeting.created_at = held_at
            self.planner.meetings.append((meeting, today))
            for order, notification in enumerate(today):
                notification.triaged_at = held_at + timedelta(minutes=10 + 12 * order)
                notification.chair = chair
                notification.contact = Planned(
                    family=notification.family,
                    children=[c for c, _ in notification.children],
                    received_at=notification.received_at,
                    source=ReferralSource.POLICE,
                    notification=notification,
                    severity=DASH_SEVERITY[notification.risk],
                )
            waiting = [n for n in waiting if n not in today]

    def plan_marac_exception(self) -> None:
        """The odd high-risk notification with no MARAC referral, and the reason why."""
        high = [n for n in self.planner.notifications if n.risk == DashRisk.HIGH and n.triaged_at]
        if high:
            self.rng.choice(high).no_marac_exception = True


class TriageWriter:
    """The notifications, meetings with attendance by agency, and triage outcomes."""

    def __init__(self, world: World, rows: Rows) -> None:
        self.world = world
        self.rows = rows
        self.rng = world.rng
        self.faker = world.faker
        self._rosters: dict[str, dict[str, Any]] = {}

    def notification(self, n: Notification) -> None:
        police = self.world.users["police.cleveland"]
        row = DomesticAbuseNotification(
            id=self.world.new_uuid(),
            council=self.world.councils[n.family.key],
            incident_at=n.incident_at,
            received_at=n.received_at,
            victim=n.victim.person,
            alleged_perpetrator=n.perpetrator.person if n.perpetrator else None,
            alleged_perpetrator_description=n.perpetrator_description,
            dash_risk=n.risk,
            dash_ticks=n.ticks,
            repeat_incidents_12_months=n.repeats,
            reporting_officer=n.officer,
            reporting_officer_number=n.collar,
            summary=n.summary,
            status=NotificationStatus.TRIAGED
            if n.triaged_at
            else NotificationStatus.AWAITING_TRIAGE,
            created_by=police,
            created_at=n.received_at,
            version=2 if n.triaged_at else 1,
        )
        # Triage changes the status with an update, which keeps no version.
        waiting = {"status": NotificationStatus.AWAITING_TRIAGE}
        self.rows.add(row, Version(at=n.received_at, by=police, state=waiting))
        for child, present in n.children:
            self.rows.add(
                NotificationChild(notification=row, person=child.person, was_present=present)
            )
        n.row = row

    def meeting(self, meeting: TriageMeeting, notifications: list[Notification]) -> None:
        rng, key = self.rng, notifications[0].family.key
        self.rows.add(meeting)
        roster = self.roster(key)
        attendance = [
            (TriageAgency.POLICE, self.world.organisations["police"], rng.choice(roster["police"])),
            (TriageAgency.IDVA, None, rng.choice(roster["idva"])),
            (
                TriageAgency.CHILDRENS_SERVICES,
                self.world.organisations[f"council:{key}"],
                meeting.chaired_by.get_full_name(),
            ),
        ]
        if rng.random() < 0.9:
            attendance.append((TriageAgency.HEALTH, roster["trust"], rng.choice(roster["health"])))
        if rng.random() < 0.8:
            attendance.append((TriageAgency.EDUCATION, None, rng.choice(roster["education"])))
        for agency, organisation, name in attendance:
            self.rows.add(
                TriageAttendance(
                    meeting=meeting, agency=agency, organisation=organisation, name=name
                )
            )
        for n in notifications:
            self.triage_outcome(meeting, n)

    def roster(self, key: str) -> dict[str, Any]:
        """The people who come to a council's joint triage, the same few each day."""
        if key not in self._rosters:
            faker = self.faker
            self._rosters[key] = {
                "police": [f"DS {faker.first_name()} {faker.last_name()}" for _ in range(2)],
                "idva": [f"{faker.first_name()} {faker.last_name()}" for _ in range(2)],
                "health": [f"{faker.first_name()} {faker.last_name()}" for _ in range(2)],
                "education": [f"{faker.first_name()} {faker.last_name()}"],
                "trust": self.world.organisations[TRUSTS[key.split("-", 1)[0]]],
            }
        return self._rosters[key]

    def triage_outcome(self, meeting: TriageMeeting, n: Notification) -> None:
        """The safety-planning decision, the MARAC rule (expected for high risk unless a
        reason is given) and the children's contact."""
        assert n.triaged_at is not None and n.contact is not None and n.row is not None
        name = n.victim.person.given_name
        safety = {
            DashRisk.HIGH: (
                f"IDVA to contact {name} today to agree a safety plan; police to visit to "
                "review security at the home; the children's schools told the same day."
            ),
            DashRisk.MEDIUM: (
                f"IDVA service to offer {name} support and safety planning; the children's "
                "schools and health visitor told."
            ),
            DashRisk.STANDARD: (
                f"Police to give {name} details of local domestic abuse support; the "
                "children's schools told."
            ),
        }[DashRisk(n.risk)]
        referral, basis, reason = False, "", ""
        if n.risk == DashRisk.HIGH and n.no_marac_exception:
            reason = (
                f"{name} was heard at MARAC three weeks ago for the same relationship and the "
                "action plan is in place; the IDVA will tell the MARAC coordinator about this "
                "incident instead of a new referral."
            )
        elif n.risk == DashRisk.HIGH:
            referral = True
            basis = (
                MaracBasis.VISIBLE_HIGH_RISK
                if n.ticks >= HIGH_RISK_TICKS
                else MaracBasis.PROFESSIONAL_JUDGEMENT
            )
        elif n.repeats >= 3 and self.rng.random() < 0.5:
            referral, basis = True, MaracBasis.ESCALATION
        if n.contact.row is not None:  # the children's contact carries the MARAC decision
            n.contact.row.marac_referral = referral
        outcome = TriageOutcome(
            notification=n.row,
            meeting=meeting,
            safety_planning=safety,
            marac_referral=referral,
            marac_basis=basis,
            no_marac_reason=reason,
            children_contact=n.contact.row,
            recorded_by=meeting.chaired_by,
            recorded_at=n.triaged_at,
        )
        self.rows.add(outcome, Version(at=n.triaged_at, by=meeting.chaired_by))
