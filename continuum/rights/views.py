"""The register's pages: the list (overdue first, filtered by state and kind), finding a
person to register a request about, logging a request, the request's page and the forms
that record its progress, extend it, close it and carry out its decision. Each asks the
policy; the bundle's pages are in ``bundle_views.py``."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from continuum.access import policy
from continuum.access.requests import AuthenticatedRequest, requires
from continuum.rights import carrying_out, selectors, services
from continuum.rights.bundle.builds import latest
from continuum.rights.choices import AttemptVia, RequestKind, RequestState
from continuum.rights.forms import (
    CloseForm,
    CorrectionForm,
    ExtendForm,
    FindPersonForm,
    IdentityForm,
    ReasonForm,
    RequestForm,
)
from continuum.rights.models import RightsRequest
from continuum.rights.policies import RightsAction
from continuum.ui.errors import Refused, attempt, error_summary
from continuum.ui.pagination import govuk_pagination

PER_PAGE = 50


def _to_request(rights_request: RightsRequest) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("rights:detail", args=[rights_request.pk]), status=303)


@requires(RightsAction.VIEW_REGISTER)
@require_http_methods(["GET"])
def register(request: AuthenticatedRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    kind = request.GET.get("kind", "")
    requests = selectors.register(user=request.user, state=state, kind=kind)
    page = Paginator(requests, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "rights/register.html",
        {
            "page": page,
            "pagination": govuk_pagination(page),
            "state": state,
            "kind": kind,
            "states": [("open", "Open"), *RequestState.choices],
            "kinds": RequestKind.choices,
            "attempts": selectors.refused_attempts(request.user)[:20],
        },
    )


@requires(RightsAction.VIEW_REGISTER)
@require_http_methods(["GET", "POST"])
def find(request: AuthenticatedRequest) -> HttpResponse:
    """Find the person a request is about: an exact match on full name and date of birth
    within the lead's council, logged as a search."""
    form = FindPersonForm(request.POST if request.method == "POST" else None)
    found = None
    if form.is_bound and form.is_valid():
        found = selectors.find_people(
            request=request,
            user=request.user,
            full_name=form.cleaned_data["full_name"],
            date_of_birth=form.cleaned_data["date_of_birth"],
        )
    return render(
        request,
        "rights/find.html",
        {"form": form, "found": found},
        status=400 if form.errors else 200,
    )


@requires(RightsAction.LOG)
@require_http_methods(["GET", "POST"])
def new(request: AuthenticatedRequest) -> HttpResponse:
    """Log a request received about a person: refused as if they did not exist (and the
    attempt kept) when the requester may not see them."""
    source = request.POST if request.method == "POST" else request.GET
    person = services.person_for_request(
        by=request.user,
        person_id=source.get("person", ""),
        kind=str(source.get("kind", "")),
        via=AttemptVia.PAGE,
    )
    form = RequestForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        logged = attempt(
            form,
            lambda: services.log_request(
                by=request.user,
                person=person,
                kind=data["kind"],
                requester_name=data["requester_name"],
                requester_kind=data["requester_kind"],
                received_on=data["received_on"],
                details=data["details"],
            ),
        )
        if logged is not None:
            return _to_request(logged)
    return render(
        request,
        "rights/new.html",
        {"form": form, "person": person},
        status=400 if form.errors else 200,
    )


def _request(request: AuthenticatedRequest, pk: uuid.UUID) -> RightsRequest:
    return policy.get_visible_or_404(request.user, RightsRequest, pk)


def detail_page(
    request: AuthenticatedRequest,
    rights_request: RightsRequest,
    *,
    errors: list[dict[str, Any]] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The request's page, with a refusal of one of its buttons above it if any."""
    user = request.user
    manages = policy.can(user, RightsAction.MANAGE, rights_request)
    reads = policy.can(user, RightsAction.READ_FOR_BUNDLE, rights_request)
    history = (
        rights_request.history.select_related("history_user").order_by("-history_date")[:20]
        if manages
        else []
    )
    return render(
        request,
        "rights/detail.html",
        {
            "rights_request": rights_request,
            "manages": manages,
            "reads": reads,
            "history": history,
            "draft": latest(rights_request, release=False) if reads else None,
            "release": latest(rights_request, release=True) if reads else None,
            "is_access": rights_request.kind == RequestKind.SUBJECT_ACCESS,
            "is_rectification": rights_request.kind == RequestKind.RECTIFICATION,
            "is_erasure": rights_request.kind == RequestKind.ERASURE,
            "is_restriction": rights_request.kind == RequestKind.RESTRICTION,
            "errors": errors or [],
        },
        status=status,
    )


def refused_on_page(
    request: AuthenticatedRequest, rights_request: RightsRequest, call: Callable[[], Any]
) -> HttpResponse | None:
    """Run a button's service call; if it refuses, the request's page with the refusal."""
    try:
        call()
    except Refused as error:
        rights_request.refresh_from_db()
        return detail_page(request, rights_request, errors=error_summary(error), status=409)
    return None


@requires()
@require_http_methods(["GET"])
def detail(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    return detail_page(request, _request(request, pk))


def _form_page(
    request: AuthenticatedRequest,
    pk: uuid.UUID,
    *,
    form_class: type[forms.Form],
    heading: str,
    button: str,
    call: Callable[[RightsRequest, dict[str, Any], forms.Form], Any],
    intro: str = "",
    warning: bool = False,
) -> HttpResponse:
    """A form that records one thing on a request (the lead of its council only)."""
    rights_request = _request(request, pk)
    policy.require(request.user, RightsAction.MANAGE, rights_request)
    form = form_class(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        done = attempt(form, lambda: call(rights_request, form.cleaned_data, form))
        if done is not None:
            return _to_request(rights_request)
    return render(
        request,
        "rights/form.html",
        {
            "rights_request": rights_request,
            "form": form,
            "heading": heading,
            "button": button,
            "intro": intro,
            "warning": warning,
        },
        status=400 if form.errors else 200,
    )


@requires(RightsAction.VIEW_REGISTER)
@require_http_methods(["GET", "POST"])
def identity(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    return _form_page(
        request,
        pk,
        form_class=IdentityForm,
        heading="Record the identity check",
        button="Record the check",
        intro="No bundle is released before the requester's identity (and, for someone acting "
        "for the person, their authority) is checked.",
        call=lambda r, d, f: services.record_identity_check(
            by=request.user, request=r, method=d["method"], detail=d["detail"]
        ),
    )


@requires(RightsAction.VIEW_REGISTER)
@require_http_methods(["GET", "POST"])
def extend(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    def call(r: RightsRequest, d: dict[str, Any], form: forms.Form) -> RightsRequest:
        assert isinstance(form, ExtendForm)
        return services.extend_due_date(
            by=request.user, request=r, months=form.months_asked(), reason=d["reason"]
        )

    return _form_page(
        request,
        pk,
        form_class=ExtendForm,
        heading="Extend the due date",
        button="Extend the due date",
        intro="Once only, by up to two further months, where the request is complex or one of "
        "several from the same person. Tell the requester within the first month, with the reason.",
        call=call,
    )


@requires(RightsAction.VIEW_REGISTER)
@require_http_methods(["GET", "POST"])
def close(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    return _form_page(
        request,
        pk,
        form_class=CloseForm,
        heading="Close the request",
        button="Close the request",
        call=lambda r, d, f: services.close_request(
            by=request.user, request=r, state=d["state"], outcome=d["outcome"]
        ),
    )


@requires(RightsAction.VIEW_REGISTER)
@require_http_methods(["GET", "POST"])
def correction(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    return _form_page(
        request,
        pk,
        form_class=CorrectionForm,
        heading="Record the correction",
        button="Record the correction",
        call=lambda r, d, f: services.record_correction(
            by=request.user, request=r, correction=d["correction"]
        ),
    )


@requires(RightsAction.VIEW_REGISTER)
@require_http_methods(["GET", "POST"])
def erase(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    return _form_page(
        request,
        pk,
        form_class=ReasonForm,
        heading="Erase the person's record",
        button="Erase the record",
        warning=True,
        intro="The record is anonymised as a one-person disposal under the retention rules. It "
        "cannot be undone. A legal hold on the person stops it.",
        call=lambda r, d, f: carrying_out.erase(by=request.user, request=r, reason=d["reason"]),
    )


@requires(RightsAction.VIEW_REGISTER)
@require_http_methods(["GET", "POST"])
def restrict(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    return _form_page(
        request,
        pk,
        form_class=ReasonForm,
        heading="Restrict processing",
        button="Restrict processing",
        intro="A legal hold is placed on the person, so nothing of their record is disposed of, "
        "and their record shows that processing is restricted.",
        call=lambda r, d, f: carrying_out.restrict(by=request.user, request=r, reason=d["reason"]),
    )


@requires(RightsAction.VIEW_REGISTER)
@require_http_methods(["GET", "POST"])
def lift(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    return _form_page(
        request,
        pk,
        form_class=ReasonForm,
        heading="Lift the restriction",
        button="Lift the restriction",
        call=lambda r, d, f: carrying_out.lift_restriction(
            by=request.user, request=r, reason=d["reason"]
        ),
    )


@requires(RightsAction.VIEW_REGISTER)
@require_http_methods(["POST"])
def start(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    """Start work on the request, or take it on (``?take``): the lead handles it."""
    rights_request = _request(request, pk)
    policy.require(request.user, RightsAction.MANAGE, rights_request)
    if "take" in request.POST:
        refused = refused_on_page(
            request,
            rights_request,
            lambda: services.handle_request(by=request.user, request=rights_request),
        )
    else:
        refused = refused_on_page(
            request,
            rights_request,
            lambda: services.start_work(by=request.user, request=rights_request),
        )
    return refused or _to_request(rights_request)
