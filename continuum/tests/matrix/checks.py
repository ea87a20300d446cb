"""Checking a situation's pages and API endpoints against its row, collecting every
difference rather than stopping at the first. A denied read answers 404 (never 403, which
would reveal that the record exists) and the record is neither listed nor counted; refused
work answers 403 only when the user may see the record."""

from __future__ import annotations

import re
import uuid

from django.test import Client
from django.urls import NoReverseMatch, reverse

from continuum.accounts.models import User
from continuum.people.models import Person
from continuum.tests.matrix.rows import Row
from continuum.tests.pages import does_not_show
from continuum.tests.routes import person_api_routes, person_page_names

# A tab that only some of those who may view the record may open (who has looked at it):
# when viewing is allowed it may answer 403; when viewing is denied it must still be 404.
TABS_NOT_FOR_EVERY_VIEWER = frozenset({"people:access-log"})
API_LIST = "/api/v1/people"
_COUNT = re.compile(r"(\d+) (?:person|people) found")


def signed_in(client: Client, user: User) -> Client:
    client.cookies.clear()
    client.force_login(user)
    return client


# --- a person's record -----------------------------------------------------------------------


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
        response = self.client.get(API_LIST, {"q": self.person.full_name})
        if response.status_code != 200:
            return response.status_code, False, None
        body = response.json()
        listed = str(self.person.pk) in {item["id"] for item in body["items"]}
        return 200, listed, body["count"]

    def _whole_identifiers_in(self, text: str) -> bool:
        """Does ``text`` carry the subject's whole NHS number or UPN? Lists and searches
        show a partial identifier only (issue 10, finding 4)."""
        nhs, upn = self.person.nhs_number or "", self.person.upn or ""
        spaced = f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}" if nhs else ""
        return any(value and value in text for value in (nhs, spaced, upn))

    def search_and_count(self) -> None:
        for where, url in (("search page", reverse("people:search")), ("API list", API_LIST)):
            text = self.client.get(url, {"q": self.person.full_name}).content.decode()
            if self._whole_identifiers_in(text.split('id="results-heading"', 1)[-1]):
                self.fail("search", f"{where} shows their whole NHS number or UPN")
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
            if record in home or not does_not_show(home, self.person.family_name):
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

    def in_full(self, actual: bool, where: str) -> None:
        """Whether the record is read in full, not only its reference and outcome (issue 10,
        findings 7 and 8). Not checked for a row that leaves the column off."""
        if "in_full" in self.row.expected and actual != self.row.expected["in_full"]:
            self.fail("in_full", f"{where} says {'in full' if actual else 'reduced'}")

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
        if not does_not_show(text, person.full_name):
            self.problems.append(f"{where} names the restricted child {person.full_name}")

    def assert_as_expected(self) -> None:
        assert not self.problems, f"permission_matrix.csv line {self.row.line}:\n" + "\n".join(
            self.problems
        )
