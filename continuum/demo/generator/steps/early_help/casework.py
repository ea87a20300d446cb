"""The work with a family, as early help's services record it: the assessment with the
child's voice, needs and scores, the Team Around the Family, the plan and reviews."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from continuum.access.models import InvolvementReason
from continuum.accounts.models import User
from continuum.demo.generator.fitting import for_age
from continuum.demo.generator.historic import Version
from continuum.demo.generator.steps.early_help.choosing import PlannedEpisode
from continuum.demo.generator.steps.early_help.lives import CARRY_FORWARD
from continuum.demo.generator.steps.early_help.words import (
    CHILD_NEEDS,
    CHILD_STRENGTHS,
    FAMILY_VIEWS,
    HOW_GATHERED,
    NEED_OF_INDICATOR,
    NEEDS,
    OBSERVED,
    REVIEW_SUMMARIES,
    SAID,
    STRENGTHS,
    TAF_DECISIONS,
    TAF_ROLES,
    NeedKind,
)
from continuum.demo.generator.steps.front_door.records import (
    local,
)
from continuum.demo.generator.world import DemoPerson
from continuum.early_help.choices import (
    ActionStatus,
    AgencyKind,
    ScoreStage,
)
from continuum.early_help.models import (
    Assessment,
    ChildVoice,
    Episode,
    Need,
    NeedScore,
    PersonAssessment,
    Plan,
    PlanAction,
    PlanOutcome,
    Review,
    TafAttendee,
    TafMeeting,
    TafMember,
)
from continuum.early_help.selectors import agency_of
from continuum.organisations.models import OrganisationKind
from continuum.people.choices import PersonKind
from continuum.timescales.working_days import add_working_days

if TYPE_CHECKING:
    from continuum.demo.generator.steps.early_help.writing import EarlyHelpWriter


@dataclass(eq=False)  # compared by identity: each is one record
class ScoredNeed:
    """A need found at assessment and its scores so far (assessment, reviews)."""

    need: Need
    kind: NeedKind
    person: DemoPerson | None
    scores: list[int]


class Casework:
    """The work with the family: assessment, the Team Around the Family, the plan and its
    actions, and reviews."""

    def __init__(self, writer: EarlyHelpWriter) -> None:
        self.writer = writer
        self.chooser = writer.chooser
        self.lives = writer.lives
        self.world = writer.world
        self.rng = writer.rng
        self.faker = writer.faker
        self.as_of = writer.as_of
        self.last_day = writer.last_day
        self.rows = writer.rows
        self.settings = writer.settings
        self.domains = writer.domains
        self.outcome_areas = writer.outcome_areas

    def assessment(self, ep: PlannedEpisode, episode: Episode, lead: User) -> list[ScoredNeed]:
        """The whole-family assessment: the family's view, strengths and needs of each
        member, each child's own voice, and the needs, tagged and scored. One still in
        progress has some of these."""
        life, rng = ep.life, self.rng
        started, completed = life.assessment_started, life.assessment_completed
        assert started is not None and life.allocated is not None
        end = completed or min(life.closed or self.last_day, self.last_day)
        done = completed is not None
        due = add_working_days(
            local(life.allocated).date(), self.settings[ep.key].assessment_working_days
        )
        assessment = Assessment(
            episode=episode,
            started_on=started,
            due_date=due,
            completed_on=completed,
            completed_by=lead if done else None,
            family_view=rng.choice(FAMILY_VIEWS),
            summary=(
                f"A {'multi' if ep.level == 3 else 'single'}-agency early help assessment of "
                "the whole family; needs and strengths agreed with the parents."
            ),
        )
        blank = {"completed_on": None, "completed_by": None, "family_view": "", "summary": ""}
        versions = [Version(at=self.lives.moment(started), by=lead, state=blank)]
        entries = 1
        if done or rng.random() < 0.6:
            view = self.lives.day_between(started, end)
            state = {"completed_on": None, "completed_by": None}
            versions.append(Version(at=self.lives.moment(view), by=lead, state=state))
        else:
            assessment.family_view = assessment.summary = ""
        for who in self.writer.whole_family(ep):
            if who.is_unborn or not (done or rng.random() < 0.5):
                continue
            is_child = who.person.kind == PersonKind.CHILD
            entry = PersonAssessment(
                assessment=assessment,
                person=who.person,
                strengths=rng.choice(
                    for_age(CHILD_STRENGTHS, who.age_on(started)) if is_child else STRENGTHS
                ),
                needs=self.needs_text(who, started),
            )
            self.rows.add(
                entry, Version(at=self.lives.moment(self.lives.day_between(started, end)), by=lead)
            )
            entries += 1
        for child in ep.children:
            if done or rng.random() < 0.5:
                self.rows.add(
                    self.voice(assessment, child, started),
                    Version(at=self.lives.moment(self.lives.day_between(started, end)), by=lead),
                )
                entries += 1
        needs = self.needs(ep, episode, lead, started, end, done)
        if done:
            assert completed is not None
            versions.append(Version(at=self.lives.moment(completed, 14, 16), by=lead))
            self.writer.event(ep, completed, "Early help assessment completed", lead)
        assessment.version = entries + len(versions)
        self.rows.add(assessment, *versions)
        return needs

    def needs_text(self, who: DemoPerson, day: date) -> str:
        if who.person.kind == PersonKind.CHILD:
            return self.rng.choice(for_age(CHILD_NEEDS, who.age_on(day)))
        return self.rng.choice(
            (
                "Needs support with routines and boundaries, and time for themselves.",
                "Needs help with money worries and the rent.",
                "Would like help with low mood and to get back into work.",
            )
        )

    def voice(self, assessment: Assessment, child: DemoPerson, started: date) -> ChildVoice:
        """What the child said and how; for a baby or toddler, why not and what was seen."""
        rng = self.rng
        age = child.age_on(started)
        if (age or 0) >= 3:
            return ChildVoice(
                assessment=assessment,
                child=child.person,
                what_the_child_said=rng.choice(for_age(SAID, age)),
                how_gathered=rng.choice(for_age(HOW_GATHERED, age)),
            )
        return ChildVoice(
            assessment=assessment,
            child=child.person,
            not_gathered_reason=f"{child.person.given_name} is too young to put their views "
            "into words.",
            what_was_observed=rng.choice(OBSERVED),
        )

    def needs(
        self,
        ep: PlannedEpisode,
        episode: Episode,
        lead: User,
        started: date,
        end: date,
        done: bool,
    ) -> list[ScoredNeed]:
        """The needs found: those the front-door decision pointed to first, then others
        that fit the family; each tagged with outcome areas and a baseline score."""
        rng = self.rng
        wanted = rng.randint(1, 2) if ep.level == 2 else rng.randint(2, 4)
        kinds: list[str] = []
        if ep.contact is not None and ep.contact.decision is not None:
            codes = ep.contact.decision.indicators.order_by("code").values_list("code", flat=True)
            kinds += [NEED_OF_INDICATOR[c] for c in codes if c in NEED_OF_INDICATOR]
        ages = [c.age_on(started) or 0 for c in ep.children]
        fitting = [
            name
            for name, kind in NEEDS.items()
            if kind.about != "child" or any(kind.min_age <= a <= kind.max_age for a in ages)
        ]
        kinds = list(dict.fromkeys(k for k in kinds if k in fitting))
        while len(kinds) < wanted:
            kinds = list(dict.fromkeys([*kinds, rng.choice(fitting)]))
        kinds = kinds[:wanted] if done else kinds[: rng.randint(1, wanted)]
        made = []
        for name in kinds:
            kind = NEEDS[name]
            person = self.need_person(ep, kind, started)
            day = self.lives.day_between(started, end)
            need = Need(
                episode=episode,
                person=person.person if person else None,
                domain=self.domains[kind.domain],
                description=kind.description.format(
                    name=person.person.given_name if person else "The family"
                ),
            )
            self.rows.add(need, Version(at=self.lives.moment(day), by=lead))
            for code in kind.outcome_areas:
                self.rows.add(
                    Need.outcome_areas.through(
                        need=need, supportingfamiliesoutcome=self.outcome_areas[code]
                    )
                )
            baseline = rng.randint(2, 5)
            self.rows.add(
                NeedScore(need=need, stage=ScoreStage.ASSESSMENT, score=baseline, recorded_on=day)
            )
            made.append(ScoredNeed(need, kind, person, [baseline]))
        return made

    def need_person(self, ep: PlannedEpisode, kind: NeedKind, day: date) -> DemoPerson | None:
        if kind.about == "family":
            return None
        if kind.about == "parent":
            mothers = [a for a in ep.family.adults if a.role == "mother"]
            return (mothers or ep.family.adults)[0]
        fits = [c for c in ep.children if kind.min_age <= (c.age_on(day) or 0) <= kind.max_age]
        return self.rng.choice(fits or ep.children)

    def taf(self, ep: PlannedEpisode, episode: Episode, lead: User) -> list[TafMember]:
        """The lead professional and practitioners from other agencies, for a level 3
        episode (and some level 2). Membership, and so sight of the children, lasts until
        the member leaves or the episode closes."""
        life, rng = ep.life, self.rng
        assert life.allocated is not None
        others = self.taf_partners(ep, lead)
        if not others:
            return []
        first = local(life.allocated).date()
        last = min(life.closed or self.last_day, self.last_day)
        members = []
        for user in dict.fromkeys([lead, *others]):
            assert user.organisation is not None
            joined = self.lives.day_between(first, min(first + timedelta(days=10), last))
            left = life.closed
            if user != lead and life.reviews and rng.random() < 0.1:
                left = life.reviews[0]  # no longer needed after the first review
            member = TafMember(
                episode=episode,
                user=user,
                organisation=user.organisation,
                role_in_taf="Lead professional"
                if user == lead
                else TAF_ROLES.get(user.organisation.kind, "Practitioner"),
                joined_on=joined,
                left_on=left,
            )
            versions = [Version(at=self.lives.moment(joined), by=lead, state={"left_on": None})]
            if left is not None:
                versions.append(Version(at=self.lives.moment(left, 15, 16), by=lead))
            self.rows.add(member, *versions)
            ends = self.world.moment(left, hour=16) if left is not None else None
            for child in ep.children:
                self.writer.involve_until_closed(
                    ep, user, child, InvolvementReason.TAF_MEMBER, self.lives.moment(joined), ends
                )
            members.append(member)
        return members

    def taf_partners(self, ep: PlannedEpisode, lead: User) -> list[User]:
        """Who joins the lead professional: the council, the school, health visiting, a
        charity, as the children's ages and the lead's own agency suggest. In Redcar the
        demo health visitor joins the TAF of open episodes for under-fives."""
        rng, key = self.rng, ep.key
        ages = [c.age_on(self.as_of) or 0 for c in ep.children]
        lead_kind = lead.organisation.kind if lead.organisation else ""
        others: list[User] = []
        if ep.level == 3 or rng.random() < 0.3:
            if lead_kind != OrganisationKind.COUNCIL_CHILDRENS_SERVICES:
                others.append(self.chooser.practitioner(key, ep.locality_index))
            if any(a >= 5 for a in ages) and lead_kind != OrganisationKind.SCHOOL:
                others.append(rng.choice(self.chooser.partners[key]["school"]))
            if any(a < 5 for a in ages) and lead_kind != OrganisationKind.NHS_TRUST:
                others.append(rng.choice(self.chooser.partners[key]["health"]))
            if lead_kind != OrganisationKind.VOLUNTARY and rng.random() < 0.35:
                others.append(rng.choice(self.chooser.partners[key]["voluntary"]))
            if ep.level == 2:
                others = others[:1]
        if key == "redcar" and all(a < 5 for a in ages) and ep.life.closed is None:
            others.append(self.world.users["healthvisitor.redcar"])
        return others

    def taf_meeting(
        self, ep: PlannedEpisode, episode: Episode, lead: User, day: date, members: list[TafMember]
    ) -> None:
        """A TAF meeting: who came from which agency, the family, and what was decided."""
        rng = self.rng
        meeting = TafMeeting(
            episode=episode, held_on=day, decisions=rng.choice(TAF_DECISIONS), recorded_by=lead
        )
        self.rows.add(meeting, Version(at=self.lives.moment(day, 12, 16), by=lead))
        for member in members:
            if member.joined_on > day or (member.left_on is not None and member.left_on < day):
                continue
            self.rows.add(
                TafAttendee(
                    meeting=meeting,
                    name=member.user.get_full_name(),
                    user=member.user,
                    organisation=member.organisation,
                    agency=agency_of(member.organisation),
                    attended=member.user == lead or rng.random() < 0.88,
                )
            )
        for adult in ep.family.adults[: rng.randint(1, 2)]:
            self.rows.add(
                TafAttendee(
                    meeting=meeting,
                    name=adult.person.full_name,
                    person=adult.person,
                    agency=AgencyKind.FAMILY,
                )
            )
        if rng.random() < 0.2:
            police = self.world.organisations["police"]
            name = f"PCSO {self.faker.first_name()} {self.faker.last_name()}"
            self.rows.add(
                TafAttendee(
                    meeting=meeting, name=name, organisation=police, agency=AgencyKind.POLICE
                )
            )
        self.writer.event(ep, day, "Team Around the Family meeting", lead)

    def plan(
        self,
        ep: PlannedEpisode,
        episode: Episode,
        lead: User,
        needs: list[ScoredNeed],
        members: list[TafMember],
    ) -> None:
        """Outcomes for each need and SMART actions with an owner (person and agency) and
        a due date. Done, cancelled or still open by the as-of date; those still open at
        closure are carried forward or cancelled."""
        life, rng = ep.life, self.rng
        created = life.plan_created
        assert created is not None
        weeks = self.settings[ep.key].review_interval_weeks
        last = life.reviews[-1] if life.reviews else created
        plan = Plan(
            episode=episode, created_on=created, next_review_due=last + timedelta(weeks=weeks)
        )
        if len(members) >= 2:
            self.taf_meeting(ep, episode, lead, created, members)
        end = min(life.closed or self.last_day, self.last_day)
        become = (
            ActionStatus.CARRIED_FORWARD
            if life.closure_reason in CARRY_FORWARD
            else ActionStatus.CANCELLED
        )
        actions = []
        for scored in needs:
            name = scored.person.person.given_name if scored.person else "The family"
            outcome = PlanOutcome(
                plan=plan,
                need=scored.need,
                description=scored.kind.will_be_different.format(name=name),
            )
            self.rows.add(outcome, Version(at=self.lives.moment(created), by=lead))
            for what, who in scored.kind.actions[: rng.randint(1, 2)]:
                action = self.action(ep, outcome, lead, members, what.format(name=name), who)
                action.due_date = created + timedelta(days=rng.randint(14, 70))
                versions, open_at_closure = self.action_life(
                    action, created, end, life.closed, become, lead
                )
                ep.open_at_closure += open_at_closure
                self.rows.add(action, *versions)
                actions.append(action)
        ep.actions = actions
        plan.version = 1 + len(needs) + 2 * len(actions)
        self.rows.add(plan, Version(at=self.lives.moment(created, 12, 16), by=lead))

    def action(
        self,
        ep: PlannedEpisode,
        outcome: PlanOutcome,
        lead: User,
        members: list[TafMember],
        what: str,
        who: str,
    ) -> PlanAction:
        kinds = {"school": OrganisationKind.SCHOOL, "health": OrganisationKind.NHS_TRUST}
        owner = next((m.user for m in members if m.organisation.kind == kinds.get(who)), None)
        if who == "lead" or owner is not None:
            owner = owner or lead
            return PlanAction(
                outcome=outcome,
                description=what,
                owner_name=owner.get_full_name(),
                owner_user=owner,
                owner_agency=agency_of(owner.organisation),
                owner_organisation=owner.organisation,
            )
        child = ep.children[0]
        organisation = {
            "school": child.school or child.early_years,
            "health": child.gp_practice,
        }.get(who)
        if who == "family" or organisation is None:
            parent = ep.family.adults[0]
            return PlanAction(
                outcome=outcome,
                description=what,
                owner_name=parent.person.full_name,
                owner_agency=AgencyKind.FAMILY,
            )
        return PlanAction(
            outcome=outcome,
            description=what,
            owner_name="Class teacher" if who == "school" else "Practice nurse",
            owner_agency=agency_of(organisation),
            owner_organisation=organisation,
        )

    def action_life(
        self,
        action: PlanAction,
        created: date,
        end: date,
        closed: date | None,
        become: str,
        lead: User,
    ) -> tuple[list[Version], bool]:
        """Whether the action was done (and when) by ``end``; what closure made of it
        (and whether it was still open then)."""
        rng = self.rng
        opened = Version(
            at=self.lives.moment(created),
            by=lead,
            state={"status": ActionStatus.OPEN, "completed_on": None},
        )
        roll = rng.random()
        if roll < 0.05:
            action.status = ActionStatus.CANCELLED
            day = self.lives.day_between(created, end)
        elif (action.due_date <= end and roll < 0.72) or roll < 0.3:
            action.status = ActionStatus.DONE
            day = min(max(created, action.due_date - timedelta(days=rng.randint(0, 14))), end)
            action.completed_on = day
        elif closed is not None:
            action.status = become  # still open when the episode closed
            return [opened, Version(at=self.lives.moment(closed, 14, 15), by=lead)], True
        else:
            return [opened], False  # open; overdue once its due date has passed
        return [opened, Version(at=self.lives.moment(day, 12, 16), by=lead)], False

    def reviews(
        self,
        ep: PlannedEpisode,
        episode: Episode,
        lead: User,
        needs: list[ScoredNeed],
        members: list[TafMember],
    ) -> None:
        """Each review scores every need again: distance travelled, mostly upwards."""
        rng = self.rng
        for day in ep.life.reviews:
            review = Review(
                episode=episode, held_on=day, summary=rng.choice(REVIEW_SUMMARIES), recorded_by=lead
            )
            self.rows.add(review, Version(at=self.lives.moment(day, 12, 16), by=lead))
            for scored in needs:
                score = max(1, min(10, scored.scores[-1] + rng.choice((-1, 0, 1, 1, 2, 2))))
                scored.scores.append(score)
                self.rows.add(
                    NeedScore(
                        need=scored.need,
                        stage=ScoreStage.REVIEW,
                        review=review,
                        score=score,
                        recorded_on=day,
                    )
                )
            if len(members) >= 2:
                self.taf_meeting(ep, episode, lead, day, members)
            self.writer.event(ep, day, "Early help plan reviewed", lead)
