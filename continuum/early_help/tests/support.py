"""Steps of an episode taken through the services, for tests that start part-way along."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from continuum.accounts.models import User
from continuum.early_help import services
from continuum.early_help.choices import AgencyKind
from continuum.early_help.models import Assessment, Episode, Plan, PlanAction
from continuum.people.models import Person


def allocated(episode: Episode, *, lead: User, manager: User) -> Episode:
    panel = services.hold_panel(
        council=episode.council,
        locality=episode.locality,
        held_on=timezone.localdate(),
        agencies_present=[manager.organisation] if manager.organisation else [],
        chaired_by=manager,
    )
    episode.refresh_from_db()
    return services.allocate(
        episode=episode,
        panel=panel,
        lead_professional=lead,
        reason="Knows the family well from the youth project.",
        by=manager,
        expected_version=episode.version,
    )


def started(episode: Episode, *, lead: User) -> Assessment:
    return services.start_assessment(episode=episode, by=lead)


def assessed(episode: Episode, *, lead: User, child: Person, baseline: int = 3) -> Assessment:
    """Started, with the family's view, the child's voice and one need; then completed."""
    assessment = started(episode, lead=lead)
    services.update_assessment(
        assessment=assessment,
        by=lead,
        expected_version=assessment.version,
        family_view="Mum says mornings are the hardest part of the day.",
        summary="Routines at home have slipped since the move.",
    )
    services.record_child_voice(
        assessment=assessment,
        child=child,
        by=lead,
        expected_version=assessment.version,
        what_the_child_said="I like school when I get there on time.",
        how_gathered="Talking with her at school, with her teacher nearby.",
    )
    services.add_need(
        episode=episode,
        domain_code="parenting-capacity",
        description="Getting to school on time every day.",
        outcome_codes=["SF01"],
        baseline_score=baseline,
        by=lead,
    )
    return services.complete_assessment(
        assessment=assessment, by=lead, expected_version=assessment.version
    )


def planned(episode: Episode, *, lead: User, due_in_days: int = 14) -> Plan:
    """A plan with one outcome for the first need and one open action."""
    plan = services.create_plan(episode=episode, by=lead)
    need = episode.needs.order_by("pk").first()
    assert need is not None
    outcome = services.add_plan_outcome(
        plan=plan,
        need=need,
        description="Maisie arrives at school on time every day.",
        by=lead,
        expected_version=plan.version,
    )
    services.add_action(
        outcome=outcome,
        description="Morning routine chart, reviewed weekly with Mum.",
        owner_name="",
        owner_user=lead,
        owner_agency=AgencyKind.VOLUNTARY,
        due_date=timezone.localdate() + timedelta(days=due_in_days),
        by=lead,
        expected_version=plan.version,
    )
    plan.refresh_from_db()
    return plan


def open_actions(episode: Episode) -> int:
    return PlanAction.objects.filter(outcome__plan__episode=episode, status="open").count()
