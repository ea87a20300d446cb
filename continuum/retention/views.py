"""The retention pages, for the council's information governance lead only: the schedule
(and its history), legal holds, disposal runs (list, review and approve or cancel, follow
one being carried out) and the certificates runs leave."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from continuum.access import policy
from continuum.access.requests import AuthenticatedRequest, requires
from continuum.audit.policies import governed_council
from continuum.errors import Refusal
from continuum.retention import selectors, services
from continuum.retention.choices import OPEN_RUN_STATES, RecordKind, RetentionEvent, RunState
from continuum.retention.forms import HoldForm, LiftForm, RuleForm, RunForm
from continuum.retention.models import DisposalCertificate, DisposalRun, LegalHold
from continuum.retention.policies import RetentionAction
from continuum.ui.errors import attempt, error_summary

REFRESH_SECONDS = 3


@require_GET
@requires(RetentionAction.GOVERN)
def schedule(request: AuthenticatedRequest) -> HttpResponse:
    found = selectors.schedule_of(request.user)
    context = {
        "schedule": found,
        "rules": selectors.rules(request.user),
        "history": selectors.rule_history(request.user)[:50],
        "awaiting": selectors.runs_awaiting_approval(request.user).count(),
        "events": dict(RetentionEvent.choices),
    }
    return render(request, "retention/schedule.html", context)


@require_http_methods(["GET", "POST"])
@requires(RetentionAction.GOVERN)
def edit_rule(request: AuthenticatedRequest, kind: str) -> HttpResponse:
    selectors.schedule_of(request.user)
    rule = selectors.rules(request.user).filter(kind=kind).first()
    if rule is None:
        raise Http404
    initial = {"period_months": rule.period_months, "event": rule.event}
    form = RuleForm(request.POST or None, initial=initial, kind=kind)
    if request.method == "POST" and form.is_valid():
        council = governed_council(request.user)
        assert council is not None
        changed = attempt(
            form,
            lambda: services.update_rule(
                council=council,
                kind=kind,
                period_months=form.cleaned_data["period_months"],
                event=form.cleaned_data["event"],
                changed_by=request.user,
            ),
        )
        if changed is not None:
            messages.success(request, f"{RecordKind(kind).label}: the schedule is changed.")
            return redirect("retention:schedule")
    return render(request, "retention/edit_rule.html", {"rule": rule, "form": form})


@require_http_methods(["GET", "POST"])
@requires(RetentionAction.GOVERN)
def holds(request: AuthenticatedRequest) -> HttpResponse:
    form = HoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        record = selectors.record_to_hold(request.user, data["record_kind"], data["record_id"])
        if record is None:
            form.add_error("record_id", "There is no such record held by your council.")
        else:
            hold = attempt(
                form,
                lambda: services.place_legal_hold(
                    record_kind=data["record_kind"],
                    record_id=data["record_id"].strip(),
                    reason=data["reason"],
                    placed_by=request.user,
                ),
            )
            if hold is not None:
                messages.success(request, "The legal hold is placed.")
                return redirect("retention:hold", pk=hold.pk)
    context = {
        "form": form,
        "active": selectors.holds(request.user, active=True),
        "lifted": selectors.holds(request.user, active=False)[:50],
    }
    return render(request, "retention/holds.html", context)


@require_http_methods(["GET", "POST"])
@requires(RetentionAction.GOVERN)
def hold(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = policy.get_visible_or_404(request.user, LegalHold, pk)
    form = LiftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        lifted = attempt(
            form,
            lambda: services.lift_legal_hold(
                hold=found, reason=form.cleaned_data["reason"], lifted_by=request.user
            ),
        )
        if lifted is not None:
            messages.success(request, "The legal hold is lifted.")
            return redirect("retention:holds")
    return render(request, "retention/hold.html", {"hold": found, "form": form})


@require_http_methods(["GET", "POST"])
@requires(RetentionAction.GOVERN)
def runs(request: AuthenticatedRequest) -> HttpResponse:
    form = RunForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        council = governed_council(request.user)
        assert council is not None
        run = attempt(
            form,
            lambda: services.start_run(
                council=council, as_of=form.cleaned_data["as_of"], listed_by=request.user
            ),
        )
        if run is not None:
            return redirect("retention:run", pk=run.pk)
    context = {"form": form, "runs": selectors.runs(request.user)[:100]}
    return render(request, "retention/runs.html", context)


def _run_page(
    request: AuthenticatedRequest, found: DisposalRun, errors: list[dict[str, Any]] | None = None
) -> HttpResponse:
    running = found.state in OPEN_RUN_STATES - {RunState.AWAITING_APPROVAL}
    context = {
        "run": found,
        "counts": selectors.counts_by_kind(found),
        "running": running,
        "refresh_seconds": REFRESH_SECONDS,
        "certificate": DisposalCertificate.objects.filter(run=found).first(),
        "errors": errors or [],
    }
    response = render(request, "retention/run.html", context, status=409 if errors else 200)
    if running:
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


@require_GET
@requires(RetentionAction.GOVERN)
def run(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _run_page(request, policy.get_visible_or_404(request.user, DisposalRun, pk))


def _decide(request: AuthenticatedRequest, pk: int, call: Any, done: str) -> HttpResponse:
    found = policy.get_visible_or_404(request.user, DisposalRun, pk)
    try:
        call(found)
    except Refusal as refusal:
        found.refresh_from_db()
        return _run_page(request, found, error_summary(refusal))
    messages.success(request, done)
    return redirect("retention:run", pk=found.pk)


@require_POST
@requires(RetentionAction.GOVERN)
def approve(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _decide(
        request,
        pk,
        lambda run: services.approve_run(run=run, approved_by=request.user),
        "You approved the run: it is being carried out.",
    )


@require_POST
@requires(RetentionAction.GOVERN)
def cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _decide(
        request,
        pk,
        lambda run: services.cancel_run(run=run, cancelled_by=request.user),
        "You cancelled the run: nothing was disposed of.",
    )


@require_GET
@requires(RetentionAction.GOVERN)
def certificates(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "retention/certificates.html",
        {"certificates": selectors.certificates(request.user)[:200]},
    )


@require_GET
@requires(RetentionAction.GOVERN)
def certificate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = policy.get_visible_or_404(request.user, DisposalCertificate, pk)
    events = dict(RetentionEvent.choices)
    kinds = dict(RecordKind.choices)
    rules = [
        {
            "kind": kinds.get(r["kind"], r["kind"]),
            "period": r["period_months"],
            "event": events.get(r["event"], r["event"]),
        }
        for r in found.schedule
    ]
    return render(request, "retention/certificate.html", {"certificate": found, "rules": rules})
