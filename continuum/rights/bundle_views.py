"""The subject access bundle's pages: making the draft and the release version in the
background (a progress page that refreshes), downloading them and the documents held,
reviewing the marked items, and recording the release. Only the information governance
lead handling the open request (``RightsAction.READ_FOR_BUNDLE``); each read of the
person's data writes the access log."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from continuum.access import policy
from continuum.access.requests import AuthenticatedRequest, requires
from continuum.audit.models import AccessAction
from continuum.audit.services import log_access
from continuum.documents.views import file_response
from continuum.errors import InvalidState
from continuum.rights.bundle import builds
from continuum.rights.bundle.sections import documents_held
from continuum.rights.choices import RedactionDecision
from continuum.rights.models import RightsRequest, SubjectAccessBundle
from continuum.rights.policies import RightsAction
from continuum.rights.views import refused_on_page
from continuum.ui.errors import Refused, error_summary

REFRESH_SECONDS = 3


def _readable_request(request: AuthenticatedRequest, pk: uuid.UUID) -> RightsRequest:
    rights_request = policy.get_visible_or_404(request.user, RightsRequest, pk)
    policy.require(request.user, RightsAction.READ_FOR_BUNDLE, rights_request, builds.NOT_YOURS)
    return rights_request


def _bundle(request: AuthenticatedRequest, pk: int) -> SubjectAccessBundle:
    bundle = (
        SubjectAccessBundle.objects.filter(
            pk=pk, request__in=policy.visible(request.user, RightsRequest)
        )
        .select_related("request__person")
        .first()
    )
    if bundle is None:
        raise Http404
    policy.require(request.user, RightsAction.READ_FOR_BUNDLE, bundle.request, builds.NOT_YOURS)
    return bundle


def _to_bundle(bundle: SubjectAccessBundle) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("rights:bundle", args=[bundle.pk]), status=303)


@requires(RightsAction.VIEW_REGISTER)
@require_http_methods(["POST"])
def make_draft(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    rights_request = _readable_request(request, pk)
    made: list[SubjectAccessBundle] = []
    refused = refused_on_page(
        request,
        rights_request,
        lambda: made.append(builds.request_draft(by=request.user, request=rights_request)),
    )
    return refused or _to_bundle(made[0])


@requires(RightsAction.VIEW_REGISTER)
@require_http_methods(["POST"])
def make_release(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    rights_request = _readable_request(request, pk)
    made: list[SubjectAccessBundle] = []
    refused = refused_on_page(
        request,
        rights_request,
        lambda: made.append(builds.request_release(by=request.user, request=rights_request)),
    )
    return refused or _to_bundle(made[0])


@requires(RightsAction.VIEW_REGISTER)
@require_http_methods(["GET"])
def bundle(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The bundle's progress while it is made (the page refreshes), then its downloads."""
    found = _bundle(request, pk)
    response = render(
        request,
        "rights/bundle.html",
        {
            "bundle": found,
            "rights_request": found.request,
            "refresh_seconds": REFRESH_SECONDS,
            "undecided": found.marked_items.filter(decision="").count(),
            "marked": found.marked_items.count(),
        },
    )
    if found.running:
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


@requires(RightsAction.VIEW_REGISTER)
@require_http_methods(["GET"])
def bundle_file(request: AuthenticatedRequest, pk: int, kind: str) -> HttpResponseBase:
    """The bundle as a PDF or a JSON file, an attachment; one access-log row each."""
    if kind not in ("pdf", "json"):
        raise Http404
    found = _bundle(request, pk)
    try:
        body, content_type, name = builds.download(
            by=request.user, bundle=found, kind=kind, http_request=request
        )
    except InvalidState as error:
        raise Http404(error.message) from error
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@requires(RightsAction.VIEW_REGISTER)
@require_http_methods(["GET", "POST"])
def review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The marked items of a draft (other people's details): release or redact each."""
    found = _bundle(request, pk)
    if found.is_release:
        raise Http404
    errors: list[dict[str, object]] = []
    if request.method == "POST":
        for item in found.marked_items.all():
            decision = request.POST.get(f"item-{item.pk}", "")
            if decision:
                try:
                    builds.decide_item(by=request.user, item=item, decision=decision)
                except Refused as error:
                    errors += error_summary(error, href=f"#item-{item.pk}")
        if not errors:
            return HttpResponseRedirect(reverse("rights:review", args=[found.pk]), status=303)
    log_access(
        request=request,
        user=request.user,
        subject_id=found.request.person_id,
        action=AccessAction.VIEW_RECORD,
    )
    return render(
        request,
        "rights/review.html",
        {
            "bundle": found,
            "rights_request": found.request,
            "items": found.marked_items.select_related("decided_by"),
            "choices": RedactionDecision.choices,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@requires(RightsAction.VIEW_REGISTER)
@require_http_methods(["POST"])
def release(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Record that the release version was sent to the requester."""
    found = _bundle(request, pk)
    try:
        builds.release(by=request.user, bundle=found, http_request=request)
    except Refused as error:
        return render(
            request,
            "rights/bundle.html",
            {"bundle": found, "rights_request": found.request, "errors": error_summary(error)},
            status=409,
        )
    return _to_bundle(found)


@requires(RightsAction.VIEW_REGISTER)
@require_http_methods(["GET"])
def document(
    request: AuthenticatedRequest, pk: uuid.UUID, document_id: uuid.UUID
) -> HttpResponseBase:
    """A document held about the person, offered for download with the bundle; one
    access-log row."""
    rights_request = _readable_request(request, pk)
    held = documents_held(rights_request.person).filter(pk=document_id).first()
    if held is None or held.is_deleted:
        raise Http404
    log_access(
        request=request,
        user=request.user,
        subject_id=rights_request.person_id,
        action=AccessAction.VIEW_RECORD,
    )
    return file_response(held)
