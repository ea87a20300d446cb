"""A family withdrawing consent: partners whose access rested on it lose it at their next
request; withdrawing early help makes a manager's review due; the lead professional and the
managers are told; the manager continues on a lawful basis or closes the episode."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import User
from continuum.consent.choices import ObtainedHow
from continuum.consent.models import ConsentRecord
from continuum.consent.services import withdraw_consent
from continuum.early_help import services
from continuum.early_help.choices import ConsentReviewDecision, EpisodeStatus
from continuum.early_help.models import ConsentReview, Episode
from continuum.early_help.services.withdrawal import decide_consent_review
from continuum.early_help.tests.builders import (
    Family,
    Place,
    agree_to_early_help,
    decided_for_early_help,
)
from continuum.errors import InvalidState, NotPermitted
from continuum.front_door.choices import LawfulBasis
from continuum.notifications.models import EMAIL_SENTENCES, Notification, NotificationKind
from continuum.organisations.models import Organisation
from continuum.timescales.working_days import add_working_days

pytestmark = pytest.mark.django_db


def _episode(manager: User, place: Place, family: Family, lead: User) -> Episode:
    decision = decided_for_early_help(place.council, family, manager)
    episode = services.open_episode_from_decision(
        decision=decision,
        place=services.EpisodePlace(
            council=place.council,
            locality=place.locality,
            team=place.team,
            household=family.household,
        ),
        opened_by=manager,
    )
    panel = services.hold_panel(
        council=place.council,
        locality=place.locality,
        held_on=timezone.localdate(),
        agencies_present=[place.team.organisation],
        chaired_by=manager,
    )
    services.allocate(
        episode=episode,
        panel=panel,
        lead_professional=lead,
        reason="Knows the family.",
        by=manager,
        expected_version=episode.version,
    )
    episode.refresh_from_db()
    return episode


def _withdraw(record: ConsentRecord, by: User, **what: object) -> None:
    withdraw_consent(
        by=by,
        consent=record,
        withdrawn_on=timezone.localdate(),
        told_how=ObtainedHow.PHONE,
        **what,  # type: ignore[arg-type]
    )


def test_a_partner_whose_agencys_sharing_is_withdrawn_sees_nothing_at_their_next_request(
    client: Client,
    manager: User,
    eh_worker: User,
    teacher: User,
    officer: User,
    school: Organisation,
    police: Organisation,
    stockton_place: Place,
    family: Family,
) -> None:
    parent_consent, child_consent = agree_to_early_help(
        family, eh_worker, taf=False, agencies=[school, police]
    )
    episode = _episode(manager, stockton_place, family, eh_worker)
    services.add_taf_member(episode=episode, user=teacher, by=manager)
    services.add_taf_member(episode=episode, user=officer, by=manager)
    client.force_login(teacher)
    episode_url = reverse("early_help:episode", args=[episode.pk])
    child_url = reverse("people:detail", args=[family.child.pk])
    assert client.get(episode_url).status_code == 200
    assert client.get(child_url).status_code == 200

    for record in (parent_consent, child_consent):
        _withdraw(record, eh_worker, agencies=[school])

    assert client.get(episode_url).status_code == 404
    assert client.get(child_url).status_code == 404
    left = episode.taf_members.get(user=teacher)
    assert left.left_on == timezone.localdate()
    # The police's sharing was not withdrawn: the officer stays; nothing needs a review.
    assert episode.taf_members.get(user=officer).left_on is None
    client.force_login(officer)
    assert client.get(episode_url).status_code == 200
    assert not ConsentReview.objects.exists()
    episode.refresh_from_db()
    assert episode.without_consent_since is None


def test_withdrawing_early_help_ends_every_partners_access_and_makes_a_review_due(
    client: Client,
    manager: User,
    eh_worker: User,
    teacher: User,
    stockton_place: Place,
    family: Family,
) -> None:
    manager.teams.add(stockton_place.team)
    parent_consent, _ = agree_to_early_help(family, eh_worker)
    episode = _episode(manager, stockton_place, family, eh_worker)
    services.add_taf_member(episode=episode, user=teacher, by=manager)
    client.force_login(teacher)
    episode_url = reverse("early_help:episode", args=[episode.pk])
    assert client.get(episode_url).status_code == 200
    Notification.objects.all().delete()

    _withdraw(parent_consent, eh_worker, early_help=True)

    assert client.get(episode_url).status_code == 404
    episode.refresh_from_db()
    assert episode.without_consent_since == timezone.localdate()
    assert episode.status == EpisodeStatus.ALLOCATED
    review = ConsentReview.objects.get(episode=episode)
    assert review.due_on == add_working_days(timezone.localdate(), 5)
    assert review.decision == ConsentReviewDecision.PENDING
    # The manager is told (the lead professional recorded it, so is not told of it).
    told = Notification.objects.get(kind=NotificationKind.CONSENT_WITHDRAWN)
    assert told.recipient == manager
    assert told.link == reverse("early_help:consent", args=[episode.pk])
    assert "Rowntree" not in told.subject
    assert "Rowntree" not in EMAIL_SENTENCES[NotificationKind.CONSENT_WITHDRAWN]


def test_with_a_lawful_basis_partners_stay_and_no_review_is_due(
    manager: User, eh_worker: User, officer: User, stockton_place: Place, family: Family
) -> None:
    parent_consent, _ = agree_to_early_help(family, eh_worker)
    episode = services.step_down(
        place=services.EpisodePlace(
            council=stockton_place.council,
            locality=stockton_place.locality,
            team=stockton_place.team,
            household=family.household,
        ),
        children=[family.child],
        level=3,
        social_care_history="Child protection plan ended.",
        reason="Continued support.",
        opened_by=manager,
        consent=services.ConsentAnswer(
            answer="lawful_basis",
            lawful_basis=LawfulBasis.PUBLIC_TASK,
            justification="Stepping down from a child protection plan.",
        ),
    )
    services.add_taf_member(episode=episode, user=officer, by=manager)
    _withdraw(parent_consent, eh_worker, early_help=True)
    assert episode.taf_members.get(user=officer).left_on is None
    assert not ConsentReview.objects.exists()


@pytest.fixture
def review(manager: User, eh_worker: User, stockton_place: Place, family: Family) -> ConsentReview:
    parent_consent, _ = agree_to_early_help(family, eh_worker)
    _episode(manager, stockton_place, family, eh_worker)
    _withdraw(parent_consent, eh_worker, early_help=True)
    return ConsentReview.objects.get()


def test_continuing_needs_a_lawful_basis_and_why(manager: User, review: ConsentReview) -> None:
    with pytest.raises(ValidationError) as refused:
        decide_consent_review(
            review=review, by=manager, decision="continue", lawful_basis="", justification=""
        )
    assert set(refused.value.message_dict) == {"lawful_basis", "justification"}
    with pytest.raises(ValidationError) as refused:
        decide_consent_review(review=review, by=manager, decision="carry on")
    assert set(refused.value.message_dict) == {"decision"}
    review.refresh_from_db()
    assert review.is_pending

    decide_consent_review(
        review=review,
        by=manager,
        decision="continue",
        lawful_basis=LawfulBasis.PUBLIC_TASK,
        justification="The children's school attendance is below 50% and falling.",
    )
    episode = Episode.objects.get(pk=review.episode_id)
    assert episode.consent_ground == "lawful_basis"
    assert episode.lawful_basis == LawfulBasis.PUBLIC_TASK
    with pytest.raises(InvalidState, match="already decided"):
        decide_consent_review(review=review, by=manager, decision="close")


def test_closing_on_review_closes_the_episode(manager: User, review: ConsentReview) -> None:
    decide_consent_review(review=review, by=manager, decision="close")
    episode = Episode.objects.get(pk=review.episode_id)
    assert episode.status == EpisodeStatus.CLOSED
    assert episode.closure.reason == "declined"


def test_only_the_councils_team_manager_decides(
    eh_worker: User, hartlepool_manager: User, review: ConsentReview
) -> None:
    for user in (eh_worker, hartlepool_manager):
        with pytest.raises(NotPermitted):
            decide_consent_review(review=review, by=user, decision="close")
    assert ConsentReview.objects.get().is_pending


def test_withdrawing_sharing_with_the_whole_taf_removes_its_partners(
    manager: User, eh_worker: User, teacher: User, stockton_place: Place, family: Family
) -> None:
    parent_consent, _ = agree_to_early_help(family, eh_worker)
    episode = _episode(manager, stockton_place, family, eh_worker)
    services.add_taf_member(episode=episode, user=teacher, by=manager)
    services.add_taf_member(episode=episode, user=eh_worker, by=manager)
    _withdraw(parent_consent, eh_worker, taf_sharing=True)
    assert episode.taf_members.get(user=teacher).left_on == timezone.localdate()
    # The council's own early help practitioner is not another agency.
    assert episode.taf_members.get(user=eh_worker).left_on is None
