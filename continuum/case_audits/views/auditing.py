"""The audited case's pages: the audit form for its auditor while the programme is open
(findings by question, the overall grade, strengths, areas for improvement, the
conversations), read-only for the other readers the policy allows; submitting; recording a
conversation; the programme's cases awaiting moderation and moderating one.

The case page names the case by council, kind and reference, never a child: the episode or
contact is one link away, on its own page, which writes the access log.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from continuum.access import policy
from continuum.access.requests import AuthenticatedRequest, requires
from continuum.case_audits.choices import SCALE_OPTIONS, CaseStatus
from continuum.case_audits.forms.auditing import ConversationForm, FindingsForm, ModerationForm
from continuum.case_audits.models import AuditCase, AuditProgramme
from continuum.case_audits.policies import CaseAuditAction
from continuum.case_audits.services import auditing as services
from continuum.case_audits.services.moderation import moderate_case
from continuum.ui.errors import attempt, form_errors_summary


def reference(case: AuditCase) -> str:
    """How pages name a case: its kind and the first part of its record's id."""
    record_id = case.episode_id or case.contact_id
    return f"{case.get_kind_display()} {str(record_id)[:8].upper()}"


def _record_url(case: AuditCase) -> str:
    if case.episode_id:
        return reverse("early_help:episode", args=[case.episode_id])
    return reverse("front_door:contact", args=[case.contact_id])


def _case(request: AuthenticatedRequest, pk: uuid.UUID) -> AuditCase:
    found = policy.get_visible_or_404(request.user, AuditCase, pk)
    return AuditCase.objects.select_related(
        "programme__template",
        "council",
        "auditor",
        "moderator",
        "episode__lead_professional",
        "contact",
    ).get(pk=found.pk)


def _findings(case: AuditCase) -> list[dict[str, Any]]:
    """The questions by section with the auditor's answers, for reading."""
    answers = {f.question_id: f for f in case.findings.all()}
    sections: list[dict[str, Any]] = []
    for question in services.questions_for_case(case):
        if not sections or sections[-1]["section"].pk != question.section_id:
            sections.append({"section": question.section, "questions": []})
        finding = answers.get(question.pk)
        labels = dict(SCALE_OPTIONS[question.scale])
        sections[-1]["questions"].append(
            {
                "question": question,
                "grade": labels.get(finding.grade, "") if finding and finding.grade else "",
                "comment": finding.comment if finding else "",
            }
        )
    return sections


def _conversation_form(case: AuditCase, data: Any = None) -> ConversationForm:
    return ConversationForm(
        data,
        practitioners=services.practitioners_for(case),
        managers=services.managers_for(case),
    )


def _case_page(
    request: AuthenticatedRequest,
    case: AuditCase,
    *,
    form: FindingsForm | None = None,
    conversation_form: ConversationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    may_audit = policy.can(request.user, CaseAuditAction.AUDIT_CASE, case)
    if may_audit and form is None:
        form = FindingsForm(None, case=case, questions=services.questions_for_case(case))
    if may_audit and conversation_form is None:
        conversation_form = _conversation_form(case)
    errors = form_errors_summary(form) + form_errors_summary(conversation_form)
    return render(
        request,
        "case_audits/auditing/case.html",
        {
            "case": case,
            "reference": reference(case),
            "record_url": _record_url(case),
            "may_audit": may_audit,
            "may_moderate": policy.can(request.user, CaseAuditAction.MODERATE_CASE, case),
            "form": form if may_audit else None,
            "conversation_form": conversation_form if may_audit else None,
            "findings": _findings(case) if not may_audit else [],
            "conversations": list(case.conversations.select_related("practitioner", "manager")),
            "overall_grade": services.grade_label(case.overall_grade),
            "moderated_grade": services.grade_label(case.moderated_grade),
            "errors": errors,
        },
        status=status,
    )


@requires()
@require_http_methods(["GET", "POST"])
def case_page(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    """The audit form for the case's auditor (saving progress), or the audit to read."""
    case = _case(request, pk)
    if request.method == "GET":
        return _case_page(request, case)
    policy.require(request.user, CaseAuditAction.AUDIT_CASE, case, services.NOT_AUDITOR)
    form = FindingsForm(request.POST, case=case, questions=services.questions_for_case(case))
    if form.is_valid() and _save(form, case, request.user) is not None:
        messages.success(request, "Your findings have been saved")
        return HttpResponseRedirect(reverse("case_audits:case", args=[case.pk]), status=303)
    return _case_page(request, case, form=form, status=400)


def _save(form: FindingsForm, case: AuditCase, user: Any) -> AuditCase | None:
    data = form.cleaned_data
    return attempt(
        form,
        lambda: services.record_findings(
            case=case,
            by=user,
            answers=form.answers(),
            overall_grade=data["overall_grade"],
            strengths=data["strengths"],
            areas_for_improvement=data["areas_for_improvement"],
            version=data["version"],
        ),
    )


@requires()
@require_http_methods(["POST"])
def case_submit(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    """Save what the form holds, then submit it for moderation (refused naming each gap)."""
    case = _case(request, pk)
    policy.require(request.user, CaseAuditAction.AUDIT_CASE, case, services.NOT_AUDITOR)
    posted = request.POST.copy()
    form = FindingsForm(posted, case=case, questions=services.questions_for_case(case))
    if form.is_valid() and _save(form, case, request.user) is not None:
        done = attempt(
            form, lambda: services.submit_case(case=case, by=request.user, version=case.version)
        )
        if done is not None:
            messages.success(request, "The audit has been submitted for moderation")
            return HttpResponseRedirect(reverse("case_audits:case", args=[case.pk]), status=303)
        # Progress was saved: the form now stands for the saved version.
        posted["version"] = str(case.version)
    return _case_page(request, case, form=form, status=400)


@requires()
@require_http_methods(["POST"])
def conversation_add(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    case = _case(request, pk)
    policy.require(request.user, CaseAuditAction.AUDIT_CASE, case, services.NOT_AUDITOR)
    form = _conversation_form(case, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        done = attempt(
            form,
            lambda: services.record_conversation(
                case=case,
                by=request.user,
                held_on=data["held_on"],
                held_with=data["held_with"],
                practitioner=data["practitioner"],
                manager=data["manager"],
                notes=data["notes"],
            ),
        )
        if done is not None:
            messages.success(request, "The conversation has been recorded")
            url = reverse("case_audits:case", args=[case.pk]) + "#conversations"
            return HttpResponseRedirect(url, status=303)
    return _case_page(request, case, conversation_form=form, status=400)


# --- moderation ---------------------------------------------------------------------------


@requires(CaseAuditAction.MODERATE_CASE)
@require_http_methods(["GET"])
def moderation(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    """The programme's submitted cases awaiting moderation, with the auditor's grade."""
    programme = policy.get_visible_or_404(request.user, AuditProgramme, pk)
    cases = (
        policy.visible(request.user, AuditCase)
        .filter(programme=programme, status=CaseStatus.SUBMITTED)
        .select_related("council", "auditor")
        .order_by("submitted_at")
    )
    rows = [
        {
            "case": case,
            "reference": reference(case),
            "grade": services.grade_label(case.overall_grade),
            "may_moderate": policy.can(request.user, CaseAuditAction.MODERATE_CASE, case),
        }
        for case in cases
    ]
    return render(
        request,
        "case_audits/auditing/moderation.html",
        {"programme": programme, "rows": rows},
    )


@requires(CaseAuditAction.MODERATE_CASE)
@require_http_methods(["GET", "POST"])
def moderate(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    case = _case(request, pk)
    policy.require(request.user, CaseAuditAction.MODERATE_CASE, case)
    form = ModerationForm(
        request.POST if request.method == "POST" else None,
        initial={"grade": case.overall_grade, "version": case.version},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = attempt(
            form,
            lambda: moderate_case(
                case=case,
                by=request.user,
                grade=data["grade"],
                note=data["note"],
                version=data["version"],
            ),
        )
        if done is not None:
            messages.success(request, "The final grade has been recorded")
            url = reverse("case_audits:moderation", args=[case.programme_id])
            return HttpResponseRedirect(url, status=303)
    return render(
        request,
        "case_audits/auditing/moderate.html",
        {
            "case": case,
            "reference": reference(case),
            "form": form,
            "findings": _findings(case),
            "overall_grade": services.grade_label(case.overall_grade),
        },
        status=400 if form.errors else 200,
    )
