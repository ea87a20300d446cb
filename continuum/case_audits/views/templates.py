"""The audit templates' pages: the list, a version (its sections and questions, councils'
own marked, the other versions), publishing a new version (the partnership's lead: one
change each time, with a note of what changed) and adding a council's own question (the
council's team managers and strategic leads)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from continuum.access import policy
from continuum.access.requests import AuthenticatedRequest, requires
from continuum.case_audits.forms.templates import CouncilQuestionForm, NewVersionForm
from continuum.case_audits.models import AuditTemplate, TemplateQuestion
from continuum.case_audits.policies import CaseAuditAction
from continuum.case_audits.services import templates as services
from continuum.errors import NotPermitted
from continuum.organisations.models import Council
from continuum.ui.errors import attempt


def _own_council(user: Any) -> Council | None:
    if user.organisation is None:
        return None
    council = user.organisation.council
    if council is None or not policy.can(user, CaseAuditAction.ADD_COUNCIL_QUESTION, council):
        return None
    return council


@require_GET
@requires(CaseAuditAction.VIEW_TEMPLATES)
def template_list(request: AuthenticatedRequest) -> HttpResponse:
    visible = policy.visible(request.user, AuditTemplate)
    versions = dict(visible.values_list("key").annotate(n=Count("pk")).order_by())
    current = [
        (template, versions.get(template.key, 1))
        for template in visible.filter(is_current=True).order_by("kind", "title")
    ]
    return render(request, "case_audits/templates/list.html", {"current": current})


@require_GET
@requires(CaseAuditAction.VIEW_TEMPLATES)
def template_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = policy.get_visible_or_404(request.user, AuditTemplate, pk)
    council = _own_council(request.user)
    context = {
        "template": found,
        "sections": services.all_questions(found),
        "versions": policy.visible(request.user, AuditTemplate)
        .filter(key=found.key)
        .exclude(pk=found.pk)
        .select_related("published_by")
        .order_by("-version"),
        "current": policy.visible(request.user, AuditTemplate)
        .filter(key=found.key, is_current=True)
        .first(),
        "may_publish": found.is_current
        and policy.can(request.user, CaseAuditAction.RUN_PROGRAMMES),
        "may_add_for": council if found.is_current else None,
    }
    return render(request, "case_audits/templates/detail.html", context)


def _initial(found: AuditTemplate, code: str) -> dict[str, Any]:
    question = (
        TemplateQuestion.objects.filter(section__template=found, council__isnull=True, code=code)
        .select_related("section")
        .first()
    )
    if question is None:
        return {}
    return {
        "change": NewVersionForm.CHANGE,
        "question": question.code,
        "text": question.text,
        "guidance": question.guidance,
        "scale": question.scale,
        "comment_required": "yes" if question.comment_required else "no",
    }


def _changes(form: NewVersionForm) -> services.TemplateChanges:
    data = form.cleaned_data
    change, code = data["change"], data.get("question") or ""
    wording: dict[str, Any] = {
        "text": data.get("text") or "",
        "guidance": data.get("guidance") or "",
        "scale": data.get("scale") or "",
        "comment_required": data.get("comment_required") == "yes",
    }
    if change == NewVersionForm.REMOVE:
        return services.TemplateChanges(note=data["note"], removed=[code])
    if change == NewVersionForm.ADD:
        added = services.NewQuestion(section_order=int(data["section"]), **wording)
        return services.TemplateChanges(note=data["note"], added=[added])
    changed = services.QuestionChange(code=code, **wording)
    return services.TemplateChanges(note=data["note"], changed=[changed])


@require_http_methods(["GET", "POST"])
@requires(CaseAuditAction.RUN_PROGRAMMES)
def new_version(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = policy.get_visible_or_404(request.user, AuditTemplate, pk)
    initial = _initial(found, request.GET.get("question", ""))
    form = NewVersionForm(request.POST or None, template=found, initial=initial)
    if request.method == "POST" and form.is_valid():
        published = attempt(
            form,
            lambda: services.publish_new_version(
                template=found, by=request.user, changes=_changes(form)
            ),
            field_names={"code": "question"},
        )
        if published is not None:
            messages.success(
                request,
                f"Version {published.version} is published. Programmes already using version "
                f"{found.version} keep it.",
            )
            return redirect("case_audits:template", pk=published.pk)
    return render(
        request, "case_audits/templates/new_version.html", {"template": found, "form": form}
    )


@require_http_methods(["GET", "POST"])
@requires(CaseAuditAction.ADD_COUNCIL_QUESTION)
def add_council_question(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = policy.get_visible_or_404(request.user, AuditTemplate, pk)
    council = _own_council(request.user)
    if council is None:
        raise NotPermitted("Only a council's team managers and strategic leads add its questions.")
    form = CouncilQuestionForm(request.POST or None, template=found)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        section = found.sections.get(order=int(data["section"]))
        question = attempt(
            form,
            lambda: services.add_council_question(
                template=found,
                section=section,
                council=council,
                by=request.user,
                text=data["text"],
                guidance=data.get("guidance") or "",
                scale=data["scale"],
                comment_required=data["comment_required"] == "yes",
                reason=data["reason"],
            ),
        )
        if question is not None:
            messages.success(request, f"{council.name}'s question {question.code} is added.")
            return redirect("case_audits:template", pk=found.pk)
    context = {"template": found, "form": form, "council": council}
    return render(request, "case_audits/templates/council_question.html", context)
