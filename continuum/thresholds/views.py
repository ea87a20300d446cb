"""Pages of the threshold framework: browse it, see a council's differences, suggest a level.

Everyone with a role may view the framework (``ThresholdsAction.VIEW``): it is
shared reference material, with no personal data in it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from continuum.access.requests import requires
from continuum.organisations.models import Council
from continuum.thresholds import rules, selectors
from continuum.thresholds.forms import LevelFilterForm, SuggestLevelForm
from continuum.thresholds.models import Domain, FrameworkVersion, Level
from continuum.thresholds.policies import ThresholdsAction


def _current_or_404() -> FrameworkVersion:
    version = selectors.current_version()
    if version is None:
        raise Http404("No version of the threshold framework has been published.")
    return version


def _level_filter(request: HttpRequest) -> tuple[LevelFilterForm, int | None]:
    form = LevelFilterForm(request.GET or None)
    level = form.cleaned_data["level"] if form.is_valid() else None
    return form, level


def _levels() -> list[dict[str, object]]:
    return [
        {
            "level": level,
            "name": Level(level).label.split(": ", 1)[-1],
            "response": rules.LEVEL_RESPONSES[level],
        }
        for level in Level.values
    ]


@requires(ThresholdsAction.VIEW)
def framework(request: HttpRequest) -> HttpResponse:
    version = _current_or_404()
    filter_form, level = _level_filter(request)
    context = {
        "version": version,
        "levels": _levels(),
        "domains": selectors.domains(),
        "groups": selectors.indicators_by_domain(version=version, level=level),
        "filter_form": filter_form,
        "level": level,
        "councils": selectors.councils_with_difference_counts(version=version),
    }
    return render(request, "thresholds/framework.html", context)


@requires(ThresholdsAction.VIEW)
def indicator(request: HttpRequest, code: str) -> HttpResponse:
    version = _current_or_404()
    shared = selectors.indicator_by_code(version=version, code=code.upper())
    if shared is None:
        raise Http404("No such indicator in the current framework.")
    context = {
        "version": version,
        "indicator": shared,
        "local_changes": selectors.local_changes_to(indicator=shared),
    }
    return render(request, "thresholds/indicator.html", context)


@requires(ThresholdsAction.VIEW)
def council(request: HttpRequest, dfe_la_code: str) -> HttpResponse:
    version = _current_or_404()
    chosen = get_object_or_404(Council, dfe_la_code=dfe_la_code)
    effective = selectors.effective_framework(council=chosen, version=version)
    filter_form, level = _level_filter(request)
    context = {
        "version": version,
        "council": chosen,
        "framework": effective,
        "differences": effective.differences,
        "groups": effective.by_domain(level=level),
        "filter_form": filter_form,
        "level": level,
    }
    return render(request, "thresholds/council.html", context)


@dataclass(frozen=True)
class _Choice:
    """One checkbox on the suggest page."""

    id: str
    indicator: selectors.EffectiveIndicator
    checked: bool


def _choices(
    framework: selectors.EffectiveFramework, checked: set[str]
) -> list[tuple[Domain, list[_Choice]]]:
    groups: list[tuple[Domain, list[_Choice]]] = []
    first = True
    for group in framework.by_domain():
        items = []
        for item in group.indicators:
            if not item.in_use:
                continue
            # The first checkbox carries the field's id, so the error summary links to it.
            box_id = "id_indicators" if first else f"indicator-{item.code}"
            first = False
            items.append(_Choice(id=box_id, indicator=item, checked=item.code in checked))
        groups.append((group.domain, items))
    return groups


def _chosen_council(request: HttpRequest) -> Council | None:
    """The council whose framework to use: ?council=<DfE code>, 'shared', or the user's."""
    code = request.GET.get("council")
    if code == "shared":
        return None
    if code:
        return get_object_or_404(Council, dfe_la_code=code)
    return getattr(request.user, "council", None)


@requires(ThresholdsAction.VIEW)
def suggest(request: HttpRequest) -> HttpResponse:
    version = _current_or_404()
    chosen = _chosen_council(request)
    effective = selectors.effective_framework(council=chosen, version=version)
    data = request.POST if request.method == "POST" else None
    form = SuggestLevelForm(data, indicators=effective.indicators)
    suggestion = None
    selected: list[selectors.EffectiveIndicator] = []
    if form.is_bound and form.is_valid():
        selection = selectors.select_indicators(
            codes=form.cleaned_data["indicators"], framework=effective
        )
        selected = selection.indicators
        suggestion = rules.suggest_level(selection.facts)
    checked = set(form["indicators"].value() or []) if form.is_bound else set()
    context = {
        "version": version,
        "council": chosen,
        "councils": Council.objects.order_by("name"),
        "framework": effective,
        "form": form,
        "choices": _choices(effective, checked),
        "suggestion": suggestion,
        "selected": selected,
    }
    return render(request, "thresholds/suggest.html", context)
