"""The access log search page for system administrators."""

from __future__ import annotations

import uuid
from datetime import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import Role
from continuum.audit import views
from continuum.testing import factories
from continuum.tests.pages import does_not_show

pytestmark = pytest.mark.django_db

URL = reverse("audit:access-log")


@pytest.fixture
def sysadmin(make_user, stockton):
    """A system administrator (not pytest-django's ``admin_user``, a superuser)."""
    return make_user(Role.SYSTEM_ADMINISTRATOR, council=stockton, username="admin.test")


@pytest.fixture
def sysadmin_client(client, sysadmin):
    client.force_login(sysadmin)
    return client


def at(text: str) -> datetime:
    return timezone.make_aware(datetime.fromisoformat(text))


def test_an_administrator_sees_every_read_with_who_organisation_role_and_action(
    sysadmin_client, worker, record_read
):
    subject = uuid.uuid4()
    record_read(worker, subject)

    response = sysadmin_client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "1 entry" in page
    assert "frontdoor.stockton" in page
    assert "Stockton-on-Tees Children&#x27;s Services" in page
    assert "Front-door worker" in page
    assert "Viewed the record" in page
    assert str(subject) in page


@pytest.mark.parametrize(
    "role",
    [
        Role.FRONT_DOOR_WORKER,
        Role.EARLY_HELP_PRACTITIONER,
        Role.TEAM_MANAGER,
        Role.PARTNER_PRACTITIONER,
        Role.AUDITOR,
        Role.PERFORMANCE_ANALYST,
        Role.STRATEGIC_LEAD,
    ],
)
def test_nobody_but_a_system_administrator_may_search_it(client, make_user, role):
    client.force_login(make_user(role))
    assert client.get(URL).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_the_page_offers_no_way_to_change_the_log(sysadmin_client, worker, record_read):
    record_read(worker, uuid.uuid4())
    assert sysadmin_client.post(URL, {"username": "x"}).status_code == 405
    page = sysadmin_client.get(URL).content.decode()
    assert 'method="post"' not in page.split('id="main-content"')[1]


def test_filters_by_username_ignoring_case(sysadmin_client, worker, manager, record_read):
    record_read(worker, uuid.uuid4())
    record_read(manager, uuid.uuid4())

    page = sysadmin_client.get(URL, {"username": "Manager.Stockton"}).content.decode()

    assert "1 entry match your search" in page
    assert "manager.stockton" in page
    assert "frontdoor.stockton" not in page


def test_filters_by_person_id(sysadmin_client, worker, record_read):
    wanted, other = uuid.uuid4(), uuid.uuid4()
    record_read(worker, wanted)
    record_read(worker, other)

    page = sysadmin_client.get(URL, {"person_id": str(wanted)}).content.decode()

    assert str(wanted) in page
    assert str(other) not in page


def test_filters_by_dates_inclusive(sysadmin_client, worker, record_read):
    subjects = {}
    for day in ("2026-03-01", "2026-03-02", "2026-03-03"):
        with time_machine.travel(at(f"{day} 12:00"), tick=False):
            subjects[day] = record_read(worker, uuid.uuid4()).subject_id

    page = sysadmin_client.get(URL, {"date_from": "2/3/2026", "date_to": "2026-03-03"}).content
    page = page.decode()

    assert "2 entries match your search" in page
    assert str(subjects["2026-03-01"]) not in page
    assert str(subjects["2026-03-02"]) in page
    assert str(subjects["2026-03-03"]) in page


def test_break_glass_only_shows_emergency_reads_with_their_reason(
    sysadmin_client, worker, record_read
):
    ordinary, emergency = uuid.uuid4(), uuid.uuid4()
    record_read(worker, ordinary)
    record_read(worker, emergency, break_glass_reason="Police called about a child tonight")

    page = sysadmin_client.get(URL, {"break_glass_only": "on"}).content.decode()

    assert str(emergency) in page
    assert str(ordinary) not in page
    assert "Emergency access" in page
    assert "Police called about a child tonight" in page


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"date_from": "31/2/2026"}, "date_from", "The date to search from must be a real date"),
        ({"date_to": "next tuesday"}, "date_to", "The date to search to must be a real date"),
        ({"person_id": "not-a-uuid"}, "person_id", "Enter the person ID in the right format"),
        (
            {"date_from": "3/3/2026", "date_to": "1/3/2026"},
            "date_to",
            "must be the same as or after the date to search from",
        ),
    ],
)
def test_bad_filters_are_named_in_an_error_summary_and_at_the_field(
    sysadmin_client, worker, record_read, params, field, message
):
    record_read(worker, uuid.uuid4())

    response = sysadmin_client.get(URL, params)

    assert response.status_code == 200
    page = response.content.decode()
    assert response.context["form"].errors[field]
    assert "govuk-error-summary" in page
    assert f'href="#id_{field}"' in page
    assert f'id="id_{field}-error"' in page
    assert message in page
    assert page.count(message) == 2  # once in the summary, once at the field
    assert "<title>Error: Access log" in page
    assert "frontdoor.stockton" not in page  # no results for a search that failed


def test_results_are_paginated_with_the_govuk_component_keeping_the_filters(
    sysadmin_client, worker, record_read, monkeypatch
):
    monkeypatch.setattr(views, "ACCESS_LOG_PAGE_SIZE", 2)
    for _ in range(5):
        record_read(worker, uuid.uuid4())

    first = sysadmin_client.get(URL, {"username": "frontdoor.stockton"})
    page = first.content.decode()
    assert "5 entries match your search" in page
    assert "govuk-pagination" in page
    assert "?username=frontdoor.stockton&amp;page=2" in page
    assert 'aria-current="page"' in page
    assert len(first.context["page"]) == 2

    last = sysadmin_client.get(URL, {"username": "frontdoor.stockton", "page": "3"})
    assert len(last.context["page"]) == 1
    assert 'rel="next"' not in last.content.decode()

    # A page number that is not one shows the nearest page rather than failing.
    assert sysadmin_client.get(URL, {"page": "lots"}).status_code == 200
    assert sysadmin_client.get(URL, {"page": "999"}).context["page"].number == 3


def test_most_recent_reads_come_first(sysadmin_client, worker, record_read):
    with time_machine.travel(at("2026-03-01 09:00"), tick=False):
        older = record_read(worker, uuid.uuid4())
    with time_machine.travel(at("2026-03-02 09:00"), tick=False):
        newer = record_read(worker, uuid.uuid4())

    entries = list(sysadmin_client.get(URL).context["page"])

    assert entries == [newer, older]


def test_person_id_links_to_the_record_only_when_the_searcher_may_see_it(
    client, sysadmin, worker, record_read, stockton
):
    person = factories.PersonFactory.create(council=stockton, family_name="Quartermaine-Zebedee")
    record_read(worker, person.pk)
    client.force_login(sysadmin)

    page = client.get(URL).content.decode()

    # Administrators do not see people's records, so the id is shown but not linked.
    assert str(person.pk) in page
    assert reverse("people:detail", args=[person.pk]) not in page
    assert does_not_show(page, person.family_name)


def test_an_empty_log_says_so(sysadmin_client):
    page = sysadmin_client.get(URL).content.decode()
    assert "0 entries" in page
    assert "Nobody has looked at a person's record yet." in page


def test_a_search_row_shows_its_terms_and_count_and_is_found_by_a_shown_person(
    sysadmin_client, worker, rf
):
    """Issue 10, finding 4: searches are in the log, and searching the log by a person's id
    finds the searches that listed them as well as the reads of their record."""
    from continuum.audit.services import log_search

    listed, other = uuid.uuid4(), uuid.uuid4()
    log_search(
        request=rf.get("/"), user=worker, terms={"q": "quillfeather"}, result_count=7,
        shown_ids=[listed],
    )  # fmt: skip
    log_search(
        request=rf.get("/"), user=worker, terms={"q": "someone else"}, result_count=1,
        shown_ids=[other],
    )  # fmt: skip

    page = sysadmin_client.get(URL).content.decode()
    assert "Searched for people" in page
    assert "7 found. Terms: q=quillfeather" in page

    page = sysadmin_client.get(URL, {"person_id": str(listed)}).content.decode()
    assert "q=quillfeather" in page
    assert "q=someone else" not in page
