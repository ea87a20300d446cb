"""Statutory pages. Each parses input, asks the policy, calls one service or selector and
renders; a page showing a child's statutory record writes one access-log row."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from continuum.access import policy
from continuum.access.requests import AuthenticatedRequest, requires
from continuum.audit.models import AccessAction
from continuum.audit.services import log_access, log_search
from continuum.errors import InvalidState
from continuum.front_door.models import ContactDecision
from continuum.people.models import Person
from continuum.people.views import render_person_page
from continuum.statutory import selectors, services
from continuum.statutory.choices import InvolvementKind
from continuum.statutory.forms import AssessmentForm, AuthoriseForm, ConferenceForm, Section47Form
from continuum.statutory.models import StatutoryInvolvement
from continuum.statutory.policies import StatutoryAction
from continuum.ui.errors import attempt, error_summary

BREACHES_SHOWN = 200


@requires(StatutoryAction.VIEW)
@require_http_methods(["GET"])
def timescales(request: AuthenticatedRequest) -> HttpResponse:
    """The council's breached timescales (overdue first) and the front-door decisions to
    refer whose referral is not recorded yet."""
    found = selectors.breaches(user=request.user)
    shown = found[:BREACHES_SHOWN]
    # A list of children: one access-log row for the list, with the children it showed.
    log_search(
        request=request,
        user=request.user,
        terms={"list": "social care timescales breached"},
        result_count=len(found),
        shown_ids=list(dict.fromkeys(t.record.person_id for t in shown)),
    )
    return render(
        request,
        "statutory/timescales.html",
        {
            "breaches": shown,
            "breach_count": len(found),
            "awaiting": list(selectors.decisions_awaiting_referral(user=request.user)[:100]),
            "can_record": policy.can(request.user, StatutoryAction.RECORD),
            "today": timezone.localdate(),
        },
    )


@requires(StatutoryAction.RECORD)
@require_http_methods(["POST"])
def refer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    decision = policy.get_visible_or_404(request.user, ContactDecision, pk)
    try:
        made = services.refer_from_decision(decision=decision, by=request.user)
    except InvalidState as error:
        messages.error(request, str(error))
        return redirect("statutory:timescales")
    except ValidationError as error:
        for item in error_summary(error):
            messages.error(request, item["text"])
        return redirect("statutory:timescales")
    messages.success(request, "The referral to children's social care is recorded.")
    return redirect("statutory:referral", pk=made[0].pk)


def _referral_page(
    request: AuthenticatedRequest,
    referral: StatutoryInvolvement,
    *,
    template: str = "statutory/referral.html",
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    log_access(
        request=request,
        user=request.user,
        subject_id=referral.person_id,
        action=AccessAction.VIEW_RECORD,
    )
    context: dict[str, Any] = {
        "referral": referral,
        "person": referral.person,
        "summary": selectors.summary_of(user=request.user, referral=referral),
        "can_record": policy.can(request.user, StatutoryAction.RECORD, referral)
        and referral.end_date is None,
        "today": timezone.localdate(),
    }
    context.update(extra or {})
    return render(request, template, context)


def _referral(request: AuthenticatedRequest, pk: uuid.UUID) -> StatutoryInvolvement:
    return selectors.get_referral(user=request.user, pk=pk)


@requires(StatutoryAction.VIEW)
@require_http_methods(["GET"])
def referral(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    return _referral_page(request, _referral(request, pk))


def _form_page(
    request: AuthenticatedRequest,
    record: StatutoryInvolvement,
    form: forms.Form,
    *,
    title: str,
    call: Any,
) -> HttpResponse:
    """A recording page: on a valid POST the service is called; refused, the form shows why."""
    referral = record.referral if record.referral_id else record
    assert referral is not None
    if request.method == "POST" and form.is_valid():
        done = attempt(form, lambda: call(form.cleaned_data))
        if done is not None:
            messages.success(request, f"{title}: recorded.")
            return redirect("statutory:referral", pk=referral.pk)
    return _referral_page(
        request,
        referral,
        template="statutory/form.html",
        extra={"form": form, "title": title, "record": record},
    )


def _recordable(request: AuthenticatedRequest, record: StatutoryInvolvement) -> None:
    policy.require(request.user, StatutoryAction.RECORD, record)


@requires(StatutoryAction.RECORD)
@require_http_methods(["GET", "POST"])
def section_47(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    found = _referral(request, pk)
    _recordable(request, found)
    form = Section47Form(request.POST or None)
    return _form_page(
        request,
        found,
        form,
        title="Strategy discussion and section 47 enquiry",
        call=lambda data: services.record_section_47(
            referral=found,
            by=request.user,
            start_date=data["start_date"],
            strategy_discussion_date=data["strategy_discussion_date"],
            icpc_not_required=data["icpc_not_required"],
        ),
    )


@requires(StatutoryAction.RECORD)
@require_http_methods(["GET", "POST"])
def assessment(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    found = _referral(request, pk)
    _recordable(request, found)
    form = AssessmentForm(request.POST or None)
    return _form_page(
        request,
        found,
        form,
        title="Social work assessment",
        call=lambda data: services.record_assessment(
            referral=found,
            by=request.user,
            start_date=data["start_date"],
            authorised_date=data["authorised_date"],
        ),
    )


def _part(request: AuthenticatedRequest, pk: uuid.UUID, kind: str) -> StatutoryInvolvement:
    found = policy.get_visible_or_404(request.user, StatutoryInvolvement, str(pk))
    if found.kind != kind:
        raise Http404
    _recordable(request, found)
    return found


@requires(StatutoryAction.RECORD)
@require_http_methods(["GET", "POST"])
def conference(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    enquiry = _part(request, pk, InvolvementKind.SECTION_47)
    form = ConferenceForm(request.POST or None)
    return _form_page(
        request,
        enquiry,
        form,
        title="Initial child protection conference",
        call=lambda data: services.record_initial_conference(
            enquiry=enquiry,
            by=request.user,
            held_on=data["held_on"],
            plan_made=data["plan_made"] == "yes",
            abuse_category=data["abuse_category"],
        ),
    )


@requires(StatutoryAction.RECORD)
@require_http_methods(["GET", "POST"])
def authorise(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    found = _part(request, pk, InvolvementKind.ASSESSMENT)
    form = AuthoriseForm(request.POST or None)
    return _form_page(
        request,
        found,
        form,
        title="Assessment authorised",
        call=lambda data: services.authorise_assessment(
            assessment=found, by=request.user, authorised_date=data["authorised_date"]
        ),
    )


@requires(StatutoryAction.VIEW)
@require_http_methods(["GET"])
def person(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    """The child's statutory involvement, a tab of their record (one access-log row)."""
    child = policy.get_visible_or_404(request.user, Person, pk)
    policy.require(request.user, StatutoryAction.VIEW, child)
    return render_person_page(
        request,
        child,
        template="statutory/person.html",
        tab="statutory",
        action=AccessAction.VIEW_RECORD,
        context={
            "referrals": selectors.referrals_of(user=request.user, person=child),
            "can_record": policy.can(request.user, StatutoryAction.RECORD, child),
        },
    )
