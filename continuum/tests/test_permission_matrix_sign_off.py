"""The permission matrix for a decision awaiting a team manager's sign-off (issue 12, rough
edge 2): permission_matrix.csv's sign_off rows drive one test each. The sign-off page, and
"not agreed" with a reason on the page and over the API: only the council's own team
managers; anyone else is refused (403 when they may see the contact, 404 when not) and
nothing changes."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from continuum.access import policy
from continuum.accounts.models import Role, User
from continuum.front_door import services
from continuum.front_door.choices import ContactStatus, Outcome
from continuum.front_door.models import Contact
from continuum.front_door.tests import triage_support
from continuum.organisations.models import Council
from continuum.tests.builders import council_staff
from continuum.tests.matrix.checks import RecordCheck, signed_in
from continuum.tests.matrix.rows import SIGN_OFF_ROWS, Row
from continuum.tests.matrix.situations import build_contact

REASON = "The bruising the school reported needs a conversation with the family first."


def _awaiting_sign_off(contact: Contact, worker: User) -> None:
    """``worker`` decides no further action against a level 3 indicator."""
    contact.refresh_from_db()
    services.decide_contact(
        contact=contact,
        by=worker,
        expected_version=contact.version,
        level=2,
        indicator_codes=triage_support.indicator_codes(3),
        outcome=Outcome.NO_FURTHER_ACTION,
        rationale="The family has support from school already.",
        difference_reason="The school's pastoral team meets the need.",
    )


def _state(contact: Contact) -> tuple[str, int]:
    contact.refresh_from_db()
    return contact.status, contact.version


def _check_refused(check: RecordCheck, action: str, what: str, status: int, sees: bool) -> None:
    wanted = 403 if sees else 404
    if status != wanted:
        check.fail(action, f"{what} -> {status} (wanted {wanted})")


@pytest.mark.parametrize("row", SIGN_OFF_ROWS, ids=[row.id for row in SIGN_OFF_ROWS])
def test_sign_off_permission_matrix(
    row: Row, stockton: Council, hartlepool: Council, shared_client: Client
) -> None:
    user, contact = build_contact(row, stockton, hartlepool)
    worker = council_staff(contact.council, username="matrix.decider", role=Role.FRONT_DOOR_WORKER)
    _awaiting_sign_off(contact, worker)
    client = signed_in(shared_client, user)
    check = RecordCheck(client, row)
    sees = policy.visible(user, Contact).filter(pk=contact.pk).exists()
    page = reverse("front_door:contact-sign-off", args=[contact.pk])

    status = client.get(page).status_code
    if row.expected["view_page"]:
        if status != 200:
            check.fail("view_page", f"GET {page} -> {status}")
    else:
        _check_refused(check, "view_page", f"GET {page}", status, sees)

    # The API first: "not agreed" returns the contact; then the worker decides again.
    before = _state(contact)
    api = client.post(
        f"/api/v1/contacts/{contact.pk}/sign-off",
        data=json.dumps({"agreed": False, "reason": REASON, "version": contact.version}),
        content_type="application/json",
    )
    returned = _state(contact)[0] == ContactStatus.RETURNED
    if row.expected["work"]:
        if api.status_code != 200 or not returned:
            check.fail("work", f"POST sign-off API -> {api.status_code}, returned: {returned}")
        else:
            _awaiting_sign_off(contact, worker)
    else:
        _check_refused(check, "work", "POST sign-off API", api.status_code, sees)
        if _state(contact) != before:
            check.fail("work", "the refused API call changed the contact")

    before = _state(contact)
    posted = client.post(
        page, {"version": contact.version, "answer": "not_agreed", "reason": REASON}
    )
    returned = _state(contact)[0] == ContactStatus.RETURNED
    if row.expected["decide"]:
        if posted.status_code != 302 or not returned:
            check.fail("decide", f"POST {page} -> {posted.status_code}, returned: {returned}")
    else:
        _check_refused(check, "decide", f"POST {page}", posted.status_code, sees)
        if _state(contact) != before:
            check.fail("decide", "the refused page changed the contact")
    check.assert_as_expected()
