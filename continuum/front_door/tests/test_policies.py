"""Who sees which contacts, and who may do what with them: in the policy and on the pages."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from continuum.access import policy
from continuum.accounts.models import Role, User
from continuum.front_door.choices import ContactStatus
from continuum.front_door.models import Contact
from continuum.front_door.policies import FrontDoorAction
from continuum.organisations.models import Council, OrganisationKind
from continuum.testing import factories


@pytest.fixture
def other_teacher(make_user: Callable[..., User], stockton: Council) -> User:
    """The safeguarding lead of a second Stockton school: not ``teacher``'s school."""
    other_school = factories.OrganisationFactory.create(
        name="Stockton Other Academy", kind=OrganisationKind.SCHOOL, serves=[stockton]
    )
    return make_user(Role.PARTNER_PRACTITIONER, organisation=other_school, username="dsl.two")


def _contact(council: Council, by: User, **fields: object) -> Contact:
    contact: Contact = factories.ContactFactory.create(council=council, created_by=by, **fields)
    return contact


def _sees(user: User, contact: Contact) -> bool:
    return policy.visible(user, Contact).filter(pk=contact.pk).exists()


def test_a_school_sees_only_the_contacts_it_made(
    teacher: User, other_teacher: User, worker: User, stockton: Council
) -> None:
    own = _contact(stockton, teacher, referrer_user=teacher)
    other_schools = _contact(stockton, other_teacher, referrer_user=other_teacher)
    phoned_in = _contact(stockton, worker)
    assert list(policy.visible(teacher, Contact)) == [own]
    assert not _sees(teacher, other_schools)
    assert not _sees(teacher, phoned_in)
    assert not policy.can(teacher, FrontDoorAction.SCREEN_CONTACT, own)
    assert not policy.can(teacher, FrontDoorAction.VIEW_SCREENING, own)
    assert not policy.can(teacher, FrontDoorAction.VIEW_QUEUE)


def test_one_councils_front_door_never_sees_another_councils_contacts(
    worker: User, hartlepool_worker: User, stockton: Council, hartlepool: Council
) -> None:
    stockton_contact = _contact(stockton, worker)
    hartlepool_contact = _contact(hartlepool, hartlepool_worker)
    assert list(policy.visible(worker, Contact)) == [stockton_contact]
    assert list(policy.visible(hartlepool_worker, Contact)) == [hartlepool_contact]
    assert not policy.can(worker, FrontDoorAction.DECIDE_CONTACT, hartlepool_contact)


def test_a_council_front_door_sees_its_contact_about_a_child_another_council_holds(
    worker: User, stockton: Council, hartlepool: Council
) -> None:
    moved_in = factories.PersonFactory.create(council=hartlepool)
    contact = _contact(stockton, worker, children=[moved_in])
    assert _sees(worker, contact)
    assert policy.can(worker, FrontDoorAction.SCREEN_CONTACT, contact)


def test_a_contact_naming_a_restricted_child_is_invisible_to_unlisted_staff(
    worker: User, make_user: Callable[..., User], stockton: Council
) -> None:
    restricted = factories.PersonFactory.create(council=stockton, is_restricted=True)
    author = make_user(Role.FRONT_DOOR_WORKER, council=stockton, username="fd.author")
    listed = make_user(Role.TEAM_MANAGER, council=stockton, username="fd.listed")
    factories.RestrictedAccessFactory.create(person=restricted, user=listed)
    contact = _contact(stockton, author, children=[restricted])
    assert not _sees(worker, contact)
    assert _sees(listed, contact)
    assert _sees(author, contact)  # they recorded it

    client = Client()
    client.force_login(worker)
    assert client.get(reverse("front_door:contact", args=[contact.pk])).status_code == 404
    queue = client.get(reverse("front_door:queue"))
    assert queue.context["queue"].rows == []
    assert sum(queue.context["queue"].by_status.values()) == 0


def test_drafts_are_seen_only_by_their_author(
    worker: User, teacher: User, stockton: Council
) -> None:
    draft = _contact(stockton, teacher, referrer_user=teacher, status=ContactStatus.DRAFT)
    assert _sees(teacher, draft)
    assert not _sees(worker, draft)
    assert policy.can(teacher, FrontDoorAction.EDIT_CONTACT, draft)
    assert not policy.can(worker, FrontDoorAction.EDIT_CONTACT, draft)


def test_only_a_team_manager_signs_off(worker: User, manager: User, stockton: Council) -> None:
    contact = _contact(stockton, worker)
    assert policy.can(manager, FrontDoorAction.SIGN_OFF_DECISION, contact)
    assert not policy.can(worker, FrontDoorAction.SIGN_OFF_DECISION, contact)


def test_analysts_see_the_summary_but_no_contacts(
    analyst: User, worker: User, stockton: Council
) -> None:
    contact = _contact(stockton, worker)
    assert policy.can(analyst, FrontDoorAction.VIEW_SUMMARY)
    assert not policy.can(analyst, FrontDoorAction.VIEW_QUEUE)
    assert not _sees(analyst, contact)


@pytest.mark.parametrize(
    ("url_name", "method"),
    [
        ("front_door:contact", "get"),
        ("front_door:contact-change", "get"),
        ("front_door:contact-decide", "get"),
        ("front_door:contact-request-information", "get"),
        ("front_door:contact-sharing-decision", "get"),
        ("front_door:letter", "get"),
        ("front_door:contact-status", "post"),
        ("front_door:contact-submit", "post"),
        ("front_door:contact-sign-off", "post"),
    ],
)
def test_another_councils_contact_answers_404_on_every_page(
    hartlepool_worker: User, worker: User, stockton: Council, url_name: str, method: str
) -> None:
    contact = _contact(stockton, worker)
    client = Client()
    client.force_login(hartlepool_worker)
    response = getattr(client, method)(reverse(url_name, args=[contact.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("url_name", "method"),
    [
        ("front_door:contact-decide", "get"),
        ("front_door:contact-request-information", "get"),
        ("front_door:contact-status", "post"),
        ("front_door:contact-sign-off", "post"),
    ],
)
def test_a_referrer_cannot_screen_or_decide_their_own_contact(
    teacher: User, stockton: Council, url_name: str, method: str
) -> None:
    contact = _contact(stockton, teacher, referrer_user=teacher)
    client = Client()
    client.force_login(teacher)
    response = getattr(client, method)(reverse(url_name, args=[contact.pk]), {"version": 1})
    assert response.status_code == 403
    contact.refresh_from_db()
    assert contact.status == ContactStatus.SUBMITTED


@pytest.mark.parametrize("url_name", ["front_door:queue", "front_door:contact-new"])
def test_analysts_cannot_open_the_queue_or_record_contacts(analyst: User, url_name: str) -> None:
    client = Client()
    client.force_login(analyst)
    assert client.get(reverse(url_name)).status_code == 403
