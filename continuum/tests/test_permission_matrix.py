"""The permission matrix: permission_matrix.csv, one row per situation, drives one test.

Each row names a role, where the user works, whose record it is, the user's relationship to
the person and whether the record is restricted; each action column says allow or deny.
The test builds that situation with factories and checks every page and API endpoint for
each action. A denied read answers 404 (never 403, which would reveal that the record
exists) and the person is neither listed nor counted in searches.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from continuum.access import services as access_services
from continuum.access.models import InvolvementReason
from continuum.accounts.models import Role, User
from continuum.organisations.models import Council, Organisation
from continuum.people.models import Person
from continuum.testing import factories
from continuum.tests.builders import a_person, a_user, council_staff, partner_agency
from continuum.tests.routes import person_api_routes, person_page_names

MATRIX = Path(__file__).with_name("permission_matrix.csv")
ACTIONS = ("view_page", "view_api", "search", "count", "edit")
EMPLOYERS = ("council", "partner")
COUNCILS = ("own", "other")
RELATIONSHIPS = (
    "none",
    "involved",
    "involvement_ended",
    "involvement_future",
    "break_glass",
    "break_glass_expired",
)
RESTRICTED = ("no", "listed", "unlisted")
# A tab that only some of those who may view the record may open (who has looked at it):
# when viewing is allowed it may answer 403; when viewing is denied it must still be 404.
TABS_NOT_FOR_EVERY_VIEWER = frozenset({"people:access-log"})
SUBJECT = {"given_name": "Elowen", "family_name": "Quarrington"}
_COUNT = re.compile(r"(\d+) (?:person|people) found")


@dataclass(frozen=True)
class Row:
    line: int
    role: str
    employer: str
    council: str
    relationship: str
    restricted: str
    expected: dict[str, bool]

    @property
    def id(self) -> str:
        return "-".join(
            [self.role, self.employer, self.council, self.relationship, self.restricted]
        )


def load_matrix() -> list[Row]:
    with MATRIX.open(newline="") as handle:
        lines = [(n, text) for n, text in enumerate(handle, start=1)]
    data = [(n, text) for n, text in lines if text.strip() and not text.startswith("#")]
    reader = csv.DictReader(text for _, text in data)
    rows = []
    for (line, _), record in zip(data[1:], reader, strict=True):
        expected = {}
        for action in ACTIONS:
            value = record[action]
            assert value in ("allow", "deny"), f"line {line}: {action}={value!r}"
            expected[action] = value == "allow"
        rows.append(
            Row(
                line=line,
                role=record["role"],
                employer=record["employer"],
                council=record["council"],
                relationship=record["relationship"],
                restricted=record["restricted"],
                expected=expected,
            )
        )
    return rows


ROWS = load_matrix()


def test_the_matrix_is_well_formed_and_covers_every_role_and_situation() -> None:
    for row in ROWS:
        assert row.role in Role.values, f"line {row.line}: unknown role {row.role}"
        assert row.employer in EMPLOYERS, f"line {row.line}"
        assert row.council in COUNCILS, f"line {row.line}"
        assert row.relationship in RELATIONSHIPS, f"line {row.line}"
        assert row.restricted in RESTRICTED, f"line {row.line}"
    ids = [row.id for row in ROWS]
    assert len(ids) == len(set(ids)), "a situation appears twice"
    for role in Role.values:
        situations = {
            (row.council, row.relationship, row.restricted) for row in ROWS if row.role == role
        }
        for council in COUNCILS:
            for relationship in ("none", "involved"):
                for restricted in RESTRICTED:
                    assert (council, relationship, restricted) in situations, (
                        f"{role}: no row for {council} council, {relationship}, "
                        f"restricted={restricted}"
                    )


# --- building a situation ----------------------------------------------------------------


def _employer(row: Row, stockton: Council) -> Organisation:
    if row.employer == "council":
        return factories.council_services(stockton)
    return partner_agency(stockton)


def build_situation(row: Row, stockton: Council, hartlepool: Council) -> tuple[User, Person]:
    now = timezone.now()
    user = a_user(username="matrix.user", role=row.role, organisation=_employer(row, stockton))
    person = a_person(
        stockton if row.council == "own" else hartlepool,
        is_restricted=row.restricted != "no",
        **SUBJECT,
    )
    if row.restricted == "listed":
        factories.RestrictedAccessFactory(person=person, user=user)
    day = timedelta(days=1)
    involvement_times = {
        "involved": (now - day, None),
        "involvement_ended": (now - 30 * day, now - day),
        "involvement_future": (now + day, None),
    }
    if row.relationship in involvement_times:
        starts_at, ends_at = involvement_times[row.relationship]
        factories.InvolvementFactory(
            user=user,
            person=person,
            reason=InvolvementReason.TAF_MEMBER,
            starts_at=starts_at,
            ends_at=ends_at,
        )
    elif row.relationship == "break_glass":
        factories.BreakGlassGrantFactory(user=user, person=person)
    elif row.relationship == "break_glass_expired":
        factories.BreakGlassGrantFactory(
            user=user,
            person=person,
            granted_at=now - timedelta(hours=5),
            expires_at=now - timedelta(hours=1),
        )
    return user, person


# --- the pages and endpoints for each action -------------------------------------------------


def _edit_url(person: Person) -> str | None:
    try:
        return reverse("people:edit", kwargs={"pk": person.pk})
    except NoReverseMatch:
        return None


class Checker:
    def __init__(self, client: Client, person: Person, expected: dict[str, bool]) -> None:
        self.client = client
        self.person = person
        self.expected = expected
        self.problems: list[str] = []

    def fail(self, action: str, what: str) -> None:
        wanted = "allow" if self.expected[action] else "deny"
        self.problems.append(f"{action} (expected {wanted}): {what}")

    def view_page(self) -> None:
        allowed = self.expected["view_page"]
        for name in person_page_names():
            url = reverse(name, kwargs={"pk": self.person.pk})
            status = self.client.get(url).status_code
            ok = {404}
            if allowed:
                ok = {200, 403} if name in TABS_NOT_FOR_EVERY_VIEWER else {200}
            if status not in ok:
                self.fail("view_page", f"GET {url} -> {status}")

    def view_api(self) -> None:
        allowed = self.expected["view_api"]
        for name, parameter in person_api_routes():
            url = reverse(name, kwargs={parameter: self.person.pk})
            response = self.client.get(url)
            if response.status_code != (200 if allowed else 404):
                self.fail("view_api", f"GET {url} -> {response.status_code}")
            elif (
                allowed
                and name.endswith("get_person")
                and response.json()["id"] != str(self.person.pk)
            ):
                self.fail("view_api", f"GET {url} answered another record")

    def _search_page(self) -> tuple[int, bool, int | None]:
        response = self.client.get(reverse("people:search"), {"q": self.person.full_name})
        if response.status_code != 200:
            return response.status_code, False, None
        text = response.content.decode()
        listed = reverse("people:detail", kwargs={"pk": self.person.pk}) in text
        match = _COUNT.search(text)
        return 200, listed, int(match[1]) if match else None

    def _search_api(self) -> tuple[int, bool, int | None]:
        response = self.client.get("/api/v1/people", {"q": self.person.full_name})
        if response.status_code != 200:
            return response.status_code, False, None
        body = response.json()
        listed = str(self.person.pk) in {item["id"] for item in body["items"]}
        return 200, listed, body["count"]

    def search_and_count(self) -> None:
        for where, (status, listed, count) in (
            ("search page", self._search_page()),
            ("API list", self._search_api()),
        ):
            if status not in (200, 403) or (status == 403 and self.expected["search"]):
                self.fail("search", f"{where} -> {status}")
                continue
            if status == 403:  # the role may not search at all: nobody is listed or counted
                continue
            if listed != self.expected["search"]:
                self.fail("search", f"{where} {'lists' if listed else 'does not list'} them")
            if count != (1 if self.expected["count"] else 0):
                self.fail("count", f"{where} counts {count}")
        if not self.expected["search"]:
            # Nor may a denied person appear in any list on the home page.
            home = self.client.get(reverse("web:home")).content.decode()
            record = reverse("people:detail", kwargs={"pk": self.person.pk})
            if record in home or self.person.family_name in home:
                self.fail("search", "the home page names them")

    def edit(self) -> bool:
        """Check the edit page; False when it does not exist yet."""
        url = _edit_url(self.person)
        if url is None:
            return False
        allowed = self.expected["edit"]
        status = self.client.get(url).status_code
        if allowed and status != 200:
            self.fail("edit", f"GET {url} -> {status}")
        if not allowed:
            refusals = {403, 404} if self.expected["view_page"] else {404}
            if status not in refusals:
                self.fail("edit", f"GET {url} -> {status}")
            before = self.person.family_name
            status = self.client.post(url, {"family_name": "Changed", "version": "1"}).status_code
            self.person.refresh_from_db()
            if status not in refusals or self.person.family_name != before:
                self.fail("edit", f"POST {url} -> {status}, family name now {self.person}")
        return True


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_permission_matrix(
    row: Row, stockton: Council, hartlepool: Council, shared_client: Client
) -> None:
    user, person = build_situation(row, stockton, hartlepool)
    shared_client.cookies.clear()
    shared_client.force_login(user)
    checker = Checker(shared_client, person, row.expected)
    checker.view_page()
    checker.view_api()
    checker.search_and_count()
    edit_exists = checker.edit()
    assert not checker.problems, f"permission_matrix.csv line {row.line}:\n" + "\n".join(
        checker.problems
    )
    if not edit_exists:
        pytest.skip("people:edit does not exist yet: the edit column was not checked")


def test_the_matrix_checks_the_person_pages_and_api_endpoints_that_exist() -> None:
    assert "people:detail" in person_page_names()
    assert any(name.endswith("get_person") for name, _ in person_api_routes())


# --- losing access takes effect on the next request ------------------------------------------


@pytest.fixture
def partner_and_child(stockton: Council) -> tuple[User, Person]:
    user = a_user(
        username="partner.user",
        role=Role.PARTNER_PRACTITIONER,
        organisation=partner_agency(stockton),
    )
    return user, a_person(stockton, **SUBJECT)


def _reads(client: Client, person: Person) -> tuple[int, int, bool]:
    page = client.get(reverse("people:detail", kwargs={"pk": person.pk})).status_code
    api = client.get(f"/api/v1/people/{person.pk}").status_code
    listed = client.get("/api/v1/people", {"q": person.full_name}).json()["count"] == 1
    return page, api, listed


def test_an_ended_involvement_takes_effect_on_the_next_request(
    partner_and_child: tuple[User, Person], shared_client: Client
) -> None:
    user, person = partner_and_child
    access_services.record_involvement(
        user=user, person=person, reason=InvolvementReason.REFERRER, source="test:referral"
    )
    shared_client.cookies.clear()
    shared_client.force_login(user)
    assert _reads(shared_client, person) == (200, 200, True)
    access_services.end_involvement(user=user, person=person, source="test:referral")
    assert _reads(shared_client, person) == (404, 404, False)


def test_an_involvement_reaching_its_end_takes_effect_without_anyone_acting(
    partner_and_child: tuple[User, Person], shared_client: Client
) -> None:
    user, person = partner_and_child
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
    stockton: Council, shared_client: Client, db: Any
) -> None:
    user = council_staff(stockton, username="frontdoor.user", role=Role.FRONT_DOOR_WORKER)
    person = a_person(stockton, **SUBJECT)
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
    stockton: Council, shared_client: Client, db: Any
) -> None:
    user = council_staff(stockton, username="frontdoor.user", role=Role.FRONT_DOOR_WORKER)
    person = a_person(stockton, **SUBJECT)
    shared_client.cookies.clear()
    shared_client.force_login(user)
    assert _reads(shared_client, person) == (200, 200, True)
    Person.objects.filter(pk=person.pk).update(is_restricted=True)
    assert _reads(shared_client, person) == (404, 404, False)
