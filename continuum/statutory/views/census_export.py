"""The children in need census export page: a manager or analyst chooses the council and
census year, and downloads the return as the DfE's XML.

    GET /statutory/census/export                         the form
    GET /statutory/census/export?council=808&year=2026   the file (or the form, its errors)

The return is read in a handful of queries and streamed child by child: the largest demo
council's year takes a few seconds, so it is made while the user waits (issue 11; move it
to the background if councils grow past the export benchmark's target).
"""

from __future__ import annotations

from django.http import StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from continuum.access.requests import AuthenticatedRequest, requires
from continuum.statutory.census.export import census_filename, census_years, export_census
from continuum.statutory.forms import CensusExportForm
from continuum.statutory.policies import StatutoryAction, census_councils
from continuum.ui.errors import attempt


@requires(StatutoryAction.EXPORT_CENSUS)
def census_export(request: AuthenticatedRequest) -> HttpResponseBase:
    councils = census_councils(request.user).order_by("name")
    years = sorted({year for council in councils for year in census_years(council)}, reverse=True)
    form = CensusExportForm(request.GET or None, councils=councils, years=years)
    if form.is_bound and form.is_valid():
        council, year = form.cleaned_data["council"], form.cleaned_data["year"]
        census = attempt(
            form,
            lambda: export_census(user=request.user, council=council, year=year, request=request),
        )
        if census is not None:
            response = StreamingHttpResponse(
                census.chunks(), content_type="application/xml; charset=utf-8"
            )
            response["Content-Disposition"] = (
                f'attachment; filename="{census_filename(council, year)}"'
            )
            return response
    return render(
        request,
        "statutory/census_export.html",
        {"form": form, "councils": councils},
        status=400 if form.is_bound else 200,
    )
