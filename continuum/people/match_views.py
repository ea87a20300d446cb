"""Possible matches pages: the list of those the user's council holds (its front door's
work) and the review of one, where someone who may see both records links them or marks
them not the same (decision 0008). Each review shows the records the user may see and
writes one access-log row for each; the record the user may not see is named only by its
council and when it was added.
"""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from continuum.access import policy
from continuum.access.requests import AuthenticatedRequest, requires
from continuum.audit.models import AccessAction
from continuum.audit.services import log_access
from continuum.people import matching
from continuum.people.forms import MatchDecisionForm
from continuum.people.models import MatchStatus, Person, PossibleMatch
from continuum.people.policies import PeopleAction
from continuum.ui.errors import attempt

RECENTLY_DECIDED = 20

_DECISIONS = {
    MatchDecisionForm.LINK: (matching.link_records, "The records are linked."),
    MatchDecisionForm.NOT_THE_SAME: (
        matching.mark_not_the_same,
        "The records are marked as not the same person.",
    ),
    MatchDecisionForm.REOPEN: (matching.reopen_match, "The possible match is open again."),
}


@requires(PeopleAction.REVIEW_MATCHES)
@require_http_methods(["GET"])
def possible_matches(request: AuthenticatedRequest) -> HttpResponse:
    to_review = list(matching.matches_for_review(user=request.user))
    decided = list(
        matching.matches_for_review(user=request.user, status=MatchStatus.LINKED)[:RECENTLY_DECIDED]
    ) + list(
        matching.matches_for_review(user=request.user, status=MatchStatus.NOT_THE_SAME)[
            :RECENTLY_DECIDED
        ]
    )
    decided.sort(key=lambda m: m.decided_at or m.found_at, reverse=True)
    new_ids = {m.new_person_id for m in [*to_review, *decided]}
    seen = set(
        policy.visible(request.user, Person).filter(pk__in=new_ids).values_list("pk", flat=True)
    )
    return render(
        request,
        "people/possible_matches.html",
        {
            "to_review": to_review,
            "decided": decided[:RECENTLY_DECIDED],
            "seen_new": seen,
        },
    )


def _review_page(
    request: AuthenticatedRequest, match: PossibleMatch, form: MatchDecisionForm
) -> HttpResponse:
    sees_new = policy.can(request.user, PeopleAction.VIEW, match.new_person)
    decision = form.fields["decision"]
    assert isinstance(decision, forms.ChoiceField)
    if match.status == MatchStatus.OPEN:  # offered: link or not the same; later, undo
        decision.choices = MatchDecisionForm.FIRST_DECISIONS
    shown = [match.existing_person] + ([match.new_person] if sees_new else [])
    for person in shown:
        log_access(
            request=request,
            user=request.user,
            subject_id=person.pk,
            action=AccessAction.VIEW_RECORD,
        )
    return render(
        request,
        "people/possible_match.html",
        {
            "match": match,
            "existing": match.existing_person,
            "new": match.new_person if sees_new else None,
            "new_council": match.new_person.council,
            "new_added_on": match.new_person.created_at,
            "can_decide": policy.can(request.user, PeopleAction.DECIDE_MATCH, match),
            "is_open": match.status == MatchStatus.OPEN,
            "form": form,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@requires(PeopleAction.REVIEW_MATCHES)
@require_http_methods(["GET", "POST"])
def possible_match(request: AuthenticatedRequest, match_id: uuid.UUID) -> HttpResponse:
    match = policy.get_visible_or_404(request.user, PossibleMatch, match_id)
    match = PossibleMatch.objects.select_related(
        "new_person__council", "existing_person__council", "decided_by__organisation"
    ).get(pk=match.pk)
    if request.method == "GET":
        return _review_page(request, match, MatchDecisionForm(initial={"version": match.version}))
    policy.require(
        request.user,
        PeopleAction.DECIDE_MATCH,
        match,
        "Only someone who may see both records decides a possible match.",
    )
    form = MatchDecisionForm(request.POST)
    if form.is_valid():
        decide, done = _DECISIONS[form.cleaned_data["decision"]]
        decided = attempt(
            form,
            lambda: decide(
                match=match,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                note=form.cleaned_data["note"],
            ),
        )
        if decided is not None:
            messages.success(request, done)
            return redirect("people:possible-match", match_id=match.pk)
    return _review_page(request, match, form)
