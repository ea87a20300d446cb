"""The permission matrix for case notes (issue 12): permission_matrix.csv's ``case_note``
and ``sensitive_case_note`` rows, one test per row. Each builds the episode's situation
(``matrix.situations.build_case_note``) with a note by its lead professional, or a contact's
situation with a note by the front door, and checks the
note's page and API, the episode's list of notes (listed and counted), writing a note on
the episode (work), adding an addendum (edit) and whether the content is read (in_full)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from continuum.accounts.models import Role
from continuum.case_notes.models import Addendum, CaseNote
from continuum.front_door.models import Contact
from continuum.organisations.models import Council
from continuum.tests.matrix.checks import RecordCheck, signed_in
from continuum.tests.matrix.rows import CASE_NOTE_ROWS, SENSITIVE_CASE_NOTE_ROWS, Row
from continuum.tests.matrix.situations import build_case_note

NOTE_TEXT = "Matrix note: the routines at home are settling."


def test_the_case_note_rows_cover_every_role_and_the_end_of_involvement() -> None:
    for rows in (CASE_NOTE_ROWS, SENSITIVE_CASE_NOTE_ROWS):
        assert {row.role for row in rows} == set(Role.values)
        relationships = {row.relationship for row in rows}
        assert {"lead_professional_closed", "taf_member_left", "taf_member_future"} <= (
            relationships
        )
        assert {row.restricted for row in rows} == {"no", "listed", "unlisted"}
        # Notes on a contact too, and the referrer who made it among those who never see them.
        assert {"on_contact", "on_contact_made_it"} <= relationships
    # The sensitive rows differ where they should: a TAF member from another organisation
    # sees that the note exists, not what it says.
    sensitive = {row.id: row.expected for row in SENSITIVE_CASE_NOTE_ROWS}
    taf = sensitive["partner_practitioner-partner-own-taf_member-no"]
    assert taf["view_page"] and not taf["in_full"] and not taf["edit"]


def _listed(check: RecordCheck, url: str, pk: object) -> None:
    """Listed and counted in the episode's notes; when denied, not listed (or the episode is
    not found at all)."""
    response = check.client.get(url)
    if response.status_code == 404 and not check.row.expected["search"]:
        return
    if response.status_code != 200:
        check.fail("search", f"GET {url} -> {response.status_code}")
        return
    body = response.json()
    listed = str(pk) in {item["id"] for item in body["items"]}
    if listed != check.row.expected["search"]:
        check.fail("search", f"GET {url} {'lists' if listed else 'does not list'} it")
    if body["count"] != (1 if check.row.expected["count"] else 0):
        check.fail("count", f"GET {url} counts {body['count']}")


def _check(
    row: Row, stockton: Council, hartlepool: Council, client: Client, sensitive: bool
) -> None:
    user, record, note = build_case_note(row, stockton, hartlepool, sensitive=sensitive)
    notes = (
        f"/api/v1/contacts/{record.pk}/notes"
        if isinstance(record, Contact)
        else f"/api/v1/episodes/{record.pk}/notes"
    )
    client = signed_in(client, user)
    check = RecordCheck(client, row)
    page = check.page("case_notes:note", note.pk)
    api = check.api_detail(f"/api/v1/notes/{note.pk}", note.pk)
    if page:
        check.in_full(NOTE_TEXT in page, "the note's page")
    if api:
        check.in_full(
            not client.get(f"/api/v1/notes/{note.pk}").json()["content_withheld"],
            "GET /api/v1/notes/{id}",
        )
    elif not row.expected["view_api"]:
        check.in_full(False, "no sight of the note")
    _listed(check, notes, note.pk)
    url = f"/api/v1/notes/{note.pk}/addenda"
    status = client.post(url, {"text": "Matrix addendum."}, content_type="application/json")
    check.work("edit", f"POST {url}", status.status_code, 201, Addendum.objects.exists())
    url = notes
    new = {
        "note_type": "phone_call",
        "occurred_at": timezone.now().isoformat(),
        "text": "Matrix: rang Mum about the next visit.",
    }
    status = client.post(url, new, content_type="application/json")
    saved = CaseNote.objects.exclude(pk=note.pk).exists()
    check.work("work", f"POST {url}", status.status_code, 201, saved)
    check.assert_as_expected()


@pytest.mark.parametrize("row", CASE_NOTE_ROWS, ids=[row.id for row in CASE_NOTE_ROWS])
def test_case_note_permission_matrix(
    row: Row, stockton: Council, hartlepool: Council, shared_client: Client
) -> None:
    _check(row, stockton, hartlepool, shared_client, sensitive=False)


@pytest.mark.parametrize(
    "row", SENSITIVE_CASE_NOTE_ROWS, ids=[row.id for row in SENSITIVE_CASE_NOTE_ROWS]
)
def test_sensitive_case_note_permission_matrix(
    row: Row, stockton: Council, hartlepool: Council, shared_client: Client
) -> None:
    _check(row, stockton, hartlepool, shared_client, sensitive=True)
