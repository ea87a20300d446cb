"""Ofsted's Annex A over the API: ask for the council's lists 1 to 7, follow the build, then
download the Excel workbook. The workbook is made in the background (decision 0013), never
in the request.

Mounted at /api/v1/exports/annex-a:

- ``POST /api/v1/exports/annex-a`` with a JSON body
  ``{"council": "808", "from": "2025-04-01", "to": "2026-03-31"}`` (the council's DfE LA
  code; the period's first and last days, YYYY-MM-DD) answers 202 with the build's ``id``
  and where to follow it.
- ``GET /api/v1/exports/annex-a/{id}`` - the build: ``state`` (queued, building, done,
  failed), ``progress_done`` of ``progress_total`` steps, the rows of each list, and when
  done the ``download`` URL and until when it may be downloaded.
- ``GET /api/v1/exports/annex-a/{id}/download`` - the workbook
  (``application/vnd.openxmlformats-officedocument.spreadsheetml.sheet``), as the page and
  ``manage.py annex_a`` make it. Each download writes one access-log row
  (``returns.exports``); a build not finished, failed, or finished more than 24 hours ago
  answers 409.

Who: asking, the council's own team managers, performance analysts and strategic leads
(``ReturnsAction.EXPORT_ANNEX_A``); anyone else 403, another council's return 403.
Following and downloading a build: whoever asked for it and those who may export its
council's returns; for anyone else the build does not exist (404).

Errors: a missing or unknown council, a date that is not one, or a period that ends before
it starts answer 422, each entry naming its field in ``loc``; nothing is queued.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict, Field

from continuum.access import policy
from continuum.access.requests import user_of
from continuum.returns.builds import download_annex_a_build, start_annex_a_build
from continuum.returns.choices import BuildState
from continuum.returns.exports import find_council
from continuum.returns.models import AnnexABuild
from continuum.returns.policies import ReturnsAction
from continuum.returns.workbook import XLSX_TYPE
from continuum.ui.api import fields_at

router = Router(tags=["exports"])
BASE = "/api/v1/exports/annex-a"


class AnnexAIn(Schema):
    model_config = ConfigDict(populate_by_name=True)

    council: str = Field(description="The council's DfE LA code, like 808.")
    first: str = Field(alias="from", description="The period's first day, YYYY-MM-DD.")
    last: str = Field(alias="to", description="The period's last day, YYYY-MM-DD.")


class BuildStarted(Schema):
    id: uuid.UUID
    state: BuildState
    url: str = Field(description="Where to follow it.")


class BuildOut(Schema):
    id: uuid.UUID
    council: str
    first: date = Field(serialization_alias="from")
    last: date = Field(serialization_alias="to")
    state: BuildState
    progress_done: int
    progress_total: int
    requested_at: datetime
    finished_at: datetime | None
    rows: dict[str, int] = Field(description="The rows of each list, by its number.")
    download: str | None = Field(description="The workbook's URL, while it may be downloaded.")
    downloadable_until: datetime | None
    error: str

    @staticmethod
    def resolve_council(build: AnnexABuild) -> str:
        return build.council.dfe_la_code

    @staticmethod
    def resolve_rows(build: AnnexABuild) -> dict[str, int]:
        return dict(build.row_counts)

    @staticmethod
    def resolve_download(build: AnnexABuild) -> str | None:
        return f"{BASE}/{build.pk}/download" if build.downloadable else None

    @staticmethod
    def resolve_downloadable_until(build: AnnexABuild) -> datetime | None:
        return build.downloadable_until if build.downloadable else None


def _day(text: str, field: str, errors: dict[str, str]) -> date | None:
    if not text.strip():
        errors[field] = "Enter a date, like 2025-04-01"
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        errors[field] = f"Enter a real date, like 2025-04-01 (not {text.strip()[:20]!r})"
        return None


@router.post(
    "",
    response={202: BuildStarted},
    url_name="annex-a-start",
    summary="Ask for Ofsted's Annex A lists 1 to 7, made in the background",
)
@fields_at(first="from", last="to")
def start(request: HttpRequest, payload: AnnexAIn) -> Status:
    """Answers 202 with the build's id; follow it, then download the workbook."""
    user = user_of(request)
    policy.require(
        user,
        ReturnsAction.EXPORT_ANNEX_A,
        message="Only the council's team managers, performance analysts and strategic leads "
        "may export its Annex A.",
    )
    errors: dict[str, str] = {}
    first = _day(payload.first, "first", errors)
    last = _day(payload.last, "last", errors)
    try:
        council = find_council(payload.council)
    except ValidationError as exc:
        errors |= {key: messages[0] for key, messages in exc.message_dict.items()}
        council = None
    if errors or council is None:
        raise ValidationError(errors)
    build = start_annex_a_build(user=user, council=council, first=first, last=last)
    return Status(202, {"id": build.pk, "state": build.state, "url": f"{BASE}/{build.pk}"})


@router.get(
    "/{uuid:build_id}", response=BuildOut, by_alias=True, summary="An Annex A build: its state"
)
def get_build(request: HttpRequest, build_id: uuid.UUID) -> AnnexABuild:
    return policy.get_visible_or_404(user_of(request), AnnexABuild, build_id)


@router.get(
    "/{uuid:build_id}/download",
    summary="An Annex A build's workbook",
    openapi_extra={
        "responses": {200: {"content": {XLSX_TYPE: {}}, "description": "The workbook."}},
    },
)
def download(request: HttpRequest, build_id: uuid.UUID) -> HttpResponse:
    """The workbook: a cover sheet, then one sheet per list. One access-log row each time."""
    user = user_of(request)
    build = policy.get_visible_or_404(user, AnnexABuild, build_id)
    content = download_annex_a_build(user=user, build=build, request=request)
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{build.filename}"'
    response["Cache-Control"] = "no-store"
    return response
