"""The programmes' pages: the list, a programme (its details and counts), creating and
editing one, its evaluation against matched comparison families (with the balance table,
chart and CSV), and recording an episode's family joining or leaving a programme. Each
asks the policy; the services check everything."""

from __future__ import annotations

import csv
import time
import uuid

from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from continuum.access import policy
from continuum.access.requests import AuthenticatedRequest, requires
from continuum.early_help.models import Episode
from continuum.organisations.models import Council
from continuum.performance.charts import svg_img
from continuum.programmes import selectors, services
from continuum.programmes.charts import balance_chart
from continuum.programmes.evaluation import (
    BALANCED_SMD,
    CALIPER_SD,
    Evaluation,
    evaluate,
    rows_for,
)
from continuum.programmes.forms import JoinForm, LeaveForm, ProgrammeForm
from continuum.programmes.models import Participation, Programme
from continuum.programmes.policies import ProgrammeAction, served_councils
from continuum.ui.errors import attempt, error_summary


def _to(programme: Programme) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("programmes:detail", args=[programme.pk]), status=303)


def _councils_for(request: AuthenticatedRequest) -> object:
    user = request.user
    if policy.can(user, ProgrammeAction.MANAGE, served_councils(user)):
        return served_councils(user).order_by("name")
    council = user.council
    return Council.objects.filter(pk=council.pk) if council is not None else Council.objects.none()


def _may_create(request: AuthenticatedRequest) -> bool:
    return policy.can(request.user, ProgrammeAction.MANAGE, list(_councils_for(request)[:1]))  # type: ignore[index]


@requires()
@require_http_methods(["GET"])
def programme_list(request: AuthenticatedRequest) -> HttpResponse:
    programmes = list(selectors.programmes_for(request.user))
    for p in programmes:
        p.shown_families = selectors.shown_count(p.families)  # type: ignore[attr-defined]
    return render(
        request,
        "programmes/list.html",
        {"programmes": programmes, "may_create": _may_create(request)},
    )


@requires()
@require_http_methods(["GET", "POST"])
def new(request: AuthenticatedRequest) -> HttpResponse:
    councils = _councils_for(request)
    if not _may_create(request):
        policy.require(request.user, ProgrammeAction.MANAGE, [], services.MANAGE_REFUSED)
    form = ProgrammeForm(request.POST if request.method == "POST" else None, councils=councils)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        programme = attempt(
            form,
            lambda: services.create_programme(
                by=request.user,
                name=data["name"] or "",
                councils=list(data["councils"]),
                offers=data["offers"] or "",
                for_whom=data["for_whom"] or "",
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            ),
        )
        if programme is not None:
            return _to(programme)
    return render(request, "programmes/form.html", {"form": form, "programme": None})


@requires()
@require_http_methods(["GET", "POST"])
def edit(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    programme = policy.get_visible_or_404(request.user, Programme, pk)
    policy.require(request.user, ProgrammeAction.MANAGE, programme, services.MANAGE_REFUSED)
    initial = {
        "name": programme.name,
        "offers": programme.offers,
        "for_whom": programme.for_whom,
        "starts_on": programme.starts_on,
        "ends_on": programme.ends_on,
    }
    form = ProgrammeForm(
        request.POST if request.method == "POST" else None, initial=initial, editing=True
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        done = attempt(
            form,
            lambda: services.edit_programme(
                by=request.user,
                programme=programme,
                name=data["name"] or "",
                offers=data["offers"] or "",
                for_whom=data["for_whom"] or "",
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            ),
        )
        if done is not None:
            return _to(done)
    return render(request, "programmes/form.html", {"form": form, "programme": programme})


@requires()
@require_http_methods(["GET"])
def detail(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    programme = policy.get_visible_or_404(request.user, Programme, pk)
    return render(
        request,
        "programmes/detail.html",
        {
            "programme": programme,
            "councils": programme.councils.order_by("name"),
            "figures": selectors.figures_of(programme),
            "may_edit": policy.can(request.user, ProgrammeAction.MANAGE, programme),
        },
    )


def _evaluated(programme: Programme) -> tuple[Evaluation | None, ValidationError | None, float]:
    started = time.perf_counter()
    try:
        result = evaluate(rows_for(programme, timezone.localdate()))
    except ValidationError as error:
        return None, error, time.perf_counter() - started
    return result, None, time.perf_counter() - started


@requires()
@require_http_methods(["GET"])
def evaluation(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    """The evaluation, computed on request (it takes well under a second on the demo
    data: see ``docs/programmes.md``). Too few families is shown with the numbers."""
    programme = policy.get_visible_or_404(request.user, Programme, pk)
    policy.require(request.user, ProgrammeAction.EVALUATE, programme)
    result, refused, _ = _evaluated(programme)
    context: dict[str, object] = {
        "programme": programme,
        "result": result,
        "errors": error_summary(refused) if refused else [],
        "balanced_smd": BALANCED_SMD,
        "caliper_sd": CALIPER_SD,
    }
    if result is not None:
        context["chart"] = svg_img(
            balance_chart(result.balance),
            "Standardised mean differences before and after matching; the table below gives "
            "the figures.",
        )
        context["counts"] = {
            "participants": selectors.shown_count(result.participants),
            "pool": selectors.shown_count(result.pool),
            "pairs": selectors.shown_count(result.pairs),
            "unmatched": selectors.shown_count(result.unmatched),
        }
        context["effects"] = [
            {
                "effect": e,
                "pairs": selectors.shown_count(e.pairs),
                "contains_zero": e.low <= 0 <= e.high,
                "difference": _points(e.difference),
                "interval": f"{_points(e.low)} to {_points(e.high)}",
            }
            for e in result.effects
        ]
    return render(request, "programmes/evaluation.html", context)


def _points(proportion: float) -> str:
    """A difference in proportions as percentage points, signed: "−15.1 points"."""
    value = round(proportion * 100, 1)
    sign = "+" if value > 0 else ("\u2212" if value < 0 else "")
    return f"{sign}{abs(value):.1f} points"


@requires()
@require_http_methods(["GET"])
def balance_csv(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    programme = policy.get_visible_or_404(request.user, Programme, pk)
    policy.require(request.user, ProgrammeAction.EVALUATE, programme)
    result, refused, _ = _evaluated(programme)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="balance-{programme.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow(["Covariate", "SMD before matching", "SMD after matching", "Balanced"])
    for b in result.balance if result else []:
        writer.writerow(
            [b.label, f"{b.before:.3f}", f"{b.after:.3f}", "yes" if b.balanced else "no"]
        )
    return response


@requires()
@require_http_methods(["GET", "POST"])
def join(request: AuthenticatedRequest, episode_pk: uuid.UUID) -> HttpResponse:
    episode = policy.get_visible_or_404(request.user, Episode, episode_pk)
    policy.require(
        request.user, ProgrammeAction.TAG_EPISODE, episode, "You do not work this episode."
    )
    form = JoinForm(
        request.POST if request.method == "POST" else None,
        programmes=selectors.programmes_to_join(request.user, episode),
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["programme"] is None:
            form.add_error("programme", "Select the programme")
        else:
            done = attempt(
                form,
                lambda: services.join_programme(
                    episode=episode,
                    programme=data["programme"],
                    by=request.user,
                    joined_on=data["joined_on"],
                ),
            )
            if done is not None:
                return HttpResponseRedirect(
                    reverse("early_help:episode", args=[episode.pk]), status=303
                )
    return render(request, "programmes/join.html", {"form": form, "episode": episode})


@requires()
@require_http_methods(["GET", "POST"])
def leave(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    participation = policy.get_visible_or_404(request.user, Participation, pk)
    episode = participation.episode
    policy.require(
        request.user, ProgrammeAction.TAG_EPISODE, episode, "You do not work this episode."
    )
    form = LeaveForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        done = attempt(
            form,
            lambda: services.leave_programme(
                participation=participation, by=request.user, left_on=form.cleaned_data["left_on"]
            ),
        )
        if done is not None:
            return HttpResponseRedirect(
                reverse("early_help:episode", args=[episode.pk]), status=303
            )
    return render(request, "programmes/leave.html", {"form": form, "participation": participation})
