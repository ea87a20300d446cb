"""Blind re-grading pages: a programme's re-grades, one re-grade (blind until the auditor
grades it or chooses to see the decision), and the programme's threshold agreement with
its CSV download.

Each view asks the policy (``requires``, ``policy.get_visible_or_404``, ``policy.require``)
and calls one service; refusals are shown with ``attempt``.
"""

from __future__ import annotations

import csv
import uuid
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from continuum.access import policy
from continuum.access.requests import AuthenticatedRequest, requires
from continuum.accounts.models import Role, User
from continuum.case_audits import regrades_selectors as selectors
from continuum.case_audits.agreement import agreement_by_council
from continuum.case_audits.forms.regrades import BlindGradeForm
from continuum.case_audits.models import AuditProgramme, BlindRegrade
from continuum.case_audits.policies import CaseAuditAction
from continuum.case_audits.regrades_selectors import status_of
from continuum.case_audits.services.regrades import grade_blind, reveal_without_grading
from continuum.front_door.selectors import reference_of
from continuum.ui.errors import attempt
from continuum.ui.spreadsheets import neutralise_formula


@dataclass(frozen=True)
class Row:
    regrade: BlindRegrade
    reference: str
    status: str


def _reads_contact(user: User) -> bool:
    """Auditors (the one given it, and the programme's moderators) read what the front door
    knew; the partnership's lead sees re-grades by reference only, never a person's record."""
    return user.role == Role.AUDITOR


@require_GET
@requires(CaseAuditAction.VIEW_PROGRAMME)
def regrades(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    user = request.user
    programme = policy.get_visible_or_404(user, AuditProgramme, pk)
    rows = list(selectors.regrades_of(user, programme))
    all_of_them = user.role == Role.SAFEGUARDING_PARTNERSHIP_LEAD or (
        programme.moderators.filter(pk=user.pk).exists()
    )
    items = [Row(r, reference_of(r.contact), status_of(r)) for r in rows]
    mine = [i for i in items if i.regrade.auditor_id == user.pk]
    context: dict[str, Any] = {
        "programme": programme,
        "all_of_them": all_of_them,
        "items": items,
        "to_do": [i for i in mine if i.regrade.revealed_at is None],
        "done": [i for i in mine if i.regrade.revealed_at is not None],
        "can_view_consistency": policy.can(user, CaseAuditAction.VIEW_CONSISTENCY, programme),
    }
    return render(request, "case_audits/regrades/list.html", context)


def _render_regrade(
    request: AuthenticatedRequest, regrade: BlindRegrade, form: forms.Form | None
) -> HttpResponse:
    user = request.user
    shows_contact = _reads_contact(user)
    if shows_contact:
        selectors.log_blind_read(request, user=user, regrade=regrade, api=False)
    may_grade = regrade.revealed_at is None and policy.can(user, CaseAuditAction.REGRADE, regrade)
    decision = selectors.decision_of(regrade)
    context: dict[str, Any] = {
        "regrade": regrade,
        "programme": regrade.programme,
        "reference": reference_of(regrade.contact),
        "status": status_of(regrade),
        "facts": selectors.blind_contact(regrade.contact) if shows_contact else None,
        "form": (form if isinstance(form, BlindGradeForm) else BlindGradeForm())
        if may_grade
        else None,
        # A refusal (already revealed, say) is shown above the page even once the form is gone.
        "error_form": form,
        "may_grade": may_grade,
        "decision": decision,
        "distance": (
            regrade.level - decision.level
            if decision is not None and regrade.level is not None
            else None
        ),
        "contact_visible": decision is not None
        and policy.visible(user, type(regrade.contact)).filter(pk=regrade.contact_id).exists(),
    }
    return render(request, "case_audits/regrades/regrade.html", context)


@require_http_methods(["GET", "POST"])
@requires(CaseAuditAction.VIEW_PROGRAMME)
def regrade(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    user = request.user
    regrade = policy.get_visible_or_404(user, BlindRegrade, pk)
    if request.method != "POST":
        return _render_regrade(request, regrade, None)
    policy.require(user, CaseAuditAction.REGRADE, regrade, "This re-grade is not yours to do.")
    form = BlindGradeForm(request.POST)
    if form.is_valid():
        done = attempt(
            form,
            lambda: grade_blind(
                regrade=regrade,
                by=user,
                level=form.cleaned_data["level"],
                rationale=form.cleaned_data["rationale"],
            ),
        )
        if done is not None:
            return redirect("case_audits:regrade", pk=regrade.pk)
    regrade.refresh_from_db()
    return _render_regrade(request, regrade, form)


@require_POST
@requires(CaseAuditAction.REGRADE)
def reveal(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    user = request.user
    regrade = policy.get_visible_or_404(user, BlindRegrade, pk)
    form = forms.Form({})
    form.is_valid()  # a form with nothing to enter, to carry a refusal above the page
    if attempt(form, lambda: reveal_without_grading(regrade=regrade, by=user)) is None:
        regrade.refresh_from_db()
        return _render_regrade(request, regrade, form)
    return redirect("case_audits:regrade", pk=regrade.pk)


def _consistency_programme(request: AuthenticatedRequest, pk: uuid.UUID) -> AuditProgramme:
    programme = policy.get_visible_or_404(request.user, AuditProgramme, pk)
    policy.require(request.user, CaseAuditAction.VIEW_CONSISTENCY, programme)
    return programme


@require_GET
@requires(CaseAuditAction.VIEW_CONSISTENCY)
def consistency(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    user = request.user
    programme = _consistency_programme(request, pk)
    visible = set(selectors.regrades_of(user, programme).values_list("pk", flat=True))
    context = {
        "programme": programme,
        "results": agreement_by_council(programme=programme),
        "visible_regrades": visible,
    }
    return render(request, "case_audits/regrades/consistency.html", context)


def _percentage(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


@require_GET
@requires(CaseAuditAction.VIEW_CONSISTENCY)
def consistency_download(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    """The figures per council and across, then the disagreements, as one CSV file."""
    programme = _consistency_programme(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="threshold-agreement.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["Council", "Sampled", "Re-graded", "Seen without grading", "Agreed",
         "Percentage agreement", "Weighted kappa", "95% CI low", "95% CI high"]
    )  # fmt: skip
    results = agreement_by_council(programme=programme)
    for result in results:
        a = result.agreement
        writer.writerow(
            [neutralise_formula(result.council_name), result.sampled, result.graded,
             result.revealed_without_grading, a.agreed, _percentage(a.percentage),
             _number(a.kappa), _number(a.kappa_low), _number(a.kappa_high)]
        )  # fmt: skip
    writer.writerow([])
    writer.writerow(["Contact", "Council", "Front door's level", "Auditor's level", "Rationale"])
    for d in results[-1].disagreements:
        writer.writerow(
            [neutralise_formula(text) for text in (
                d.contact_reference, d.council, d.front_door_label, d.auditor_label, d.rationale
            )]
        )  # fmt: skip
    return response
