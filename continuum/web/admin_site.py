"""The admin site (``/reference-data/``), signed in to through the app's own sign-in."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from continuum.accounts.views import AdminSignInView


class ContinuumAdminSite(admin.AdminSite):
    site_header = "Continuum reference data"
    site_title = "Continuum reference data"

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """One sign-in for everything (issue 10, finding 1): the app's, with its throttle,
        security log and second factor, never the admin site's own form."""
        return cast(HttpResponse, AdminSignInView.as_view()(request))
