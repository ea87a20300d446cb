"""Writing the episodes: the episode and its allocation, the lead professional's
involvement, step-ups (an agreed one's contact reaches the front door) and closure."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from continuum.access.models import Involvement, InvolvementReason
from continuum.accounts.models import User
from continuum.consent.models import ConsentRecord
from continuum.demo.generator.historic import Rows, Version, chronology, involve
from continuum.demo.generator.steps.early_help.casework import Casework, ScoredNeed
from continuum.demo.generator.steps.early_help.choosing import EpisodeChooser, PlannedEpisode
from continuum.demo.generator.steps.early_help.consent import agreement_rows
from continuum.demo.generator.steps.early_help.lives import CARRY_FORWARD
from continuum.demo.generator.steps.early_help.words import CLOSURE_SUMMARIES, STEP_UP_REASONS
from continuum.demo.generator.steps.front_door.records import (
    Planned,
    StepUpReferral,
    local,
)
from continuum.demo.generator.steps.front_door.writing import FrontDoorWriter
from continuum.demo.generator.world import DemoContact, DemoPerson, World
from continuum.early_help.choices import (
    ClosureReason,
    EpisodeOrigin,
    EpisodeStatus,
    NeedOutcome,
    ScoreStage,
    StepUpDecision,
    SustainedResult,
)
from continuum.early_help.models import (
    AllocationPanel,
    Assessment,
    ChildVoice,
    Closure,
    Episode,
    Need,
    NeedClosureOutcome,
    NeedScore,
    PersonAssessment,
    Plan,
    PlanAction,
    PlanOutcome,
    Review,
    StepUp,
    SupportingFamiliesOutcome,
    SustainedOutcomeCheck,
    TafAttendee,
    TafMeeting,
    TafMember,
)
from continuum.early_help.services import (
    SUSTAINED_AFTER_MONTHS,
    settings_for,
)
from continuum.front_door.choices import FamilyAgreement, Outcome
from continuum.front_door.models import (
    Contact,
    ContactAdult,
    ContactChild,
    ContactDecision,
    ContactStatusChange,
    SharingDecision,
)
from continuum.front_door.services import REPEAT_WINDOW_DAYS
from continuum.organisations.models import OrganisationKind
from continuum.people.choices import ChronologyCategory
from continuum.people.models import ChronologyEvent
from continuum.thresholds.models import Domain
from continuum.timescales.months import add_months

# Where an episode's involvement and chronology come from, as the services write it.
SOURCE_PREFIX = "early_help.episode:"


class EarlyHelpWriter:
    """Writes the chosen episodes as early help's services would have, step by step."""

    def __init__(self, world: World, chooser: EpisodeChooser) -> None:
        self.world = world
        self.chooser = chooser
        self.lives = chooser.lives
        self.rng = world.rng
        self.faker = world.faker
        self.as_of = world.as_of
        self.last_day = chooser.last_day
        self.cutoff = chooser.cutoff
        self.rows = Rows(world)
        self.contact_writer = FrontDoorWriter(world, chooser.front_door, self.rows)
        self.domains = {d.code: d for d in Domain.objects.all()}
        self.outcome_areas = {a.code: a for a in SupportingFamiliesOutcome.objects.all()}
        self.settings = {key: settings_for(c) for key, c in world.councils.items()}
        self.panels: dict[tuple[str, int, date], AllocationPanel] = {}
        self.repeats_seen: dict[object, list[datetime]] = {}
        self.step_up_contacts = 0
        self.casework = Casework(self)

    def write(self) -> None:
        self.repeats_seen = self.contact_times()
        for episode in self.chooser.episodes:
            self.episode(episode)
        self.rows.save(
            Contact,
            ContactChild,
            ContactAdult,
            Contact.presenting_indicators.through,
            ContactStatusChange,
            SharingDecision,
            ContactDecision,
            ContactDecision.indicators.through,
            AllocationPanel,
            AllocationPanel.agencies_present.through,
            ConsentRecord,
            Episode,
            Episode.children.through,
            Assessment,
            PersonAssessment,
            ChildVoice,
            Need,
            Need.outcome_areas.through,
            TafMember,
            TafMeeting,
            TafAttendee,
            Plan,
            PlanOutcome,
            PlanAction,
            Review,
            NeedScore,
            StepUp,
            Closure,
            NeedClosureOutcome,
            SustainedOutcomeCheck,
            Involvement,
            ChronologyEvent,
        )

    def contact_times(self) -> dict[object, list[datetime]]:
        seen: dict[object, list[datetime]] = {}
        for made in self.world.contacts:
            if made.is_submitted:
                for child in made.children:
                    seen.setdefault(child.person.pk, []).append(made.contact.received_at)
        return seen

    def whole_family(self, ep: PlannedEpisode) -> list[DemoPerson]:
        """The children the episode is for and everyone in their household."""
        people = {id(c): c for c in ep.children}
        for who in self.chooser.family_of(ep.family.household.pk):
            people.setdefault(id(who), who)
        return list(people.values())

    def event(self, ep: PlannedEpisode, day: date, title: str, by: User, detail: str = "") -> None:
        """A chronology event for each child, as early help's services write them."""
        assert ep.row is not None
        at = self.lives.moment(day, 10, 17)
        for child in ep.children:
            chronology(
                self.rows,
                person=child,
                on=min(day, self.last_day),
                category=ChronologyCategory.EARLY_HELP,
                title=title,
                detail=detail,
                source=f"{SOURCE_PREFIX}{ep.row.pk}",
                by=by,
                at=min(at, self.cutoff),
            )

    def episode(self, ep: PlannedEpisode) -> None:
        world, life, key = self.world, ep.life, ep.key
        locality = world.localities[key][ep.locality_index]
        lead = ep.lead
        opened_on = local(life.opened).date()
        decision = ep.contact.decision if ep.contact else None
        episode = Episode(
            id=world.new_uuid(),
            council=world.councils[key],
            locality=locality,
            team=world.teams[f"{key}:early-help:{ep.locality_index + 1}"],
            household=ep.family.household,
            level=ep.level,
            status=life.status_on(self.as_of),
            origin=ep.origin,
            front_door_decision=decision,
            front_door_decided_at=ep.contact.contact.decided_at if ep.contact else None,
            social_care_history=ep.social_care_history,
            reason_for_request=ep.reason,
            start_date=opened_on,
            end_date=life.closed,
            opened_by=ep.opened_by,
        )
        records, consent_fields = agreement_rows(
            new_id=world.new_uuid,
            family=[who.person for who in self.whole_family(ep)],
            council=world.councils[key],
            by=ep.opened_by,
            on=opened_on,
            at=life.opened,
        )
        for name, value in consent_fields.items():
            setattr(episode, name, value)
        for record in records:
            self.rows.add(record, Version(at=life.opened, by=ep.opened_by))
        ep.row = episode
        for child in ep.children:
            self.rows.add(Episode.children.through(episode=episode, person=child.person))
        titles: dict[str, str] = {
            EpisodeOrigin.FRONT_DOOR: "Early help episode opened from the front door",
            EpisodeOrigin.STEP_DOWN: "Stepped down from social care to early help",
        }
        opened_title = titles.get(ep.origin, f"Early help started by {ep.opened_by.organisation}")
        self.event(ep, opened_on, opened_title, ep.opened_by, ep.social_care_history)
        versions = [Version(at=life.opened, by=ep.opened_by, state=self.unallocated(ep))]
        if life.allocated is not None and lead is not None:
            self.allocate(ep, episode, lead, versions)
        stages = [
            (life.assessment_started, EpisodeStatus.ASSESSMENT),
            (life.plan_created, EpisodeStatus.PLAN),
            *((day, EpisodeStatus.REVIEW) for day in life.reviews),
        ]
        for day, status in stages:
            if day is not None:
                state = {"status": status, "end_date": None}
                versions.append(Version(at=self.lives.moment(day, 10, 16), by=lead, state=state))
        if life.closed is not None:
            versions.append(Version(at=self.lives.moment(life.closed, 14, 16), by=lead))
        episode.version = len(versions)
        self.rows.add(episode, *versions)
        if lead is None or life.assessment_started is None:
            return
        needs = self.casework.assessment(ep, episode, lead)
        members = self.casework.taf(ep, episode, lead)
        if life.plan_created is not None:
            self.casework.plan(ep, episode, lead, needs, members)
            self.casework.reviews(ep, episode, lead, needs, members)
        self.step_up(ep, episode, lead)
        if life.closed is not None:
            self.closure(ep, episode, lead, needs)

    def unallocated(self, ep: PlannedEpisode) -> dict[str, Any]:
        if ep.origin == EpisodeOrigin.PARTNER:
            return {"status": EpisodeStatus.ALLOCATED, "end_date": None}
        return {
            "status": EpisodeStatus.AWAITING_ALLOCATION,
            "panel": None,
            "lead_professional": None,
            "lead_professional_organisation": None,
            "allocation_reason": "",
            "out_of_area_reason": "",
            "allocated_at": None,
            "end_date": None,
        }

    def allocate(
        self, ep: PlannedEpisode, episode: Episode, lead: User, versions: list[Version]
    ) -> None:
        """Allocation at the locality panel (a partner who opened it leads it already),
        and the lead professional's involvement with the whole family."""
        life, key = ep.life, ep.key
        assert life.allocated is not None and lead.organisation is not None
        organisation = lead.organisation
        episode.lead_professional = lead
        episode.lead_professional_organisation = organisation
        episode.allocated_at = life.allocated
        if ep.origin == EpisodeOrigin.PARTNER:
            episode.allocation_reason = (
                f"{organisation.name} is delivering single-agency early help."
            )
        else:
            assert life.panel_day is not None
            episode.panel = self.panel(key, ep.locality_index, life.panel_day)
            episode.allocation_reason = self.allocation_reason(ep, lead)
            if ep.out_of_area:
                episode.out_of_area_reason = (
                    f"The family moved from Stockton-on-Tees last month; {organisation.name} "
                    "has worked with them for a year and will lead until the family is settled."
                )
            manager = self.chooser.manager(key)
            versions.append(
                Version(
                    at=life.allocated,
                    by=manager,
                    state={"status": EpisodeStatus.ALLOCATED, "end_date": None},
                )
            )
            self.event(
                ep,
                life.panel_day,
                f"Early help allocated: lead professional from {organisation.name}",
                manager,
            )
        for person in self.whole_family(ep):
            self.involve_until_closed(
                ep, lead, person, InvolvementReason.LEAD_PROFESSIONAL, life.allocated
            )

    def involve_until_closed(
        self,
        ep: PlannedEpisode,
        user: User,
        person: DemoPerson,
        reason: str,
        starts: datetime,
        ends: datetime | None = None,
    ) -> None:
        assert ep.row is not None
        if ends is None and ep.life.closed is not None:
            ends = self.world.moment(ep.life.closed, hour=16)
        involve(
            self.rows,
            user=user,
            person=person,
            reason=reason,
            source=f"{SOURCE_PREFIX}{ep.row.pk}",
            starts_at=starts,
            ends_at=ends,
        )

    def panel(self, key: str, locality_index: int, day: date) -> AllocationPanel:
        """The locality's panel that day, with the agencies present."""
        found = self.panels.get((key, locality_index, day))
        if found is not None:
            return found
        world, rng = self.world, self.rng
        panel = AllocationPanel(
            council=world.councils[key],
            locality=world.localities[key][locality_index],
            held_on=day,
            chaired_by=self.chooser.manager(key),
            created_at=world.moment(day, hour=10),
        )
        self.rows.add(panel)
        local_orgs = world.local[key]
        present = [
            world.organisations[f"council:{key}"],
            world.organisations["health-visiting"],
            rng.choice(local_orgs["primary"]),
            rng.choice(local_orgs["secondary"]),
            rng.choice(local_orgs["voluntary"]),
        ]
        if rng.random() < 0.6:
            present.append(world.organisations["police"])
        if rng.random() < 0.5:
            present.append(local_orgs["housing"][0])
        through = AllocationPanel.agencies_present.through
        for organisation in dict.fromkeys(present):
            self.rows.add(through(allocationpanel=panel, organisation=organisation))
        self.panels[(key, locality_index, day)] = panel
        return panel

    def allocation_reason(self, ep: PlannedEpisode, lead: User) -> str:
        organisation = lead.organisation
        reasons: dict[str, str] = {
            OrganisationKind.SCHOOL: f"The children's school knows the family best and "
            f"{lead.get_full_name()} already sees them each week.",
            OrganisationKind.NHS_TRUST: "The needs are mostly about the youngest child's "
            "health and development; health visiting knows the family.",
            OrganisationKind.VOLUNTARY: f"{organisation} works with families like this in "
            "the area and the parents asked for support outside the council.",
        }
        return reasons.get(
            organisation.kind if organisation else "",
            "The family needs a coordinated, multi-agency response from the council's early "
            "help team.",
        )

    def step_up(self, ep: PlannedEpisode, episode: Episode, lead: User) -> None:
        """A request to step up to social care and the manager's decision; an agreed one
        becomes a front-door contact carrying the family, the reason and the consent."""
        life, rng = ep.life, self.rng
        if life.step_up_requested is None:
            return
        manager = self.chooser.manager(ep.key)
        agreed_by_family = rng.random() < 0.7
        up = StepUp(
            episode=episode,
            reason=rng.choice(STEP_UP_REASONS),
            requested_on=life.step_up_requested,
            requested_by=lead,
            family_agreement=FamilyAgreement.AGREED
            if agreed_by_family
            else FamilyAgreement.DECLINED,
            sharing_justification=""
            if agreed_by_family
            else "The parents do not agree, but the children are at risk of significant harm "
            "and social care needs to know now.",
        )
        pending = {
            "decision": StepUpDecision.PENDING,
            "decided_by": None,
            "decided_at": None,
            "decision_note": "",
            "contact": None,
        }
        versions = [Version(at=self.lives.moment(life.step_up_requested), by=lead, state=pending)]
        decided = life.step_up_decided
        if decided is not None:
            up.decided_by, up.decided_at = manager, decided
            if life.step_up_agreed:
                up.decision = StepUpDecision.AGREED
                up.contact = self.step_up_contact(ep, up, manager, decided)
                self.event(
                    ep, local(decided).date(), "Stepped up from early help to social care",
                    manager, up.reason,
                )  # fmt: skip
            else:
                up.decision = StepUpDecision.DECLINED
                up.decision_note = (
                    "Not at the threshold for social care yet: the TAF will add weekly visits "
                    "and review in four weeks."
                )
            versions.append(Version(at=decided, by=manager))
        self.rows.add(up, *versions)

    def step_up_contact(
        self, ep: PlannedEpisode, up: StepUp, manager: User, decided: datetime
    ) -> Contact:
        referral = StepUpReferral(
            requester=up.requested_by,
            manager=manager,
            reason=up.reason,
            family_agreement=up.family_agreement,
            sharing_justification=up.sharing_justification,
            requested_on=up.requested_on,
        )
        p = Planned(
            family=ep.family,
            children=ep.children,
            received_at=decided,
            source="5D",
            step_up=referral,
            created_by=manager,
            outcome=Outcome.SOCIAL_CARE_ASSESSMENT
            if self.rng.random() < 0.8
            else Outcome.STRATEGY_DISCUSSION,
        )
        window = timedelta(days=REPEAT_WINDOW_DAYS)
        p.is_repeat = any(
            decided - window <= before < decided
            for child in ep.children
            for before in self.repeats_seen.get(child.person.pk, [])
        )
        for child in ep.children:
            self.repeats_seen.setdefault(child.person.pk, []).append(decided)
        self.chooser.front_door.timeline(p)
        self.contact_writer.contact(p)
        assert p.row is not None
        self.world.contacts.append(DemoContact(p.row, p.children, ep.family.household, p.decision))
        self.step_up_contacts += 1
        return p.row

    def closure(
        self, ep: PlannedEpisode, episode: Episode, lead: User, needs: list[ScoredNeed]
    ) -> None:
        """The reason, each need's outcome and score at closure, and the six-month
        Supporting Families checks on the outcome areas that improved."""
        life, rng = ep.life, self.rng
        closed = life.closed
        assert closed is not None
        resolution = ""
        if ep.open_at_closure:
            resolution = (
                "Open actions handed to the new service with the family's plan."
                if life.closure_reason in CARRY_FORWARD
                else "Open actions no longer needed: cancelled with the family's agreement."
            )
        closure = Closure(
            episode=episode,
            closed_on=closed,
            reason=life.closure_reason,
            summary=CLOSURE_SUMMARIES[life.closure_reason],
            open_actions_resolution=resolution,
            closed_by=lead,
        )
        self.rows.add(closure, Version(at=self.lives.moment(closed, 14, 16), by=lead))
        shifts: dict[str, tuple[int, ...]] = {
            ClosureReason.NEEDS_MET: (1, 2, 2, 3),
            ClosureReason.STEPPED_DOWN: (0, 1, 2),
            ClosureReason.DECLINED: (-2, -1, 0),
            ClosureReason.MOVED_AWAY: (-1, 0, 1),
            ClosureReason.STEPPED_UP: (-3, -2, -1),
        }
        shift = shifts.get(life.closure_reason, (0, 1))
        improved: dict[str, SupportingFamiliesOutcome] = {}
        for scored in needs:
            final = max(1, min(10, scored.scores[-1] + rng.choice(shift)))
            outcome = (
                NeedOutcome.ACHIEVED
                if final >= 7
                else NeedOutcome.PARTLY
                if final >= 4
                else NeedOutcome.NOT_ACHIEVED
            )
            self.rows.add(NeedClosureOutcome(closure=closure, need=scored.need, outcome=outcome))
            self.rows.add(
                NeedScore(
                    need=scored.need, stage=ScoreStage.CLOSURE, score=final, recorded_on=closed
                )
            )
            if outcome != NeedOutcome.NOT_ACHIEVED:
                for code in scored.kind.outcome_areas:
                    improved[code] = self.outcome_areas[code]
        for area in improved.values():
            self.sustained_check(ep, closure, area, closed, lead)
        self.event(
            ep, closed, f"Early help closed: {ClosureReason(life.closure_reason).label}", lead
        )

    def sustained_check(
        self,
        ep: PlannedEpisode,
        closure: Closure,
        area: SupportingFamiliesOutcome,
        closed: date,
        lead: User,
    ) -> None:
        """Was the outcome sustained six months on? Recorded by the council's early help
        staff for most of those due; the rest are due and waiting."""
        rng = self.rng
        due = add_months(closed, SUSTAINED_AFTER_MONTHS)
        check = SustainedOutcomeCheck(closure=closure, outcome_area=area, follow_up_due=due)
        unchecked = {"result": "", "checked_on": None, "checked_by": None}
        versions = [Version(at=self.lives.moment(closed, 14, 16), by=lead, state=unchecked)]
        if due <= self.last_day and rng.random() < 0.75:
            check.result = rng.choices(
                (SustainedResult.SUSTAINED, SustainedResult.NOT_SUSTAINED, SustainedResult.UNKNOWN),
                (65, 25, 10),
            )[0]
            check.checked_on = min(due + timedelta(days=rng.randint(0, 30)), self.last_day)
            check.checked_by = self.chooser.practitioner(ep.key, ep.locality_index)
            versions.append(Version(at=self.lives.moment(check.checked_on), by=check.checked_by))
        self.rows.add(check, *versions)
