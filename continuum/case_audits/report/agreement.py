"""The threshold agreement the report shows: the blind re-grades' pairs of (front door's
level, auditor's level), and their agreement.

``agreement_for`` is the one place the report gets them: the re-grading part's own
function of the same name (``case_audits.services.regrades``) replaces this one when the
two are merged; until then the pairs are read here, as that part defines them (a re-grade
counts once graded: a level and when it was graded; the front door's level is the
contact's threshold decision).
"""

from __future__ import annotations

from continuum.case_audits.consistency import Agreement, agreement
from continuum.case_audits.models import AuditProgramme, BlindRegrade
from continuum.organisations.models import Council


def agreement_for(*, programme: AuditProgramme, council: Council | None = None) -> Agreement:
    """The programme's threshold agreement (one council's, or across its councils)."""
    regrades = BlindRegrade.objects.filter(
        programme=programme,
        level__isnull=False,
        graded_at__isnull=False,
        contact__decision__isnull=False,
    )
    if council is not None:
        regrades = regrades.filter(council=council)
    pairs = regrades.values_list("contact__decision__level", "level")
    return agreement([(decided, regraded) for decided, regraded in pairs if regraded])
