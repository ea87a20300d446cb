"""The audit report's pages, table downloads, PDF (made in the background by the
partnership report's machinery) and API."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from continuum.accounts.models import Role, User
from continuum.audit.models import AccessAction, AccessLogEntry, ShownRecord
from continuum.case_audits.report import pdf as report_pdfs
from continuum.case_audits.tests import report_data
from continuum.organisations.models import Council
from continuum.performance import report_builds
from continuum.performance.models import ReportBuild, ReportBuildState

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(
    stockton: Council,
    hartlepool: Council,
    partnership_lead: User,
    stockton_auditor: User,
    make_user: Callable[..., User],
    manager: User,
) -> report_data.Reported:
    hartlepool_auditor = make_user(Role.AUDITOR, council=hartlepool, username="auditor.hpool")
    return report_data.build(
        stockton=stockton,
        hartlepool=hartlepool,
        lead=partnership_lead,
        stockton_auditor=stockton_auditor,
        hartlepool_auditor=hartlepool_auditor,
        owner=manager,
    )


def test_the_lead_reads_the_report_across_councils(
    client: Client, partnership_lead: User, reported: report_data.Reported
) -> None:
    client.force_login(partnership_lead)
    page = client.get(reverse("case_audits:report", args=[reported.programme.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    for heading in (
        "Summary",
        "Overall grades",
        "Grades by question and council",
        "Strengths and areas for improvement",
        "Threshold agreement",
        "Actions and their progress",
        "Front-door observations",
    ):
        assert heading in text
    assert "[c]" in text and "fewer than 5" in text
    assert "Counted, not quoted" in text and "Strengths written." not in text
    assert "Council&#x27;s own question" in text or "Council's own question" in text
    assert 'src="data:image/svg+xml;base64,' in text
    assert (
        reverse("case_audits:council-report", args=[reported.programme.pk, reported.stockton.pk])
        in text
    )
    # An aggregate names no one: no access-log row of a person.
    assert not ShownRecord.objects.exists()


def test_a_council_reader_reads_their_councils_report(
    client: Client, manager: User, reported: report_data.Reported
) -> None:
    client.force_login(manager)
    url = reverse("case_audits:council-report", args=[reported.programme.pk, reported.stockton.pk])
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Stockton-on-Tees" in text and "All councils" not in text


def test_each_table_downloads_as_csv_with_its_suppression(
    client: Client, partnership_lead: User, reported: report_data.Reported
) -> None:
    client.force_login(partnership_lead)
    url = reverse("case_audits:report-download", args=[reported.programme.pk, "overall-grades"])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert lines[0] == [
        "Council",
        "Outstanding",
        "Good",
        "Requires improvement",
        "Inadequate",
        "Total",
    ]
    stockton = next(line for line in lines if line[0] == "Stockton-on-Tees")
    assert stockton[4] == "[c]" and stockton[5] == "14"
    assert any("[c] fewer than 5" in line[0] for line in lines if line)
    one = client.get(url, {"council": reported.hartlepool.pk})
    assert [line[0] for line in csv.reader(io.StringIO(one.content.decode()))][1] == "Hartlepool"
    xlsx = client.get(url, {"format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    missing = reverse("case_audits:report-download", args=[reported.programme.pk, "no-such-table"])
    assert client.get(missing).status_code == 404


def test_the_pdf_is_built_in_the_background_and_its_download_logged(
    client: Client, partnership_lead: User, reported: report_data.Reported
) -> None:
    client.force_login(partnership_lead)
    pdf_url = reverse("case_audits:report-pdf", args=[reported.programme.pk])
    offer = client.get(pdf_url, {"council": reported.stockton.pk})
    assert offer.status_code == 200 and not ReportBuild.objects.exists()
    asked = client.post(pdf_url, {"council": reported.stockton.pk})
    assert asked.status_code == 303
    build = ReportBuild.objects.get()
    assert build.kind == report_pdfs.KIND and build.state == ReportBuildState.QUEUED
    assert build.subject == f"{reported.programme.pk}:{reported.stockton.pk}"
    assert asked["Location"] == reverse("case_audits:report-build", args=[build.pk])
    waiting = client.get(asked["Location"])
    assert waiting["Refresh"] == "3" and 'data-testid="progress"' in waiting.content.decode()

    report_builds.run(build.pk)  # what the worker does
    build.refresh_from_db()
    assert build.state == ReportBuildState.DONE, build.problem
    assert build.filename.startswith("audit-report-") and build.filename.endswith(".pdf")
    ready = client.get(asked["Location"])
    assert "Refresh" not in ready and "The PDF is ready" in ready.content.decode()
    before = AccessLogEntry.objects.count()
    pdf = client.get(asked["Location"], {"download": "1"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    entry = AccessLogEntry.objects.get(action=AccessAction.EXPORT)
    assert AccessLogEntry.objects.count() == before + 1
    assert "audit programme report PDF" in (entry.search_terms or "")
    assert not ShownRecord.objects.filter(entry=entry).exists()


def test_a_build_is_followed_only_by_whoever_asked(
    client: Client,
    partnership_lead: User,
    manager: User,
    reported: report_data.Reported,
) -> None:
    build, new = report_pdfs.request_pdf(
        user=manager, programme=reported.programme, council=reported.stockton
    )
    assert new
    client.force_login(partnership_lead)
    assert client.get(reverse("case_audits:report-build", args=[build.pk])).status_code == 404
    # ...and a partnership report build is not followed here either.
    client.force_login(manager)
    assert client.get(reverse("case_audits:report-build", args=[build.pk])).status_code == 200


def test_the_api_answers_the_figures(
    client: Client, partnership_lead: User, reported: report_data.Reported
) -> None:
    client.force_login(partnership_lead)
    url = f"/api/v1/audit-programmes/{reported.programme.pk}/report"
    body = client.get(url).json()
    assert body["title"].endswith("across its councils")
    tables = {t["key"]: t for s in body["sections"] for t in s["tables"]}
    assert tables["moderation"]["rows"][-1] == ["All councils", 26, 17, 10]
    assert body["themes"] and body["themes"][0].startswith("A1 ")
    one = client.get(url, {"council": reported.hartlepool.pk}).json()
    assert one["council"] == reported.hartlepool.pk
    assert [
        r[0] for r in {t["key"]: t for s in one["sections"] for t in s["tables"]}["summary"]["rows"]
    ] == ["Hartlepool"]


def test_the_api_starts_and_follows_a_pdf(
    client: Client, partnership_lead: User, reported: report_data.Reported
) -> None:
    client.force_login(partnership_lead)
    started = client.post(
        f"/api/v1/audit-programmes/{reported.programme.pk}/report-pdfs",
        data={"council": None},
        content_type="application/json",
    )
    assert started.status_code == 202
    build_id = started.json()["id"]
    assert client.get(f"/api/v1/audit-report-pdfs/{build_id}").json()["state"] == "queued"
    report_builds.run(build_id)
    state = client.get(f"/api/v1/audit-report-pdfs/{build_id}").json()
    assert state["state"] == "done" and state["download"].endswith("/download")
    pdf = client.get(state["download"])
    assert pdf.content.startswith(b"%PDF-")
