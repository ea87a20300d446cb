"""The permission matrix for reminders (issue 12): permission_matrix.csv's reminder rows
drive one test each. A reminder the user set on a person's record is theirs only while
they may still see the record: then it is on the record's tab, in their work tray (page
and API), counted, and they mark it done; otherwise none of these reveals it."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import Role
from continuum.organisations.models import Council
from continuum.tests.matrix.checks import RecordCheck, signed_in
from continuum.tests.matrix.rows import REMINDER_ROWS, Row
from continuum.tests.matrix.situations import build_situation
from continuum.work.models import RecordKind, Reminder

TEXT = "Matrix reminder: ring the family back"


def _reminders_count(client: Client) -> tuple[int, bool]:
    """The work API's count of reminders, and whether it lists the reminder at all."""
    response = client.get("/api/v1/work")
    if response.status_code == 403:  # an account with no case access has no work tray
        return 0, False
    assert response.status_code == 200, response.status_code
    body = response.json()
    sections = {s["key"]: s for s in body["sections"]}
    reminders = sections.get("reminders", {"count": 0})
    return reminders["count"], TEXT in response.content.decode()


@pytest.mark.parametrize("row", REMINDER_ROWS, ids=[row.id for row in REMINDER_ROWS])
def test_reminder_permission_matrix(
    row: Row, stockton: Council, hartlepool: Council, shared_client: Client
) -> None:
    user, person = build_situation(row, stockton, hartlepool)
    reminder = Reminder.objects.create(
        user=user,
        record_kind=RecordKind.PERSON,
        record_id=person.pk,
        due_on=timezone.localdate(),
        text=TEXT,
    )
    client = signed_in(shared_client, user)
    check = RecordCheck(client, row)
    page = check.page("work:person-reminders", person.pk)
    if row.expected["view_page"] and TEXT not in page:
        check.fail("view_page", "the record's reminders tab does not show it")
    home = client.get(reverse("web:home")).content.decode()
    count, listed = _reminders_count(client)
    on_home = TEXT in home
    if on_home != row.expected["queue"] or listed != row.expected["queue"]:
        check.fail("queue", f"home page lists it: {on_home}; GET /api/v1/work lists it: {listed}")
    if not row.expected["queue"] and person.full_name in home:
        check.fail("queue", "the home page names the person")
    if count != (1 if row.expected["count"] else 0):
        check.fail("count", f"GET /api/v1/work counts {count}")
    status = client.post(reverse("work:reminder-done", args=[reminder.pk])).status_code
    reminder.refresh_from_db()
    if row.expected["work"]:
        if status != 302 or reminder.done_at is None:
            check.fail("work", f"POST done -> {status}, done: {reminder.done_at is not None}")
    else:
        api = client.post(
            f"/api/v1/work/reminders/{reminder.pk}/done", {}, content_type="application/json"
        ).status_code
        reminder.refresh_from_db()
        # 404, or 403 when the account may not use the work tray at all (whatever the id).
        anyone = client.post(reverse("work:reminder-done", args=[uuid.uuid4()])).status_code
        refused = status == 404 or (status == 403 and anyone == 403)
        if not refused or api not in (403, 404) or reminder.done_at is not None:
            check.fail("work", f"POST done -> {status}, API -> {api}, done: {reminder.done_at}")
    check.assert_as_expected()


def test_the_matrix_covers_every_role_for_reminders() -> None:
    assert {row.role for row in REMINDER_ROWS} == set(Role.values)
    assert {"involved", "involvement_ended"} <= {row.relationship for row in REMINDER_ROWS}
    assert {"listed", "unlisted"} <= {row.restricted for row in REMINDER_ROWS}
