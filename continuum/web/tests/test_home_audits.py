"""The safeguarding partnership lead's home page: what they run (programmes being planned,
open, closed, and cases awaiting moderation, as the policy lets them see each) and the way to
the programmes and the templates; the auditor's page says what they audit and for how long."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from continuum.accounts.models import Role
from continuum.case_audits.choices import CaseStatus, ProgrammeStatus
from continuum.organisations.models import OrganisationKind
from continuum.testing import factories

pytestmark = pytest.mark.django_db

HOME = reverse("web:home")


def _count(page: str, testid: str) -> str:
    marker = f'data-testid="{testid}">'
    start = page.index(marker) + len(marker)
    return page[start : page.index("<", start)]


def test_the_partnership_lead_sees_the_programmes_they_run_by_stage(
    client: Any, make_user: Any, stockton: Any, hartlepool: Any
) -> None:
    lead = make_user(Role.SAFEGUARDING_PARTNERSHIP_LEAD, username="partnership.lead")
    for status in (ProgrammeStatus.PLANNING, ProgrammeStatus.OPEN, ProgrammeStatus.OPEN):
        factories.AuditProgrammeFactory(status=status, councils=[stockton, hartlepool])
    factories.AuditProgrammeFactory(status=ProgrammeStatus.CLOSED, councils=[stockton])
    open_one = factories.AuditProgrammeFactory(status=ProgrammeStatus.OPEN, councils=[stockton])
    for case_status in (CaseStatus.SUBMITTED, CaseStatus.SUBMITTED, CaseStatus.IN_PROGRESS):
        factories.AuditCaseFactory(programme=open_one, status=case_status)
    # Another partnership's programme: a council the lead's partnership does not serve.
    elsewhere = factories.CouncilFactory()
    other = factories.AuditProgrammeFactory(status=ProgrammeStatus.OPEN, councils=[elsewhere])
    factories.AuditCaseFactory(programme=other, status=CaseStatus.SUBMITTED)
    client.force_login(lead)

    page = client.get(HOME).content.decode()

    assert _count(page, "programmes-planning") == "1"
    assert _count(page, "programmes-open") == "3"
    assert _count(page, "programmes-closed") == "1"
    assert _count(page, "cases-awaiting-moderation") == "2"
    assert f'href="{reverse("case_audits:templates")}"' in page
    assert "You do not see people's records." in page


def test_a_lead_of_a_partnership_serving_no_council_is_shown_no_programmes(
    client: Any, make_user: Any, stockton: Any
) -> None:
    lonely = factories.OrganisationFactory(
        name="A partnership serving nobody", kind=OrganisationKind.SAFEGUARDING_PARTNERSHIP
    )
    lead = make_user(Role.SAFEGUARDING_PARTNERSHIP_LEAD, organisation=lonely, username="lead.x")
    factories.AuditProgrammeFactory(status=ProgrammeStatus.OPEN, councils=[stockton])
    client.force_login(lead)

    page = client.get(HOME).content.decode()

    assert 'data-testid="programmes-open"' not in page


def test_the_auditors_home_says_what_they_audit_and_until_when(
    client: Any, make_user: Any, hartlepool: Any
) -> None:
    client.force_login(make_user(Role.AUDITOR, council=hartlepool, username="auditor.h"))

    page = client.get(HOME).content.decode()

    assert "never your own council" in page
    assert "your access ends when the programme closes" in page
    assert "You are not auditing a case at the moment." in page
    assert 'data-testid="programmes-open"' not in page
