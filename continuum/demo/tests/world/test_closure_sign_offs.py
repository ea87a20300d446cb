"""The demo's closures waiting for sign-off: one per council, asked by the episode's lead
professional, covering every need, and signable by the council's team manager."""

from __future__ import annotations

from continuum.accounts.models import User
from continuum.demo.generator.world import World
from continuum.early_help.choices import ClosureSignOff, EpisodeStatus
from continuum.early_help.models import ClosureRequest
from continuum.early_help.selectors import closures_to_sign_off


def test_each_council_has_a_closure_waiting_for_sign_off(demo_world: World) -> None:
    waiting = ClosureRequest.objects.filter(decision=ClosureSignOff.PENDING).select_related(
        "episode", "requested_by"
    )
    assert {r.episode.council_id for r in waiting} == {c.pk for c in demo_world.councils.values()}
    for asked in waiting:
        assert asked.episode.status == EpisodeStatus.REVIEW
        assert asked.requested_by == asked.episode.lead_professional
        needs = {str(pk) for pk in asked.episode.needs.values_list("pk", flat=True)}
        assert set(asked.need_outcomes) == needs == set(asked.closure_scores)
    manager = User.objects.get(username="manager.stockton")
    assert closures_to_sign_off(user=manager).count() == 1
