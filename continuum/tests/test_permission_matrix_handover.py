"""The permission matrix for an episode's lead professionals and handover, and for closing
an episode with a manager's sign-off (issue 12): permission_matrix.csv's handover and
closure_sign_off rows, each built as the episode's situation is (``build_episode``), drive
one test per row."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from continuum.accounts.models import Role
from continuum.early_help import services
from continuum.early_help.choices import ClosureSignOff, EpisodeStatus
from continuum.early_help.models import (
    Closure,
    ClosureRequest,
    Episode,
    LeadProfessionalHandover,
)
from continuum.organisations.models import Council
from continuum.tests.builders import council_staff
from continuum.tests.matrix.checks import RecordCheck, signed_in
from continuum.tests.matrix.rows import (
    CLOSURE_SIGN_OFF_ROWS,
    COUNCIL_EMPLOYED_ROLES,
    COUNCILS,
    EPISODE_ROWS,
    HANDOVER_ROWS,
    RESTRICTED,
    Row,
)
from continuum.tests.matrix.situations import build_episode


def test_the_handover_and_sign_off_rows_cover_every_episode_situation() -> None:
    episode_situations = {row.id for row in EPISODE_ROWS}
    assert {row.id for row in HANDOVER_ROWS} == episode_situations
    assert {row.id for row in CLOSURE_SIGN_OFF_ROWS} == episode_situations
    for rows in (HANDOVER_ROWS, CLOSURE_SIGN_OFF_ROWS):
        assert {row.role for row in rows} == set(Role.values)
        for role in COUNCIL_EMPLOYED_ROLES:
            places = {
                (row.council, row.restricted)
                for row in rows
                if row.role == role and row.employer == "council" and row.relationship == "none"
            }
            assert places == {(c, r) for c in COUNCILS for r in RESTRICTED}, role


def _manager_page(
    check: RecordCheck, client: Client, action: str, url: str, missing: str, seen: bool
) -> None:
    """A team manager's page of the episode: 200 when allowed; denied, 404 when the episode
    is not seen, else 403 (and 403 to a role that may never do it, whatever the id)."""
    status = client.get(url).status_code
    if check.row.expected[action]:
        if status != 200:
            check.fail(action, f"GET {url} -> {status}")
        return
    never = client.get(missing).status_code == 403
    wanted = {403} if seen or never else {404}
    if status not in wanted:
        check.fail(action, f"GET {url} -> {status} (wanted {sorted(wanted)})")


@pytest.mark.parametrize("row", HANDOVER_ROWS, ids=[row.id for row in HANDOVER_ROWS])
def test_handover_permission_matrix(
    row: Row, stockton: Council, hartlepool: Council, shared_client: Client
) -> None:
    user, episode, _ = build_episode(row, stockton, hartlepool)
    new_lead = council_staff(
        episode.council, username="matrix.newlead", role=Role.EARLY_HELP_PRACTITIONER
    )
    client = signed_in(shared_client, user)
    check = RecordCheck(client, row)
    check.page("early_help:lead-professionals", episode.pk)
    response = client.get(f"/api/v1/episodes/{episode.pk}/lead-professionals")
    if response.status_code != (200 if row.expected["view_api"] else 404):
        check.fail("view_api", f"GET .../lead-professionals -> {response.status_code}")
    _manager_page(
        check,
        client,
        "edit",
        reverse("early_help:handover", kwargs={"pk": episode.pk}),
        reverse("early_help:handover", kwargs={"pk": uuid.uuid4()}),
        row.expected["view_page"],
    )
    choices = f"/api/v1/episodes/{episode.pk}/lead-professional-choices"
    status = client.get(choices).status_code
    wanted = 200 if row.expected["edit"] else (403 if row.expected["view_api"] else 404)
    if status != wanted:
        check.fail("edit", f"GET {choices} -> {status} (wanted {wanted})")
    url = f"/api/v1/episodes/{episode.pk}/handover"
    body = {
        "lead_professional": new_lead.pk,
        "reason": "The family's new worker at the council.",
        "version": episode.version,
    }
    status = client.post(url, body, content_type="application/json").status_code
    saved = LeadProfessionalHandover.objects.filter(episode=episode).exists()
    check.work("work", f"POST {url}", status, 200, saved)
    check.assert_as_expected()


def _ask_to_close(episode: Episode) -> ClosureRequest | None:
    """The lead professional's request, waiting for sign-off (none for a closed episode)."""
    if episode.status == EpisodeStatus.CLOSED:
        return None
    assert episode.lead_professional is not None
    asked = services.request_closure(
        episode=episode,
        by=episode.lead_professional,
        expected_version=episode.version,
        reason="needs_met",
        need_outcomes={},
        early_closure_confirmed=True,
    )
    assert isinstance(asked, ClosureRequest)
    return asked


@pytest.mark.parametrize(
    "row", CLOSURE_SIGN_OFF_ROWS, ids=[row.id for row in CLOSURE_SIGN_OFF_ROWS]
)
def test_closure_sign_off_permission_matrix(
    row: Row, stockton: Council, hartlepool: Council, shared_client: Client
) -> None:
    user, episode, _ = build_episode(row, stockton, hartlepool)
    if row.relationship.startswith("lead_professional") and user.role == Role.TEAM_MANAGER:
        pytest.skip("a team manager leading the episode closes it without a request")
    asked = _ask_to_close(episode)
    episode.refresh_from_db()
    client = signed_in(shared_client, user)
    check = RecordCheck(client, row)
    request_id = asked.pk if asked else 999999
    _manager_page(
        check,
        client,
        "view_page",
        reverse("early_help:closure-sign-off", args=[episode.pk, request_id]),
        reverse("early_help:closure-sign-off", args=[uuid.uuid4(), request_id]),
        row.expected["view_api"],
    )
    response = client.get(f"/api/v1/episodes/{episode.pk}/closure-requests")
    if response.status_code != (200 if row.expected["view_api"] else 404):
        check.fail("view_api", f"GET .../closure-requests -> {response.status_code}")

    url = f"/api/v1/episodes/{episode.pk}/closure-requests/{request_id}/decision"
    body = {"decision": "not_agreed", "reason": "Not yet.", "version": episode.version}
    status = client.post(url, body, content_type="application/json").status_code
    saved = ClosureRequest.objects.filter(
        decision=ClosureSignOff.NOT_AGREED, decided_by=user
    ).exists()
    check.work("decide", f"POST {url}", status, 200, saved)

    # Whatever the decision, no request waits now, so the user may ask afresh.
    ClosureRequest.objects.filter(decision=ClosureSignOff.PENDING).update(
        decision=ClosureSignOff.NOT_AGREED
    )
    requests_before = ClosureRequest.objects.count()
    episode.refresh_from_db()
    url = f"/api/v1/episodes/{episode.pk}/closure"
    body = {
        "reason": "needs_met",
        "need_outcomes": [],
        "early_closure_confirmed": True,
        "version": episode.version,
    }
    status = client.post(url, body, content_type="application/json").status_code
    manager_closes = user.role == Role.TEAM_MANAGER
    if manager_closes:
        saved = Closure.objects.filter(episode=episode).exists()
    else:
        saved = ClosureRequest.objects.count() > requests_before
    check.work("work", f"POST {url}", status, 201 if manager_closes else 202, saved)
    check.assert_as_expected()
