"""Losing access takes effect on the next request: an involvement ended or run out, a role
taken away, a record restricted. Nothing is remembered from an earlier request."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from continuum.access import services as access_services
from continuum.access.models import InvolvementReason
from continuum.accounts.models import Role, User
from continuum.people.models import Person
from continuum.testing import factories


def _reads(client: Client, person: Person) -> tuple[int, int, bool]:
    page = client.get(reverse("people:detail", kwargs={"pk": person.pk})).status_code
    api = client.get(f"/api/v1/people/{person.pk}").status_code
    listed = client.get("/api/v1/people", {"q": person.full_name}).json()["count"] == 1
    return page, api, listed


def test_an_ended_involvement_takes_effect_on_the_next_request(
    teacher: User, child: Person, shared_client: Client
) -> None:
    user, person = teacher, child  # a partner, and a child they were involved with
    access_services.record_involvement(
        user=user, person=person, reason=InvolvementReason.REFERRER, source="test:referral"
    )
    shared_client.cookies.clear()
    shared_client.force_login(user)
    assert _reads(shared_client, person) == (200, 200, True)
    access_services.end_involvement(user=user, person=person, source="test:referral")
    assert _reads(shared_client, person) == (404, 404, False)


def test_an_involvement_reaching_its_end_takes_effect_without_anyone_acting(
    teacher: User, child: Person, shared_client: Client
) -> None:
    user, person = teacher, child  # a partner, and a child they were involved with
    factories.InvolvementFactory(
        user=user,
        person=person,
        starts_at=timezone.now() - timedelta(days=1),
        ends_at=timezone.now() + timedelta(minutes=10),
    )
    shared_client.cookies.clear()
    shared_client.force_login(user)
    assert _reads(shared_client, person) == (200, 200, True)
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert _reads(shared_client, person) == (404, 404, False)


def test_losing_a_role_takes_effect_on_the_next_request(
    worker: User, child: Person, shared_client: Client
) -> None:
    user, person = worker, child
    shared_client.cookies.clear()
    shared_client.force_login(user)
    url = reverse("people:detail", kwargs={"pk": person.pk})
    assert shared_client.get(url).status_code == 200
    User.objects.filter(pk=user.pk).update(role=Role.PERFORMANCE_ANALYST)
    assert shared_client.get(url).status_code == 404
    User.objects.filter(pk=user.pk).update(role="")
    assert shared_client.get(url).status_code == 403
    assert shared_client.get(f"/api/v1/people/{person.pk}").status_code == 401


def test_restricting_a_record_takes_effect_on_the_next_request(
    worker: User, child: Person, shared_client: Client
) -> None:
    user, person = worker, child
    shared_client.cookies.clear()
    shared_client.force_login(user)
    assert _reads(shared_client, person) == (200, 200, True)
    Person.objects.filter(pk=person.pk).update(is_restricted=True)
    assert _reads(shared_client, person) == (404, 404, False)
