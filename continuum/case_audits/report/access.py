"""Which report a user asked for, as the policy lets them see it: the programme (404 if
they may not see it at all), and the council for one council's report (404 if there is no
such council); 403 (``NotPermitted``) for a report they may not read (``VIEW_REPORT``:
another council's, one of a council not in the programme, the report across councils for
a council's reader, any report of a programme still being planned)."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from continuum.access import policy
from continuum.accounts.models import User
from continuum.case_audits.models import AuditProgramme
from continuum.case_audits.policies import CaseAuditAction, CouncilReport
from continuum.organisations.models import Council


def report_for(
    user: User, programme_id: Any, council_id: Any = None
) -> tuple[AuditProgramme, Council | None]:
    programme = policy.get_visible_or_404(user, AuditProgramme, programme_id)
    if council_id in (None, ""):
        policy.require(user, CaseAuditAction.VIEW_REPORT, programme)
        return programme, None
    try:
        council = Council.objects.get(pk=int(str(council_id)))
    except (ValueError, Council.DoesNotExist):
        raise Http404("No such council.") from None
    policy.require(
        user,
        CaseAuditAction.VIEW_REPORT,
        CouncilReport(programme, council),
        message="You may see only the report of your own council, while it is in the programme.",
    )
    return programme, council
