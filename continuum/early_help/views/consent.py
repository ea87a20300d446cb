"""The episode's Consent tab (each family member's agreement, withdrawals, the lawful basis
and the manager's review) and the page where a team manager decides that review."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods

from continuum.access import policy
from continuum.access.requests import requires
from continuum.audit.models import AccessAction
from continuum.audit.services import log_access
from continuum.early_help import family_consent
from continuum.early_help.choices import ConsentReviewDecision
from continuum.early_help.forms.consent import ConsentReviewForm
from continuum.early_help.models import ConsentReview, Episode
from continuum.early_help.policies import EarlyHelpAction
from continuum.early_help.services.withdrawal import decide_consent_review
from continuum.early_help.views.common import (
    episode_for,
    episode_page,
    form_page,
    log_children_read,
    user_of,
)
from continuum.people.models import Person
from continuum.ui.errors import attempt

# The person's Consent tab, where the consent app has one; else their record.
CONSENT_TAB_URL_NAMES = ("consent:person", "people:consent")


def consent_tab_url(person: Person) -> str:
    for name in CONSENT_TAB_URL_NAMES:
        try:
            return reverse(name, args=[person.pk])
        except NoReverseMatch:
            continue
    return reverse("people:detail", args=[person.pk])


def _family_shown(request: HttpRequest, episode: Episode) -> list[family_consent.MemberConsent]:
    """The family members the user may see, with their consent; a row in the access log for
    each adult shown (the episode's pages log the children)."""
    user = user_of(request)
    visible = set(policy.visible(user, Person).values_list("pk", flat=True))
    children = set(episode.children.values_list("pk", flat=True))
    shown = [m for m in family_consent.family_consent(episode) if m.person.pk in visible]
    for member in shown:
        if member.person.pk not in children:
            log_access(
                request=request,
                user=user,
                subject_id=member.person.pk,
                action=AccessAction.VIEW_RECORD,
            )
    return shown


@requires()
@require_http_methods(["GET"])
def consent(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    episode = episode_for(request, pk)
    members = _family_shown(request, episode)
    return episode_page(
        request,
        episode,
        tab="consent",
        template="early_help/episode_consent.html",
        context={
            "members": [{"consent": m, "url": consent_tab_url(m.person)} for m in members],
            "withdrawals": sorted(
                (w for m in members if m.standing for w in m.standing.withdrawals),
                key=lambda w: (w.withdrawn_on, w.recorded_at),
                reverse=True,
            ),
            "pending_review": family_consent.pending_review(episode),
            "reviews": family_consent.reviews_of(episode),
            "can_decide_review": policy.can(
                user_of(request), EarlyHelpAction.DECIDE_CONSENT_REVIEW, episode
            ),
        },
    )


@requires()
@require_http_methods(["GET", "POST"])
def consent_review(request: HttpRequest, pk: uuid.UUID, review_pk: int) -> HttpResponse:
    """The review of a withdrawal: seen by whoever sees the episode; decided by a team
    manager of its council (others are refused, 403)."""
    episode = episode_for(request, pk)
    user = user_of(request)
    review = get_object_or_404(
        ConsentReview.objects.select_related("withdrawal", "decided_by"),
        pk=review_pk,
        episode=episode,
    )
    can_decide = review.is_pending and policy.can(
        user, EarlyHelpAction.DECIDE_CONSENT_REVIEW, episode
    )
    form = ConsentReviewForm(request.POST or None)
    if request.method == "POST":
        policy.require(
            user,
            EarlyHelpAction.DECIDE_CONSENT_REVIEW,
            episode,
            "Only a team manager of the episode's council decides this review.",
        )
        if form.is_valid():
            data = form.cleaned_data
            decided = attempt(
                form,
                lambda: decide_consent_review(
                    review=review,
                    by=user,
                    decision=data["decision"],
                    lawful_basis=data["lawful_basis"],
                    justification=data["justification"],
                ),
            )
            if decided is not None:
                messages.success(
                    request,
                    "Decided: early help continues on a lawful basis."
                    if decided.decision == ConsentReviewDecision.CONTINUE
                    else "Decided: the episode is closed.",
                )
                return redirect("early_help:consent", pk=episode.pk)
    log_children_read(request, episode)
    return form_page(
        request,
        form=form if can_decide or request.method == "POST" else None,
        title="Review early help without the family's agreement",
        back_url=reverse("early_help:consent", args=[episode.pk]),
        submit="Save the decision",
        episode=episode,
        template="early_help/consent_review.html",
        context={"review": review, "can_decide": can_decide},
    )
