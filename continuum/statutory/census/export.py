"""Exporting a council's CIN census return: who may, which years there are, and the record
in the access log of every export.

    census = export_census(user=user, council=council, year=2026, request=request)
    response = StreamingHttpResponse(census.chunks(), ...)

An export holds many children's records, so it leaves one access-log row (kind "export")
naming the return, the council, the year and how many children it held, with each child
as one of the records it showed. Exports are a council's routine statutory work, so they do
not count towards the unusual-reading flag. From the command line (no user) the export is
written to the security log instead.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import User
from continuum.audit.services import log_export
from continuum.organisations.models import Council
from continuum.statutory.census.writing import (
    FIRST_CENSUS_YEAR,
    CensusReturn,
    census_year_on,
    check_year,
)
from continuum.statutory.choices import InvolvementKind
from continuum.statutory.models import StatutoryInvolvement
from continuum.statutory.policies import StatutoryAction

security_log = logging.getLogger("continuum.security")


def census_filename(council: Council, year: int) -> str:
    return f"cin-census-{year}-{council.dfe_la_code}.xml"


def census_years(council: Council) -> list[int]:
    """The census years there is a return for, latest first: from the year of the council's
    first referral to the year now under way."""
    first = (
        StatutoryInvolvement.objects.filter(council=council, kind=InvolvementKind.REFERRAL)
        .order_by("start_date")
        .values_list("start_date", flat=True)
        .first()
    )
    latest = census_year_on(timezone.localdate())
    earliest = max(FIRST_CENSUS_YEAR, census_year_on(first)) if first else latest
    return list(range(latest, earliest - 1, -1))


def _checked_year(year: int) -> int:
    try:
        check_year(year)
    except ValueError as exc:
        raise ValidationError({"year": str(exc)}) from exc
    return year


def export_census(
    *, user: User, council: Council, year: int, request: HttpRequest | None = None
) -> CensusReturn:
    """The council's return for census ``year``, if ``user`` may export it (else
    ``NotPermitted``; a year there is no return for is a ``ValidationError`` on "year"),
    recorded in the access log."""
    policy.require(
        user,
        StatutoryAction.EXPORT_CENSUS,
        council,
        "You may not export this council's children in need census.",
    )
    census = CensusReturn(council, _checked_year(year))
    log_export(
        request=request,
        user=user,
        terms={"return": "CIN census", "council": council.dfe_la_code, "year": year},
        subject_ids=census.person_ids,
    )
    return census


def export_census_unattended(*, council: Council, year: int) -> CensusReturn:
    """The return for the command line, where no user signs in: the export is written to
    the security log."""
    census = CensusReturn(council, _checked_year(year))
    security_log.info(
        "CIN census exported from the command line: council %s, year %s, %s children",
        council.dfe_la_code,
        year,
        census.child_count,
    )
    return census
