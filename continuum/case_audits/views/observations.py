"""Front-door practice observations: the list of those the user may see, recording one (the
council observed and the template first, then the form with the template's questions and
the council's own), and one observation."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from continuum.access import policy
from continuum.access.requests import AuthenticatedRequest, requires
from continuum.accounts.models import Role
from continuum.case_audits.choices import SCALE_OPTIONS, TemplateKind
from continuum.case_audits.forms.auditing import ObservationForm, ObservationStartForm
from continuum.case_audits.models import AuditProgramme, AuditTemplate, FrontDoorObservation
from continuum.case_audits.policies import CaseAuditAction, partnership_councils
from continuum.case_audits.services.auditing import grade_label
from continuum.case_audits.services.observations import record_observation
from continuum.case_audits.services.templates import questions_of
from continuum.errors import NotPermitted
from continuum.organisations.models import Council
from continuum.ui.errors import attempt, form_errors_summary


@requires()
@require_http_methods(["GET"])
def observations(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    may_observe = policy.can(user, CaseAuditAction.OBSERVE_FRONT_DOOR)
    if not (may_observe or policy.can(user, CaseAuditAction.VIEW_PROGRAMME)):
        raise NotPermitted("You may not see front-door practice observations.")
    found = (
        policy.visible(user, FrontDoorObservation)
        .select_related("council", "observer")
        .order_by("-observed_on")
    )
    return render(
        request,
        "case_audits/auditing/observations.html",
        {"observations": found, "may_observe": may_observe},
    )


def _councils(request: AuthenticatedRequest) -> list[Council]:
    user = request.user
    candidates = (
        partnership_councils(user)
        if user.role == Role.SAFEGUARDING_PARTNERSHIP_LEAD
        else Council.objects.all()
    )
    return [
        c
        for c in candidates.order_by("name")
        if policy.can(user, CaseAuditAction.OBSERVE_FRONT_DOOR, c)
    ]


@requires(CaseAuditAction.OBSERVE_FRONT_DOOR)
@require_http_methods(["GET", "POST"])
def observation_new(request: AuthenticatedRequest) -> HttpResponse:
    councils = _councils(request)
    templates = AuditTemplate.objects.filter(
        kind=TemplateKind.FRONT_DOOR_OBSERVATION, is_current=True
    )
    start = ObservationStartForm(
        request.GET or None,
        councils=Council.objects.filter(pk__in=[c.pk for c in councils]),
        templates=templates,
    )
    if not start.is_bound or not start.is_valid():
        return render(
            request,
            "case_audits/auditing/observation_start.html",
            {"form": start},
            status=400 if start.errors else 200,
        )
    council: Council = start.cleaned_data["council"]
    template: AuditTemplate = start.cleaned_data["template"]
    form = ObservationForm(
        request.POST if request.method == "POST" else None,
        questions=questions_of(template, council),
        programmes=policy.visible(request.user, AuditProgramme).filter(councils=council),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = attempt(
            form,
            lambda: record_observation(
                by=request.user,
                council=council,
                template=template,
                observed_on=data["observed_on"],
                what_was_observed=data["what_was_observed"],
                answers=form.answers(),
                overall_grade=data["overall_grade"],
                strengths=data["strengths"],
                areas_for_improvement=data["areas_for_improvement"],
                programme=data["programme"],
            ),
        )
        if done is not None:
            messages.success(request, "The observation has been recorded")
            url = reverse("case_audits:observation", args=[done.pk])
            return HttpResponseRedirect(url, status=303)
    return render(
        request,
        "case_audits/auditing/observation_new.html",
        {
            "form": form,
            "council": council,
            "template": template,
            "errors": form_errors_summary(form),
        },
        status=400 if form.errors else 200,
    )


@requires()
@require_http_methods(["GET"])
def observation(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    found = policy.get_visible_or_404(request.user, FrontDoorObservation, pk)
    found = FrontDoorObservation.objects.select_related(
        "council", "observer", "template", "programme"
    ).get(pk=found.pk)
    answers = {f.question_id: f for f in found.findings.all()}
    sections: list[dict[str, object]] = []
    for question in questions_of(found.template, found.council):
        if not sections or sections[-1]["section"] != question.section:
            sections.append({"section": question.section, "questions": []})
        finding = answers.get(question.pk)
        labels = dict(SCALE_OPTIONS[question.scale])
        items = sections[-1]["questions"]
        assert isinstance(items, list)
        items.append(
            {
                "question": question,
                "grade": labels.get(finding.grade, "") if finding and finding.grade else "",
                "comment": finding.comment if finding else "",
            }
        )
    return render(
        request,
        "case_audits/auditing/observation.html",
        {
            "observation": found,
            "findings": sections,
            "overall_grade": grade_label(found.overall_grade),
        },
    )
