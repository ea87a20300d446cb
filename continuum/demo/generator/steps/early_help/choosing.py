"""Choosing the episodes: from the front door's decisions for early help, opened by
partners and stepped down from social care, in every state; and their lead professionals."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from continuum.access.models import Involvement, InvolvementReason
from continuum.accounts.models import Role, User
from continuum.demo.generator.steps.early_help.lives import (
    START_DAYS,
    WORKING_STATUSES,
    Life,
    Lives,
)
from continuum.demo.generator.steps.early_help.words import SOCIAL_CARE_HISTORIES
from continuum.demo.generator.steps.front_door.planning import FrontDoorPlanner
from continuum.demo.generator.steps.front_door.records import (
    Family,
    local,
)
from continuum.demo.generator.steps.users import _account
from continuum.demo.generator.world import DemoContact, DemoPerson, World
from continuum.demo.sign_ins import council_sign_in
from continuum.early_help.choices import (
    EpisodeOrigin,
    EpisodeStatus,
)
from continuum.early_help.models import (
    Episode,
    PlanAction,
)
from continuum.early_help.services import (
    EARLY_HELP_OUTCOME_LEVELS,
)
from continuum.front_door.choices import Outcome
from continuum.people.choices import PersonKind
from continuum.timescales.working_days import first_working_day_on_or_after
from continuum.ui.dates import govuk_date


@dataclass(eq=False)  # compared by identity: each is one record
class PlannedEpisode:
    key: str
    family: Family
    children: list[DemoPerson]
    level: int
    origin: str
    opened_by: User
    life: Life
    reason: str
    locality_index: int
    contact: DemoContact | None = None
    lead: User | None = None
    social_care_history: str = ""
    out_of_area: bool = False
    row: Episode | None = None
    open_at_closure: int = 0
    actions: list[PlanAction] = field(default_factory=list)


class EpisodeChooser:
    """Which episodes each council has, for which families, opened by whom, and who leads
    them. Nothing is written here."""

    def __init__(self, world: World, lives: Lives) -> None:
        self.world = world
        self.lives = lives
        self.rng = world.rng
        self.faker = world.faker
        self.as_of = world.as_of
        self.last_day = lives.last_day
        self.cutoff = lives.cutoff
        self.front_door = FrontDoorPlanner(world)
        self.front_door.known_staff()
        self.households: dict[object, list[DemoPerson]] = {}
        for who in world.people:
            self.households.setdefault(who.household.pk, []).append(who)
        self.busy: dict[object, list[tuple[date, date]]] = {}
        self.episodes: list[PlannedEpisode] = []
        self.partners: dict[str, dict[str, list[User]]] = {}
        self.practitioners: dict[str, list[list[User]]] = {}
        self._moved_from_stockton = False

    def staff(self) -> None:
        """The council's early help practitioners by locality team, and named partner
        practitioners who can lead or join a TAF: a school's pastoral lead, a community
        nursery nurse in health visiting, a voluntary organisation's family worker."""
        world, faker, rng = self.world, self.faker, self.rng
        for key in world.council_keys():
            teams = len(world.localities[key])
            self.practitioners[key] = [
                [u for u in world.staff[key] if u.username.startswith(f"{key}.early-help-{n}.")]
                for n in range(1, teams + 1)
            ]
            practitioner = council_sign_in("ehworker", key)
            if practitioner is not None:  # the council's demo sign-in, in its first locality
                self.practitioners[key][0].insert(0, world.users[practitioner])
            local_orgs = world.local[key]
            kinds = {
                "school": (local_orgs["secondary"][0], Role.PARTNER_PRACTITIONER, "Pastoral lead",
                           None),
                "health": (world.organisations["health-visiting"], Role.PARTNER_PRACTITIONER,
                           "Community nursery nurse", world.teams[f"health-visiting:{key}"]),
                "voluntary": (local_orgs["voluntary"][-1], Role.EARLY_HELP_PRACTITIONER,
                              "Family worker", None),
            }  # fmt: skip
            self.partners[key] = {}
            for kind, (organisation, role, title, team) in kinds.items():
                made = []
                for n in range(1, world.preset.staff_per_team + 1):
                    female = rng.random() < 0.75
                    made.append(
                        _account(
                            username=f"{key}.{kind}.{n}",
                            role=role,
                            organisation=organisation,
                            teams=[team] if team else [],
                            first_name=(
                                faker.first_name_female() if female else faker.first_name_male()
                            ),
                            last_name=faker.last_name(),
                            job_title=title,
                            is_demo_account=False,
                        )
                    )
                self.partners[key][kind] = made
            if key == "stockton":
                self.partners[key]["voluntary"].insert(0, world.users["vcs.stockton"])

    def manager(self, key: str) -> User:
        return self.front_door.managers[key]

    def practitioner(self, key: str, locality_index: int) -> User:
        team = self.practitioners[key][locality_index] or [
            u for team in self.practitioners[key] for u in team
        ]
        return self.rng.choice(team)

    def family_of(self, household: Any) -> list[DemoPerson]:
        return self.households.get(household, [])

    def choose(self) -> None:
        self.staff()
        for key in self.world.council_keys():
            self.from_front_door(key)
            self.opened_directly(key)
        self.episodes.sort(key=lambda e: e.life.opened)
        for episode in self.episodes:
            episode.lead = self.choose_lead(episode)
        for key in self.world.council_keys():
            practitioner = council_sign_in("ehworker", key)
            if practitioner is not None:
                self.give_caseload(key, self.world.users[practitioner])
        self.give_caseload("stockton", self.world.users["vcs.stockton"])

    def give_caseload(self, key: str, user: User, wanted: int = 2) -> None:
        """Make sure a demo sign-in leads a few open episodes allocated at panel."""
        open_ones = [
            e
            for e in self.episodes
            if e.key == key
            and e.origin != EpisodeOrigin.PARTNER
            and not e.out_of_area
            and e.life.allocated is not None
            and e.life.closed is None
        ]
        led = sum(e.lead == user for e in open_ones)
        for episode in open_ones:
            if led >= wanted:
                return
            if episode.lead != user:
                episode.lead = user
                led += 1

    def family(self, key: str, household: Any) -> Family:
        members = self.family_of(household)
        children = [m for m in members if m.role == "child" and not m.is_unborn]
        adults = [m for m in members if m.person.kind == PersonKind.ADULT]
        return Family(key, members[0].household, children, adults)

    def locality_index(self, key: str, who: DemoPerson) -> int:
        return [loc.pk for loc in self.world.localities[key]].index(who.locality.pk)

    def free(self, household: Any, start: date, end: date | None) -> bool:
        """No other episode for the household overlaps this one."""
        last = end or date.max
        return all(last < begun or start > ended for begun, ended in self.busy.get(household, []))

    def occupy(self, household: Any, life: Life) -> None:
        end = life.closed or date.max
        self.busy.setdefault(household, []).append((local(life.opened).date(), end))

    def allow_step_up(self, children: Sequence[DemoPerson]) -> Callable[[date], bool]:
        """A step-up's contact may not come before a front-door contact already made about
        the same children (their repeat flags were worked out without it)."""
        pks = {c.person.pk for c in children}
        later = [
            local(c.contact.received_at).date()
            for c in self.world.contacts
            if pks & {child.person.pk for child in c.children}
        ]
        return lambda day: all(received < day for received in later)

    def plan_step_ups(self, key: str, episodes: list[PlannedEpisode]) -> None:
        """About one in ten episodes with a plan asks to step up to social care; in each
        council at least one, agreed, so its contact reaches the front door."""
        rng = self.rng
        latest = self.as_of - timedelta(days=7)
        candidates = [
            e
            for e in episodes
            if e.life.plan_created is not None and e.life.plan_created < latest - timedelta(days=10)
        ]
        rng.shuffle(candidates)
        wanted = max(1, round(len(episodes) * 0.1))
        agreed = True  # the first; then most
        for episode in candidates:
            if self.lives.step_up_life(episode.life, self.allow_step_up(episode.children), agreed):
                wanted -= 1
                agreed = rng.random() < 0.6
            if not wanted:
                return

    def from_front_door(self, key: str) -> None:
        """An episode for each final decision for early help, opened within a couple of
        days (the latest may still be waiting to be opened)."""
        council = self.world.councils[key]
        made_here: list[PlannedEpisode] = []
        for made in self.world.contacts:
            contact, decision = made.contact, made.decision
            if (
                contact.council_id != council.pk
                or decision is None
                or contact.decided_at is None
                or decision.outcome not in EARLY_HELP_OUTCOME_LEVELS
            ):
                continue
            opened = self.front_door.office_time(contact.decided_at, 30, 60 * 24 * 2)
            if opened > self.cutoff:
                continue  # on the list of decisions waiting for an episode
            family = self.family(key, made.household.pk)
            where = self.locality_index(key, made.children[0])
            life = self.lives.live(key, where, opened, EpisodeOrigin.FRONT_DOOR)
            made_here.append(
                PlannedEpisode(
                    key=key,
                    family=family,
                    children=made.children,
                    level=EARLY_HELP_OUTCOME_LEVELS[decision.outcome],
                    origin=EpisodeOrigin.FRONT_DOOR,
                    opened_by=self.rng.choice([self.manager(key), self.practitioner(key, where)]),
                    life=life,
                    reason=decision.rationale,
                    locality_index=where,
                    contact=made,
                )
            )
        self.plan_step_ups(key, made_here)
        for episode in made_here:
            self.lives.cut(episode.life)
            self.occupy(episode.family.household.pk, episode.life)
        self.episodes += made_here

    def opened_directly(self, key: str) -> None:
        """Episodes opened by partners and step-downs from social care: in the states the
        front door's episodes have not reached, then in any."""
        present = {e.life.status_on(self.as_of) for e in self.episodes if e.key == key}
        missing = [s for s in EpisodeStatus.values if s not in present]
        preset, rng = self.world.preset, self.rng
        partner_targets = [s for s in missing if s != EpisodeStatus.AWAITING_ALLOCATION]
        partner_targets = partner_targets[: preset.partner_episodes_per_council]
        missing = [s for s in missing if s not in partner_targets]
        while len(partner_targets) < preset.partner_episodes_per_council:
            partner_targets.append(rng.choice(WORKING_STATUSES + (EpisodeStatus.CLOSED,)))
        # The first partner episode stays open, so its lead professional sees it.
        if partner_targets and partner_targets[0] not in WORKING_STATUSES:
            partner_targets.append(partner_targets[0])
            partner_targets[0] = rng.choice(WORKING_STATUSES)
        step_targets = missing[:]
        while len(step_targets) < preset.step_downs_per_council:
            step_targets.append(rng.choice(EpisodeStatus.values))
        for n, target in enumerate(partner_targets):
            opener, children_of = self.partner_opener(key, n)
            self.direct(key, EpisodeOrigin.PARTNER, target, opener, children_of)
        for target in step_targets:
            opener = rng.choice([self.manager(key), *self.front_door.workers[key]])
            self.direct(key, EpisodeOrigin.STEP_DOWN, target, opener, None)

    def partner_opener(
        self, key: str, n: int
    ) -> tuple[User, Callable[[Family], list[DemoPerson]] | None]:
        """Who opens the council's ``n``th partner episode, and which children it is for:
        the demo school opens one for a pupil it refers; Larkspur opens one in Stockton; a
        nursery nurse opens one for under-fives; otherwise a school or a charity."""
        users = self.world.users
        if key == "middlesbrough" and n == 0:
            teacher = users["school.middlesbrough"]
            referred = set(
                Involvement.objects.filter(
                    user=teacher, reason=InvolvementReason.REFERRER, ends_at__isnull=True
                ).values_list("person_id", flat=True)
            )
            return teacher, lambda f: [c for c in f.children if c.person.pk in referred]
        if key == "stockton" and n == 0:
            return users["vcs.stockton"], None
        kind = ("health", "school", "voluntary")[n % 3]
        opener = self.rng.choice(self.partners[key][kind])
        if kind == "health":
            return opener, lambda f: [c for c in f.children if (c.age_on(self.as_of) or 0) < 5]
        if kind == "school":
            school = opener.organisation
            return (
                opener,
                lambda f: (
                    [c for c in f.children if c.school == school]
                    or [c for c in f.children if (c.age_on(self.as_of) or 0) >= 11]
                ),
            )
        return opener, None

    def direct(
        self,
        key: str,
        origin: str,
        target: str,
        opener: User,
        children_of: Callable[[Family], list[DemoPerson]] | None,
    ) -> None:
        rng = self.rng
        candidates = [self.family(key, f.household.pk) for f in self.front_door.families[key]]
        stepped = self.social_care_families(key) if origin == EpisodeOrigin.STEP_DOWN else {}
        preferred = [f for f in candidates if f.household.pk in stepped] or candidates
        for attempt in range(60):
            family = rng.choice(preferred if attempt < 20 else candidates)
            low, high = START_DAYS[target]
            day = self.last_day - timedelta(days=rng.randint(low, high))
            start = first_working_day_on_or_after(day)
            if start > self.last_day:
                start = day
            children = children_of(family) if children_of else family.children_on(start)
            present = {id(c) for c in family.children_on(start)}
            children = [c for c in children if id(c) in present]
            if not children:
                continue
            where = self.locality_index(key, children[0])
            opened = self.lives.moment(start, 9, 15)
            if opened > self.cutoff:
                opened = self.cutoff - timedelta(hours=2)
            life = self.lives.cut(self.lives.live(key, where, opened, origin))
            if life.status_on(self.as_of) != target and attempt < 50:
                continue
            if not self.free(family.household.pk, start, life.closed):
                continue
            self.occupy(family.household.pk, life)
            history = ""
            if origin == EpisodeOrigin.STEP_DOWN:
                history = self.social_care_history(stepped.get(family.household.pk), start)
            self.episodes.append(
                PlannedEpisode(
                    key=key,
                    family=family,
                    children=children,
                    level=2 if origin == EpisodeOrigin.PARTNER else rng.choice((2, 3, 3)),
                    origin=origin,
                    opened_by=opener,
                    life=life,
                    reason=self.direct_reason(origin, opener, children),
                    locality_index=where,
                    social_care_history=history,
                )
            )
            return

    def social_care_families(self, key: str) -> dict[object, DemoContact]:
        """Families whose earlier contact went to social care, by household."""
        council = self.world.councils[key]
        return {
            c.household.pk: c
            for c in self.world.contacts
            if c.contact.council_id == council.pk
            and c.decision is not None
            and c.contact.decided_at is not None
            and c.decision.outcome in (Outcome.SOCIAL_CARE_ASSESSMENT, Outcome.STRATEGY_DISCUSSION)
        }

    def social_care_history(self, contact: DemoContact | None, start: date) -> str:
        if contact is not None and contact.contact.decided_at is not None:
            decided = local(contact.contact.decided_at).date()
            if decided < start - timedelta(days=60):
                detail = (
                    f"referred by the front door on {govuk_date(decided)} "
                    f"({Outcome(contact.decision.outcome).label.lower()})."  # type: ignore[union-attr]
                )
                return self.rng.choice(SOCIAL_CARE_HISTORIES).format(detail=detail)
        months = self.rng.randint(4, 14)
        detail = f"the social worker's involvement lasted {months} months."
        return self.rng.choice(SOCIAL_CARE_HISTORIES).format(detail=detail)

    def direct_reason(self, origin: str, opener: User, children: list[DemoPerson]) -> str:
        names = ", ".join(c.person.given_name for c in children)
        if origin == EpisodeOrigin.STEP_DOWN:
            return (
                f"Social care's work with the family is ending; {names} still need support "
                "to keep the changes going."
            )
        organisation = opener.organisation.name if opener.organisation else "The partner"
        return (
            f"{organisation} is starting single-agency early help for {names} and is telling "
            "the council, as agreed at the locality panel."
        )

    def choose_lead(self, ep: PlannedEpisode) -> User | None:
        """The lead professional: the partner who opened it, or one chosen at panel from
        the council's practitioners, a school, health visiting or a charity."""
        if ep.origin == EpisodeOrigin.PARTNER:
            return ep.opened_by
        if ep.life.allocated is None:
            return None
        rng, key = self.rng, ep.key
        ages = [c.age_on(self.as_of) or 0 for c in ep.children]
        options: list[tuple[list[User], float]] = [
            ([self.practitioner(key, ep.locality_index)], 55),
            (self.partners[key]["voluntary"], 18),
        ]
        if any(age >= 5 for age in ages):
            options.append((self.partners[key]["school"], 14))
        if all(age < 5 for age in ages):
            options.append((self.partners[key]["health"], 18))
        if (
            key == "hartlepool"
            and not self._moved_from_stockton
            and ep.life.status_on(self.as_of) in WORKING_STATUSES
        ):
            # A family who moved from Stockton keeps its key worker there for a while.
            self._moved_from_stockton = True
            ep.out_of_area = True
            return self.partners["stockton"]["voluntary"][-1]
        pool = rng.choices([o for o, _ in options], [w for _, w in options])[0]
        return rng.choice(pool)
