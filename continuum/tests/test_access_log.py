"""Exactly one access-log row per read of a person's record.

Every page of the record and every API read of it writes one row naming who (user,
organisation, role), whose record, what action and the request id the response carries in
X-Request-ID. Searches and lists write none; a refused read writes none.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from continuum.access.models import InvolvementReason
from continuum.accounts.models import Role, User
from continuum.audit.models import AccessAction, AccessLogEntry
from continuum.organisations.models import Council
from continuum.people.models import Person
from continuum.testing import factories
from continuum.tests.builders import a_person, a_user, partner_agency
from continuum.tests.routes import person_api_routes, person_page_names, url_name_exists

# The action each page and endpoint records, where it is fixed by the product.
EXPECTED_ACTION = {
    "people:detail": AccessAction.VIEW_RECORD,
    "people:chronology": AccessAction.VIEW_CHRONOLOGY,
    "people:history": AccessAction.VIEW_HISTORY,
    "api:get_person": AccessAction.API_READ,
}


@pytest.fixture
def signed_in(shared_client: Client, worker: User) -> Client:
    """The shared client, signed in as the root conftest's front-door worker."""
    shared_client.cookies.clear()
    shared_client.force_login(worker)
    return shared_client


def _rows() -> int:
    return AccessLogEntry.objects.count()


def _assert_one_row_for(
    response_request_id: str, *, user: User, person: Person, action: str | None
) -> None:
    entry = AccessLogEntry.objects.get()  # exactly one row, or this raises
    assert entry.user_id == user.pk
    assert entry.username == user.username
    assert user.organisation is not None
    assert entry.organisation_name == user.organisation.name
    assert entry.role == user.role
    assert entry.subject_id == person.pk
    assert entry.action in AccessAction.values
    if action is not None:
        assert entry.action == action
    assert str(entry.request_id) == response_request_id
    assert entry.break_glass_reason == ""


def _edit_pages() -> list[str]:
    """The edit page also shows the record, so reading it is logged too."""
    return ["people:edit"] if url_name_exists("people:edit") else []


@pytest.mark.parametrize("name", person_page_names() + _edit_pages())
def test_each_page_of_a_record_writes_exactly_one_row(
    name: str, signed_in: Client, worker: User, child: Person
) -> None:
    assert _rows() == 0
    response = signed_in.get(reverse(name, kwargs={"pk": child.pk}))
    assert response.status_code == 200
    _assert_one_row_for(
        response["X-Request-ID"],
        user=worker,
        person=child,
        action=EXPECTED_ACTION.get(name),
    )


@pytest.mark.parametrize(("name", "parameter"), person_api_routes())
def test_each_api_read_of_a_record_writes_exactly_one_row(
    name: str, parameter: str, signed_in: Client, worker: User, child: Person
) -> None:
    response = signed_in.get(reverse(name, kwargs={parameter: child.pk}))
    assert response.status_code == 200
    _assert_one_row_for(
        response["X-Request-ID"], user=worker, person=child, action=AccessAction.API_READ
    )


def test_reading_twice_writes_two_rows_with_their_own_request_ids(
    signed_in: Client, child: Person
) -> None:
    url = reverse("people:detail", kwargs={"pk": child.pk})
    ids = {signed_in.get(url)["X-Request-ID"], signed_in.get(url)["X-Request-ID"]}
    assert {str(e.request_id) for e in AccessLogEntry.objects.all()} == ids
    assert len(ids) == 2


def test_searching_and_listing_write_one_search_row_each_and_no_read(
    signed_in: Client, child: Person
) -> None:
    """Issue 10, finding 4: a search is not a read of the record, but it leaves a trace."""
    page = signed_in.get(reverse("people:search"), {"q": child.full_name})
    assert reverse("people:detail", kwargs={"pk": child.pk}) in page.content.decode()
    listing = signed_in.get("/api/v1/people", {"q": child.full_name}).json()
    assert listing["count"] == 1
    assert _rows() == 2
    searches = AccessLogEntry.objects.filter(action=AccessAction.SEARCH)
    assert searches.count() == 2
    assert not AccessLogEntry.objects.filter(subject_id=child.pk).exists()
    for search in searches:
        assert list(search.shown.values_list("subject_id", flat=True)) == [child.pk]


def another_councils_child(stockton: Council, hartlepool: Council) -> Person:
    return a_person(hartlepool, given_name="Ivo", family_name="Elsewhere")


def a_restricted_child(stockton: Council, hartlepool: Council) -> Person:
    """Of one's own council, restricted to those on its access list."""
    return a_person(stockton, given_name="Rhea", family_name="Locked", is_restricted=True)


def nobody(stockton: Council, hartlepool: Council) -> Person:
    return Person(pk=uuid.uuid4(), council=stockton, family_name="Nobody")  # never saved


@pytest.mark.parametrize(
    "hidden", [another_councils_child, a_restricted_child, nobody], ids=lambda f: f.__name__
)
def test_a_refused_read_writes_no_row(
    signed_in: Client,
    stockton: Council,
    hartlepool: Council,
    hidden: Callable[[Council, Council], Person],
) -> None:
    person = hidden(stockton, hartlepool)
    urls = [reverse(name, kwargs={"pk": person.pk}) for name in person_page_names()] + [
        reverse(name, kwargs={parameter: person.pk}) for name, parameter in person_api_routes()
    ]
    answers = {url: signed_in.get(url).status_code for url in urls}
    # Every page or endpoint that did not refuse, not just the first.
    assert {url: status for url, status in answers.items() if status != 404} == {}
    assert _rows() == 0


def test_a_role_that_sees_no_names_writes_no_row(
    shared_client: Client, analyst: User, child: Person
) -> None:
    shared_client.cookies.clear()
    shared_client.force_login(analyst)
    assert shared_client.get(reverse("people:detail", kwargs={"pk": child.pk})).status_code == 404
    assert shared_client.get(f"/api/v1/people/{child.pk}").status_code == 404
    assert _rows() == 0


def test_a_refused_method_writes_no_row(signed_in: Client, child: Person) -> None:
    url = reverse("people:detail", kwargs={"pk": child.pk})
    assert signed_in.post(url).status_code == 405
    assert signed_in.delete(f"/api/v1/people/{child.pk}").status_code == 405
    assert _rows() == 0


def test_a_partner_read_names_the_partner_organisation_and_role(
    shared_client: Client, stockton: Council, child: Person
) -> None:
    partner = a_user(
        username="partner.logged",
        role=Role.PARTNER_PRACTITIONER,
        organisation=partner_agency(stockton, "Stockton Young Carers (test)"),
    )
    factories.InvolvementFactory(user=partner, person=child, reason=InvolvementReason.TAF_MEMBER)
    shared_client.cookies.clear()
    shared_client.force_login(partner)
    response = shared_client.get(f"/api/v1/people/{child.pk}")
    assert response.status_code == 200
    _assert_one_row_for(
        response["X-Request-ID"], user=partner, person=child, action=AccessAction.API_READ
    )
    assert AccessLogEntry.objects.get().organisation_name == "Stockton Young Carers (test)"


def test_a_break_glass_read_records_the_reason(
    shared_client: Client, worker: User, hartlepool: Council
) -> None:
    person = a_person(hartlepool, given_name="Nell", family_name="Urgent")
    grant = factories.BreakGlassGrantFactory(
        user=worker,
        person=person,
        granted_at=timezone.now() - timedelta(minutes=5),
    )
    shared_client.cookies.clear()
    shared_client.force_login(worker)
    page = shared_client.get(reverse("people:detail", kwargs={"pk": person.pk}))
    api = shared_client.get(f"/api/v1/people/{person.pk}")
    assert (page.status_code, api.status_code) == (200, 200)
    entries = list(AccessLogEntry.objects.order_by("id"))
    assert [e.break_glass_reason for e in entries] == [grant.reason, grant.reason]
    assert [str(e.request_id) for e in entries] == [page["X-Request-ID"], api["X-Request-ID"]]
