"""Actions from an audit: the programme's actions (status, overdue), adding one, an
action's page with its updates and the form to record progress, and the user's own
actions."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from continuum.access import policy
from continuum.access.requests import AuthenticatedRequest, requires
from continuum.accounts.models import User
from continuum.case_audits.choices import ActionStatus
from continuum.case_audits.forms.auditing import ActionForm, ActionUpdateForm
from continuum.case_audits.models import AuditAction, AuditCase, AuditProgramme
from continuum.case_audits.policies import CaseAuditAction
from continuum.case_audits.services.actions import OWNER_ROLES, add_action, update_action
from continuum.ui.errors import attempt


def _rows(actions: QuerySet[AuditAction]) -> list[dict[str, Any]]:
    today = timezone.localdate()
    return [
        {
            "action": action,
            "overdue": action.status == ActionStatus.OPEN and action.due_on < today,
        }
        for action in actions.select_related("council", "owner", "programme")
    ]


@requires(CaseAuditAction.VIEW_PROGRAMME)
@require_http_methods(["GET"])
def programme_actions(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    programme = policy.get_visible_or_404(request.user, AuditProgramme, pk)
    actions = policy.visible(request.user, AuditAction).filter(programme=programme)
    return render(
        request,
        "case_audits/auditing/programme_actions.html",
        {
            "programme": programme,
            "rows": _rows(actions.order_by("status", "due_on")),
            "may_add": policy.can(request.user, CaseAuditAction.ADD_ACTIONS, programme),
        },
    )


@requires(CaseAuditAction.ADD_ACTIONS)
@require_http_methods(["GET", "POST"])
def action_add(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    programme = policy.get_visible_or_404(request.user, AuditProgramme, pk)
    policy.require(request.user, CaseAuditAction.ADD_ACTIONS, programme)
    councils = programme.councils.order_by("name")
    form = ActionForm(
        request.POST if request.method == "POST" else None,
        councils=councils,
        cases=policy.visible(request.user, AuditCase)
        .filter(programme=programme)
        .select_related("council"),
        owners=User.objects.filter(
            organisation__council__in=councils, role__in=OWNER_ROLES, is_active=True
        )
        .select_related("organisation")
        .order_by("organisation__name", "last_name", "first_name"),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = attempt(
            form,
            lambda: add_action(
                programme=programme,
                by=request.user,
                council=data["council"],
                description=data["description"],
                owner=data["owner"],
                due_on=data["due_on"],
                case=data["case"],
            ),
        )
        if done is not None:
            messages.success(request, "The action has been added")
            return HttpResponseRedirect(reverse("case_audits:action", args=[done.pk]), status=303)
    return render(
        request,
        "case_audits/auditing/action_add.html",
        {"programme": programme, "form": form},
        status=400 if form.errors else 200,
    )


@requires()
@require_http_methods(["GET", "POST"])
def action_page(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    action = policy.get_visible_or_404(request.user, AuditAction, pk)
    may_update = action.status == ActionStatus.OPEN and policy.can(
        request.user, CaseAuditAction.UPDATE_ACTION, action
    )
    form = ActionUpdateForm(
        request.POST if request.method == "POST" else None,
        initial={"version": action.version, "status": ActionStatus.OPEN},
    )
    if request.method == "POST":
        policy.require(request.user, CaseAuditAction.UPDATE_ACTION, action)
        if form.is_valid():
            data = form.cleaned_data
            done = attempt(
                form,
                lambda: update_action(
                    action=action,
                    by=request.user,
                    note=data["note"],
                    status=data["status"],
                    version=data["version"],
                ),
            )
            if done is not None:
                messages.success(request, "The action's progress has been recorded")
                url = reverse("case_audits:action", args=[action.pk])
                return HttpResponseRedirect(url, status=303)
    return render(
        request,
        "case_audits/auditing/action.html",
        {
            "action": action,
            "overdue": action.status == ActionStatus.OPEN and action.due_on < timezone.localdate(),
            "updates": list(action.updates.select_related("recorded_by")),
            "form": form if may_update or form.is_bound else None,
        },
        status=400 if form.errors else 200,
    )


@requires()
@require_http_methods(["GET"])
def my_actions(request: AuthenticatedRequest) -> HttpResponse:
    """The actions the user owns, open ones first, overdue tagged."""
    actions = policy.visible(request.user, AuditAction).filter(owner=request.user)
    return render(
        request,
        "case_audits/auditing/actions.html",
        {"rows": _rows(actions.order_by("status", "due_on"))},
    )
