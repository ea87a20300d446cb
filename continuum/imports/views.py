"""The imports pages: a council's imports, a new import, and each import's progress and
result (the page refreshes itself while the import runs)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from continuum.access import policy
from continuum.access.requests import AuthenticatedRequest, requires
from continuum.imports import services
from continuum.imports.forms import NewImportForm
from continuum.imports.models import ImportRun
from continuum.imports.policies import ImportsAction, councils_importable
from continuum.imports.registry import Importer, importer, importers
from continuum.ui.errors import attempt
from continuum.ui.pagination import govuk_pagination

REFRESH_SECONDS = 2
PER_PAGE = 25


@requires(ImportsAction.USE)
def import_list(request: AuthenticatedRequest) -> HttpResponse:
    """The imports the user may see, most recent first."""
    runs = (
        policy.visible(request.user, ImportRun)
        .select_related("council", "uploaded_by")
        .defer("data")
        .order_by("-uploaded_at")
    )
    page = Paginator(runs, PER_PAGE).get_page(request.GET.get("page"))
    labels = {found.kind: found.label for found in importers()}
    return render(
        request,
        "imports/list.html",
        {
            "page": page,
            "pagination": govuk_pagination(page),
            "labels": labels,
            "may_import": councils_importable(request.user).exists(),
        },
    )


@requires(ImportsAction.USE)
def new_import(request: AuthenticatedRequest) -> HttpResponse:
    """Choose the kind of file, the council and the file; it is imported in the background."""
    councils = councils_importable(request.user)
    form = NewImportForm(request.POST or None, request.FILES or None, councils=councils)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        found = importer(form.cleaned_data["kind"])
        run = attempt(
            form,
            lambda: _start(request, found, form.cleaned_data, upload),
        )
        if run is not None:
            return HttpResponseRedirect(reverse("imports:detail", args=[run.pk]), status=303)
    return render(
        request,
        "imports/new.html",
        {"form": form, "importers": importers(), "councils": councils},
        status=200 if not form.errors else 400,
    )


def _start(
    request: AuthenticatedRequest, found: Importer, data: dict[str, Any], upload: Any
) -> ImportRun:
    # The size is checked before the file is read whole.
    services.check_upload(found, file_name=upload.name, size=upload.size)
    return services.start_import(
        user=request.user,
        kind=found.kind,
        council=data["council"],
        file_name=upload.name,
        data=upload.read(),
        dry_run=bool(data["dry_run"]),
    )


@requires()
def import_detail(request: AuthenticatedRequest, pk: str) -> HttpResponse:
    """An import's progress while it runs; then its counts, problems and findings."""
    run = policy.get_visible_or_404(request.user, ImportRun, pk)
    found = importer(run.kind)
    extra: dict[str, Any] = {}
    if run.finished and found.result_template and found.result_context is not None:
        extra = found.result_context(run, request)
    problems = run.problem_list
    response = render(
        request,
        "imports/detail.html",
        {
            "run": run,
            "importer": found,
            "problems": problems,
            "refresh_seconds": REFRESH_SECONDS if run.running else None,
            "result_template": found.result_template if extra else "",
            "may_work_on": policy.can(request.user, ImportsAction.WORK_ON, run),
            **extra,
        },
    )
    if run.running:
        # Looks again while it runs (an HTTP Refresh header: no script, and the strict
        # Content Security Policy allows it).
        response["Refresh"] = str(REFRESH_SECONDS)
    return response
