"""The front-door queue (every open contact of the user's council, overdue first) and the
front-door summary (numbers per council by day, week or month)."""

from __future__ import annotations

from datetime import date

from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from continuum.access import policy
from continuum.access.requests import AuthenticatedRequest, requires
from continuum.errors import NotPermitted
from continuum.front_door import selectors
from continuum.front_door.choices import OPEN_STATUSES
from continuum.front_door.forms import QueueFilterForm, SummaryForm
from continuum.front_door.policies import FrontDoorAction
from continuum.people import matching
from continuum.ui.panels import panels_for


@requires(FrontDoorAction.VIEW_QUEUE)
@require_http_methods(["GET"])
def queue(request: AuthenticatedRequest) -> HttpResponse:
    council = policy.council_of(request.user)
    if council is None:  # the policy allows only council staff; kept for the type checker
        raise NotPermitted
    # One queue across every council the user decides for (a hub's front door), each
    # contact decided for its own council; filterable by council.
    councils = selectors.queue_councils(request.user) or [council]
    teams = selectors.teams_of(council)
    form = QueueFilterForm(request.GET or None, council=council, teams=teams, councils=councils)
    team, statuses, chosen = None, [], None
    if form.is_bound and form.is_valid():
        team = form.cleaned_data["team"]
        statuses = form.cleaned_data["status"]
        chosen = form.cleaned_data["council"]
    result = selectors.queue(
        user=request.user,
        councils=[chosen] if chosen is not None else councils,
        team=team,
        statuses=statuses,
    )
    selected_tags = []
    if chosen is not None and len(councils) > 1:
        selected_tags.append({"heading": "Council", "items": [chosen.name]})
    if team is not None:
        selected_tags.append({"heading": "Team", "items": [team.name]})
    if statuses:
        labels = dict((s.value, s.label) for s in OPEN_STATUSES)
        selected_tags.append({"heading": "Status", "items": [labels[s] for s in statuses]})
    return render(
        request,
        "front_door/contacts/queue.html",
        {
            "council": council,
            "councils": councils,
            "several_councils": len(councils) > 1,
            "form": form,
            "queue": result,
            "status_counts": [(s.label, result.by_status.get(s.value, 0)) for s in OPEN_STATUSES],
            "selected_tags": selected_tags,
            "today": timezone.localdate(),
            # What apps above add (the social care timescales, ``ui.panels``).
            "extra_panels": panels_for("front_door.queue", request),
            # New records that may be second records of children the council holds.
            "possible_matches": matching.count_to_review(user=request.user),
            "known_elsewhere": matching.people_with_other_records(
                user=request.user,
                person_ids=[child.pk for row in result.rows for child in row.children],
            ),
        },
    )


@requires(FrontDoorAction.VIEW_SUMMARY)
@require_http_methods(["GET"])
def summary(request: AuthenticatedRequest) -> HttpResponse:
    councils = selectors.councils_for_summary(request.user)
    if not councils:
        raise NotPermitted
    today = timezone.localdate()
    data = request.GET.copy() if request.GET else _default_query(today)
    form = SummaryForm(data, councils=councils)
    summaries: list[selectors.CouncilSummary] = []
    if form.is_valid():
        chosen = form.cleaned_data["council"]
        summaries = selectors.front_door_summary(
            user=request.user,
            councils=[chosen] if chosen is not None else councils,
            period=form.cleaned_data["period"],
            start=form.cleaned_data["date_from"],
            end=form.cleaned_data["date_to"],
        )
    return render(
        request,
        "front_door/contacts/summary.html",
        {"form": form, "summaries": summaries, "councils": councils},
    )


def _date_parts(name: str, day: date) -> dict[str, str]:
    """A date as the GOV.UK date input sends it: day, month and year boxes."""
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


def _default_query(today: date) -> QueryDict:
    """The last eight weeks, counted by week, until the user chooses otherwise."""
    defaults = SummaryForm.defaults(today)
    query = QueryDict(mutable=True)
    query.update(
        {
            "period": defaults["period"],
            **_date_parts("date_from", defaults["date_from"]),
            **_date_parts("date_to", defaults["date_to"]),
        }
    )
    return query
