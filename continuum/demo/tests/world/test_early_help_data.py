"""The demo early help: episodes in every state for every council, led by several agencies,
each consistent with the rules early help's services keep."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time

import pytest
from django.utils import timezone

from continuum.access import policy
from continuum.access.models import Involvement, InvolvementReason
from continuum.accounts.models import Role, User
from continuum.demo.generator import World
from continuum.early_help.choices import (
    ActionStatus,
    AgencyKind,
    EpisodeOrigin,
    EpisodeStatus,
    NeedOutcome,
    ScoreStage,
    StepUpDecision,
)
from continuum.early_help.models import (
    AllocationPanel,
    Episode,
    NeedScore,
    PlanAction,
    StepUp,
    SustainedOutcomeCheck,
    TafAttendee,
)
from continuum.early_help.services import EARLY_HELP_OUTCOME_LEVELS
from continuum.front_door import services as front_door
from continuum.front_door.choices import ContactStatus
from continuum.organisations.models import Council, OrganisationKind
from continuum.people.models import ChronologyEvent, HouseholdMember
from continuum.timescales.months import add_months
from continuum.timescales.working_days import add_working_days

pytestmark = pytest.mark.django_db


def episodes() -> list[Episode]:
    return list(
        Episode.objects.select_related(
            "council", "locality", "team", "panel", "lead_professional__organisation",
            "lead_professional_organisation", "front_door_decision__contact", "household",
        ).prefetch_related("children")
    )  # fmt: skip


def source(episode: Episode) -> str:
    return f"early_help.episode:{episode.pk}"


def test_every_council_has_episodes_in_every_state(demo_world: World) -> None:
    for council in Council.objects.all():
        states = set(Episode.objects.filter(council=council).values_list("status", flat=True))
        assert states == set(EpisodeStatus.values), council.name
    origins = Counter(Episode.objects.values_list("origin", flat=True))
    assert all(origins[origin] >= 4 for origin in EpisodeOrigin.values), origins


def test_lead_professionals_come_from_several_agencies(demo_world: World) -> None:
    led = Episode.objects.exclude(lead_professional=None)
    kinds = set(led.values_list("lead_professional_organisation__kind", flat=True))
    assert len(kinds) >= 3, kinds
    assert {OrganisationKind.COUNCIL_CHILDRENS_SERVICES, OrganisationKind.VOLUNTARY} <= kinds
    vcs, school = (
        User.objects.get(username="vcs.stockton"),
        User.objects.get(username="school.middlesbrough"),
    )
    assert led.filter(lead_professional=vcs, council__name="Stockton-on-Tees").exists()
    assert led.filter(lead_professional=school, council__name="Middlesbrough").exists()
    open_ones = led.exclude(status=EpisodeStatus.CLOSED)
    hartlepool = User.objects.get(username="ehworker.hartlepool")
    assert open_ones.filter(lead_professional=hartlepool, council__name="Hartlepool").exists()
    assert open_ones.filter(lead_professional=vcs).count() >= 2
    for episode in episodes():
        if episode.lead_professional is None:
            continue
        organisation = episode.lead_professional_organisation
        assert organisation == episode.lead_professional.organisation
        serves = organisation.serves.filter(pk=episode.council_id).exists()  # type: ignore[union-attr]
        assert serves or episode.out_of_area_reason, episode.pk
        assert episode.allocation_reason
    assert led.exclude(out_of_area_reason="").exists()


def test_how_each_episode_began(demo_world: World) -> None:
    for episode in episodes():
        assert episode.household.council_id == episode.council_id
        assert episode.locality.council_id == episode.council_id
        assert episode.team.locality_id == episode.locality_id
        children = set(episode.children.all())
        assert children
        if episode.origin == EpisodeOrigin.FRONT_DOOR:
            decision = episode.front_door_decision
            assert decision is not None and decision.contact.decided_at is not None
            assert episode.level == EARLY_HELP_OUTCOME_LEVELS[decision.outcome]
            assert episode.front_door_decided_at == decision.contact.decided_at
            assert children == set(decision.contact.children.all())
            assert episode.start_date >= timezone.localtime(decision.contact.decided_at).date()
        elif episode.origin == EpisodeOrigin.PARTNER:
            assert episode.opened_by == episode.lead_professional
            assert episode.status != EpisodeStatus.AWAITING_ALLOCATION
            assert episode.panel is None
        else:
            assert episode.social_care_history
        if episode.pk in demo_world.history_ids:
            continue  # the five years' history writes no chronology (docs/demo-data.md)
        opened = ChronologyEvent.objects.filter(
            source=source(episode), occurred_on=episode.start_date
        )
        assert set(opened.values_list("person", flat=True)) >= {c.pk for c in children}


def test_allocation_at_locality_panels_with_the_agencies_present(demo_world: World) -> None:
    for episode in episodes():
        if episode.status == EpisodeStatus.AWAITING_ALLOCATION:
            assert episode.lead_professional is None and episode.allocated_at is None
            continue
        assert episode.lead_professional is not None and episode.allocated_at is not None
        if episode.origin != EpisodeOrigin.PARTNER:
            panel = episode.panel
            assert panel is not None and panel.locality_id == episode.locality_id
            assert panel.held_on == timezone.localtime(episode.allocated_at).date()
    for panel in AllocationPanel.objects.prefetch_related("agencies_present"):
        kinds = {o.kind for o in panel.agencies_present.all()}
        assert OrganisationKind.COUNCIL_CHILDRENS_SERVICES in kinds and len(kinds) >= 3
        assert panel.chaired_by.role == Role.TEAM_MANAGER


def test_each_step_has_what_the_services_require_before_it(demo_world: World) -> None:
    for episode in episodes():
        status = episode.status
        assessment = getattr(episode, "assessment", None)
        plan = getattr(episode, "plan", None)
        reviews = list(episode.reviews.order_by("held_on"))
        needs = list(episode.needs.all())
        if status in (EpisodeStatus.AWAITING_ALLOCATION, EpisodeStatus.ALLOCATED):
            assert assessment is None
            continue
        assert assessment is not None
        allocated = timezone.localtime(episode.allocated_at).date()
        assert assessment.due_date == add_working_days(allocated, 20)
        assert assessment.started_on >= allocated
        if assessment.completed_on is not None:
            voices = {v.child_id: v for v in assessment.child_voices.all()}
            for child in episode.children.all():
                voice = voices[child.pk]
                assert (voice.what_the_child_said and voice.how_gathered) or (
                    voice.not_gathered_reason and voice.what_was_observed
                )
            assert assessment.family_view and needs
        for need in needs:
            assert need.outcome_areas.exists()
            assert need.scores.filter(stage=ScoreStage.ASSESSMENT).count() == 1
        if plan is not None:
            assert assessment.completed_on is not None
            assert plan.created_on >= assessment.completed_on
            assert {o.need_id for o in plan.outcomes.all()} == {n.pk for n in needs}
        for review in reviews:
            assert plan is not None and review.held_on >= assessment.completed_on
            assert review.scores.count() == len(needs)
        if status == EpisodeStatus.PLAN:
            assert plan is not None and not reviews
        if status == EpisodeStatus.REVIEW:
            assert reviews
        assert (status == EpisodeStatus.CLOSED) == hasattr(episode, "closure")


def test_plans_have_smart_actions_some_overdue_and_none_left_open_at_closure(
    demo_world: World,
) -> None:
    actions = PlanAction.objects.select_related("outcome__plan__episode")
    assert actions.count() >= 20
    for action in actions:
        plan = action.outcome.plan
        assert action.due_date >= plan.created_on
        assert action.owner_name and action.owner_agency in AgencyKind.values
        if action.status == ActionStatus.DONE:
            assert action.completed_on is not None
            assert plan.created_on <= action.completed_on <= demo_world.as_of
    on_closed = actions.filter(outcome__plan__episode__status=EpisodeStatus.CLOSED)
    assert not on_closed.filter(status=ActionStatus.OPEN).exists()
    carried = on_closed.filter(
        status__in=[ActionStatus.CARRIED_FORWARD, ActionStatus.CANCELLED]
    ).exclude(completed_on__isnull=False)
    for action in carried.filter(status=ActionStatus.CARRIED_FORWARD):
        assert action.outcome.plan.episode.closure.open_actions_resolution
    overdue = actions.filter(status=ActionStatus.OPEN, due_date__lt=demo_world.as_of)
    assert overdue.exists()
    agencies = set(actions.values_list("owner_agency", flat=True))
    assert {AgencyKind.COUNCIL, AgencyKind.FAMILY} <= agencies


def test_reviews_and_closures_show_distance_travelled(demo_world: World) -> None:
    reviewed = NeedScore.objects.filter(stage=ScoreStage.REVIEW)
    assert reviewed.exists()
    rising = 0
    for episode in Episode.objects.filter(status=EpisodeStatus.CLOSED):
        closure = episode.closure
        assert episode.end_date == closure.closed_on
        needs = list(episode.needs.all())
        outcomes = {o.need_id: o.outcome for o in closure.need_outcomes.all()}
        assert set(outcomes) == {n.pk for n in needs}
        for need in needs:
            scores = list(need.scores.order_by("recorded_on", "id").values_list("score", flat=True))
            rising += scores[-1] > scores[0]
        improved = {
            area.pk
            for need in needs
            if outcomes[need.pk] != NeedOutcome.NOT_ACHIEVED
            for area in need.outcome_areas.all()
        }
        checks = list(closure.sustained_checks.all())
        assert {c.outcome_area_id for c in checks} == improved
        for check in checks:
            assert check.follow_up_due == add_months(closure.closed_on, 6)
            if check.result:
                assert check.checked_on is not None and check.checked_on >= check.follow_up_due
    assert rising
    all_checks = SustainedOutcomeCheck.objects.all()
    assert all_checks.exclude(result="").exists()  # some recorded
    assert all_checks.filter(result="", follow_up_due__lte=demo_world.as_of).exists()  # some due


def test_teams_around_the_family_meet_with_agencies_and_the_family(demo_world: World) -> None:
    attendance = Counter(TafAttendee.objects.values_list("agency", flat=True))
    assert attendance[AgencyKind.FAMILY] and attendance[AgencyKind.COUNCIL]
    assert len(attendance) >= 4
    for episode in episodes():
        for meeting in episode.taf_meetings.all():
            assert meeting.held_on >= episode.start_date
        if episode.pk in demo_world.history_ids:
            continue  # the history gives only open episodes' leads an involvement
        for member in episode.taf_members.select_related("user"):
            involvements = Involvement.objects.filter(
                user=member.user, source=source(episode), reason=InvolvementReason.TAF_MEMBER
            )
            assert set(involvements.values_list("person", flat=True)) == {
                c.pk for c in episode.children.all()
            }
            if member.left_on is not None:
                assert not involvements.filter(ends_at=None).exists()
    visitor = User.objects.get(username="healthvisitor.redcar")
    theirs = policy.visible(visitor, Episode)
    assert theirs.filter(council__name="Redcar and Cleveland").exists()


def test_involvement_follows_the_lead_professional_until_closure(demo_world: World) -> None:
    for episode in episodes():
        if episode.pk in demo_world.history_ids:
            continue  # the history gives only open episodes' leads an involvement
        lead = episode.lead_professional
        involved = Involvement.objects.filter(source=source(episode))
        if lead is None:
            assert not involved.exists()
            continue
        family = set(
            HouseholdMember.objects.filter(household=episode.household).values_list(
                "person", flat=True
            )
        )
        leading = involved.filter(user=lead, reason=InvolvementReason.LEAD_PROFESSIONAL)
        assert set(leading.values_list("person", flat=True)) == family | {
            c.pk for c in episode.children.all()
        }
        if episode.status == EpisodeStatus.CLOSED:
            assert not involved.filter(ends_at=None).exists()
            closed = timezone.make_aware(datetime.combine(episode.end_date, time.max))  # type: ignore[arg-type]
            assert not involved.filter(ends_at__gt=closed).exists()
        else:
            assert not leading.exclude(ends_at=None).exists()
    vcs = User.objects.get(username="vcs.stockton")
    assert policy.visible(vcs, Episode).filter(lead_professional=vcs).exists()


def test_step_ups_reach_the_front_door(demo_world: World) -> None:
    step_ups = StepUp.objects.select_related("episode", "contact", "decided_by")
    agreed = step_ups.filter(decision=StepUpDecision.AGREED)
    assert agreed.exists()
    for step_up in step_ups:
        assert step_up.requested_on >= step_up.episode.plan.created_on
        if step_up.decision == StepUpDecision.PENDING:
            assert step_up.decided_at is None and step_up.contact is None
            continue
        assert step_up.decided_by is not None and step_up.decided_by.role == Role.TEAM_MANAGER
        if step_up.decision == StepUpDecision.DECLINED:
            assert step_up.decision_note and step_up.contact is None
            continue
        contact = step_up.contact
        assert contact is not None and contact.status != ContactStatus.DRAFT
        assert contact.referral_source == "5D" and contact.council_id == step_up.episode.council_id
        assert contact.received_at == step_up.decided_at
        assert set(contact.children.all()) == set(step_up.episode.children.all())
        assert front_door.consent_errors(contact) == {}
        assert contact.is_repeat == bool(front_door.previous_contacts(contact))
        assert (
            step_up.episode_id in demo_world.history_ids
            or ChronologyEvent.objects.filter(
                source=source(step_up.episode), title="Stepped up from early help to social care"
            ).exists()
        )


def test_allocated_episodes_have_a_signed_consent_form_by_their_lead(demo_world: World) -> None:
    from continuum.documents.models import Document

    documents = Document.objects.select_related("episode")
    assert documents.filter(kind="consent_form").count() >= 10
    for document in documents[:50]:
        assert document.episode is not None
        assert document.uploaded_by_id == document.episode.lead_professional_id
        assert document.content_type == "application/pdf"
        allocated_at = document.episode.allocated_at
        assert allocated_at is not None and document.uploaded_at >= allocated_at
