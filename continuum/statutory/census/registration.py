"""The CIN census as a kind of import (registered from the statutory app's ``ready``), and
what an import's page shows of it: the DfE rules' findings and the children waiting for a
manager to say who they are."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from continuum.access import policy
from continuum.audit.services import log_search
from continuum.imports.models import ImportRun
from continuum.imports.registry import Importer
from continuum.statutory.census import importing
from continuum.statutory.models import CensusFinding, CensusMatch
from continuum.statutory.policies import CensusImportAction

# A large council's return is a few megabytes (about 1.2 KB a child).
MAX_BYTES = 50 * 1024 * 1024
FINDINGS_SHOWN = 200


def result_context(run: ImportRun, request: HttpRequest) -> dict[str, Any]:
    user: Any = request.user
    findings = CensusFinding.objects.filter(import_run=run).order_by(
        "severity", "la_child_id", "code"
    )
    waiting = CensusMatch.objects.filter(import_run=run).order_by("la_child_id")
    may_resolve = policy.can(user, CensusImportAction.RESOLVE_MATCHES, run.council)
    matches = list(waiting.prefetch_related("candidates")) if may_resolve else []
    shown = [person.pk for match in matches for person in match.candidates.all()]
    if shown:
        # The candidates' names and dates of birth are a list of people: one search row.
        log_search(
            request=request,
            user=user,
            terms={"census_import": run.pk, "matches": len(matches)},
            result_count=len(shown),
            shown_ids=shown,
        )
    return {
        "findings": findings[:FINDINGS_SHOWN],
        "finding_count": findings.count(),
        "error_count": findings.filter(severity="error").count(),
        "findings_shown": FINDINGS_SHOWN,
        "matches": matches,
        "waiting_count": waiting.filter(resolved_at__isnull=True).count(),
        "may_resolve_matches": may_resolve,
        "may_resolve_findings": policy.can(user, CensusImportAction.WORK_ON_FINDINGS, run.council),
    }


CIN_CENSUS = Importer(
    kind=importing.KIND,
    label="CIN census return",
    extensions=(".xml",),
    max_bytes=MAX_BYTES,
    action=CensusImportAction.IMPORT,
    check=importing.check,
    apply=importing.apply,
    describe_columns=(
        "The council's children in need census return as made for the DfE (the census's "
        "XML, one census year). See docs/census.md."
    ),
    result_template="statutory/census/import_result.html",
    result_context=result_context,
)
