"""Recording programmes and families taking part: who may, and bad input saving nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import User
from continuum.early_help.choices import EpisodeStatus
from continuum.early_help.models import Episode
from continuum.errors import InvalidState, NotPermitted
from continuum.organisations.models import Council
from continuum.programmes import services
from continuum.programmes.models import Participation, Programme
from continuum.testing import factories

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _details(**overrides: Any) -> dict[str, Any]:
    details: dict[str, Any] = {
        "name": "Encompass",
        "offers": "A call to the school before the next school day.",
        "for_whom": "Children living with domestic abuse.",
        "starts_on": TODAY() - timedelta(days=100),
        "ends_on": None,
    }
    details.update(overrides)
    return details


def test_a_team_manager_creates_a_programme_of_their_own_council(
    manager: User, stockton: Council
) -> None:
    programme = services.create_programme(by=manager, councils=[stockton], **_details())
    assert list(programme.councils.all()) == [stockton]
    assert programme.created_by == manager


def test_a_strategic_lead_creates_but_not_for_another_council(
    strategic_lead: User, stockton: Council, hartlepool: Council
) -> None:
    services.create_programme(by=strategic_lead, councils=[stockton], **_details())
    with pytest.raises(NotPermitted):
        services.create_programme(
            by=strategic_lead, councils=[stockton, hartlepool], **_details(name="Other")
        )
    assert Programme.objects.count() == 1


@pytest.mark.parametrize("who", ["eh_worker", "analyst", "worker", "auditor", "teacher"])
def test_others_may_not_create_one(
    who: str, request: pytest.FixtureRequest, stockton: Council
) -> None:
    user = request.getfixturevalue(who)
    with pytest.raises(NotPermitted):
        services.create_programme(by=user, councils=[stockton], **_details())
    assert not Programme.objects.exists()


def test_the_partnership_lead_creates_one_across_the_councils_it_serves(
    partnership_lead: User, stockton: Council, hartlepool: Council
) -> None:
    programme = services.create_programme(
        by=partnership_lead, councils=[stockton, hartlepool], **_details()
    )
    assert programme.councils.count() == 2
    assert policy.visible(partnership_lead, Programme).filter(pk=programme.pk).exists()


def test_bad_details_are_refused_together_and_nothing_saved(
    manager: User, stockton: Council, fairer_start: Programme
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.create_programme(
            by=manager,
            councils=[stockton],
            **_details(name="fairer start", offers=" ", ends_on=TODAY() - timedelta(days=200)),
        )
    assert set(refused.value.message_dict) == {"name", "offers", "ends_on"}
    assert Programme.objects.count() == 1


def test_joining_within_the_dates_by_who_works_the_episode(
    eh_worker: User, episode: Episode, fairer_start: Programme
) -> None:
    joined = services.join_programme(
        episode=episode, programme=fairer_start, by=eh_worker, joined_on=TODAY() - timedelta(days=3)
    )
    assert joined.recorded_by == eh_worker
    left = services.leave_programme(participation=joined, by=eh_worker, left_on=TODAY())
    assert left.left_on == TODAY()
    with pytest.raises(InvalidState):
        services.leave_programme(participation=joined, by=eh_worker, left_on=TODAY())


@pytest.mark.parametrize(
    ("days_ago", "field"),
    [(31, "joined_on"), (-1, "joined_on"), (None, "joined_on")],
)
def test_a_day_outside_the_episode_or_in_the_future_is_refused(
    eh_worker: User, episode: Episode, fairer_start: Programme, days_ago: int | None, field: str
) -> None:
    day = None if days_ago is None else TODAY() - timedelta(days=days_ago)
    with pytest.raises(ValidationError) as refused:
        services.join_programme(
            episode=episode, programme=fairer_start, by=eh_worker, joined_on=day
        )
    assert field in refused.value.message_dict
    assert not Participation.objects.exists()


def test_a_day_before_the_programme_started_is_refused(
    eh_worker: User, episode: Episode, stockton: Council
) -> None:
    later = cast(
        Programme,
        factories.ProgrammeFactory(councils=[stockton], starts_on=TODAY() - timedelta(days=5)),
    )
    with pytest.raises(ValidationError) as refused:
        services.join_programme(
            episode=episode, programme=later, by=eh_worker, joined_on=TODAY() - timedelta(days=10)
        )
    assert "The programme runs from" in refused.value.message_dict["joined_on"][0]
    assert not Participation.objects.exists()


def test_another_councils_programme_is_refused(
    eh_worker: User, episode: Episode, hartlepool: Council
) -> None:
    theirs = cast(Programme, factories.ProgrammeFactory(councils=[hartlepool]))
    with pytest.raises(ValidationError) as refused:
        services.join_programme(episode=episode, programme=theirs, by=eh_worker, joined_on=TODAY())
    assert "programme" in refused.value.message_dict
    assert not Participation.objects.exists()


def test_another_councils_episode_cannot_be_tagged(
    hartlepool_manager: User, episode: Episode, fairer_start: Programme
) -> None:
    with pytest.raises(NotPermitted):
        services.join_programme(
            episode=episode, programme=fairer_start, by=hartlepool_manager, joined_on=TODAY()
        )
    assert not Participation.objects.exists()


def test_an_analyst_cannot_tag_and_sees_no_participation(
    analyst: User, eh_worker: User, episode: Episode, fairer_start: Programme
) -> None:
    services.join_programme(
        episode=episode, programme=fairer_start, by=eh_worker, joined_on=TODAY()
    )
    with pytest.raises(NotPermitted):
        services.leave_programme(
            participation=Participation.objects.get(), by=analyst, left_on=TODAY()
        )
    assert policy.visible(analyst, Programme).count() == 1
    assert not policy.visible(analyst, Participation).exists()


def test_a_programmes_dates_cannot_leave_a_family_outside(
    manager: User, eh_worker: User, episode: Episode, fairer_start: Programme
) -> None:
    services.join_programme(
        episode=episode, programme=fairer_start, by=eh_worker, joined_on=TODAY() - timedelta(days=3)
    )
    with pytest.raises(ValidationError) as refused:
        services.edit_programme(
            by=manager,
            programme=fairer_start,
            **_details(name="Fairer Start", starts_on=TODAY() - timedelta(days=1)),
        )
    assert "starts_on" in refused.value.message_dict
    fairer_start.refresh_from_db()
    assert fairer_start.starts_on == TODAY() - timedelta(days=400)


def test_once_the_episode_closes_its_lead_professional_no_longer_tags_it(
    eh_worker: User, episode: Episode, fairer_start: Programme
) -> None:
    episode.status = EpisodeStatus.CLOSED
    episode.save(update_fields=["status"])
    with pytest.raises(NotPermitted):
        services.join_programme(
            episode=episode, programme=fairer_start, by=eh_worker, joined_on=TODAY()
        )
    assert not Participation.objects.exists()
