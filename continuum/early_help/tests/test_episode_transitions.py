"""The episode's workflow as one table (``EPISODE_TRANSITIONS``): every move it allows is
made by ``move_episode`` as a new version naming its author, every move it does not allow
is refused with ``InvalidState`` and changes nothing, and the services refuse a change the
episode's status does not allow with their own messages."""

from __future__ import annotations

from itertools import product

import pytest
from django.utils import timezone

from continuum.accounts.models import User
from continuum.early_help import services
from continuum.early_help.choices import EPISODE_TRANSITIONS, EpisodeStatus
from continuum.early_help.models import Episode
from continuum.early_help.tests import support
from continuum.early_help.tests.builders import Family
from continuum.errors import InvalidState

ALLOWED = sorted(
    (EpisodeStatus(source), EpisodeStatus(to))
    for source, moves in EPISODE_TRANSITIONS.items()
    for to in moves
)
REFUSED = sorted(
    (EpisodeStatus(source), EpisodeStatus(to))
    for source, to in product(EpisodeStatus.values, repeat=2)
    if to not in EPISODE_TRANSITIONS[source]
)


def test_the_table_names_every_status_and_only_closing_ends_an_episode() -> None:
    assert set(EPISODE_TRANSITIONS) == set(EpisodeStatus.values)
    assert EPISODE_TRANSITIONS[EpisodeStatus.CLOSED] == frozenset()
    for status in EpisodeStatus.values:
        if status != EpisodeStatus.CLOSED:
            assert EpisodeStatus.CLOSED in EPISODE_TRANSITIONS[status], status
    assert ALLOWED == [
        (EpisodeStatus.ALLOCATED, EpisodeStatus.ASSESSMENT),
        (EpisodeStatus.ALLOCATED, EpisodeStatus.CLOSED),
        (EpisodeStatus.ASSESSMENT, EpisodeStatus.CLOSED),
        (EpisodeStatus.ASSESSMENT, EpisodeStatus.PLAN),
        (EpisodeStatus.AWAITING_ALLOCATION, EpisodeStatus.ALLOCATED),
        (EpisodeStatus.AWAITING_ALLOCATION, EpisodeStatus.CLOSED),
        (EpisodeStatus.PLAN, EpisodeStatus.CLOSED),
        (EpisodeStatus.PLAN, EpisodeStatus.REVIEW),
        (EpisodeStatus.REVIEW, EpisodeStatus.CLOSED),
        (EpisodeStatus.REVIEW, EpisodeStatus.REVIEW),
    ]


@pytest.mark.parametrize(("source", "to"), ALLOWED, ids=lambda s: str(s))
def test_every_move_the_table_allows_is_a_new_version_naming_its_author(
    source: EpisodeStatus, to: EpisodeStatus, episode: Episode, manager: User
) -> None:
    Episode.objects.filter(pk=episode.pk).update(status=source)
    episode.refresh_from_db()
    assert services.can_move(episode, to)
    before = episode.version

    services.move_episode(episode, to=to, by=manager)

    stored = Episode.objects.get(pk=episode.pk)
    assert stored.status == to and stored.version == before + 1
    assert episode.version == before + 1
    latest = stored.history.latest()
    assert latest.status == to and latest.history_user == manager


@pytest.mark.parametrize(("source", "to"), REFUSED, ids=lambda s: str(s))
def test_every_move_the_table_does_not_allow_is_refused_and_changes_nothing(
    source: EpisodeStatus, to: EpisodeStatus, episode: Episode, manager: User
) -> None:
    Episode.objects.filter(pk=episode.pk).update(status=source)
    episode.refresh_from_db()
    assert not services.can_move(episode, to)
    before = episode.version
    with pytest.raises(InvalidState) as refused:
        services.move_episode(episode, to=to, by=manager, claimed=True)
    assert refused.value.message == (
        f"An episode that is {source.label.lower()} cannot move to {to.label.lower()}."
    )
    stored = Episode.objects.get(pk=episode.pk)
    assert (stored.status, stored.version) == (source, before)


def test_a_move_checks_the_status_as_stored_not_as_the_caller_read_it(
    episode: Episode, manager: User
) -> None:
    """Someone else closed the episode after the caller read it: the move is refused."""
    Episode.objects.filter(pk=episode.pk).update(status=EpisodeStatus.CLOSED)
    assert episode.status == EpisodeStatus.AWAITING_ALLOCATION
    with pytest.raises(InvalidState, match="closed cannot move to allocated"):
        services.move_episode(episode, to=EpisodeStatus.ALLOCATED, by=manager)
    assert Episode.objects.get(pk=episode.pk).status == EpisodeStatus.CLOSED


def test_the_services_refuse_a_change_the_status_does_not_allow_with_their_own_messages(
    episode: Episode, manager: User, vcs_worker: User, family: Family
) -> None:
    with pytest.raises(InvalidState, match="^An assessment starts once the episode is allocated"):
        services.start_assessment(episode=episode, by=vcs_worker)
    support.allocated(episode, lead=vcs_worker, manager=manager)
    with pytest.raises(InvalidState, match="^This episode is not waiting for allocation.$"):
        support.allocated(episode, lead=vcs_worker, manager=manager)
    support.assessed(episode, lead=vcs_worker, child=family.child)
    need = episode.needs.get()
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.ASSESSMENT
    services.close_episode(
        episode=episode,
        by=vcs_worker,
        expected_version=episode.version,
        reason="needs_met",
        need_outcomes={need.pk: "achieved"},
    )
    with pytest.raises(InvalidState, match="^This episode is already closed.$"):
        services.close_episode(
            episode=episode,
            by=vcs_worker,
            expected_version=episode.version,
            reason="needs_met",
            need_outcomes={need.pk: "achieved"},
        )
    with pytest.raises(InvalidState, match="^This episode is closed and cannot change.$"):
        services.create_plan(episode=episode, by=vcs_worker)


def test_each_step_of_an_episode_moves_it_once_along_the_table(
    episode: Episode, manager: User, vcs_worker: User, family: Family
) -> None:
    """Allocation and closure claim the version the user saw and move the episode within
    that one new version; the other steps each make one new version."""
    seen: list[tuple[str, int]] = []

    def note() -> None:
        stored = Episode.objects.get(pk=episode.pk)
        seen.append((stored.status, stored.version))

    note()
    support.allocated(episode, lead=vcs_worker, manager=manager)
    note()
    support.assessed(episode, lead=vcs_worker, child=family.child)
    note()
    support.planned(episode, lead=vcs_worker)
    note()
    need = episode.needs.get()
    for _ in range(2):
        services.record_review(
            episode=episode,
            held_on=timezone.localdate(),
            summary="Mornings are calmer.",
            scores={need.pk: 6},
            by=vcs_worker,
        )
        note()
    episode.refresh_from_db()
    services.close_episode(
        episode=episode,
        by=vcs_worker,
        expected_version=episode.version,
        reason="needs_met",
        need_outcomes={need.pk: "achieved"},
        open_actions_become="cancelled",
        open_actions_resolution="No longer needed.",
    )
    note()
    assert seen == [
        (EpisodeStatus.AWAITING_ALLOCATION, 1),
        (EpisodeStatus.ALLOCATED, 2),
        (EpisodeStatus.ASSESSMENT, 3),
        (EpisodeStatus.PLAN, 4),
        (EpisodeStatus.REVIEW, 5),
        (EpisodeStatus.REVIEW, 6),
        (EpisodeStatus.CLOSED, 7),
    ]
