"""Threshold agreement on a known small set: per council and across, the same figures as
``consistency.agreement`` on the same pairs, and a matrix counted by hand; the page, the
download and the API, and who may see them."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import Role, User
from continuum.case_audits.agreement import agreement_for, kappa_reading
from continuum.case_audits.choices import ProgrammeStatus
from continuum.case_audits.consistency import agreement
from continuum.case_audits.models import AuditProgramme, BlindRegrade
from continuum.case_audits.tests.regrades_builders import (
    decided_contact,
    open_programme,
    regrade_of,
)
from continuum.organisations.models import Council, OrganisationKind
from continuum.testing import factories

pytestmark = pytest.mark.django_db

# (council, front door's level, auditor's level or None for "seen without grading")
STOCKTON = [(1, 1), (2, 2), (2, 3), (3, 3), (3, 3), (4, 2), (2, None)]
HARTLEPOOL = [(1, 2), (2, 2), (3, 3), (4, 4), (3, 2)]


def _make(programme: AuditProgramme, council: Council, rows: list[Any], auditor: User) -> None:
    now = timezone.now()
    for decided, regraded in rows:
        r = regrade_of(programme, decided_contact(council, decided), auditor)
        BlindRegrade.objects.filter(pk=r.pk).update(
            level=regraded,
            rationale="" if regraded is None else '=HYPERLINK("http://x")',
            graded_at=None if regraded is None else now,
            revealed_at=now,
        )


@pytest.fixture
def programme(
    stockton: Council,
    hartlepool: Council,
    partnership_lead: User,
    redcar_auditor: User,
    middlesbrough_auditor: User,
) -> AuditProgramme:
    programme = open_programme(
        councils=[stockton, hartlepool], lead=partnership_lead, moderators=[middlesbrough_auditor]
    )
    _make(programme, stockton, STOCKTON, redcar_auditor)
    _make(programme, hartlepool, HARTLEPOOL, redcar_auditor)
    # One not yet done.
    regrade_of(programme, decided_contact(hartlepool, 2), redcar_auditor)
    return programme


def _pairs(rows: list[Any]) -> list[tuple[int, int]]:
    return [(d, a) for d, a in rows if a is not None]


def test_agreement_per_council_and_across(
    programme: AuditProgramme, stockton: Council, hartlepool: Council
) -> None:
    for council, rows in ((stockton, STOCKTON), (hartlepool, HARTLEPOOL)):
        result = agreement_for(programme=programme, council=council)
        assert result.agreement == agreement(_pairs(rows))
    across = agreement_for(programme=programme)
    assert across.agreement == agreement(_pairs(STOCKTON + HARTLEPOOL))
    # Counted by hand: front door's level in rows, the auditor's in columns.
    assert across.agreement.matrix == (
        (1, 1, 0, 0),
        (0, 2, 1, 0),
        (0, 1, 3, 0),
        (0, 1, 0, 1),
    )
    assert across.agreement.pairs == 11 and across.agreement.agreed == 7
    assert (across.sampled, across.graded, across.revealed_without_grading) == (13, 11, 1)
    assert across.outstanding == 1
    stockton_result = agreement_for(programme=programme, council=stockton)
    assert (stockton_result.sampled, stockton_result.graded) == (7, 6)
    assert stockton_result.revealed_without_grading == 1
    assert stockton_result.agreement.matrix == (
        (1, 0, 0, 0),
        (0, 1, 1, 0),
        (0, 0, 2, 0),
        (0, 1, 0, 0),
    )
    # The disagreements, furthest apart first.
    assert [(d.council, d.front_door_level, d.auditor_level) for d in across.disagreements] == [
        ("Stockton-on-Tees", 4, 2),
        ("Hartlepool", 1, 2),
        ("Hartlepool", 3, 2),
        ("Stockton-on-Tees", 2, 3),
    ]
    kappa, low, high = (
        across.agreement.kappa,
        across.agreement.kappa_low,
        across.agreement.kappa_high,
    )
    assert kappa is not None and low is not None and high is not None
    assert low < kappa < high


def test_seeing_the_decision_without_grading_leaves_a_contact_out(
    programme: AuditProgramme, stockton: Council
) -> None:
    result = agreement_for(programme=programme, council=stockton)
    assert result.agreement.pairs == len(_pairs(STOCKTON)) == len(STOCKTON) - 1


def test_kappa_is_not_computed_without_variation(
    stockton: Council, partnership_lead: User, redcar_auditor: User
) -> None:
    programme = open_programme(councils=[stockton], lead=partnership_lead)
    _make(programme, stockton, [(2, 2), (2, 2)], redcar_auditor)
    result = agreement_for(programme=programme)
    assert result.agreement.kappa is None and result.agreement.percentage == 100.0
    assert result.kappa_reading == "not enough variation to compute"
    assert kappa_reading(0.5) == "moderate" and kappa_reading(-0.1) == "poor"


def test_the_consistency_page_download_and_api(
    client: Client, programme: AuditProgramme, partnership_lead: User
) -> None:
    client.force_login(partnership_lead)
    page = client.get(reverse("case_audits:consistency", args=[programme.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Across the councils" in text and "Landis and Koch" in text
    assert "63.6% (7 of 11)" in text
    download = client.get(reverse("case_audits:consistency-download", args=[programme.pk]))
    assert download.status_code == 200
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert rows[3][:5] == ["Across the councils", "13", "11", "1", "7"]
    rationales = [row[4] for row in rows[6:]]
    assert rationales and all(r.startswith("'=") for r in rationales)
    api = client.get(f"/api/v1/audit-programmes/{programme.pk}/agreement").json()
    expected = agreement(_pairs(STOCKTON + HARTLEPOOL))
    assert api["across"]["matrix"] == [list(row) for row in expected.matrix]
    assert api["across"]["kappa"] == pytest.approx(expected.kappa)
    assert api["across"]["kappa_low"] == pytest.approx(expected.kappa_low)
    assert [c["council_name"] for c in api["councils"]] == ["Hartlepool", "Stockton-on-Tees"]
    assert len(api["across"]["disagreements"]) == 4


def test_who_sees_the_agreement(
    client: Client,
    programme: AuditProgramme,
    redcar_auditor: User,
    middlesbrough_auditor: User,
    make_user: Callable[..., User],
    stockton: Council,
    manager: User,
    worker: User,
) -> None:
    urls = [
        reverse("case_audits:consistency", args=[programme.pk]),
        reverse("case_audits:consistency-download", args=[programme.pk]),
        f"/api/v1/audit-programmes/{programme.pk}/agreement",
    ]
    # The programme's moderator may.
    client.force_login(middlesbrough_auditor)
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]
    # The auditor who re-graded, not a moderator: sees the programme, not the agreement.
    client.force_login(redcar_auditor)
    assert [client.get(url).status_code for url in urls] == [403, 403, 403]
    # A council's manager and front-door worker: not theirs at all.
    for user in (manager, worker):
        client.force_login(user)
        assert [client.get(url).status_code for url in urls] == [403, 403, 403]
    # A lead whose organisation serves none of these councils: the programme is not there.
    elsewhere = factories.OrganisationFactory(
        name="Another safeguarding partnership", kind=OrganisationKind.SAFEGUARDING_PARTNERSHIP
    )
    other = make_user(Role.SAFEGUARDING_PARTNERSHIP_LEAD, organisation=elsewhere)
    client.force_login(other)
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    # The moderator, once the programme has closed.
    AuditProgramme.objects.filter(pk=programme.pk).update(status=ProgrammeStatus.CLOSED)
    client.force_login(middlesbrough_auditor)
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    client.logout()
    assert client.get(urls[0]).status_code == 302
    assert client.get(urls[2]).status_code == 401
