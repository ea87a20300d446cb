"""Who may read an audit programme's report (``CaseAuditAction.VIEW_REPORT``): the
partnership lead, across councils and each council's; a council's team managers,
strategic leads and analysts their own council's only, while it is in the programme;
nobody else, and nobody while the programme is being planned."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from continuum.access import policy
from continuum.accounts.models import Role, User
from continuum.case_audits.choices import ProgrammeStatus
from continuum.case_audits.models import AuditProgramme
from continuum.case_audits.policies import CaseAuditAction, CouncilReport
from continuum.organisations.models import Council
from continuum.performance.models import ReportBuild

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened(programme: AuditProgramme) -> AuditProgramme:
    programme.status = ProgrammeStatus.OPEN
    programme.save(update_fields=["status"])
    return programme


def urls(
    programme: AuditProgramme, council: Council | None
) -> list[tuple[str, str, dict[str, object]]]:
    """(method, url, data) of every page and endpoint of the report, across councils or
    for ``council``."""
    query: dict[str, object] = {"council": council.pk} if council else {}
    page = (
        reverse("case_audits:council-report", args=[programme.pk, council.pk])
        if council
        else reverse("case_audits:report", args=[programme.pk])
    )
    return [
        ("get", page, {}),
        ("get", reverse("case_audits:report-download", args=[programme.pk, "summary"]), query),
        ("get", reverse("case_audits:report-pdf", args=[programme.pk]), query),
        ("post", reverse("case_audits:report-pdf", args=[programme.pk]), query),
        ("get", f"/api/v1/audit-programmes/{programme.pk}/report", query),
        ("post_json", f"/api/v1/audit-programmes/{programme.pk}/report-pdfs", query),
    ]


def answers(
    client: Client, user: User, programme: AuditProgramme, council: Council | None
) -> list[int]:
    client.force_login(user)
    codes = []
    for method, url, data in urls(programme, council):
        if method == "post_json":
            response = client.post(url, data=data, content_type="application/json")
        else:
            response = getattr(client, method)(url, data)
        codes.append(response.status_code)
        ReportBuild.objects.all().delete()  # one build at a time: start each afresh
    return codes


ALLOWED = [200, 200, 200, 303, 200, 202]


def test_the_lead_sees_the_report_across_councils_and_each_councils(
    client: Client,
    partnership_lead: User,
    opened: AuditProgramme,
    stockton: Council,
    hartlepool: Council,
) -> None:
    assert answers(client, partnership_lead, opened, None) == ALLOWED
    assert answers(client, partnership_lead, opened, stockton) == ALLOWED
    assert answers(client, partnership_lead, opened, hartlepool) == ALLOWED


@pytest.mark.parametrize("role", [Role.TEAM_MANAGER, Role.STRATEGIC_LEAD, Role.PERFORMANCE_ANALYST])
def test_a_councils_readers_see_only_their_councils_report(
    client: Client,
    make_user: Callable[..., User],
    opened: AuditProgramme,
    stockton: Council,
    hartlepool: Council,
    role: str,
) -> None:
    reader = make_user(role, council=stockton)
    assert answers(client, reader, opened, stockton) == ALLOWED
    assert answers(client, reader, opened, hartlepool) == [403] * 6
    assert answers(client, reader, opened, None) == [403] * 6


def test_a_council_not_in_the_programme_has_no_report_of_it(
    client: Client,
    partnership_lead: User,
    make_user: Callable[..., User],
    opened: AuditProgramme,
    redcar: Council,
) -> None:
    assert answers(client, partnership_lead, opened, redcar) == [403] * 6
    # Redcar's analyst does not see the programme at all.
    analyst = make_user(Role.PERFORMANCE_ANALYST, council=redcar)
    assert answers(client, analyst, opened, redcar) == [404] * 6
    assert not policy.can(analyst, CaseAuditAction.VIEW_REPORT, CouncilReport(opened, redcar))


@pytest.mark.parametrize("who", ["redcar_auditor", "teacher", "worker", "eh_worker", "ig_lead"])
def test_auditors_partners_and_practitioners_are_refused(
    client: Client,
    request: pytest.FixtureRequest,
    opened: AuditProgramme,
    stockton: Council,
    who: str,
) -> None:
    user = request.getfixturevalue(who)
    assert answers(client, user, opened, None) == [403] * 6
    assert answers(client, user, opened, stockton) == [403] * 6


def test_nobody_sees_the_report_of_a_programme_being_planned(
    client: Client,
    partnership_lead: User,
    manager: User,
    programme: AuditProgramme,
    stockton: Council,
) -> None:
    assert programme.status == ProgrammeStatus.PLANNING
    assert answers(client, partnership_lead, programme, None) == [403] * 6
    assert answers(client, partnership_lead, programme, stockton) == [403] * 6
    assert answers(client, manager, programme, stockton) == [404] * 6  # not even seen


def test_a_closed_programmes_report_is_still_read(
    client: Client,
    partnership_lead: User,
    manager: User,
    opened: AuditProgramme,
    stockton: Council,
) -> None:
    opened.status = ProgrammeStatus.CLOSED
    opened.save(update_fields=["status"])
    assert answers(client, partnership_lead, opened, None) == ALLOWED
    assert answers(client, manager, opened, stockton) == ALLOWED


def test_a_pdf_build_is_refused_to_whoever_may_no_longer_see_the_report(
    client: Client,
    manager: User,
    opened: AuditProgramme,
    stockton: Council,
    make_user: Callable[..., User],
    middlesbrough: Council,
) -> None:
    client.force_login(manager)
    client.post(reverse("case_audits:report-pdf", args=[opened.pk]), {"council": stockton.pk})
    build = ReportBuild.objects.get()
    progress = reverse("case_audits:report-build", args=[build.pk])
    assert client.get(progress).status_code == 200
    assert client.get(f"/api/v1/audit-report-pdfs/{build.pk}").status_code == 200
    # The manager moves to Middlesbrough: the Stockton report's build is no longer theirs.
    manager.organisation = make_user(Role.TEAM_MANAGER, council=middlesbrough).organisation
    manager.save(update_fields=["organisation"])
    assert client.get(progress).status_code == 404
    assert client.get(f"/api/v1/audit-report-pdfs/{build.pk}").status_code == 404
