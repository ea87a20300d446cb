"""Closures waiting for a team manager's sign-off (issue 12): in each council, one episode
under review whose lead professional asked yesterday to close it, so the managers' home
pages and the episode's closure tab show a sign-off to make. Deterministic by seed (the
step's own random stream picks the episode); a handful of rows."""

from __future__ import annotations

from datetime import timedelta

from continuum.demo.generator.registry import step
from continuum.demo.generator.world import World
from continuum.early_help.choices import (
    ActionStatus,
    ClosureReason,
    ClosureSignOff,
    EpisodeStatus,
    NeedOutcome,
)
from continuum.early_help.models import ClosureRequest, Episode, PlanAction


@step(order=850)
def closure_sign_offs(world: World) -> None:
    asked_on = world.as_of - timedelta(days=1)
    requests = []
    for key in world.council_keys():
        candidates = list(
            Episode.objects.filter(
                council=world.councils[key],
                status=EpisodeStatus.REVIEW,
                lead_professional__isnull=False,
                needs__isnull=False,
            )
            .exclude(pk__in=list(world.history_ids))
            .distinct()
            .order_by("pk")
        )
        if not candidates:
            continue
        episode = world.rng.choice(candidates)
        needs = list(episode.needs.order_by("pk").values_list("pk", flat=True))
        still_open = PlanAction.objects.filter(
            outcome__plan__episode=episode, status=ActionStatus.OPEN
        ).exists()
        assert episode.lead_professional is not None
        requests.append(
            ClosureRequest(
                episode=episode,
                requested_by=episode.lead_professional,
                requested_at=world.moment(asked_on, hour=15, minute=30),
                closed_on=asked_on,
                reason=ClosureReason.NEEDS_MET,
                summary="The family's goals are met and they are confident to carry on "
                "with support from school.",
                need_outcomes={
                    str(pk): world.rng.choice([NeedOutcome.ACHIEVED, NeedOutcome.PARTLY])
                    for pk in needs
                },
                closure_scores={str(pk): world.rng.randint(7, 9) for pk in needs},
                open_actions_become=ActionStatus.CANCELLED if still_open else "",
                open_actions_resolution="No longer needed: the family manages this themselves."
                if still_open
                else "",
                decision=ClosureSignOff.PENDING,
            )
        )
    world.bulk_create(ClosureRequest, requests)
    world.note(f"Closures waiting for a team manager's sign-off: {len(requests)}.")
