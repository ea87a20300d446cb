"""Statutory returns over HTTP. Mounted at /api/v1/exports:

- ``GET /api/v1/exports/cin-census?council=808&year=2026`` - the council's children in
  need census return for the census year (ending 31 March), as the DfE's XML
  (``application/xml``, a download). ``council`` is the council's DfE LA code.

Who: the council's team managers, performance analysts and strategic leads
(``StatutoryAction.EXPORT_CENSUS``); anyone else 403. Each export leaves one access-log
row naming the council, the year and the children it held.

Errors: an unknown council or a year there is no return for answers 422, naming the
parameter in ``loc``.
"""

from __future__ import annotations

from django.http import HttpRequest, StreamingHttpResponse
from ninja import Field, Query, Router, Schema

from continuum.access.requests import user_of
from continuum.organisations.models import Council
from continuum.statutory.census.export import census_filename, export_census
from continuum.ui.api import fields_at, invalid

router = Router(tags=["exports"])


class CensusExportQuery(Schema):
    council: str = Field(description="The council's DfE LA code, e.g. 808.")
    year: int = Field(description="The census year: the year ending 31 March, e.g. 2026.")


def _council(code: str) -> Council:
    council = Council.objects.filter(dfe_la_code=code.strip()).first()
    if council is None:
        raise invalid([(("query", "council"), "There is no council with this DfE LA code.")])
    return council


@router.get(
    "/cin-census",
    response={200: None},
    summary="A council's children in need census return",
    openapi_extra={
        "responses": {
            200: {
                "description": "The census return as the DfE's XML.",
                "content": {"application/xml": {"schema": {"type": "string"}}},
            }
        }
    },
)
@fields_at(under=("query",))
def cin_census(request: HttpRequest, params: Query[CensusExportQuery]) -> StreamingHttpResponse:
    """The council's children in need census return for the census year, as XML."""
    user = user_of(request)
    council = _council(params.council)
    census = export_census(user=user, council=council, year=params.year, request=request)
    response = StreamingHttpResponse(census.chunks(), content_type="application/xml")
    filename = census_filename(council, params.year)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
