"""Who may see what: access lists for the restricted households, and the involvements that
let each partner demo sign-in see a handful of people. (Peer auditors see the cases of
their audit programmes only: ``steps/case_audits.py``.)

Written through ``continuum.access.services`` (the same functions the apps use); the
numbers are small, so there is no need for bulk inserts here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time, timedelta

from django.utils import timezone

from continuum.access.models import BreakGlassGrant, InvolvementReason
from continuum.access.services import end_involvement, grant_restricted_access, record_involvement
from continuum.accounts.models import User
from continuum.demo.generator.registry import step
from continuum.demo.generator.world import DemoPerson, World
from continuum.people.choices import ChronologyCategory, PersonKind
from continuum.people.models import ChronologyEvent

# The worker on each council's restricted records' access lists (else its first named worker).
RESTRICTED_RECORD_WORKER = {"stockton": "manager.stockton", "hartlepool": "ehworker.hartlepool"}


@step(order=500)
def restricted_records(world: World) -> None:
    for key in world.council_keys():
        username = RESTRICTED_RECORD_WORKER.get(key)
        worker = world.users[username] if username else world.staff[key][0]
        for who in world.people_in(key):
            if who.person.is_restricted:
                grant_restricted_access(
                    person=who.person,
                    user=worker,
                    reason="Allocated worker for this family, whose records are restricted.",
                    granted_by=None,
                )


def _open(who: DemoPerson) -> bool:
    return not who.person.is_restricted


class Involver:
    def __init__(self, world: World) -> None:
        self.world = world
        self.events: list[ChronologyEvent] = []

    def involve(
        self,
        user: User,
        people: Iterable[DemoPerson],
        *,
        reason: str | None = None,
        source: str,
        event: tuple[str, str] | None = None,
        ended_days_ago: int | None = None,
    ) -> None:
        for who in people:
            started = self.world.as_of - timedelta(days=self.world.rng.randint(14, 180))
            if ended_days_ago is not None:
                started = self.world.as_of - timedelta(days=ended_days_ago + 90)
            chosen = reason or (
                InvolvementReason.LEAD_PROFESSIONAL
                if who.person.kind != PersonKind.ADULT
                else InvolvementReason.TAF_MEMBER
            )
            record_involvement(
                user=user,
                person=who.person,
                reason=chosen,
                source=source,
                starts_at=self.world.moment(started),
            )
            if ended_days_ago is not None:
                ended = self.world.as_of - timedelta(days=ended_days_ago)
                end_involvement(
                    user=user,
                    person=who.person,
                    source=source,
                    ends_at=self.world.moment(ended, hour=17),
                )
            if event is not None and (who.person.date_of_birth or started) <= started:
                category, title = event
                self.events.append(
                    ChronologyEvent(
                        person=who.person,
                        occurred_on=started,
                        category=category,
                        title=title,
                        source=source,
                    )
                )

    def households(self, people: list[DemoPerson], count: int) -> list[list[DemoPerson]]:
        """``count`` whole households, chosen at random from those ``people`` live in."""
        by_household: dict[str, list[DemoPerson]] = {}
        for who in people:
            by_household.setdefault(str(who.household.pk), []).append(who)
        groups = list(by_household.values())
        return self.world.rng.sample(groups, min(count, len(groups)))


@step(order=510)
def partner_involvements(world: World) -> None:
    caseload = world.preset.partner_caseload
    users = world.users
    involver = Involver(world)
    rng = world.rng

    school = world.organisations["school:middlesbrough"]
    pupils = [p for p in world.people_in("middlesbrough") if p.school == school and _open(p)]
    involver.involve(
        users["school.middlesbrough"],
        pupils[:caseload],
        reason=InvolvementReason.REFERRER,
        source="demo.school-referral",
        event=(ChronologyCategory.EDUCATION, f"{school.name} asked for early help for the family"),
    )

    under_fives = [
        p
        for p in world.people_in("redcar")
        if _open(p) and (p.is_unborn or (p.role == "child" and (p.age_on(world.as_of) or 0) < 5))
    ]
    for n, who in enumerate(rng.sample(under_fives, min(caseload, len(under_fives)))):
        reason = InvolvementReason.LEAD_PROFESSIONAL if n < 2 else InvolvementReason.TAF_MEMBER
        involver.involve(
            users["healthvisitor.redcar"],
            [who],
            reason=reason,
            source="demo.health-visiting",
            event=(
                ChronologyCategory.HEALTH,
                "Health visitor began additional support for the family",
            ),
        )

    police_event = (
        ChronologyCategory.POLICE,
        "Police shared a notification with children's services",
    )
    with_police = {
        p.household.pk
        for p in world.people
        if any(title.startswith("Police") for title in p.events)
    }
    known = [p for p in world.people if p.household.pk in with_police and _open(p)]
    groups = involver.households(known, max(3, caseload // 2))
    for group in groups[:-1]:
        involver.involve(
            users["police.cleveland"],
            group,
            reason=InvolvementReason.REFERRER,
            source="demo.police-notification",
            event=police_event,
        )
    if groups:  # one that has ended: the officer no longer sees this family
        involver.involve(
            users["police.cleveland"],
            groups[-1],
            reason=InvolvementReason.REFERRER,
            source="demo.police-notification",
            event=police_event,
            ended_days_ago=30,
        )

    stockton = [p for p in world.people_in("stockton") if _open(p)]
    with_children = {p.household.pk for p in stockton if p.role == "child"}
    families = [p for p in stockton if p.household.pk in with_children]
    vcs = world.organisations["voluntary:stockton"]
    for group in involver.households(families, max(2, caseload // 3)):
        involver.involve(
            users["vcs.stockton"],
            group,
            source="demo.family-key-work",
            event=(ChronologyCategory.OTHER, f"{vcs.name} began family key work"),
        )

    # Peer auditors see cases only through audit programmes (steps/case_audits.py).

    world.bulk_create(ChronologyEvent, involver.events)


# Emergency access for the information governance leads to review (issue 10): Stockton's
# front door broke the glass on a Hartlepool child's record in the small hours.
EMERGENCY_REASON = (
    "Police brought the child to our front door at 2am after finding her alone; "
    "we need to check for a safety plan in Hartlepool before she goes home."
)


@step(order=520)
def emergency_access(world: World) -> None:
    children = [
        who.person for who in world.people_in("hartlepool") if _open(who) and who.role == "child"
    ]
    if not children or "frontdoor.stockton" not in world.users:
        return
    granted_at = timezone.make_aware(datetime.combine(world.as_of, time(2, 10)))
    BreakGlassGrant.objects.create(
        user=world.users["frontdoor.stockton"],
        person=children[0],
        reason=EMERGENCY_REASON,
        granted_at=granted_at,
        expires_at=granted_at + timedelta(hours=24),
    )
    world.note("One emergency (break-glass) access for ig.hartlepool to review.")
