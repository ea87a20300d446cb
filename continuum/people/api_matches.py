"""The possible matches API under /api/v1/possible-matches (decision 0008): the matches the
user's council holds, for its front door, and deciding one. A match outside the user's
scope is 404 and never listed; deciding needs both records (403 otherwise). The new
record is named by id only to those who may see it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from continuum.access import policy
from continuum.access.requests import user_of
from continuum.people import matching
from continuum.people.models import MatchBasis, MatchStatus, Person, PossibleMatch
from continuum.people.policies import PeopleAction
from continuum.ui.api import limit_offset, paginated

router = Router(tags=["possible matches"])

MatchPages = limit_offset("PossibleMatchPage", default=50, maximum=200)
REFUSED = "Only the front door of the council holding the record reviews possible matches."


class PossibleMatchOut(Schema):
    id: uuid.UUID
    basis: MatchBasis
    status: MatchStatus
    found_at: datetime
    existing_person: uuid.UUID = Field(description="Your council's record.")
    new_person: uuid.UUID | None = Field(description="The new record, if you may see it.")
    new_person_council: str = Field(description="DfE LA code of the new record's council.")
    decided_at: datetime | None
    version: int

    @staticmethod
    def resolve_existing_person(match: PossibleMatch) -> uuid.UUID:
        return match.existing_person_id

    @staticmethod
    def resolve_new_person(match: PossibleMatch) -> uuid.UUID | None:
        return match.new_person_id if getattr(match, "new_visible", False) else None

    @staticmethod
    def resolve_new_person_council(match: PossibleMatch) -> str:
        return match.new_person.council.dfe_la_code


class MatchDecisionIn(Schema):
    decision: Literal["link", "not_same", "reopen"]
    version: int = Field(ge=1, le=2**31 - 1, description="The match's version when you read it.")
    note: str = Field("", max_length=500)


def _with_visibility(request: HttpRequest, matches: QuerySet[PossibleMatch]) -> Any:
    seen = policy.visible(user_of(request), Person).filter(pk=OuterRef("new_person"))
    return matches.select_related("new_person__council").annotate(new_visible=Exists(seen))


@router.get("", response=list[PossibleMatchOut], summary="Possible matches your council holds")
@paginated(MatchPages)
def list_matches(
    request: HttpRequest, status: MatchStatus = MatchStatus.OPEN
) -> QuerySet[PossibleMatch]:
    user = user_of(request)
    policy.require(user, PeopleAction.REVIEW_MATCHES, message=REFUSED)
    return _with_visibility(request, matching.matches_for_review(user=user, status=status))


@router.post("/{match_id}/decision", response=PossibleMatchOut, summary="Decide a match")
def decide_match(request: HttpRequest, match_id: uuid.UUID, payload: MatchDecisionIn) -> Any:
    """Link the two records (the same child), mark them not the same, or undo either."""
    user = user_of(request)
    policy.require(user, PeopleAction.REVIEW_MATCHES, message=REFUSED)
    match = policy.get_visible_or_404(user, PossibleMatch, match_id)
    decide = {
        "link": matching.link_records,
        "not_same": matching.mark_not_the_same,
        "reopen": matching.reopen_match,
    }[payload.decision]
    decide(match=match, by=user, expected_version=payload.version, note=payload.note)
    return _with_visibility(request, PossibleMatch.objects.filter(pk=match.pk)).get()
