"""Planning the front door's month: which families it hears about, when, from whom, with
what outcome, and how each contact goes (nothing is written here)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from continuum.access.models import Involvement
from continuum.accounts.models import Role, User
from continuum.demo.generator.steps.front_door.figures import (
    EARLIER_DAYS,
    EARLY_HELP_OUTCOMES,
    MONTH_DAYS,
    OFFICE_CLOSES,
    OFFICE_OPENS,
    OUTCOME_WEIGHTS,
    RECENT_DAYS,
    RECENT_SHARE,
    SEVERITY,
    SOURCE_SEVERITY,
    SOURCE_WEIGHTS,
    quota,
    share_out,
)
from continuum.demo.generator.steps.front_door.records import Family, Notification, Planned, local
from continuum.demo.generator.steps.front_door.triage import TriagePlanner
from continuum.demo.generator.steps.front_door.words import AWAITING_NOTES
from continuum.demo.generator.steps.users import _account
from continuum.demo.generator.world import DemoPerson, World
from continuum.demo.sign_ins import council_sign_in
from continuum.front_door.choices import (
    ContactStatus,
    Outcome,
)
from continuum.front_door.models import (
    TriageMeeting,
)
from continuum.front_door.services import (
    REPEAT_WINDOW_DAYS,
)
from continuum.people.choices import PersonKind
from continuum.timescales.working_days import (
    add_working_days,
    decision_due_date,
    first_working_day_on_or_after,
    is_working_day,
)


class FrontDoorPlanner:
    """Decides, for each council, which families the front door hears about, when, from
    whom and with what outcome. Nothing is written here."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.rng = world.rng
        self.faker = world.faker
        self.as_of = world.as_of
        # Everything happened before the as-of date began (it may be today).
        self.cutoff = world.moment(world.as_of, hour=0) - timedelta(minutes=1)
        # The period the month's contacts arrive in: a month, or longer for a preset whose
        # history's months are smaller than the detailed step's (Preset.front_door_days).
        self.period_days = max(MONTH_DAYS, world.preset.front_door_days)
        self.month_start = world.as_of - timedelta(days=self.period_days)
        self.yesterday = world.as_of - timedelta(days=1)
        self.families = self._families()
        self.workers: dict[str, list[User]] = {}
        self.managers: dict[str, User] = {}
        self.contacts: list[Planned] = []
        self.notifications: list[Notification] = []
        self.meetings: list[tuple[TriageMeeting, list[Notification]]] = []
        self.triage = TriagePlanner(self)

    def _families(self) -> dict[str, list[Family]]:
        by_household: dict[str, list[DemoPerson]] = {}
        for who in self.world.people:
            by_household.setdefault(str(who.household.pk), []).append(who)
        families: dict[str, list[Family]] = {key: [] for key in self.world.council_keys()}
        for members in by_household.values():
            if any(m.person.is_restricted for m in members):
                continue  # restricted records are left to their access lists
            children = [m for m in members if m.role == "child" and not m.is_unborn]
            adults = [m for m in members if m.person.kind == PersonKind.ADULT]
            if children and adults:
                key = members[0].council_key
                families[key].append(Family(key, members[0].household, children, adults))
        return families

    def staff(self) -> None:
        """Front-door workers and a team manager in each council: the council's demo
        sign-ins ``frontdoor.<council>`` and ``manager.<council>``; a council without them
        (a ``--scale`` copy) gets a named manager who cannot sign in (``<council>.manager``),
        in the front door and early help teams."""
        for key in self.world.council_keys():
            workers = [u for u in self.world.staff[key] if u.role == Role.FRONT_DOOR_WORKER]
            front_door, demo_manager = (
                council_sign_in(kind, key) for kind in ("frontdoor", "manager")
            )
            if front_door is not None:
                workers = [self.world.users[front_door], *workers]
            if demo_manager is not None:
                self.managers[key] = self.world.users[demo_manager]
            else:
                teams = [
                    team
                    for name, team in self.world.teams.items()
                    if name.startswith(f"{key}:") and not name.endswith("quality-assurance")
                ]
                female = self.rng.random() < 0.6
                manager = _account(
                    username=f"{key}.manager",
                    role=Role.TEAM_MANAGER,
                    organisation=self.world.organisations[f"council:{key}"],
                    teams=teams,
                    first_name=(
                        self.faker.first_name_female() if female else self.faker.first_name_male()
                    ),
                    last_name=self.faker.last_name(),
                    job_title="Front door and early help team manager",
                    is_demo_account=False,
                )
                self.world.staff[key].append(manager)
                self.managers[key] = manager
            self.workers[key] = workers

    def known_staff(self) -> None:
        """The front-door workers and managers ``staff`` made, for a later step."""
        for key in self.world.council_keys():
            staff = self.world.staff[key]
            self.workers[key] = [u for u in staff if u.role == Role.FRONT_DOOR_WORKER]
            managers = [u for u in staff if u.role == Role.TEAM_MANAGER]
            front_door, demo_manager = (
                council_sign_in(kind, key) for kind in ("frontdoor", "manager")
            )
            if front_door is not None:
                self.workers[key].insert(0, self.world.users[front_door])
            if demo_manager is not None:
                managers = [self.world.users[demo_manager]]
            self.managers[key] = managers[0]

    def worker(self, key: str) -> User:
        return self.rng.choice(self.workers[key])

    def office_time(self, after: datetime, low: int, high: int) -> datetime:
        """``low`` to ``high`` minutes after ``after``, moved on to office hours."""
        moment = local(after) + timedelta(minutes=self.rng.randint(low, high))
        day = moment.date()
        if is_working_day(day) and OFFICE_OPENS <= moment.time() <= OFFICE_CLOSES:
            return moment
        if not (is_working_day(day) and moment.time() < OFFICE_OPENS):
            day = first_working_day_on_or_after(day + timedelta(days=1))
        return self.world.moment(day, hour=9, minute=self.rng.randint(0, 45))

    def received_moment(self, day: date, *, out_of_hours: float) -> datetime:
        if not is_working_day(day) or self.rng.random() < out_of_hours:
            hour = self.rng.choice((7, 18, 19, 20, 21, 22, 23))
        else:
            hour = self.rng.randint(8, 16)
        moment = self.world.moment(day, hour=hour, minute=self.rng.randint(0, 59))
        return min(moment, self.cutoff - timedelta(minutes=self.rng.randint(5, 120)))

    def day_in_period(self) -> date:
        """A day in the period: any day of a month; in a longer period, RECENT_SHARE of
        them in its last RECENT_DAYS days and the rest spread over the days before."""
        if self.period_days <= MONTH_DAYS:
            return self.day_in(self.month_start, self.yesterday)
        recent = self.as_of - timedelta(days=RECENT_DAYS)
        if self.rng.random() < RECENT_SHARE:
            return self.day_in(recent, self.yesterday)
        return self.day_in(self.month_start, recent - timedelta(days=1))

    def day_in(self, first: date, last: date) -> date:
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        weights = [1.0 if is_working_day(d) else 0.3 for d in days]
        return self.rng.choices(days, weights)[0]

    def plan(self) -> None:
        self.staff()
        sizes = {key: len(families) for key, families in self.families.items()}
        preset = self.world.preset
        month = share_out(preset.contacts_per_month, sizes, 12)
        earlier = share_out(preset.earlier_contacts, sizes, 8)
        notifications = share_out(preset.notifications_per_month, sizes, 3)
        for key in self.world.council_keys():
            families = self.families[key]
            known = self.rng.sample(families, max(1, round(len(families) * 0.35)))
            fresh = [f for f in families if f not in known]
            self.rng.shuffle(fresh)
            self.plan_earlier(known, earlier[key])
            made = self.triage.plan_notifications(key, known, fresh, notifications[key])
            self.triage.plan_triage(key, made)
            triaged = [n.contact for n in made if n.contact is not None]
            self.plan_month(key, known, fresh, month[key], triaged)
        self.contacts.sort(key=lambda p: p.received_at)
        self.triage.plan_marac_exception()
        self.plan_timeliness()
        for p in self.contacts:
            p.created_by = self.creator(p)
            self.timeline(p)
        self.plan_outcomes()
        self.plan_sign_offs()
        self.plan_repeats()

    def creator(self, p: Planned) -> User:
        """Who recorded it: the partner themselves, the chair of the joint triage meeting,
        or a front-door worker taking it by phone, email or from the online form."""
        if p.partner is not None:
            return p.partner
        if p.notification is not None:
            assert p.notification.chair is not None
            return p.notification.chair
        return self.worker(p.key)

    def pick_children(self, family: Family, day: date) -> list[DemoPerson]:
        children = family.children_on(day)
        if len(children) > 1 and self.rng.random() < 0.35:
            return [self.rng.choice(children)]
        return children

    def plan_earlier(self, known: list[Family], count: int) -> None:
        """Earlier contacts, about the families the front door already knows."""
        sources = quota(SOURCE_WEIGHTS, count)
        self.rng.shuffle(sources)
        first, last = (self.as_of - timedelta(days=d) for d in reversed(EARLIER_DAYS))
        first = min(first, self.month_start - timedelta(days=1))
        last = min(last, self.month_start - timedelta(days=1))
        for source in sources:
            day = self.day_in(first, last)
            family = self.rng.choice(known)
            children = self.pick_children(family, day)
            if not children or min(a.moved_in for a in family.adults) > day:
                continue
            self.contacts.append(
                Planned(
                    family=family,
                    children=children,
                    received_at=self.received_moment(day, out_of_hours=0.1),
                    source=source,
                    earlier=True,
                )
            )

    def plan_month(
        self,
        key: str,
        known: list[Family],
        fresh: list[Family],
        count: int,
        triaged: list[Planned],
    ) -> None:
        """The month's contacts: mostly about families new to the front door, about a
        fifth about families it heard about in the last year or so."""
        sources = quota(SOURCE_WEIGHTS, count)
        for _ in triaged:  # the contacts from joint triage are police contacts too
            if "6" in sources:
                sources.remove("6")
        planned = self.partner_contacts(key, sources)
        self.rng.shuffle(sources)
        # One or two in the last day or so: received out of hours, not yet screened.
        latest = {n for n in range(min(len(sources), 1 + count // 20))}
        for n, source in enumerate(sources):
            day = (
                self.day_in(self.yesterday, self.yesterday) if n in latest else self.day_in_period()
            )
            family = fresh.pop() if fresh and self.rng.random() >= 0.22 else self.rng.choice(known)
            children = self.pick_children(family, day)
            if not children:
                continue
            out_of_hours = 0.35 if source in ("6", "3E", "1A", "9") else 0.05
            planned.append(
                Planned(
                    family=family,
                    children=children,
                    received_at=self.received_moment(day, out_of_hours=out_of_hours),
                    source=source,
                )
            )
        self.contacts += planned + triaged
        self.plan_drafts(key)

    def partner_contacts(self, key: str, sources: list[str]) -> list[Planned]:
        """Contacts the partner demo sign-ins made themselves, so they see the outcomes."""
        users, count = self.world.users, max(3, self.world.preset.partner_caseload // 2)
        wanted: list[tuple[User, str, list[tuple[Family, DemoPerson]]]] = []
        if key == "middlesbrough":
            wanted.append((users["school.middlesbrough"], "2A", self.school_pupils(count)))
        if key == "redcar":
            wanted.append((users["healthvisitor.redcar"], "3B", self.under_fives(key, count)))
        if key == "stockton":
            wanted.append((users["vcs.stockton"], "8", self.any_children(key, count)))
        police = 2 if key == "stockton" else 1
        wanted.append((users["police.cleveland"], "6", self.any_children(key, police, police=True)))
        planned = []
        for user, source, chosen in wanted:
            for n, (family, child) in enumerate(chosen):
                if source in sources:
                    sources.remove(source)
                # Spread over the month: the earlier ones decided, the last one recent.
                first = self.month_start + timedelta(days=n * (self.period_days - 3) // len(chosen))
                day = self.day_in(first, min(first + timedelta(days=3), self.yesterday))
                planned.append(
                    Planned(
                        family=family,
                        children=[child],
                        received_at=self.received_moment(day, out_of_hours=0.0),
                        source=source,
                        partner=user,
                    )
                )
        return planned

    def school_pupils(self, count: int) -> list[tuple[Family, DemoPerson]]:
        """Pupils the school already refers (the access step's), so it sees no one new."""
        school = self.world.organisations["school:middlesbrough"]
        involved = set(
            Involvement.objects.filter(user=self.world.users["school.middlesbrough"]).values_list(
                "person_id", flat=True
            )
        )
        return [
            (family, child)
            for family in self.families["middlesbrough"]
            for child in family.children_on(self.month_start)
            if child.school == school and child.person.pk in involved
        ][:count]

    def under_fives(self, key: str, count: int) -> list[tuple[Family, DemoPerson]]:
        chosen = [
            (family, child)
            for family in self.families[key]
            for child in family.children_on(self.month_start)
            if (child.age_on(self.as_of) or 0) < 5
        ]
        return self.rng.sample(chosen, min(count, len(chosen)))

    def any_children(
        self, key: str, count: int, *, police: bool = False
    ) -> list[tuple[Family, DemoPerson]]:
        ended: set[object] = set()
        if police:  # the family whose police involvement has ended stays out of sight
            ended = set(
                Involvement.objects.filter(
                    user=self.world.users["police.cleveland"], ends_at__isnull=False
                ).values_list("person__household_members__household", flat=True)
            )
        chosen = [
            (family, child)
            for family in self.families[key]
            if family.household.pk not in ended
            for child in family.children_on(self.month_start)
        ]
        return self.rng.sample(chosen, min(count, len(chosen)))

    def plan_drafts(self, key: str) -> None:
        """A draft or two: a referrer saved a contact but has not submitted it yet."""
        makers: list[tuple[User | None, str, list[tuple[Family, DemoPerson]]]] = [
            (None, "2A", self.any_children(key, 1))
        ]
        if key == "stockton":
            makers.append((self.world.users["vcs.stockton"], "8", self.any_children(key, 1)))
        if key == "middlesbrough":
            makers.append((self.world.users["school.middlesbrough"], "2A", self.school_pupils(1)))
        for user, source, chosen in makers:
            for family, child in chosen:
                day = self.as_of - timedelta(days=self.rng.randint(1, 3))
                self.contacts.append(
                    Planned(
                        family=family,
                        children=[child],
                        received_at=self.received_moment(day, out_of_hours=0.0),
                        source=source,
                        partner=user,
                        draft=True,
                    )
                )

    def plan_outcomes(self) -> None:
        """Outcomes in proportion for each council's month and its earlier contacts, the
        more serious outcomes to the contacts that look more serious."""
        pools: dict[tuple[str, bool, bool], list[Planned]] = {}
        for p in self.contacts:
            if not p.draft:
                pools.setdefault((p.key, p.earlier, p.decided_at is None), []).append(p)
        for pool in pools.values():
            if pool:
                for p in pool:
                    p.severity += self.rng.random() + SOURCE_SEVERITY.get(p.source, 0.0)
                outcomes = sorted(quota(OUTCOME_WEIGHTS, len(pool)), key=SEVERITY.index)
                ordered = sorted(pool, key=lambda p: p.severity)
                for p, outcome in zip(ordered, outcomes, strict=True):
                    p.outcome = outcome
        self.one_early_help_per_family()

    def one_early_help_per_family(self) -> None:
        """A family already sent to early help is not sent again: such an outcome swaps
        with a later contact's in the same council whose family has not been."""
        sent: set[object] = set()
        for n, p in enumerate(self.contacts):
            if p.outcome not in EARLY_HELP_OUTCOMES:
                continue
            if p.family.household.pk not in sent:
                sent.add(p.family.household.pk)
                continue
            swap = next(
                (
                    q
                    for q in self.contacts[n + 1 :]
                    if q.key == p.key
                    and q.earlier == p.earlier
                    and (q.decided_at is None) == (p.decided_at is None)
                    and q.outcome in (Outcome.INFORMATION_AND_ADVICE, Outcome.SIGNPOSTING)
                    and q.family.household.pk not in sent
                ),
                None,
            )
            if swap is None:
                p.outcome = Outcome.INFORMATION_AND_ADVICE
            else:
                p.outcome, swap.outcome = swap.outcome, p.outcome
                sent.add(swap.family.household.pk)

    def plan_timeliness(self) -> None:
        """Some waiting for information, some decided late, a few still open past their
        due date; Stockton's queue has every open status, overdue ones included."""
        rng = self.rng
        for p in self.contacts:
            if not p.draft:
                p.awaiting = rng.random() < 0.12
                p.late_days = rng.randint(1, 3) if rng.random() < 0.08 else 0
        for key in self.world.council_keys():
            month = [p for p in self.contacts if p.key == key and not p.earlier and not p.draft]
            recent = [p for p in month if p.received_on >= self.as_of - timedelta(days=9)]
            overdue = [p for p in recent if decision_due_date(p.received_on) < self.as_of]
            overdue = [p for p in overdue if p.partner is None]
            stays = [ContactStatus.IN_SCREENING, ContactStatus.AWAITING_INFORMATION]
            if key != "stockton":
                stays = [rng.choice(stays)]
            for p, status in zip(overdue[-len(stays) :], stays, strict=False):
                p.stays = status
            direct = [p for p in month if p.partner is None and p.notification is None]
            if key == "stockton" and direct:
                # Just arrived and not yet picked up: still submitted.
                direct[-1].stays = ContactStatus.SUBMITTED

    def plan_sign_offs(self) -> None:
        """One no-further-action with a level 3 indicator per council, signed off by the
        team manager; Stockton's latest still waiting for the sign-off."""
        for key in self.world.council_keys():
            nfa = [
                p
                for p in self.contacts
                if p.key == key
                and not p.earlier
                and p.outcome == Outcome.NO_FURTHER_ACTION
                and p.decided_at is not None
                and p.decided_at < self.cutoff - timedelta(days=3)
            ]
            chosen = nfa[-2:] if key == "stockton" else nfa[-1:]
            for p in chosen:
                p.sign_off = True
            if key == "stockton" and len(chosen) == 2:
                chosen[-1].hold_sign_off = True

    def plan_repeats(self) -> None:
        """``is_repeat`` exactly as the services work it out at submission: a child on the
        contact had a submitted contact received in the 12 months before."""
        window = timedelta(days=REPEAT_WINDOW_DAYS)
        seen: dict[object, list[datetime]] = {}
        for p in self.contacts:
            if p.draft:
                continue
            pks = [c.person.pk for c in p.children]
            p.is_repeat = any(
                p.received_at - window <= before < p.received_at
                for pk in pks
                for before in seen.get(pk, [])
            )
            for pk in pks:
                seen.setdefault(pk, []).append(p.received_at)

    def timeline(self, p: Planned) -> None:
        """The transitions that happened by the as-of date, as (status, when, who, note),
        and when the decision was made (``decided_at``, None while still open)."""
        key, cut, events, created_by = p.key, self.cutoff, p.events, p.created_by
        assert created_by is not None
        if p.notification is not None:
            triaged = p.notification.triaged_at
            assert triaged is not None
            p.submitted_at = screened = triaged
            note = "From domestic-abuse joint triage."
            events.append((ContactStatus.SUBMITTED, triaged, created_by, note))
            events.append((ContactStatus.IN_SCREENING, triaged, created_by, note))
        else:
            events.append((ContactStatus.DRAFT, p.received_at, created_by, ""))
            if p.draft:
                return
            minutes = 0 if p.step_up else self.rng.randint(2, 25)  # a step-up goes straight in
            p.submitted_at = p.received_at + timedelta(minutes=minutes)
            events.append((ContactStatus.SUBMITTED, p.submitted_at, created_by, ""))
            screened = self.office_time(p.submitted_at, 5, 150)
            if screened > cut or p.stays == ContactStatus.SUBMITTED:
                return
            events.append((ContactStatus.IN_SCREENING, screened, self.worker(key), ""))
        if p.stays == ContactStatus.IN_SCREENING:
            return
        last = screened
        if p.awaiting or p.stays == ContactStatus.AWAITING_INFORMATION:
            asked = self.office_time(screened, 20, 180)
            if asked > cut:
                return
            note = self.rng.choice(AWAITING_NOTES)
            events.append((ContactStatus.AWAITING_INFORMATION, asked, self.worker(key), note))
            last = asked
        if p.stays:
            return
        due = decision_due_date(p.received_on)
        if p.late_days:
            day = add_working_days(due, p.late_days)
            hour, minute = self.rng.randint(9, 16), self.rng.randint(0, 59)
            decided = self.world.moment(day, hour=hour, minute=minute)
        else:
            decided = self.office_time(last, 15, 240)
            if local(decided).date() > due:
                decided = self.world.moment(due, hour=16, minute=self.rng.randint(0, 50))
        decided = max(decided, last + timedelta(minutes=5))
        if decided <= cut:
            p.decided_at = decided
