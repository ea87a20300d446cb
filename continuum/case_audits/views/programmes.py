"""The pages for running an audit programme: the list, a new programme and changing it,
the programme's page, its sample (drawing it, adding a case by hand, withdrawing one),
giving cases to auditors, and opening and closing it.

The lead names cases by reference (the first eight characters of the case's id) and never
sees a case's record here, so these pages name no person and write no access-log row.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from continuum.access import policy
from continuum.access.requests import AuthenticatedRequest, requires
from continuum.case_audits import population
from continuum.case_audits.choices import CaseStatus, ProgrammeStatus, SampleMethod
from continuum.case_audits.forms.programmes import (
    AssignForm,
    AutomaticAssignForm,
    CaseAddForm,
    ConfirmForm,
    ProgrammeForm,
    ReasonForm,
)
from continuum.case_audits.models import AuditCase, AuditProgramme
from continuum.case_audits.policies import CaseAuditAction
from continuum.case_audits.services import programmes as services
from continuum.errors import InvalidState
from continuum.ui.errors import attempt

RUN = CaseAuditAction.RUN_PROGRAMMES


def _programme(request: AuthenticatedRequest, pk: Any, *, run: bool = False) -> AuditProgramme:
    found = policy.get_visible_or_404(request.user, AuditProgramme, pk)
    if run:
        policy.require(request.user, RUN, found)
    return found


def _planning_only(programme: AuditProgramme, doing: str) -> None:
    if programme.status != ProgrammeStatus.PLANNING:
        raise InvalidState(f"The programme is no longer being planned: {doing}.")


@require_GET
@requires(CaseAuditAction.VIEW_PROGRAMME)
def programmes(request: AuthenticatedRequest) -> HttpResponse:
    found = (
        policy.visible(request.user, AuditProgramme)
        .prefetch_related("councils")
        .order_by("status", "-period_end", "title")
    )
    context = {"programmes": found, "may_run": policy.can(request.user, RUN)}
    return render(request, "case_audits/programmes/list.html", context)


def _programme_fields(form: ProgrammeForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data["councils"] = list(data["councils"])
    data["per_council"] = data["per_council"] if data["per_council"] is not None else 0
    data["regrade_per_council"] = data["regrade_per_council"] or 0
    return data


@require_http_methods(["GET", "POST"])
@requires(RUN)
def new_programme(request: AuthenticatedRequest) -> HttpResponse:
    form = ProgrammeForm(
        request.POST or None,
        lead=request.user,
        initial={"per_council": 10, "regrade_per_council": 0},
    )
    if request.method == "POST" and form.is_valid():
        made = attempt(
            form, lambda: services.create_programme(by=request.user, **_programme_fields(form))
        )
        if made is not None:
            messages.success(request, "The programme is set up. Draw its sample next.")
            return redirect("case_audits:programme", pk=made.pk)
    return render(request, "case_audits/programmes/form.html", {"form": form, "programme": None})


@require_http_methods(["GET", "POST"])
@requires(RUN)
def edit_programme(request: AuthenticatedRequest, pk: Any) -> HttpResponse:
    found = _programme(request, pk, run=True)
    _planning_only(found, "it can no longer be changed")
    form = ProgrammeForm(
        request.POST or None, lead=request.user, initial=ProgrammeForm.initial_of(found)
    )
    if request.method == "POST" and form.is_valid():
        changed = attempt(
            form,
            lambda: services.update_programme(
                programme=found, by=request.user, **_programme_fields(form)
            ),
        )
        if changed is not None:
            messages.success(request, "The programme is changed.")
            return redirect("case_audits:programme", pk=found.pk)
    return render(request, "case_audits/programmes/form.html", {"form": form, "programme": found})


@require_GET
@requires(CaseAuditAction.VIEW_PROGRAMME)
def programme(request: AuthenticatedRequest, pk: Any) -> HttpResponse:
    found = _programme(request, pk)
    cases = (
        policy.visible(request.user, AuditCase)
        .filter(programme=found)
        .select_related("council", "auditor")
        .order_by("council__name", "pk")
    )
    may_run = policy.can(request.user, RUN, found)
    context = {
        "programme": found,
        "cases": cases,
        "may_run": may_run,
        "councils": found.councils.order_by("name"),
        "moderators": found.moderators.order_by("last_name", "first_name"),
        "readiness": services.readiness(found) if may_run else [],
        "regrades": found.regrades.count() if may_run else None,
        "current": "programme",
    }
    return render(request, "case_audits/programmes/programme.html", context)


@require_http_methods(["GET", "POST"])
@requires(RUN)
def sample(request: AuthenticatedRequest, pk: Any) -> HttpResponse:
    found = _programme(request, pk, run=True)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        drawn = attempt(form, lambda: services.draw_sample(programme=found, by=request.user))
        if drawn is not None:
            messages.success(request, "The sample is drawn.")
            return redirect("case_audits:programme-sample", pk=found.pk)
    cases = found.cases.select_related("council", "auditor").order_by("council__name", "pk")
    context = {
        "programme": found,
        "form": form,
        "populations": population.populations(found),
        "cases": cases,
        "regrades": found.regrades.select_related("council", "auditor"),
        "planning": found.status == ProgrammeStatus.PLANNING,
        "may_draw": found.sample_method != SampleMethod.BY_HAND or found.regrade_per_council,
        "current": "sample",
    }
    return render(request, "case_audits/programmes/sample.html", context)


@require_http_methods(["GET", "POST"])
@requires(RUN)
def case_add(request: AuthenticatedRequest, pk: Any) -> HttpResponse:
    found = _programme(request, pk, run=True)
    _planning_only(found, "cases can no longer be added")
    form = CaseAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        added = attempt(
            form,
            lambda: services.add_case_by_hand(
                programme=found,
                by=request.user,
                record_id=form.cleaned_data["record_id"],
                reason=form.cleaned_data["reason"],
            ),
        )
        if added is not None:
            messages.success(request, f"Case {str(added.pk)[:8]} is added to the sample.")
            return redirect("case_audits:programme-sample", pk=found.pk)
    return render(
        request, "case_audits/programmes/case_add.html", {"programme": found, "form": form}
    )


@require_http_methods(["GET", "POST"])
@requires(RUN)
def case_withdraw(request: AuthenticatedRequest, pk: Any) -> HttpResponse:
    case = policy.get_visible_or_404(request.user, AuditCase, pk)
    found = case.programme
    policy.require(request.user, RUN, found)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        withdrawn = attempt(
            form,
            lambda: services.withdraw_case(
                case=case, by=request.user, reason=form.cleaned_data["reason"]
            ),
        )
        if withdrawn is not None:
            messages.success(request, f"Case {str(case.pk)[:8]} is taken out of the sample.")
            return redirect("case_audits:programme-sample", pk=found.pk)
    context = {"programme": found, "case": case, "form": form}
    return render(request, "case_audits/programmes/case_withdraw.html", context)


@require_http_methods(["GET", "POST"])
@requires(RUN)
def assign(request: AuthenticatedRequest, pk: Any) -> HttpResponse:
    found = _programme(request, pk, run=True)
    _planning_only(found, "cases can no longer be given to auditors")
    cases = list(
        found.cases.exclude(status=CaseStatus.WITHDRAWN)
        .select_related("council")
        .order_by("council__name", "pk")
    )
    regrades = list(found.regrades.select_related("council").order_by("council__name", "pk"))
    automatic = request.method == "POST" and "automatic" in request.POST
    manual = request.method == "POST" and not automatic
    auto_form = AutomaticAssignForm(
        request.POST if automatic else None,
        lead=request.user,
        prefix="auto",
        initial={"moderators": list(found.moderators.all())},
    )
    form = AssignForm(
        request.POST if manual else None,
        lead=request.user,
        cases=cases,
        regrades=regrades,
        initial={"moderators": list(found.moderators.all())},
    )
    done = None
    if automatic and auto_form.is_valid():
        done = attempt(
            auto_form,
            lambda: services.assign_automatically(
                programme=found,
                by=request.user,
                auditors=list(auto_form.cleaned_data["auditors"]),
                moderators=list(auto_form.cleaned_data["moderators"]),
            ),
        )
    elif manual and form.is_valid():
        done = attempt(
            form,
            lambda: services.assign(
                programme=found,
                by=request.user,
                assignments=form.chosen("case"),
                regrade_assignments=form.chosen("regrade"),
                moderators=list(form.cleaned_data["moderators"]),
            ),
        )
    if done is not None:
        messages.success(request, "The auditors and moderators are saved.")
        return redirect("case_audits:programme", pk=found.pk)
    context = {
        "programme": found,
        "form": form,
        "auto_form": auto_form,
        "case_fields": form.fields_of("case"),
        "regrade_fields": form.fields_of("regrade"),
        "current": "assign",
    }
    return render(request, "case_audits/programmes/assign.html", context)


def _confirm(request: AuthenticatedRequest, pk: Any, *, opening: bool) -> HttpResponse:
    found = _programme(request, pk, run=True)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        call = services.open_programme if opening else services.close_programme
        done = attempt(form, lambda: call(programme=found, by=request.user))
        if done is not None:
            messages.success(request, f"The programme is {'open' if opening else 'closed'}.")
            return redirect("case_audits:programme", pk=found.pk)
    waiting = found.cases.exclude(status__in=[CaseStatus.MODERATED, CaseStatus.WITHDRAWN])
    context = {
        "programme": found,
        "form": form,
        "opening": opening,
        "readiness": services.readiness(found) if opening else [],
        "waiting": waiting.count(),
        "cases": found.cases.exclude(status=CaseStatus.WITHDRAWN).count(),
    }
    return render(request, "case_audits/programmes/confirm.html", context)


@require_http_methods(["GET", "POST"])
@requires(RUN)
def open_programme(request: AuthenticatedRequest, pk: Any) -> HttpResponse:
    return _confirm(request, pk, opening=True)


@require_http_methods(["GET", "POST"])
@requires(RUN)
def close_programme(request: AuthenticatedRequest, pk: Any) -> HttpResponse:
    return _confirm(request, pk, opening=False)
