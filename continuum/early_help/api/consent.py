"""The family's consent on an episode over JSON: each family member's current agreement,
the episode's lawful basis, and the manager's review of a withdrawal (seen by whoever sees
the episode; decided by a team manager of its council)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from types import SimpleNamespace

from django.http import HttpRequest
from ninja import Field, Router, Schema

from continuum.access import policy
from continuum.access.requests import user_of
from continuum.audit.models import AccessAction
from continuum.audit.services import log_access
from continuum.early_help import family_consent
from continuum.early_help.api.common import episode_for, found_or_404, log_children_read, name_of
from continuum.early_help.models import ConsentReview, Episode
from continuum.early_help.policies import EarlyHelpAction
from continuum.early_help.services.withdrawal import decide_consent_review
from continuum.people.models import Person
from continuum.ui.api import MessageOut

router = Router(tags=["early help consent"])


class MemberConsentOut(Schema):
    person: uuid.UUID
    early_help: str = Field(description="Agreed, Not agreed, Withdrawn or No consent recorded.")
    shares_with_taf: bool
    agencies: list[int] = Field(description="Ids of the agencies they agree to share with.")
    review_on: date | None = Field(description="When to check their consent again.")


class ConsentReviewOut(Schema):
    id: int
    episode: uuid.UUID = Field(alias="episode_id")
    withdrawn_on: date
    due_on: date
    decision: str = Field(description="pending, continue or close.")
    lawful_basis: str
    justification: str
    decided_by: str | None
    decided_at: datetime | None

    @staticmethod
    def resolve_withdrawn_on(review: ConsentReview) -> date:
        return review.withdrawal.withdrawn_on

    @staticmethod
    def resolve_decided_by(review: ConsentReview) -> str | None:
        return name_of(review.decided_by)


class EpisodeConsentOut(Schema):
    consent_ground: str
    lawful_basis: str
    lawful_basis_justification: str
    without_consent_since: date | None
    family: list[MemberConsentOut] = Field(description="The family members you may see.")
    reviews: list[ConsentReviewOut]


class ConsentReviewDecisionIn(Schema):
    decision: str = Field(max_length=10, description="continue or close.")
    lawful_basis: str = Field(
        "", max_length=25, description="To continue: the lawful basis without agreement."
    )
    justification: str = Field("", description="To continue: why it is justified.")


def _family(request: HttpRequest, episode: Episode) -> list[MemberConsentOut]:
    user = user_of(request)
    visible = set(policy.visible(user, Person).values_list("pk", flat=True))
    children = set(episode.children.values_list("pk", flat=True))
    rows = []
    for member in family_consent.family_consent(episode):
        if member.person.pk not in visible:
            continue
        if member.person.pk not in children:
            log_access(
                request=request,
                user=user,
                subject_id=member.person.pk,
                action=AccessAction.API_READ,
            )
        standing = member.standing
        rows.append(
            MemberConsentOut(
                person=member.person.pk,
                early_help=member.early_help,
                shares_with_taf=bool(standing and standing.taf),
                agencies=sorted(standing.agencies) if standing else [],
                review_on=member.review_on,
            )
        )
    return rows


@router.get(
    "/{episode_id}/consent",
    response=EpisodeConsentOut,
    summary="The family's consent and the episode's lawful basis",
)
def episode_consent(request: HttpRequest, episode_id: uuid.UUID) -> SimpleNamespace:
    episode = episode_for(request, episode_id)
    log_children_read(request, episode)
    return SimpleNamespace(
        consent_ground=episode.consent_ground,
        lawful_basis=episode.lawful_basis,
        lawful_basis_justification=episode.lawful_basis_justification,
        without_consent_since=episode.without_consent_since,
        family=_family(request, episode),
        reviews=family_consent.reviews_of(episode),
    )


def _review(request: HttpRequest, episode_id: uuid.UUID, review_id: int) -> ConsentReview:
    episode = episode_for(request, episode_id)
    return found_or_404(
        ConsentReview.objects.select_related("withdrawal", "decided_by", "episode")
        .filter(episode=episode, pk=review_id)
        .first()
    )


@router.get(
    "/{episode_id}/consent-reviews/{review_id}",
    response=ConsentReviewOut,
    summary="A manager's review of early help without the family's agreement",
)
def get_review(request: HttpRequest, episode_id: uuid.UUID, review_id: int) -> ConsentReview:
    review = _review(request, episode_id, review_id)
    log_children_read(request, review.episode)
    return review


@router.post(
    "/{episode_id}/consent-reviews/{review_id}/decision",
    response={200: ConsentReviewOut, 409: MessageOut},
    summary="Decide the review: continue on a lawful basis, or close the episode",
)
def decide_review(
    request: HttpRequest, episode_id: uuid.UUID, review_id: int, payload: ConsentReviewDecisionIn
) -> ConsentReview:
    """A team manager of the episode's council (403 for others who see it). ``continue``
    needs ``lawful_basis`` and ``justification`` (422 by field otherwise); ``close`` closes
    the episode as declined, each need not achieved and open actions cancelled. A review
    already decided, or a closed episode, answers 409."""
    review = _review(request, episode_id, review_id)
    policy.require(
        user_of(request),
        EarlyHelpAction.DECIDE_CONSENT_REVIEW,
        review.episode,
        "Only a team manager of the episode's council decides this review.",
    )
    return decide_consent_review(
        review=review,
        by=user_of(request),
        decision=payload.decision,
        lawful_basis=payload.lawful_basis,
        justification=payload.justification,
    )
