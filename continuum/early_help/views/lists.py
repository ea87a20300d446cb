"""The waiting list, opening an episode (from a front-door decision, by a partner, or as a
step-down from social care) and a team manager's caseloads.

Each view parses input, asks the policy, calls one service or selector and renders.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from continuum.access import policy
from continuum.access.requests import requires
from continuum.accounts.models import User
from continuum.early_help import selectors, services
from continuum.early_help.choices import EpisodeStatus
from continuum.early_help.family_consent import MemberConsent, consent_of
from continuum.early_help.forms import (
    FamilyForm,
    OpenFromDecisionForm,
    PartnerStartForm,
    StepDownForm,
)
from continuum.early_help.policies import EarlyHelpAction
from continuum.early_help.views.common import form_page, user_of
from continuum.front_door.models import ContactDecision
from continuum.front_door.policies import councils_user_may_refer_to
from continuum.organisations.models import Council
from continuum.people.choices import PersonKind
from continuum.people.models import Household, Person
from continuum.people.selectors import search_people
from continuum.ui.errors import attempt
from continuum.ui.panels import panels_for

CHILD_KINDS = (PersonKind.CHILD, PersonKind.UNBORN)
SHOWN_CHILDREN = 50


@requires(EarlyHelpAction.VIEW_WAITING_LIST)
@require_http_methods(["GET"])
def waiting_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    council = policy.council_of(user)
    assert council is not None  # the policy lets only a council's staff in
    return render(
        request,
        "early_help/waiting_list.html",
        {
            "decisions": selectors.decisions_awaiting_episode(user=user),
            "waiting": selectors.awaiting_allocation(user=user),
            "panels": selectors.recent_panels(user=user),
            "can_allocate": policy.can(user, EarlyHelpAction.ALLOCATE),
            "can_open": policy.can(user, EarlyHelpAction.OPEN_EPISODE),
            "can_step_down": policy.can(user, EarlyHelpAction.STEP_DOWN),
            "council": council,
            "target": services.settings_for(council).allocation_target_working_days,
            # What apps beside early help add (the social care timescales, ``ui.panels``).
            "extra_panels": panels_for("early_help.waiting_list", request),
        },
    )


@requires(EarlyHelpAction.OPEN_EPISODE)
@require_http_methods(["GET", "POST"])
def open_from_decision(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the episode a front-door decision for early help asked for."""
    user = user_of(request)
    decision = policy.get_visible_or_404(user, ContactDecision, pk)
    if not selectors.decisions_awaiting_episode(user=user).filter(pk=decision.pk).exists():
        raise Http404
    council = decision.contact.council
    children = list(decision.contact.children.all())
    carried = services.carried_from_contact(decision)
    form = OpenFromDecisionForm(
        request.POST or None,
        initial={
            "consent": carried.answer,
            "lawful_basis": carried.lawful_basis,
            "lawful_basis_justification": carried.justification,
        },
    )
    households = selectors.households_of_children(children, council)
    form.set_place_choices(households=households, councils=[council])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        place = services.EpisodePlace(
            council=council,
            locality=data["locality"],
            team=data["team"],
            household=data["household"],
        )
        episode = attempt(
            form,
            lambda: services.open_episode_from_decision(
                decision=decision, place=place, opened_by=user, consent=form.consent_answer()
            ),
        )
        if episode is not None:
            messages.success(request, "Episode opened: the family is waiting for allocation.")
            return redirect("early_help:episode", pk=episode.pk)
    return form_page(
        request,
        form=form,
        title="Open an early help episode",
        back_url=reverse("early_help:waiting-list"),
        submit="Open episode",
        template="early_help/open_from_decision.html",
        context={
            "decision": decision,
            "children": children,
            "family_consent": _consent_shown(user, children, households),
        },
    )


# --- choosing a family from the people the user may see ----------------------------------------


def _children_shown(
    user: User, query: str, councils: Sequence[Council], selected: Sequence[str]
) -> QuerySet[Person]:
    """The children offered on the page: those matching the search (or, for a partner, all
    the children they may see), and any already selected."""
    visible_children = search_people(user=user).filter(kind__in=CHILD_KINDS, council__in=councils)
    if query:
        matches = search_people(user=user, query=query).filter(
            kind__in=CHILD_KINDS, council__in=councils
        )
        ids = list(matches.values_list("pk", flat=True)[:SHOWN_CHILDREN])
    elif policy.council_of(user) is None:
        ids = list(visible_children.values_list("pk", flat=True)[:SHOWN_CHILDREN])
    else:
        ids = []
    chosen = list(
        visible_children.filter(pk__in=[s for s in selected if _is_uuid(s)]).values_list(
            "pk", flat=True
        )
    )
    return Person.objects.filter(pk__in=[*ids, *chosen]).order_by("family_name", "given_name")


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _family_form(
    request: HttpRequest,
    form_class: type[FamilyForm],
    councils: Sequence[Council],
    form_kwargs: dict[str, Any] | None = None,
) -> tuple[FamilyForm, str]:
    """The form with its choices: on a post, everything the user may choose (so the
    choice is checked against what they may see); otherwise what the search found."""
    user = user_of(request)
    query = (request.POST.get("q") or request.GET.get("q") or "").strip()
    form = form_class(request.POST or None, **(form_kwargs or {}))
    if request.method == "POST":
        children: QuerySet[Person] = search_people(user=user).filter(
            kind__in=CHILD_KINDS, council__in=councils
        )
        visible = policy.visible(user, Person)
        households = (
            Household.objects.filter(council__in=councils, members__person__in=visible)
            .distinct()
            .order_by("name")
        )
    else:
        children = _children_shown(user, query, councils, [])
        households = Household.objects.filter(
            council__in=councils, members__person__in=children
        ).distinct()
    form.fields["children"].queryset = children  # type: ignore[attr-defined]
    form.set_place_choices(households=households, councils=councils)
    return form, query


def _for_display(
    request: HttpRequest, form: FamilyForm, query: str, councils: Sequence[Council]
) -> None:
    """After a refused post: offer the searched and the selected children again, not
    everyone the user may see."""
    shown = _children_shown(user_of(request), query, councils, request.POST.getlist("children"))
    form.fields["children"].queryset = shown  # type: ignore[attr-defined]
    form.fields["household"].queryset = Household.objects.filter(  # type: ignore[attr-defined]
        council__in=councils, members__person__in=shown
    ).distinct()


@requires(EarlyHelpAction.OPEN_EPISODE)
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """A partner (a school, say) starting single-agency early help tells the council by
    opening an episode, which they lead."""
    user = user_of(request)
    councils = councils_user_may_refer_to(user)
    if not councils:
        raise Http404
    form, query = _family_form(
        request, PartnerStartForm, councils, form_kwargs={"councils": councils}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        place = services.EpisodePlace(
            council=data["council"],
            locality=data["locality"],
            team=data["team"],
            household=data["household"],
        )
        episode = attempt(
            form,
            lambda: services.open_episode_by_partner(
                place=place,
                children=list(data["children"]),
                reason=data["reason_for_request"],
                opened_by=user,
                consent=form.consent_answer(),
            ),
        )
        if episode is not None:
            messages.success(request, "Early help started: you are the lead professional.")
            return redirect("early_help:episode", pk=episode.pk)
    if request.method == "POST":
        _for_display(request, form, query, councils)
    return form_page(
        request,
        form=form,
        title="Start early help",
        back_url=reverse("web:home"),
        submit="Start early help",
        template="early_help/family_form.html",
        context={
            "query": query,
            "search_url": reverse("early_help:start"),
            "family_consent": _consent_of_form(user, form),
        },
    )


@requires(EarlyHelpAction.STEP_DOWN)
@require_http_methods(["GET", "POST"])
def step_down(request: HttpRequest) -> HttpResponse:
    """Open early help for a family stepping down from social care, with that history."""
    user = user_of(request)
    council = policy.council_of(user)
    if council is None:
        raise Http404
    form, query = _family_form(request, StepDownForm, [council])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        place = services.EpisodePlace(
            council=council,
            locality=data["locality"],
            team=data["team"],
            household=data["household"],
        )
        episode = attempt(
            form,
            lambda: services.step_down(
                place=place,
                children=list(data["children"]),
                level=data["level"],
                social_care_history=data["social_care_history"],
                reason=data["reason_for_request"],
                opened_by=user,
                consent=form.consent_answer(),
            ),
        )
        if episode is not None:
            messages.success(request, "Step-down recorded: the family is waiting for allocation.")
            return redirect("early_help:episode", pk=episode.pk)
    if request.method == "POST":
        _for_display(request, form, query, [council])
    return form_page(
        request,
        form=form,
        title="Step down from social care to early help",
        back_url=reverse("early_help:waiting-list"),
        submit="Open early help episode",
        template="early_help/family_form.html",
        context={
            "query": query,
            "search_url": reverse("early_help:step-down"),
            "family_consent": _consent_of_form(user, form),
        },
    )


def _consent_shown(
    user: User, children: Sequence[Person], households: QuerySet[Household]
) -> list[MemberConsent]:
    """The children's and their households' current consent, for the people the user may
    see."""
    visible = policy.visible(user, Person)
    adults = visible.filter(household_members__household__in=households).distinct()
    people = [*children, *adults.order_by("family_name", "given_name")[:SHOWN_CHILDREN]]
    return consent_of(list(dict.fromkeys(people)))


def _consent_of_form(user: User, form: FamilyForm) -> list[MemberConsent]:
    """The consent of the children offered (or chosen) on the form and their households."""
    offered = form.fields["children"].queryset  # type: ignore[attr-defined]
    chosen = list(offered[:SHOWN_CHILDREN])
    households = form.fields["household"].queryset  # type: ignore[attr-defined]
    return _consent_shown(user, chosen, households)


@requires(EarlyHelpAction.VIEW_CASELOADS)
@require_http_methods(["GET"])
def caseloads(request: HttpRequest) -> HttpResponse:
    """The team's episodes, each worker's caseload, and everything overdue."""
    user = user_of(request)
    council = policy.council_of(user)
    assert council is not None
    episodes = selectors.team_episodes(user=user)
    # A lead professional's episodes are allocated, so never awaiting allocation.
    statuses = [
        s
        for s in EpisodeStatus
        if s not in (EpisodeStatus.CLOSED, EpisodeStatus.AWAITING_ALLOCATION)
    ]
    rows = [
        {
            "worker": caseload.worker,
            "counts": [caseload.counts.get(s, 0) for s in statuses],
            "total": caseload.total,
        }
        for caseload in selectors.caseloads(episodes)
    ]
    return render(
        request,
        "early_help/caseloads.html",
        {
            "episodes": episodes,
            "caseloads": rows,
            "statuses": statuses,
            "overdue": selectors.overdue(user=user, episodes=episodes),
            # What apps beside early help add (the social care timescales, ``ui.panels``).
            "extra_panels": panels_for("early_help.caseloads", request),
            "teams": list(user.teams.all()),
            "council": council,
            "target": services.settings_for(council).allocation_target_working_days,
        },
    )
