"""The JSON API under /api/v1/, with its OpenAPI document at /api/v1/openapi.json.

Session authentication with CSRF for browser use. Every endpoint requires a signed-in
user with a role (``RoleSessionAuth``), is rate-limited per user and per address
(``ui.rate_limits``), then asks the access policy. Refusals raised by
services and the policy are translated here, once (``install_error_handlers``): bad input
422, a conflict 409, not permitted 403.
"""

from __future__ import annotations

from ninja import NinjaAPI

from continuum.access.requests import RoleSessionAuth
from continuum.case_audits.api import auditing as case_audits_auditing
from continuum.case_audits.api import programmes as case_audits_programmes
from continuum.case_audits.api import regrades as case_audits_regrades
from continuum.case_audits.api import report as case_audits_report
from continuum.case_audits.api import templates as case_audits_templates
from continuum.case_notes.api import router as case_notes_router
from continuum.consent.api import router as consent_router
from continuum.documents.api import router as documents_router
from continuum.early_help.api import panels_router as allocation_panels_router
from continuum.early_help.api import router as episodes_router
from continuum.front_door.api import contacts_router, meetings_router, notifications_router
from continuum.hubs.api import router as hubs_router
from continuum.imports.api import router as imports_router
from continuum.notifications.api import router as notifications_inbox_router
from continuum.people.api import router as people_router
from continuum.people.api_matches import router as possible_matches_router
from continuum.performance.api import router as indicators_router
from continuum.performance.hub_api import router as performance_hubs_router
from continuum.performance.report_api import router as report_pdfs_router
from continuum.programmes.api import router as programmes_router
from continuum.retention.api import router as retention_router
from continuum.returns.api import router as annex_a_router
from continuum.rights.api import router as rights_requests_router
from continuum.spending.api import comparison as spending_comparison
from continuum.spending.api import returns as spending_returns
from continuum.statutory.api import exports_router
from continuum.statutory.api import router as statutory_router
from continuum.thresholds.api import router as thresholds_router
from continuum.ui.api import install_error_handlers
from continuum.ui.rate_limits import PerAddress, PerUser
from continuum.work.api import router as work_router

api = NinjaAPI(
    title="Continuum API",
    version="1",
    description=(
        "The shared early help record for councils and their partners. Every endpoint "
        "answers only what the signed-in user may see; a record they may not see is 404."
    ),
    auth=RoleSessionAuth(),
    # Per signed-in user and per address: 429 with Retry-After (decision 0011).
    throttle=[PerUser(), PerAddress()],
    urls_namespace="api",
    docs_url=None,
)
install_error_handlers(api)
api.add_router("/people", people_router)
api.add_router("/thresholds", thresholds_router)
api.add_router("/contacts", contacts_router)
api.add_router("/domestic-abuse-notifications", notifications_router)
api.add_router("/triage-meetings", meetings_router)
api.add_router("/episodes", episodes_router)
api.add_router("/allocation-panels", allocation_panels_router)
api.add_router("/indicators", indicators_router)
api.add_router("/report-pdfs", report_pdfs_router)
api.add_router("/possible-matches", possible_matches_router)
api.add_router("/imports", imports_router)
api.add_router("/exports", exports_router)
api.add_router("/exports/annex-a", annex_a_router)
api.add_router("/statutory", statutory_router)
# Case notes (issue 12): /episodes/{id}/notes, /contacts/{id}/notes and /notes/{id}.
api.add_router("", case_notes_router)
api.add_router("/documents", documents_router)
api.add_router("/notifications", notifications_inbox_router)
api.add_router("/work", work_router)
# Consent (issue 13): /people/{id}/consent, /consent/{id} and its withdrawals.
api.add_router("", consent_router)
api.add_router("/rights-requests", rights_requests_router)
# Case audits (issue 14): programmes and their samples, templates, auditing (findings,
# moderation, actions, observations), blind re-grading and agreement, reports.
api.add_router("", case_audits_programmes.router)
api.add_router("", case_audits_templates.router)
api.add_router("", case_audits_auditing.router)
api.add_router("", case_audits_regrades.router)
api.add_router("", case_audits_report.router)
# Local programmes and what they achieve (issue 14).
api.add_router("/programmes", programmes_router)
# Joint front doors: hubs, their data-sharing agreements and placements (issue 15).
api.add_router("", hubs_router)
# Early help spending: returns, the classification and the comparison (issue 15).
api.add_router("/spending", spending_returns.router)
api.add_router("/spending", spending_comparison.router)
# Front-door indicators by hub, and councils before and after joining one (issue 15).
api.add_router("/performance", performance_hubs_router)
api.add_router("/retention", retention_router)
