"""The demo's episodes meet the rule for opening one (issue 13): each goes ahead on the
family's recorded agreement to early help, the agreement the referrer obtained (from the
front door), or on a lawful basis with why."""

from __future__ import annotations

import pytest

from continuum.consent.selectors import agreement_for
from continuum.demo.generator import World
from continuum.early_help.choices import ConsentGround
from continuum.early_help.models import Episode
from continuum.people.models import Person

pytestmark = pytest.mark.django_db


def test_every_demo_episode_has_the_familys_agreement_or_a_lawful_basis(
    demo_world: World,
) -> None:
    episodes = Episode.objects.select_related("household").prefetch_related("children")
    assert episodes.exists()
    grounds = set()
    for episode in episodes:
        grounds.add(episode.consent_ground)
        if episode.consent_ground == ConsentGround.LAWFUL_BASIS:
            assert episode.lawful_basis and episode.lawful_basis_justification, episode.pk
            continue
        if episode.consent_ground == ConsentGround.REFERRAL_AGREEMENT:
            # From the front door, on the agreement the referrer obtained; the family's
            # own was written up after the start.
            assert episode.front_door_decision_id is not None, episode.pk
            continue
        assert episode.consent_ground == ConsentGround.AGREEMENT, episode.pk
        # Everyone who has lived in the household (some have moved out since).
        family = [
            *episode.children.all(),
            *Person.objects.filter(household_members__household=episode.household),
        ]
        assert agreement_for(family, on=episode.start_date).early_help, episode.pk
    assert ConsentGround.AGREEMENT in grounds
