"""The imports API under /api/v1/imports: send a file (a multipart form) to be imported in
the background, answered 202 with the import's id; then follow the import by its id. An
import the user may not see is 404."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.http import HttpRequest
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status
from pydantic import Field

from continuum.access import policy
from continuum.access.requests import user_of
from continuum.imports import services
from continuum.imports.choices import ImportState
from continuum.imports.models import ImportRun
from continuum.imports.registry import importer
from continuum.organisations.models import Council
from continuum.ui.api import fields_at, invalid

router = Router(tags=["imports"])


class ProblemOut(Schema):
    where: str
    message: str
    child: str


class CountsOut(Schema):
    created: int
    updated: int
    unchanged: int
    refused: int
    ended: int


class ImportOut(Schema):
    id: uuid.UUID
    kind: str
    council: str = Field(description="DfE LA code of the council the file is for.")
    file_name: str
    file_sha256: str
    size: int
    dry_run: bool
    state: ImportState
    uploaded_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    progress_done: int
    progress_total: int
    counts: CountsOut
    problems: list[ProblemOut] = Field(description="Why the file was refused, by where.")
    note: str
    summary: str

    @staticmethod
    def resolve_council(run: ImportRun) -> str:
        return run.council.dfe_la_code

    @staticmethod
    def resolve_counts(run: ImportRun) -> dict[str, int]:
        return run.counts.as_json()

    @staticmethod
    def resolve_problems(run: ImportRun) -> list[dict[str, str]]:
        return [problem.as_json() for problem in run.problem_list]


class ImportStarted(Schema):
    id: uuid.UUID
    state: ImportState
    url: str = Field(description="Where to follow it.")


@router.get("/{uuid:run_id}", response=ImportOut, summary="An import: its state and result")
def get_import(request: HttpRequest, run_id: uuid.UUID) -> ImportRun:
    run = policy.get_visible_or_404(user_of(request), ImportRun, run_id)
    return run


@router.post(
    "/{kind}",
    response={202: ImportStarted},
    url_name="imports-upload",
    summary="Send a file to import",
)
@fields_at(under=("form",))
def upload(
    request: HttpRequest,
    kind: str,
    file: File[UploadedFile],
    council: Form[str],
    dry_run: Form[bool] = False,
) -> Status:
    """Multipart: ``council`` (DfE LA code), ``file``, ``dry_run``. Answers 202 with the
    import's id; the file is checked and imported in the background."""
    found = importer(kind)
    chosen = Council.objects.filter(dfe_la_code=council).first()
    if chosen is None:
        raise invalid([(("form", "council"), "There is no council with that DfE LA code.")])
    services.check_upload(found, file_name=file.name or "", size=file.size or 0)
    run = services.start_import(
        user=user_of(request),
        kind=found.kind,
        council=chosen,
        file_name=file.name or "",
        data=file.read(),
        dry_run=dry_run,
    )
    return Status(202, {"id": run.pk, "state": run.state, "url": f"/api/v1/imports/{run.pk}"})
