"""Early help service rules the pages rely on: refusals that save nothing, the lead
professional's sight of the whole family while they lead, and versioned changes."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from continuum.access import policy
from continuum.accounts.models import User
from continuum.early_help import services
from continuum.early_help.choices import EpisodeStatus
from continuum.early_help.models import ChildVoice, Closure, Episode, NeedClosureOutcome, Review
from continuum.early_help.tests import support
from continuum.early_help.tests.builders import Family, make_episode, make_family, make_place
from continuum.errors import ConcurrentChange, InvalidState
from continuum.organisations.models import Council
from continuum.people.models import Person


def test_closure_refuses_an_outcome_for_another_episodes_need(
    manager: User,
    vcs_worker: User,
    episode: Episode,
    family: Family,
    stockton: Council,
) -> None:
    other_family = make_family(stockton, "Lindqvist")
    other = make_episode(
        council=stockton,
        locality=episode.locality,
        team=episode.team,
        household=other_family.household,
        opened_by=manager,
        children=[other_family.child],
    )
    for one, child in ((episode, family.child), (other, other_family.child)):
        support.allocated(one, lead=vcs_worker, manager=manager)
        support.assessed(one, lead=vcs_worker, child=child)
    own, foreign = episode.needs.get(), other.needs.get()
    episode.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.close_episode(
            episode=episode,
            by=vcs_worker,
            expected_version=episode.version,
            reason="needs_met",
            need_outcomes={own.pk: "achieved", foreign.pk: "achieved"},
        )
    assert "need_outcomes" in refused.value.message_dict
    assert Closure.objects.count() == 0 and NeedClosureOutcome.objects.count() == 0


def test_a_closed_episode_takes_no_review(
    manager: User, vcs_worker: User, episode: Episode, family: Family
) -> None:
    support.allocated(episode, lead=vcs_worker, manager=manager)
    support.assessed(episode, lead=vcs_worker, child=family.child)
    support.planned(episode, lead=vcs_worker)
    episode.refresh_from_db()
    need = episode.needs.get()
    services.close_episode(
        episode=episode,
        by=vcs_worker,
        expected_version=episode.version,
        reason="moved_away",
        need_outcomes={need.pk: "partly"},
        open_actions_become="cancelled",
        open_actions_resolution="The family moved to Scotland.",
    )
    with pytest.raises(InvalidState, match="closed"):
        services.record_review(
            episode=episode,
            held_on=episode.start_date,
            summary="x",
            scores={need.pk: 5},
            by=manager,
        )
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.CLOSED and Review.objects.count() == 0


def test_an_analyst_cannot_be_a_lead_professional(
    analyst: User, manager: User, episode: Episode
) -> None:
    with pytest.raises(ValidationError) as refused:
        support.allocated(episode, lead=analyst, manager=manager)
    assert "lead_professional" in refused.value.message_dict
    episode.refresh_from_db()
    assert episode.lead_professional is None


def test_the_lead_professional_sees_the_whole_family_until_the_episode_closes(
    manager: User, vcs_worker: User, episode: Episode, family: Family
) -> None:
    def sees(person: Person) -> bool:
        return policy.visible(vcs_worker, Person).filter(pk=person.pk).exists()

    assert not sees(family.child) and not sees(family.parent)
    support.allocated(episode, lead=vcs_worker, manager=manager)
    assert sees(family.child) and sees(family.parent)
    episode.refresh_from_db()
    services.close_episode(
        episode=episode,
        by=vcs_worker,
        expected_version=episode.version,
        reason="declined",
        need_outcomes={},
    )
    assert not sees(family.child) and not sees(family.parent)


def test_a_childs_voice_saved_against_a_stale_assessment_is_refused(
    manager: User, vcs_worker: User, eh_worker: User, episode: Episode, family: Family
) -> None:
    support.allocated(episode, lead=vcs_worker, manager=manager)
    assessment = support.started(episode, lead=vcs_worker)
    opened_at = assessment.version
    services.record_child_voice(
        assessment=assessment,
        child=family.child,
        by=vcs_worker,
        expected_version=opened_at,
        what_the_child_said="I like football.",
        how_gathered="At the youth club.",
    )
    with pytest.raises(ConcurrentChange):
        services.record_child_voice(
            assessment=assessment,
            child=family.child,
            by=eh_worker,
            expected_version=opened_at,
            what_the_child_said="Something else.",
            how_gathered="By phone.",
        )
    assert ChildVoice.objects.get().what_the_child_said == "I like football."


def test_status_moves_are_versioned_with_their_author(
    manager: User, vcs_worker: User, episode: Episode
) -> None:
    support.allocated(episode, lead=vcs_worker, manager=manager)
    support.started(episode, lead=vcs_worker)
    moves = [
        (record.status, record.history_user)
        for record in Episode.history.filter(id=episode.pk).order_by("history_date", "history_id")
    ]
    assert moves[-2:] == [
        (EpisodeStatus.ALLOCATED, manager),
        (EpisodeStatus.ASSESSMENT, vcs_worker),
    ]


def test_a_panel_allocates_only_its_own_localitys_families(
    manager: User, vcs_worker: User, episode: Episode, stockton: Council
) -> None:
    elsewhere = make_place(stockton, "Thornaby")
    panel = services.hold_panel(
        council=stockton,
        locality=elsewhere.locality,
        held_on=episode.start_date,
        agencies_present=[vcs_worker.organisation] if vcs_worker.organisation else [],
        chaired_by=manager,
    )
    with pytest.raises(ValidationError) as refused:
        services.allocate(
            episode=episode,
            panel=panel,
            lead_professional=vcs_worker,
            reason="Nearest worker.",
            by=manager,
            expected_version=episode.version,
        )
    assert refused.value.message_dict["panel"] == [
        "The family is on Stockton North's waiting list."
    ]
    episode.refresh_from_db()
    assert episode.lead_professional is None
