"""An audit programme's report as a PDF: a kind of build of the partnership report's
background machinery (``performance.report_builds``, decision 0013), printed with its
stylesheet. The build's ``subject`` is the programme's id, and ``:`` and the council's id
for one council's report."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import User
from continuum.case_audits.models import AuditProgramme
from continuum.case_audits.policies import CaseAuditAction, CouncilReport
from continuum.case_audits.report import figures
from continuum.organisations.models import Council
from continuum.performance import report_builds
from continuum.performance.models import ReportBuild

KIND = "case_audit_report"
TEMPLATE = "case_audits/report/report_pdf.html"


def subject_of(programme: AuditProgramme, council: Council | None) -> str:
    return f"{programme.pk}:{council.pk}" if council else str(programme.pk)


def report_of(build: ReportBuild) -> tuple[AuditProgramme, Council | None]:
    programme_id, _, council_id = build.subject.partition(":")
    programme = AuditProgramme.objects.get(pk=programme_id)
    council = Council.objects.get(pk=int(council_id)) if council_id else None
    return programme, council


def may_see(user: User, programme: AuditProgramme, council: Council | None) -> bool:
    """Whether ``user`` may see the programme's report (one council's, or across)."""
    obj = CouncilReport(programme, council) if council else programme
    return policy.can(user, CaseAuditAction.VIEW_REPORT, obj)


def _may_follow(user: User, build: ReportBuild) -> bool:
    try:
        programme, council = report_of(build)
    except (AuditProgramme.DoesNotExist, Council.DoesNotExist, ValueError):
        return False
    return may_see(user, programme, council)


def _figures(build: ReportBuild) -> figures.AuditReport:
    programme, council = report_of(build)
    return figures.build(programme, council)


def _export_terms(build: ReportBuild) -> dict[str, str]:
    programme, council = report_of(build)
    return {
        "report": "audit programme report PDF",
        "programme": programme.title,
        "councils": council.name if council else "all the programme's councils",
    }


def _progress_url(build: ReportBuild) -> str:
    return reverse("case_audits:report-build", args=[build.pk])


def request_pdf(
    *, user: User, programme: AuditProgramme, council: Council | None
) -> tuple[ReportBuild, bool]:
    """Start making the report's PDF for ``user`` (or answer the build they have
    running), and whether it is new. Refuses (``NotPermitted``) a report they may not see."""
    obj = CouncilReport(programme, council) if council else programme
    policy.require(user, CaseAuditAction.VIEW_REPORT, obj)
    month = date(timezone.localdate().year, timezone.localdate().month, 1)
    return report_builds.request_build(
        user, kind=KIND, month=month, subject=subject_of(programme, council)
    )


def register() -> None:
    report_builds.register_kind(
        KIND,
        report_builds.Kind(
            figures=_figures,
            template=TEMPLATE,
            filename=lambda report: report.filename,
            may_follow=_may_follow,
            export_terms=_export_terms,
            progress_url=_progress_url,
        ),
    )
