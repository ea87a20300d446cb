"""An early help episode's casework in the history: the assessment with each child's
voice, needs with their Supporting Families outcome areas and baseline scores, the plan
with its outcomes and SMART actions, reviews every six weeks scoring every need, and (at
level 3) the Team Around the Family's members and meetings with attendance by agency."""

from __future__ import annotations

from datetime import date, timedelta

from continuum.demo.generator.steps.five_years.builder import Casefile, HistoryBuilder
from continuum.early_help.choices import AgencyKind, EpisodeStatus, ScoreStage
from continuum.early_help.models import (
    Assessment,
    ChildVoice,
    Need,
    NeedScore,
    Plan,
    PlanAction,
    PlanOutcome,
    Review,
    TafAttendee,
    TafMeeting,
    TafMember,
)
from continuum.timescales.working_days import add_working_days

AGENCY_KIND = {
    "council": AgencyKind.COUNCIL,
    "school": AgencyKind.SCHOOL,
    "health": AgencyKind.HEALTH,
    "voluntary": AgencyKind.VOLUNTARY,
}


def assess(builder: HistoryBuilder, case: Casefile, allocated_on: date) -> None:
    """The assessment, begun within days of allocation and mostly done within twenty
    working days; once complete, the plan's day."""
    rng = builder.rng
    started = allocated_on + timedelta(days=rng.randint(0, 4))
    if not builder.happened(started):
        return
    case.status = EpisodeStatus.ASSESSMENT
    due = add_working_days(allocated_on, 20)
    finish = (
        due - timedelta(days=rng.randint(0, 12))
        if rng.random() < 0.8
        else add_working_days(due, rng.randint(1, 15))
    )
    finish = max(finish, started)
    assessment = Assessment(episode=case.episode, started_on=started, due_date=due)
    builder.add(assessment)
    if builder.happened(finish):
        assessment.completed_on = finish
        assessment.completed_by = case.lead
        assessment.family_view = "The family's view, in their words (synthetic history)."
        assessment.summary = "Strengths and needs across the family."
        _hear_children(builder, case, assessment, finish)
        _find_needs(builder, case, finish)
        case.plan_day = finish + timedelta(days=rng.randint(0, 3))


def _hear_children(
    builder: HistoryBuilder, case: Casefile, assessment: Assessment, finish: date
) -> None:
    """Each child's voice: what they said and how, or (too young, or not yet) why not and
    what was observed."""
    for child in case.children:
        age = child.age_on(finish) or 0
        heard = age >= 3 and builder.rng.random() < 0.85
        builder.add(
            ChildVoice(
                assessment=assessment,
                child=child.person,
                what_the_child_said="What the child said (synthetic)." if heard else "",
                how_gathered="Talked with the child at home." if heard else "",
                not_gathered_reason="" if heard else "Too young, or did not want to talk yet.",
                what_was_observed="" if heard else "Observed at home with the family.",
            )
        )


def _find_needs(builder: HistoryBuilder, case: Casefile, finish: date) -> None:
    """One to three needs, each with its outcome areas and a baseline score."""
    rng = builder.rng
    for number in range(1, rng.choice((1, 2, 2, 3)) + 1):
        need = Need(
            episode=case.episode,
            person=rng.choice(case.children).person,
            domain=rng.choice(builder.domains),
            description=f"Need {number} identified at assessment.",
        )
        builder.add(need)
        case.need_areas[id(need)] = rng.sample(builder.areas, rng.choice((1, 1, 2)))
        for area in case.need_areas[id(need)]:
            builder.add(Need.outcome_areas.through(need=need, supportingfamiliesoutcome=area))
        builder.add(
            NeedScore(
                need=need,
                stage=ScoreStage.ASSESSMENT,
                score=rng.randint(2, 5),
                recorded_on=finish,
            )
        )
        case.needs.append(need)


def make_plan(builder: HistoryBuilder, case: Casefile, plan_day: date) -> None:
    """The plan: an outcome for each need and one or two actions towards it, owned by the
    council, the family, the school or health."""
    rng = builder.rng
    case.status = EpisodeStatus.PLAN
    plan = Plan(
        episode=case.episode, created_on=plan_day, next_review_due=plan_day + timedelta(weeks=6)
    )
    builder.add(plan)
    for need in case.needs:
        outcome = PlanOutcome(plan=plan, need=need, description="What will be different.")
        builder.add(outcome)
        owners = rng.sample(("council", "family", "school", "health"), rng.choice((1, 2)))
        for k, owner in enumerate(owners):
            case.actions.append(
                builder.add(
                    PlanAction(
                        outcome=outcome,
                        description=f"Action {k + 1} ({owner}) towards: {need.description}",
                        owner_name=case.lead.get_full_name()
                        if owner == "council"
                        else owner.capitalize(),
                        owner_agency=AgencyKind.FAMILY if owner == "family" else AGENCY_KIND[owner],
                        due_date=plan_day + timedelta(days=rng.randint(14, 90)),
                    )
                )
            )


def hold_reviews(builder: HistoryBuilder, case: Casefile, reviews: list[date]) -> None:
    """The reviews held by the as-of date, each scoring every need (and, at level 3, a
    TAF meeting)."""
    rng = builder.rng
    case.scores = {n.pk: 4 for n in case.needs}
    for held in reviews:
        if not builder.happened(held):
            break
        case.status = EpisodeStatus.REVIEW
        review = Review(
            episode=case.episode,
            held_on=held,
            summary="Progress reviewed with the family.",
            recorded_by=case.lead,
        )
        builder.add(review)
        for need in case.needs:
            case.scores[need.pk] = min(
                10, max(1, case.scores[need.pk] + rng.choice((-1, 0, 1, 1, 2)))
            )
            builder.add(
                NeedScore(
                    need=need,
                    stage=ScoreStage.REVIEW,
                    review=review,
                    score=case.scores[need.pk],
                    recorded_on=held,
                )
            )
        if case.level == 3:
            taf_meeting(builder, case, held)


def team_around_the_family(
    builder: HistoryBuilder, case: Casefile, plan_day: date, left: date | None
) -> None:
    """The TAF's partner members (from the plan's day until closure) and its first
    meeting."""
    staff = builder.team_staff(case.key)
    for kind in builder.rng.sample(("school", "health", "voluntary"), 2):
        user = builder.rng.choice(staff[kind])
        if user is case.lead or user.organisation is None:
            continue
        builder.add(
            TafMember(
                episode=case.episode,
                user=user,
                organisation=user.organisation,
                role_in_taf=kind.capitalize(),
                joined_on=plan_day,
                left_on=left,
            )
        )
    taf_meeting(builder, case, plan_day)


def taf_meeting(builder: HistoryBuilder, case: Casefile, held: date) -> None:
    """A TAF meeting: the lead professional, a parent or carer, and the school and health
    (who mostly come)."""
    lead = case.lead
    meeting = builder.add(
        TafMeeting(
            episode=case.episode,
            held_on=held,
            decisions="Agreed the next steps.",
            recorded_by=lead,
        )
    )
    builder.add(
        TafAttendee(
            meeting=meeting,
            name=lead.get_full_name(),
            user=lead,
            organisation=lead.organisation,
            agency=AgencyKind.COUNCIL,
        )
    )
    if case.kin.carers:
        carer = case.kin.carers[0]
        builder.add(
            TafAttendee(
                meeting=meeting,
                name=carer.person.given_name,
                person=carer.person,
                agency=AgencyKind.FAMILY,
            )
        )
    for agency in (AgencyKind.SCHOOL, AgencyKind.HEALTH):
        builder.add(
            TafAttendee(
                meeting=meeting,
                name=f"{agency.label} representative",
                agency=agency,
                attended=builder.rng.random() < 0.8,
            )
        )
