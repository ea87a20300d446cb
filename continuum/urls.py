from django.contrib import admin
from django.urls import include, path

from continuum.api import api

admin.site.site_header = "Continuum reference data"
admin.site.site_title = "Continuum reference data"

urlpatterns = [
    path("", include("continuum.web.urls")),
    path("accounts/", include("continuum.accounts.urls")),
    path("accounts/single-sign-on/", include("continuum.single_sign_on.urls")),
    path("accounts/security-keys/", include("continuum.accounts.webauthn_urls")),
    path("people/", include("continuum.people.urls")),
    path("thresholds/", include("continuum.thresholds.urls")),
    path("audit/", include("continuum.audit.urls")),
    path("front-door/", include("continuum.front_door.urls")),
    path("early-help/", include("continuum.early_help.urls")),
    path("statutory/", include("continuum.statutory.urls")),
    path("performance/", include("continuum.performance.urls")),
    path("imports/", include("continuum.imports.urls")),
    path("returns/", include("continuum.returns.urls")),
    path("case-notes/", include("continuum.case_notes.urls")),
    path("documents/", include("continuum.documents.urls")),
    path("notifications/", include("continuum.notifications.urls")),
    path("work/", include("continuum.work.urls")),
    path("consent/", include("continuum.consent.urls")),
    path("rights/", include("continuum.rights.urls")),
    path("audits/", include("continuum.case_audits.urls")),
    path("programmes/", include("continuum.programmes.urls")),
    path("hubs/", include("continuum.hubs.urls")),
    path("spending/", include("continuum.spending.urls")),
    path("retention/", include("continuum.retention.urls")),
    path("api/v1/", api.urls),
    path("reference-data/", admin.site.urls),
]
