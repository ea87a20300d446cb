"""The early help reads: the waiting list (longest wait first, overdue past the council's
target), a team manager's caseloads and everything overdue, and distance travelled."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.test import Client
from django.utils import timezone

from continuum.accounts.models import User
from continuum.early_help import selectors, services
from continuum.early_help.models import Episode
from continuum.early_help.tests import support
from continuum.early_help.tests.builders import Family, Place, make_episode, make_family
from continuum.early_help.tests.views_support import url


def _waiting(place: Place, manager: User, name: str, days_ago: int) -> Episode:
    family = make_family(place.council, name)
    return make_episode(
        council=place.council,
        locality=place.locality,
        team=place.team,
        household=family.household,
        opened_by=manager,
        children=[family.child],
        start_date=timezone.localdate() - timedelta(days=days_ago),
    )


def test_the_waiting_list_is_longest_wait_first_and_flags_waits_past_the_target(
    manager: User, stockton_place: Place, hartlepool_manager: User
) -> None:
    recent = _waiting(stockton_place, manager, "Recent", 2)
    oldest = _waiting(stockton_place, manager, "Oldest", 40)
    settings = services.settings_for(stockton_place.council)
    rows = selectors.awaiting_allocation(user=manager)
    assert [r.episode for r in rows] == [oldest, recent]
    assert [r.overdue for r in rows] == [True, False]
    assert rows[0].days_waiting == 40 and rows[0].working_days_waiting > 10
    assert settings.allocation_target_working_days == 10
    # Nothing of Stockton's on Hartlepool's list.
    assert selectors.awaiting_allocation(user=hartlepool_manager) == []


def test_caseloads_count_each_workers_episodes_and_list_everything_overdue(
    client: Client,
    manager: User,
    vcs_worker: User,
    eh_worker: User,
    episode: Episode,
    family: Family,
    stockton_place: Place,
) -> None:
    _waiting(stockton_place, manager, "Longwait", 30)
    support.allocated(episode, lead=vcs_worker, manager=manager)
    support.assessed(episode, lead=vcs_worker, child=family.child)
    support.planned(episode, lead=vcs_worker, due_in_days=14)
    second = _waiting(stockton_place, manager, "Second", 1)
    support.allocated(second, lead=eh_worker, manager=manager)
    support.started(second, lead=eh_worker)

    later = timezone.now() + timedelta(days=70)
    with time_machine.travel(later, tick=False):
        episodes = selectors.team_episodes(user=manager)
        loads = {c.worker: c.counts for c in selectors.caseloads(episodes)}
        assert loads == {vcs_worker: {"plan": 1}, eh_worker: {"assessment": 1}}
        late = selectors.overdue(user=manager, episodes=episodes)
        assert [w.episode.household.name for w in late.allocations] == ["Longwait"]
        assert [a.episode for a in late.assessments] == [second]
        assert [p.episode for p in late.reviews] == [episode]
        assert [a.outcome.plan.episode for a in late.actions] == [episode]

        client.force_login(manager)
        page = client.get(url("caseloads")).content.decode()
    assert "4 things overdue" in page
    assert "Vic Sayer" in page and "Stockton Family Support Trust" in page


def test_distance_travelled_runs_from_assessment_through_reviews_to_closure(
    manager: User, vcs_worker: User, episode: Episode, family: Family
) -> None:
    support.allocated(episode, lead=vcs_worker, manager=manager)
    support.assessed(episode, lead=vcs_worker, child=family.child, baseline=2)
    support.planned(episode, lead=vcs_worker)
    need = episode.needs.get()
    today = timezone.localdate()
    services.record_review(
        episode=episode, held_on=today, summary="Better.", scores={need.pk: 5}, by=vcs_worker
    )
    services.record_review(
        episode=episode, held_on=today, summary="Better still.", scores={need.pk: 7}, by=vcs_worker
    )
    episode.refresh_from_db()
    services.close_episode(
        episode=episode,
        by=vcs_worker,
        expected_version=episode.version,
        reason="needs_met",
        need_outcomes={need.pk: "achieved"},
        closure_scores={need.pk: 9},
        open_actions_become="cancelled",
        open_actions_resolution="No longer needed.",
    )
    distance = selectors.distance_travelled(episode)
    (row,) = distance.rows
    assert (row.at_assessment, row.at_reviews, row.at_closure) == (2, [5, 7], 9)
    assert row.change == 7 and len(distance.reviews) == 2


def test_the_history_names_who_made_each_change(
    manager: User, vcs_worker: User, episode: Episode, family: Family
) -> None:
    support.allocated(episode, lead=vcs_worker, manager=manager)
    support.assessed(episode, lead=vcs_worker, child=family.child)
    entries = selectors.episode_history(episode)
    by_what = {(e.what, e.kind): e.who for e in entries}
    assert by_what[("Child's voice", "Added")] == vcs_worker
    assert by_what[("Need", "Added")] == vcs_worker
    allocation = next(e for e in entries if any(c.field == "Lead professional" for c in e.changes))
    assert allocation.who == manager
    assert any(c.new == str(vcs_worker) for c in allocation.changes)
