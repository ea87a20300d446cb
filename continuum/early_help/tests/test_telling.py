"""Who early help tells (issue 12): a practitioner added to a Team Around the Family, and,
for an urgent step-up (a child at risk of significant harm), the team's managers and the
council's front door at once; the worker is prompted to phone the front door."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from continuum.accounts.models import Role, User
from continuum.early_help import services
from continuum.early_help.models import Episode, StepUp
from continuum.early_help.tests.support import allocated
from continuum.front_door.choices import FamilyAgreement
from continuum.notifications.models import Email, Notification, NotificationKind
from continuum.organisations.models import Council

pytestmark = pytest.mark.django_db


@pytest.fixture
def front_door_worker(make_user: Callable[..., User], stockton: Council) -> User:
    return make_user(Role.FRONT_DOOR_WORKER, council=stockton, username="frontdoor.eh")


@pytest.fixture
def led(episode: Episode, vcs_worker: User, manager: User) -> Episode:
    return allocated(episode, lead=vcs_worker, manager=manager)


def test_a_practitioner_added_to_the_taf_is_invited(
    led: Episode, vcs_worker: User, teacher: User
) -> None:
    services.add_taf_member(episode=led, user=teacher, by=vcs_worker)
    notification = Notification.objects.get(recipient=teacher)
    assert notification.kind == NotificationKind.TAF_INVITATION
    assert notification.link == reverse("early_help:taf", args=[led.pk])
    assert Email.objects.get(recipient=teacher).sentence == (
        "You have been added to a Team Around the Family."
    )


def test_joining_a_taf_oneself_tells_no_one(led: Episode, vcs_worker: User) -> None:
    services.add_taf_member(episode=led, user=vcs_worker, by=vcs_worker)
    assert not Notification.objects.exists()


def test_an_urgent_step_up_tells_the_teams_managers_and_the_front_door_at_once(
    led: Episode,
    vcs_worker: User,
    manager: User,
    hartlepool_manager: User,
    front_door_worker: User,
) -> None:
    step_up = services.request_step_up(
        episode=led,
        reason="Disclosure of injuries at home.",
        family_agreement=FamilyAgreement.NOT_SOUGHT,
        sharing_justification="Seeking agreement would put the child at risk.",
        by=vcs_worker,
        urgent=True,
    )
    assert step_up.urgent
    told = Notification.objects.filter(kind=NotificationKind.URGENT_STEP_UP)
    assert set(told.values_list("recipient", flat=True)) == {manager.pk, front_door_worker.pk}
    assert all(n.urgent for n in told)
    assert not Notification.objects.filter(recipient__in=[hartlepool_manager, vcs_worker]).exists()
    for email in Email.objects.all():
        assert led.household.name not in email.sentence and "Disclosure" not in email.sentence


def test_a_step_up_that_is_not_urgent_waits_for_the_manager_without_notifications(
    led: Episode, vcs_worker: User, manager: User
) -> None:
    services.request_step_up(
        episode=led,
        reason="Needs a statutory assessment.",
        family_agreement=FamilyAgreement.AGREED,
        by=vcs_worker,
    )
    assert not Notification.objects.exists()


def test_the_worker_asking_for_an_urgent_step_up_is_prompted_to_phone_the_front_door(
    client: Client, led: Episode, vcs_worker: User, manager: User
) -> None:
    client.force_login(vcs_worker)
    response = client.post(
        reverse("early_help:step-up-new", args=[led.pk]),
        {
            "reason": "Disclosure of injuries at home.",
            "family_agreement": FamilyAgreement.AGREED,
            "urgent": "yes",
        },
    )
    step_up = StepUp.objects.get()
    assert step_up.urgent
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "early_help:step-up-requested", args=[led.pk, step_up.pk]
    )
    page = client.get(response["Location"]).content.decode()
    assert "Urgent step-up requested" in page and "Phone the front door now." in page
    # The manager sees it marked urgent, first among the step-ups to decide.
    client.force_login(manager)
    step_up_page = client.get(reverse("early_help:step-up", args=[led.pk])).content.decode()
    assert "Urgent" in step_up_page


def test_the_prompt_to_phone_gives_the_councils_front_door_number_where_it_has_one(
    client: Client, led: Episode, vcs_worker: User
) -> None:
    council = led.council
    council.front_door_phone = "01632 960 101"
    council.save()
    step_up = services.request_step_up(
        episode=led,
        reason="Disclosure of injuries at home.",
        family_agreement=FamilyAgreement.AGREED,
        by=vcs_worker,
        urgent=True,
    )
    client.force_login(vcs_worker)
    page = client.get(
        reverse("early_help:step-up-requested", args=[led.pk, step_up.pk])
    ).content.decode()
    assert "Phone the front door now on 01632 960 101." in page


def test_an_urgent_step_up_through_the_api(client: Client, led: Episode, vcs_worker: User) -> None:
    client.force_login(vcs_worker)
    answer = client.post(
        f"/api/v1/episodes/{led.pk}/step-ups",
        {"reason": "Disclosure.", "family_agreement": FamilyAgreement.AGREED, "urgent": True},
        content_type="application/json",
    )
    assert answer.status_code == 201 and answer.json()["urgent"] is True
    bad = client.post(
        f"/api/v1/episodes/{led.pk}/step-ups",
        {"reason": "Disclosure.", "family_agreement": FamilyAgreement.AGREED, "urgent": "soon"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert StepUp.objects.count() == 1


def test_a_bad_answer_to_significant_harm_is_refused_and_nothing_is_asked(
    client: Client, led: Episode, vcs_worker: User
) -> None:
    client.force_login(vcs_worker)
    response = client.post(
        reverse("early_help:step-up-new", args=[led.pk]),
        {"reason": "Disclosure.", "family_agreement": FamilyAgreement.AGREED, "urgent": "maybe"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not StepUp.objects.exists() and not Notification.objects.exists()
