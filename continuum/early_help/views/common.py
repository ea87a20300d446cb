"""What every early help page shares: fetching an episode through the policy, its tabs,
the access-log rows for its children, and rendering forms with the services' refusals."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from continuum.access import policy
from continuum.access.requests import user_of
from continuum.audit.models import AccessAction
from continuum.audit.services import log_access
from continuum.early_help.extensions import episode_tabs
from continuum.early_help.models import Episode
from continuum.early_help.policies import EarlyHelpAction
from continuum.front_door.models import Contact

TABS = [
    ("summary", "Summary", "early_help:episode"),
    ("assessment", "Assessment", "early_help:assessment"),
    ("taf", "Team Around the Family", "early_help:taf"),
    ("plan", "Plan", "early_help:plan"),
    ("reviews", "Reviews", "early_help:reviews"),
    ("step_up", "Step-up", "early_help:step-up"),
    ("closure", "Closure", "early_help:closure"),
    ("consent", "Consent", "early_help:consent"),
    ("history", "History", "early_help:history"),
]


def episode_for(request: HttpRequest, pk: uuid.UUID) -> Episode:
    """The episode, if the user may see it; 404 as if it did not exist otherwise."""
    return policy.get_visible_or_404(user_of(request), Episode, pk)


def contact_url(contact: Contact | None) -> str | None:
    """The front-door contact's page, where the front door has built one."""
    if contact is None:
        return None
    try:
        return reverse("front_door:contact", args=[contact.pk])
    except NoReverseMatch:
        return None


def tabs(episode: Episode, current: str, user: Any = None) -> list[dict[str, object]]:
    entries = list(TABS)
    if user is not None:
        # Tabs the apps above add (``early_help.extensions``), before the history.
        added = [(t.key, t.text, t.url_name) for t in episode_tabs(user, episode)]
        entries[-1:-1] = added
    return [
        {
            "key": key,
            "text": text,
            "href": reverse(name, args=[episode.pk]),
            "active": key == current,
        }
        for key, text, name in entries
    ]


def log_children_read(request: HttpRequest, episode: Episode) -> None:
    """An episode page shows the children's case record: one access-log row per child."""
    for child_id in episode.children.values_list("pk", flat=True):
        log_access(
            request=request,
            user=user_of(request),
            subject_id=child_id,
            action=AccessAction.VIEW_RECORD,
        )


def permissions(request: HttpRequest, episode: Episode) -> dict[str, bool]:
    user = user_of(request)
    return {
        "can_work": policy.can(user, EarlyHelpAction.WORK_EPISODE, episode),
        "can_allocate": policy.can(user, EarlyHelpAction.ALLOCATE, episode),
        "can_decide_step_up": policy.can(user, EarlyHelpAction.DECIDE_STEP_UP, episode),
        "can_record_follow_up": policy.can(user, EarlyHelpAction.RECORD_FOLLOW_UP, episode),
        "can_hand_over": policy.can(user, EarlyHelpAction.HAND_OVER, episode),
        "can_sign_off_closure": policy.can(user, EarlyHelpAction.SIGN_OFF_CLOSURE, episode),
    }


def episode_page(
    request: HttpRequest,
    episode: Episode,
    *,
    tab: str,
    template: str,
    context: dict[str, Any] | None = None,
    errors: list[dict[str, Any]] | None = None,
    status: int = 200,
) -> HttpResponse:
    """One tab of the episode, writing its access-log rows."""
    log_children_read(request, episode)
    page: dict[str, Any] = {
        "episode": episode,
        "tabs": tabs(episode, tab, user_of(request)),
        "tab": tab,
        "errors": errors or [],
        **permissions(request, episode),
    }
    page.update(context or {})
    return render(request, template, page, status=status)


def form_page(
    request: HttpRequest,
    *,
    form: Any,
    title: str,
    back_url: str,
    submit: str,
    episode: Episode | None = None,
    template: str = "early_help/form_page.html",
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    page: dict[str, Any] = {
        "form": form,
        "title": title,
        "back_url": back_url,
        "submit": submit,
        "episode": episode,
    }
    page.update(context or {})
    return render(request, template, page)
