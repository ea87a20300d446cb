"""Local programmes over JSON (under /api/v1/programmes): the programmes a user sees (list,
one, create), the episodes taking part in one (only those the user sees; adding one
records the family joining), and the evaluation against matched comparison families.

Bad input is 422 naming its field (too few families to evaluate is 422 with the numbers);
a programme or episode the user may not see is 404; one they see but may not change, 403.
Participations name episodes, not people: no access-log row is written.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.responses import Status

from continuum.access import policy
from continuum.access.requests import user_of
from continuum.early_help.models import Episode
from continuum.organisations.models import Council
from continuum.programmes import selectors, services
from continuum.programmes.evaluation import evaluate, rows_for
from continuum.programmes.models import Participation, Programme
from continuum.programmes.policies import ProgrammeAction
from continuum.ui.api import invalid_field, limit_offset, paginated

router = Router(tags=["programmes"])
Pages = limit_offset("ProgrammePages", default=50, maximum=200)


class ProgrammeOut(Schema):
    id: uuid.UUID
    name: str
    councils: list[int]
    offers: str
    for_whom: str
    starts_on: date
    ends_on: date | None
    families: int | str

    @staticmethod
    def resolve_councils(programme: Programme) -> list[int]:
        return sorted(c.pk for c in programme.councils.all())

    @staticmethod
    def resolve_families(programme: Programme) -> int | str:
        return selectors.figures_of(programme)["families"]


class ProgrammeIn(Schema):
    name: str = ""
    councils: list[int] = []
    offers: str = ""
    for_whom: str = ""
    starts_on: date | None = None
    ends_on: date | None = None


class ParticipationOut(Schema):
    id: uuid.UUID
    programme: uuid.UUID
    episode: uuid.UUID
    joined_on: date
    left_on: date | None

    @staticmethod
    def resolve_programme(p: Participation) -> uuid.UUID:
        return p.programme_id

    @staticmethod
    def resolve_episode(p: Participation) -> uuid.UUID:
        return p.episode_id


class ParticipationIn(Schema):
    episode: uuid.UUID
    joined_on: date | None = None


class BalanceOut(Schema):
    covariate: str
    before: float
    after: float
    balanced: bool


class EffectOut(Schema):
    outcome: str
    pairs: int | str
    difference: float | None
    low: float | None
    high: float | None


class EvaluationOut(Schema):
    participants: int | str
    comparison_pool: int | str
    pairs: int | str
    balance: list[BalanceOut]
    effects: list[EffectOut]


@router.get("", response=list[ProgrammeOut], summary="The programmes you see")
@paginated(Pages)
def list_programmes(request: HttpRequest) -> QuerySet[Programme]:
    return selectors.programmes_for(user_of(request))


@router.post("", response={201: ProgrammeOut}, summary="Add a programme")
def create(request: HttpRequest, body: ProgrammeIn) -> Any:
    user = user_of(request)
    councils = list(Council.objects.filter(pk__in=body.councils))
    if len(councils) != len(set(body.councils)):
        raise invalid_field("councils", "No such council")
    programme = services.create_programme(
        by=user, councils=councils, **body.dict(exclude={"councils"})
    )
    return Status(201, programme)


@router.get("/{uuid:programme_id}", response=ProgrammeOut, summary="A programme")
def get_programme(request: HttpRequest, programme_id: uuid.UUID) -> Programme:
    return policy.get_visible_or_404(user_of(request), Programme, programme_id)


@router.get(
    "/{uuid:programme_id}/participations",
    response=list[ParticipationOut],
    summary="The episodes you see taking part",
)
@paginated(Pages)
def participations(request: HttpRequest, programme_id: uuid.UUID) -> QuerySet[Participation]:
    user = user_of(request)
    programme = policy.get_visible_or_404(user, Programme, programme_id)
    return (
        policy.visible(user, Participation).filter(programme=programme).order_by("joined_on", "pk")
    )


@router.post(
    "/{uuid:programme_id}/participations",
    response={201: ParticipationOut},
    summary="Record an episode's family joining",
)
def join(request: HttpRequest, programme_id: uuid.UUID, body: ParticipationIn) -> Any:
    user = user_of(request)
    programme = policy.get_visible_or_404(user, Programme, programme_id)
    episode = policy.visible(user, Episode).filter(pk=body.episode).first()
    if episode is None:
        raise invalid_field("episode", "No such episode")
    return Status(
        201,
        services.join_programme(
            episode=episode, programme=programme, by=user, joined_on=body.joined_on
        ),
    )


@router.get(
    "/{uuid:programme_id}/evaluation",
    response=EvaluationOut,
    summary="What the programme achieves, against matched comparison families",
)
def evaluation(request: HttpRequest, programme_id: uuid.UUID) -> dict[str, Any]:
    user = user_of(request)
    programme = policy.get_visible_or_404(user, Programme, programme_id)
    policy.require(user, ProgrammeAction.EVALUATE, programme)
    result = evaluate(rows_for(programme, timezone.localdate()))
    shown = selectors.shown_count
    return {
        "participants": shown(result.participants),
        "comparison_pool": shown(result.pool),
        "pairs": shown(result.pairs),
        "balance": [
            {"covariate": b.label, "before": b.before, "after": b.after, "balanced": b.balanced}
            for b in result.balance
        ],
        "effects": [
            {
                "outcome": e.label,
                "pairs": shown(e.pairs),
                "difference": e.difference if e.pairs else None,
                "low": e.low if e.pairs else None,
                "high": e.high if e.pairs else None,
            }
            for e in result.effects
        ],
    }
