"""The permission matrix: permission_matrix.csv, one row per situation, drives one test per
kind of record (a person, a contact, a notification, an early help episode).

Each row names the record, a role, where the user works, whose record it is, the user's
relationship to it and whether the child it concerns is restricted; each action column says
allow or deny (or - where the action does not exist for that record). The test builds that
situation with factories and checks every page and API endpoint for each action. A denied
read answers 404 (never 403, which would reveal that the record exists) and the record is
neither listed nor counted; refused work answers 403 only when the user may see the record.
"""

from __future__ import annotations

import csv
import re
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, cast

import pytest
import time_machine
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from continuum.access import services as access_services
from continuum.access.models import InvolvementReason
from continuum.accounts.models import Role, User
from continuum.early_help.choices import EpisodeStatus
from continuum.early_help.models import Assessment, Episode, TafMember
from continuum.front_door.choices import ContactStatus
from continuum.front_door.models import Contact, ContactDecision, DomesticAbuseNotification
from continuum.front_door.tests import triage_support
from continuum.organisations.models import Council, Organisation, OrganisationKind
from continuum.people.models import Person
from continuum.testing import factories
from continuum.tests.builders import a_person, a_user, council_staff, partner_agency
from continuum.tests.routes import person_api_routes, person_page_names

MATRIX = Path(__file__).with_name("permission_matrix.csv")
COLUMNS = ("view_page", "view_api", "search", "count", "edit", "queue", "decide", "work")
# The actions each record has; its other columns are "-".
ACTIONS_OF = {
    "person": ("view_page", "view_api", "search", "count", "edit"),
    "contact": ("view_page", "view_api", "search", "count", "queue", "decide"),
    "notification": ("view_page", "view_api", "search", "count"),
    "episode": ("view_page", "view_api", "search", "count", "work"),
}
ACTIONS = ACTIONS_OF["person"]
EMPLOYERS_OF = {
    "person": ("council", "partner"),
    "contact": ("council", "partner"),
    "notification": ("council", "partner", "police"),
    "episode": ("council", "partner"),
}
COUNCILS = ("own", "other")
RELATIONSHIPS_OF = {
    "person": (
        "none",
        "involved",
        "involvement_ended",
        "involvement_future",
        "break_glass",
        "break_glass_expired",
    ),
    "contact": ("none", "made_it", "others_draft"),
    "notification": ("none", "force_made_it"),
    "episode": (
        "none",
        "lead_professional",
        "lead_professional_closed",
        "taf_member",
        "taf_member_left",
    ),
}
RESTRICTED = ("no", "listed", "unlisted")
# A tab that only some of those who may view the record may open (who has looked at it):
# when viewing is allowed it may answer 403; when viewing is denied it must still be 404.
TABS_NOT_FOR_EVERY_VIEWER = frozenset({"people:access-log"})
SUBJECT = {"given_name": "Elowen", "family_name": "Quarrington"}
_COUNT = re.compile(r"(\d+) (?:person|people) found")


@dataclass(frozen=True)
class Row:
    line: int
    record: str
    role: str
    employer: str
    council: str
    relationship: str
    restricted: str
    # The record's actions only: True = allow, False = deny.
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
        kind = record["record"]
        assert kind in ACTIONS_OF, f"line {line}: unknown record {kind!r}"
        expected = {}
        for action in COLUMNS:
            value = record[action]
            if action in ACTIONS_OF[kind]:
                assert value in ("allow", "deny"), f"line {line}: {action}={value!r}"
                expected[action] = value == "allow"
            else:
                assert value == "-", f"line {line}: a {kind} has no {action} ({value!r})"
        rows.append(
            Row(
                line=line,
                record=kind,
                role=record["role"],
                employer=record["employer"],
                council=record["council"],
                relationship=record["relationship"],
                restricted=record["restricted"],
                expected=expected,
            )
        )
    return rows


ALL_ROWS = load_matrix()


def rows_for(record: str) -> list[Row]:
    return [row for row in ALL_ROWS if row.record == record]


ROWS = rows_for("person")
CONTACT_ROWS = rows_for("contact")
NOTIFICATION_ROWS = rows_for("notification")
EPISODE_ROWS = rows_for("episode")
# Roles employed by a council (every role but the partner practitioner).
COUNCIL_EMPLOYED_ROLES = [role for role in Role.values if role != Role.PARTNER_PRACTITIONER]


def test_the_matrix_is_well_formed_and_covers_every_role_and_situation() -> None:
    for row in ALL_ROWS:
        assert row.role in Role.values, f"line {row.line}: unknown role {row.role}"
        assert row.employer in EMPLOYERS_OF[row.record], f"line {row.line}"
        assert row.council in COUNCILS, f"line {row.line}"
        assert row.relationship in RELATIONSHIPS_OF[row.record], f"line {row.line}"
        assert row.restricted in RESTRICTED, f"line {row.line}"
    ids = [(row.record, row.id) for row in ALL_ROWS]
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
    for record in ("contact", "notification", "episode"):
        assert {row.role for row in rows_for(record)} == set(Role.values), record
    # Contacts and episodes: every council-employed role, each council, restricted or not.
    for record in ("contact", "episode"):
        for role in COUNCIL_EMPLOYED_ROLES:
            places = {
                (row.council, row.restricted)
                for row in rows_for(record)
                if row.role == role and row.employer == "council" and row.relationship == "none"
            }
            for council in COUNCILS:
                for restricted in RESTRICTED:
                    assert (council, restricted) in places, (
                        f"{record}, {role}: no row for {council} council, restricted={restricted}"
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


# --- contacts, notifications and early help episodes -----------------------------------------


class RecordCheck:
    """Checks one situation's pages and endpoints for a contact, notification or episode,
    collecting every difference from the row rather than stopping at the first."""

    def __init__(self, client: Client, row: Row) -> None:
        self.client = client
        self.row = row
        self.problems: list[str] = []

    def fail(self, action: str, what: str) -> None:
        wanted = "allow" if self.row.expected[action] else "deny"
        self.problems.append(f"{action} (expected {wanted}): {what}")

    def page(self, name: str, pk: uuid.UUID) -> str:
        """The record's page: 200 when allowed; else 404, or 403 when the role may not open
        such a page whatever the id (so the answer says nothing about this record)."""
        url = reverse(name, kwargs={"pk": pk})
        response = self.client.get(url)
        status = response.status_code
        if self.row.expected["view_page"]:
            if status != 200:
                self.fail("view_page", f"GET {url} -> {status}")
            return response.content.decode()
        missing = reverse(name, kwargs={"pk": uuid.uuid4()})
        if status != 404 and not (status == 403 and self.client.get(missing).status_code == 403):
            self.fail("view_page", f"GET {url} -> {status}")
        return ""

    def api_detail(self, url: str, pk: uuid.UUID) -> str:
        response = self.client.get(url)
        allowed = self.row.expected["view_api"]
        if response.status_code != (200 if allowed else 404):
            self.fail("view_api", f"GET {url} -> {response.status_code}")
            return ""
        if allowed and response.json()["id"] != str(pk):
            self.fail("view_api", f"GET {url} answered another record")
        return response.content.decode() if allowed else ""

    def api_list(self, url: str, pk: uuid.UUID) -> None:
        response = self.client.get(url)
        if response.status_code == 403 and not self.row.expected["search"]:
            return  # the role may not list these at all: nobody is listed or counted
        if response.status_code != 200:
            self.fail("search", f"GET {url} -> {response.status_code}")
            return
        body = response.json()
        listed = str(pk) in {item["id"] for item in body["items"]}
        if listed != self.row.expected["search"]:
            self.fail("search", f"GET {url} {'lists' if listed else 'does not list'} it")
        if body["count"] != (1 if self.row.expected["count"] else 0):
            self.fail("count", f"GET {url} counts {body['count']}")

    def listed_on_page(self, action: str, url: str, link: str) -> None:
        """A list page links to the record when allowed; denied, it does not (or the page
        answers 403 to the role)."""
        response = self.client.get(url)
        allowed = self.row.expected[action]
        if response.status_code == 403 and not allowed:
            return
        if response.status_code != 200:
            self.fail(action, f"GET {url} -> {response.status_code}")
        elif (link in response.content.decode()) != allowed:
            self.fail(action, f"GET {url} {'links' if not allowed else 'does not link'} to it")

    def work(self, action: str, what: str, status: int, done: int, saved: bool) -> None:
        """Allowed work answers ``done`` and is saved; refused work answers 403 when the
        user may see the record, 404 when not, and saves nothing."""
        if self.row.expected[action]:
            if status != done or not saved:
                self.fail(action, f"{what} -> {status}, saved: {saved}")
            return
        refused = 403 if self.row.expected["view_api"] else 404
        if status != refused or saved:
            self.fail(action, f"{what} -> {status} (wanted {refused}), saved: {saved}")

    def not_named(self, where: str, text: str, person: Person) -> None:
        """A restricted child the user is not listed for is not named, even on a record
        they may see."""
        if person.full_name in text:
            self.problems.append(f"{where} names the restricted child {person.full_name}")

    def assert_as_expected(self) -> None:
        assert not self.problems, f"permission_matrix.csv line {self.row.line}:\n" + "\n".join(
            self.problems
        )


def _signed_in(client: Client, user: User) -> Client:
    client.cookies.clear()
    client.force_login(user)
    return client


def _child(row: Row, council: Council, user: User) -> Person:
    child = a_person(council, is_restricted=row.restricted != "no", **SUBJECT)
    if row.restricted == "listed":
        factories.RestrictedAccessFactory(person=child, user=user)
    return child


def _matrix_user(row: Row, stockton: Council) -> User:
    employers = {
        "council": lambda: factories.council_services(stockton),
        "partner": lambda: partner_agency(stockton),
        "police": lambda: factories.police_force(stockton),
    }
    return a_user(username="matrix.user", role=row.role, organisation=employers[row.employer]())


def _councils(row: Row, stockton: Council, hartlepool: Council) -> Council:
    return stockton if row.council == "own" else hartlepool


def build_contact(row: Row, stockton: Council, hartlepool: Council) -> tuple[User, Contact]:
    """A contact in screening about one child; made by the user, another partner or a
    front-door colleague at the contact's council."""
    council = _councils(row, stockton, hartlepool)
    user = _matrix_user(row, stockton)
    if row.relationship == "made_it":
        made_by = user
    elif row.employer == "partner":
        school = cast(
            Organisation,
            factories.OrganisationFactory(
                name="Test Primary School (matrix)", kind=OrganisationKind.SCHOOL, serves=[stockton]
            ),
        )
        made_by = a_user(
            username="matrix.referrer", role=Role.PARTNER_PRACTITIONER, organisation=school
        )
    else:
        made_by = council_staff(council, username="matrix.colleague", role=Role.FRONT_DOOR_WORKER)
    status = (
        ContactStatus.DRAFT if row.relationship == "others_draft" else ContactStatus.IN_SCREENING
    )
    contact = factories.ContactFactory(
        council=council, created_by=made_by, status=status, children=[_child(row, council, user)]
    )
    return user, cast(Contact, contact)


@pytest.mark.parametrize("row", CONTACT_ROWS, ids=[row.id for row in CONTACT_ROWS])
def test_contact_permission_matrix(
    row: Row, stockton: Council, hartlepool: Council, shared_client: Client
) -> None:
    user, contact = build_contact(row, stockton, hartlepool)
    client = _signed_in(shared_client, user)
    check = RecordCheck(client, row)
    check.page("front_door:contact", contact.pk)
    check.api_detail(f"/api/v1/contacts/{contact.pk}", contact.pk)
    check.api_list("/api/v1/contacts", contact.pk)
    check.listed_on_page(
        "queue",
        reverse("front_door:queue"),
        reverse("front_door:contact", kwargs={"pk": contact.pk}),
    )
    url = f"/api/v1/contacts/{contact.pk}/decision"
    decision = {
        "level": 2,
        "indicator_codes": triage_support.indicator_codes(2),
        "outcome": "eh_single",
        "rationale": "School and family support worker can help the family together.",
        "version": contact.version,
    }
    status = client.post(url, decision, content_type="application/json").status_code
    saved = ContactDecision.objects.filter(contact=contact).exists()
    check.work("decide", f"POST {url}", status, 200, saved)
    check.assert_as_expected()


def build_notification(
    row: Row, stockton: Council, hartlepool: Council
) -> tuple[User, DomesticAbuseNotification]:
    """A notification awaiting triage with one child present; made by an officer of the
    user's force, of another force, or (for everyone else) of the force serving the
    notification's council."""
    council = _councils(row, stockton, hartlepool)
    user = _matrix_user(row, stockton)
    if row.relationship == "force_made_it" or row.employer != "police":
        force = factories.police_force(stockton, hartlepool)
    else:
        force = cast(
            Organisation,
            factories.OrganisationFactory(
                name="Test Durham Constabulary (matrix)",
                kind=OrganisationKind.POLICE,
                serves=[stockton, hartlepool],
            ),
        )
    officer = a_user(username="matrix.officer", role=Role.PARTNER_PRACTITIONER, organisation=force)
    notification = factories.NotificationFactory(
        council=council, created_by=officer, children=[_child(row, council, user)]
    )
    return user, cast(DomesticAbuseNotification, notification)


@pytest.mark.parametrize("row", NOTIFICATION_ROWS, ids=[row.id for row in NOTIFICATION_ROWS])
def test_notification_permission_matrix(
    row: Row, stockton: Council, hartlepool: Council, shared_client: Client
) -> None:
    user, notification = build_notification(row, stockton, hartlepool)
    check = RecordCheck(_signed_in(shared_client, user), row)
    check.page("front_door:notification", notification.pk)
    check.api_detail(f"/api/v1/domestic-abuse-notifications/{notification.pk}", notification.pk)
    check.api_list("/api/v1/domestic-abuse-notifications", notification.pk)
    check.listed_on_page(
        "search",
        reverse("front_door:notifications"),
        reverse("front_door:notification", kwargs={"pk": notification.pk}),
    )
    check.assert_as_expected()


def build_episode(row: Row, stockton: Council, hartlepool: Council) -> tuple[User, Episode, Person]:
    """An episode allocated yesterday, about one child, led by the user or by an early help
    practitioner of the episode's council; closed today for lead_professional_closed."""
    council = _councils(row, stockton, hartlepool)
    user = _matrix_user(row, stockton)
    child = _child(row, council, user)
    today = timezone.localdate()
    leads = row.relationship.startswith("lead_professional")
    lead = (
        user
        if leads
        else council_staff(council, username="matrix.lead", role=Role.EARLY_HELP_PRACTITIONER)
    )
    closed = row.relationship == "lead_professional_closed"
    episode = cast(
        Episode,
        factories.EpisodeFactory(
            council=council,
            children=[child],
            status=EpisodeStatus.CLOSED if closed else EpisodeStatus.ALLOCATED,
            end_date=today if closed else None,
            lead_professional=lead,
            lead_professional_organisation=lead.organisation,
            allocation_reason="Knows the family well from the youth project.",
            allocated_at=timezone.now() - timedelta(days=1),
        ),
    )
    if row.relationship in ("taf_member", "taf_member_left"):
        assert user.organisation is not None
        TafMember.objects.create(
            episode=episode,
            user=user,
            organisation=user.organisation,
            joined_on=today - timedelta(days=30),
            left_on=today - timedelta(days=1) if row.relationship == "taf_member_left" else None,
        )
    return user, episode, child


@pytest.mark.parametrize("row", EPISODE_ROWS, ids=[row.id for row in EPISODE_ROWS])
def test_episode_permission_matrix(
    row: Row, stockton: Council, hartlepool: Council, shared_client: Client
) -> None:
    user, episode, child = build_episode(row, stockton, hartlepool)
    client = _signed_in(shared_client, user)
    check = RecordCheck(client, row)
    check.page("early_help:episode", episode.pk)
    api = check.api_detail(f"/api/v1/episodes/{episode.pk}", episode.pk)
    if row.restricted == "unlisted":
        check.not_named("GET /api/v1/episodes/{id}", api, child)
    check.api_list("/api/v1/episodes", episode.pk)
    url = f"/api/v1/episodes/{episode.pk}/assessment"
    status = client.post(url, {}, content_type="application/json").status_code
    saved = Assessment.objects.filter(episode=episode).exists()
    check.work("work", f"POST {url}", status, 201, saved)
    check.assert_as_expected()


@pytest.mark.parametrize("relationship", ["lead_professional", "taf_member"])
def test_an_episode_page_does_not_name_a_restricted_child_to_those_not_listed(
    relationship: str, stockton: Council, hartlepool: Council, shared_client: Client
) -> None:
    row = next(
        row
        for row in EPISODE_ROWS
        if row.relationship == relationship and row.restricted == "unlisted"
    )
    user, episode, child = build_episode(row, stockton, hartlepool)
    check = RecordCheck(_signed_in(shared_client, user), row)
    check.not_named("the episode page", check.page("early_help:episode", episode.pk), child)
    check.assert_as_expected()


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
