"""An episode's summary and its change history."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from continuum.access import policy
from continuum.access.requests import requires
from continuum.early_help import selectors
from continuum.early_help.extensions import timeline_entries
from continuum.early_help.family_consent import pending_review
from continuum.early_help.views.common import contact_url, episode_for, episode_page, user_of
from continuum.front_door.models import Contact
from continuum.people.models import Person
from continuum.ui.panels import panels_for


@requires()
@require_http_methods(["GET"])
def summary(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    episode = episode_for(request, pk)
    user = user_of(request)
    visible_ids = set(
        policy.visible(user, Person)
        .filter(pk__in=episode.children.values("pk"))
        .values_list("pk", flat=True)
    )
    decision = episode.front_door_decision
    contact = decision.contact if decision is not None else None
    if contact is not None and not policy.visible(user, Contact).filter(pk=contact.pk).exists():
        contact = None
    return episode_page(
        request,
        episode,
        tab="summary",
        template="early_help/episode_summary.html",
        context={
            "children": [
                {"person": child, "visible": child.pk in visible_ids}
                for child in episode.children.order_by("date_of_birth")
            ],
            "family": selectors.visible_family(user=user, episode=episode),
            "days_to_allocation": selectors.days_to_allocation(episode),
            "waiting_since": selectors.waiting_since(episode),
            "decision": decision,
            "decision_contact_url": contact_url(contact),
            "pending_consent_review": pending_review(episode),
            # What apps above add to the summary (documents, the user's reminders): ``ui.panels``.
            "extra_panels": panels_for("early_help.episode", request, episode),
        },
    )


@requires()
@require_http_methods(["GET"])
def history(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    episode = episode_for(request, pk)
    # The episode's own changes, and what apps above add to its timeline (case notes).
    entries: list[Any] = [
        *selectors.episode_history(episode),
        *timeline_entries(user_of(request), episode),
    ]
    return episode_page(
        request,
        episode,
        tab="history",
        template="early_help/episode_history.html",
        context={"entries": sorted(entries, key=lambda e: e.at, reverse=True)},
    )
