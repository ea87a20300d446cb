"""A programme's re-grades page and endpoint (the auditor's own to do and done; all, with
status, for the moderators and the partnership's lead), and the work tray's section."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import User
from continuum.case_audits.choices import ProgrammeStatus
from continuum.case_audits.models import AuditProgramme, BlindRegrade
from continuum.case_audits.services.regrades import grade_blind, reveal_without_grading
from continuum.case_audits.tests.regrades_builders import (
    decided_contact,
    open_programme,
    regrade_of,
)
from continuum.front_door.selectors import reference_of
from continuum.organisations.models import Council
from continuum.work.regrades import regrades_to_do

pytestmark = pytest.mark.django_db


@pytest.fixture
def regrades(
    stockton: Council,
    hartlepool: Council,
    partnership_lead: User,
    redcar_auditor: User,
    middlesbrough_auditor: User,
) -> list[BlindRegrade]:
    programme = open_programme(
        councils=[stockton, hartlepool], lead=partnership_lead, moderators=[middlesbrough_auditor]
    )
    mine = [
        regrade_of(programme, decided_contact(stockton, level), redcar_auditor)
        for level in (1, 2, 3)
    ]
    theirs = regrade_of(programme, decided_contact(hartlepool, 2), middlesbrough_auditor)
    grade_blind(regrade=mine[0], by=redcar_auditor, level=1, rationale="Universal.")
    reveal_without_grading(regrade=mine[1], by=redcar_auditor)
    return [*mine, theirs]


def test_the_auditor_sees_their_own_to_do_and_done(
    client: Client, regrades: list[BlindRegrade], redcar_auditor: User
) -> None:
    client.force_login(redcar_auditor)
    programme = regrades[0].programme
    page = client.get(reverse("case_audits:regrades", args=[programme.pk])).content.decode()
    to_do, done = page.split('<h2 class="govuk-heading-m">Your re-grades done</h2>')
    assert reference_of(regrades[2].contact) in to_do
    assert reference_of(regrades[0].contact) in done and reference_of(regrades[1].contact) in done
    assert reference_of(regrades[3].contact) not in page
    assert "All the programme" not in page
    api = client.get(f"/api/v1/audit-programmes/{programme.pk}/regrades").json()
    assert api["count"] == 3
    assert {row["status"] for row in api["items"]} == {
        "Re-graded",
        "Decision seen without grading",
        "To do",
    }


def test_the_moderator_and_lead_see_them_all(
    client: Client,
    regrades: list[BlindRegrade],
    middlesbrough_auditor: User,
    partnership_lead: User,
    manager: User,
    worker: User,
) -> None:
    programme = regrades[0].programme
    url = reverse("case_audits:regrades", args=[programme.pk])
    for user in (middlesbrough_auditor, partnership_lead):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert "All the programme" in page
        assert all(reference_of(r.contact) in page for r in regrades)
        api = client.get(f"/api/v1/audit-programmes/{programme.pk}/regrades").json()
        assert api["count"] == 4
    # A council's manager sees the programme (once it is open) but no re-grades; a
    # front-door worker, nothing.
    client.force_login(manager)
    assert client.get(f"/api/v1/audit-programmes/{programme.pk}/regrades").json()["count"] == 0
    assert client.get(reverse("case_audits:regrade", args=[regrades[0].pk])).status_code == 404
    client.force_login(worker)
    assert client.get(url).status_code == 403
    assert client.get(f"/api/v1/audit-programmes/{programme.pk}/regrades").status_code == 403
    assert client.get(f"/api/v1/regrades/{regrades[0].pk}").status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    assert client.get(f"/api/v1/regrades/{regrades[0].pk}").status_code == 401


def test_the_work_tray_lists_the_auditors_regrades_to_do(
    regrades: list[BlindRegrade], redcar_auditor: User, middlesbrough_auditor: User
) -> None:
    programme = regrades[0].programme
    today = timezone.localdate()
    section = regrades_to_do(user=redcar_auditor, today=today)
    assert [item.url for item in section.items] == [
        reverse("case_audits:regrade", args=[regrades[2].pk])
    ]
    assert reference_of(regrades[2].contact) in section.items[0].title
    assert section.overdue == 0
    assert programme.audits_due_on is not None
    late = regrades_to_do(user=redcar_auditor, today=programme.audits_due_on + timedelta(days=1))
    assert late.overdue == 1
    assert regrades_to_do(user=middlesbrough_auditor, today=today).count == 1
    AuditProgramme.objects.filter(pk=programme.pk).update(status=ProgrammeStatus.CLOSED)
    assert regrades_to_do(user=redcar_auditor, today=today).count == 0
