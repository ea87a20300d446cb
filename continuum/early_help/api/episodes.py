"""Episodes over JSON: list, open (three ways), read, and allocate at a locality panel."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from django.db.models import BooleanField, ExpressionWrapper, Prefetch, Q, QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from continuum.access import policy
from continuum.access.requests import user_of
from continuum.accounts.models import User
from continuum.early_help import selectors, services
from continuum.early_help.api.common import (
    NamedOut,
    Pages,
    Professional,
    ProfessionalOut,
    episode_for,
    found_or_404,
    log_children_read,
)
from continuum.early_help.choices import EpisodeStatus
from continuum.early_help.models import AllocationPanel, Assessment, Episode, Plan
from continuum.early_help.policies import EarlyHelpAction
from continuum.front_door.policies import councils_user_may_refer_to
from continuum.organisations.models import Council, Locality, Organisation, Team
from continuum.people.choices import PersonKind
from continuum.people.models import Household, Person
from continuum.ui.api import (
    BlankIsAbsent,
    MessageOut,
    fields_at,
    invalid,
    invalid_field,
    paginated,
    record_id,
)

router = Router(tags=["early help episodes"])
panels_router = Router(tags=["early help allocation panels"])

CHILD_KINDS = (PersonKind.CHILD, PersonKind.UNBORN)


# --- schemas ---------------------------------------------------------------------------------


class _PlaceIn(Schema):
    household: uuid.UUID = Field(description="The family's household (a household of the council).")
    locality: int = Field(description="Id of the council's locality the episode belongs to.")
    team: int = Field(description="Id of the council's team that holds the episode.")


class _ConsentIn(Schema):
    consent: str = Field(
        "",
        max_length=12,
        description="What early help goes ahead on: ``agreed`` (the family's agreement to "
        "early help is recorded on their consent records) or ``lawful_basis`` (without it, "
        "with ``lawful_basis`` and ``lawful_basis_justification``). From a front-door "
        "decision it may be left out: the contact's consent carries over.",
    )
    lawful_basis: str = Field(
        "",
        max_length=25,
        description="public_task, legal_obligation, vital_interests or legitimate_interests.",
    )
    lawful_basis_justification: str = Field(
        "", description="Why early help without the family's agreement is justified."
    )

    def consent_answer(self) -> services.ConsentAnswer:
        return services.ConsentAnswer(
            answer=self.consent,
            lawful_basis=self.lawful_basis,
            justification=self.lawful_basis_justification,
        )


class FromDecisionIn(_ConsentIn, _PlaceIn):
    """Council staff open the episode a front-door decision for early help asked for. The
    children, level and reason come from the decision."""

    origin: Literal["front_door"]
    decision: int = Field(description="Id of a final front-door decision for early help.")


class ByPartnerIn(_ConsentIn, _PlaceIn):
    """A partner (a school, say) starting single-agency early help (level 2) tells the
    council by opening an episode; they become its lead professional."""

    origin: Literal["partner"]
    council: str | None = Field(
        None,
        description="DfE LA code of the family's council. May be left out when your "
        "organisation serves only one council.",
    )
    children: list[uuid.UUID] = Field(description="Ids of the children, people you may see.")
    reason_for_request: str


class StepDownIn(_ConsentIn, _PlaceIn):
    """Council staff open early help for a family stepping down from social care, with the
    social care history the lead professional will see."""

    origin: Literal["step_down"]
    children: list[uuid.UUID] = Field(description="Ids of the children, people you may see.")
    level: int = Field(description="2 or 3.")
    social_care_history: str
    reason_for_request: str


EpisodeIn = Annotated[
    FromDecisionIn | ByPartnerIn | StepDownIn,
    Field(discriminator="origin"),
]


class EpisodeOut(Schema):
    id: uuid.UUID
    council: str = Field(description="DfE LA code.")
    locality: NamedOut
    team: NamedOut
    household: uuid.UUID = Field(alias="household_id")
    children: list[uuid.UUID]
    level: int
    status: str
    origin: str
    front_door_decision: int | None = Field(alias="front_door_decision_id")
    reason_for_request: str
    social_care_history: str = Field(description="For a step-down: the social care history.")
    start_date: date
    end_date: date | None
    lead_professional: ProfessionalOut | None = Field(
        description="From any agency; organisation as at allocation."
    )
    allocation_reason: str
    out_of_area_reason: str
    panel: int | None = Field(alias="panel_id")
    allocated_at: datetime | None
    time_to_allocation_working_days: int | None = Field(
        description="Working days from the front-door decision (or the episode's start) "
        "to allocation."
    )
    assessment_due_date: date | None
    assessment_completed_on: date | None
    plan_next_review_due: date | None
    consent_ground: str = Field(
        description="What early help goes ahead on: agreement, referral (the referral's "
        "agreement), lawful_basis, or blank for episodes opened before it was asked."
    )
    lawful_basis: str
    lawful_basis_justification: str
    without_consent_since: date | None = Field(
        description="When the family withdrew their agreement to early help, if they did."
    )
    is_overdue: bool = Field(
        description="Allocation, assessment, review or an action is past its due date."
    )
    version: int

    @staticmethod
    def resolve_council(episode: Episode) -> str:
        return episode.council.dfe_la_code

    @staticmethod
    def resolve_children(episode: Episode) -> list[uuid.UUID]:
        return [child.pk for child in episode.children.all()]

    @staticmethod
    def resolve_lead_professional(episode: Episode) -> Professional | None:
        lead = episode.lead_professional
        return None if lead is None else Professional(lead, episode.lead_professional_organisation)

    @staticmethod
    def resolve_time_to_allocation_working_days(episode: Episode) -> int | None:
        return selectors.working_days_to_allocation(episode)

    @staticmethod
    def resolve_assessment_due_date(episode: Episode) -> date | None:
        assessment: Assessment | None = getattr(episode, "assessment", None)
        return assessment.due_date if assessment else None

    @staticmethod
    def resolve_assessment_completed_on(episode: Episode) -> date | None:
        assessment: Assessment | None = getattr(episode, "assessment", None)
        return assessment.completed_on if assessment else None

    @staticmethod
    def resolve_plan_next_review_due(episode: Episode) -> date | None:
        plan: Plan | None = getattr(episode, "plan", None)
        return plan.next_review_due if plan else None


class EpisodeFilters(Schema):
    status: Annotated[EpisodeStatus | None, BlankIsAbsent] = Field(
        None, description=", ".join(EpisodeStatus.values)
    )
    council: str | None = Field(None, description="DfE LA code.")
    lead_professional: str | None = Field(
        None, description="'me', or a user id: the episodes they lead."
    )
    overdue: bool | None = None


class AllocationIn(Schema):
    panel: int = Field(description="Id of the allocation panel (of the episode's council).")
    lead_professional: int = Field(description="User id of the lead professional, any agency.")
    reason: str = Field(description="Why this lead professional.")
    out_of_area_reason: str = Field(
        "",
        description="Required when the lead professional's organisation does not serve "
        "the episode's council.",
    )
    version: int = Field(description="The episode's version when you read it.")


class PanelIn(Schema):
    locality: int = Field(description="Id of the locality whose waiting list the panel hears.")
    held_on: date
    agencies_present: list[int] = Field(description="Ids of the organisations present.")


class PanelOut(Schema):
    id: int
    council: str = Field(description="DfE LA code.")
    locality: NamedOut
    held_on: date
    agencies_present: list[NamedOut]
    chaired_by: str

    @staticmethod
    def resolve_council(panel: AllocationPanel) -> str:
        return panel.council.dfe_la_code

    @staticmethod
    def resolve_chaired_by(panel: AllocationPanel) -> str:
        return str(panel.chaired_by)


# --- reading ---------------------------------------------------------------------------------


def _with_parts(episodes: QuerySet[Episode], late: set[uuid.UUID]) -> QuerySet[Episode]:
    """``episodes`` with what an answer shows of them read alongside, each flagged
    ``is_overdue`` when it is among ``late``."""
    return (
        episodes.select_related(
            "council",
            "locality",
            "team",
            "lead_professional",
            "lead_professional_organisation",
            "assessment",
            "plan",
        )
        .prefetch_related("children")
        .annotate(is_overdue=ExpressionWrapper(Q(pk__in=late), output_field=BooleanField()))
    )


def overdue_ids(user: User, episodes: QuerySet[Episode]) -> set[uuid.UUID]:
    """The episodes among ``episodes`` with anything overdue."""
    late = selectors.overdue(user=user, episodes=episodes)
    return (
        {w.episode.pk for w in late.allocations}
        | {a.episode_id for a in late.assessments}
        | {p.episode_id for p in late.reviews}
        | {a.outcome.plan.episode_id for a in late.actions}
    )


def episode_detail(request: HttpRequest, episode_id: uuid.UUID) -> Episode:
    """The episode as it is now, with what an answer shows of it, if the user may see it;
    404 as if it did not exist otherwise (the policy's scope, as ``episode_for``)."""
    user = user_of(request)
    episodes = policy.visible(user, Episode).filter(pk=episode_id)
    return found_or_404(_with_parts(episodes, overdue_ids(user, episodes)).first())


def _filtered(request: HttpRequest, filters: EpisodeFilters) -> QuerySet[Episode]:
    user = user_of(request)
    episodes = policy.visible(user, Episode)
    if filters.status:
        episodes = episodes.filter(status=filters.status)
    if filters.council:
        code = filters.council.strip()
        if not Council.objects.filter(dfe_la_code=code).exists():
            raise invalid([(["query", "council"], f"No council has the DfE LA code {code!r}.")])
        episodes = episodes.filter(council__dfe_la_code=code)
    if filters.lead_professional:
        lead = filters.lead_professional.strip()
        lead_id = record_id(lead)
        if lead == "me":
            episodes = episodes.filter(lead_professional=user)
        elif lead_id is not None:
            episodes = episodes.filter(lead_professional_id=lead_id)
        else:
            raise invalid([(["query", "lead_professional"], "Give 'me' or a user id.")])
    return episodes


# --- opening ---------------------------------------------------------------------------------


def _place(
    payload: FromDecisionIn | ByPartnerIn | StepDownIn,
    council: Council,
    households: QuerySet[Household],
) -> services.EpisodePlace:
    """The council's locality, team and household posted, or 422 naming the field."""
    errors: list[tuple[list[str | int], str]] = []
    locality = Locality.objects.filter(pk=payload.locality, council=council).first()
    if locality is None:
        errors.append((["body", "payload", "locality"], f"No locality of {council} has this id."))
    team = (
        Team.objects.filter(Q(organisation__council=council) | Q(locality__council=council))
        .filter(pk=payload.team)
        .first()
    )
    if team is None:
        errors.append((["body", "payload", "team"], f"No team of {council} has this id."))
    household = households.filter(pk=payload.household).first()
    if household is None:
        errors.append(
            (
                ["body", "payload", "household"],
                f"No household of {council} with a member you may see has this id.",
            )
        )
    if errors:
        raise invalid(errors)
    assert locality is not None and team is not None and household is not None
    return services.EpisodePlace(council=council, locality=locality, team=team, household=household)


def _children(user: User, ids: list[uuid.UUID], council: Council) -> list[Person]:
    found = {
        p.pk: p
        for p in policy.visible(user, Person).filter(
            pk__in=ids, kind__in=CHILD_KINDS, council=council
        )
    }
    missing = [str(i) for i in dict.fromkeys(ids) if i not in found]
    if missing:
        raise invalid_field(
            "children", f"No child of {council} you may see has the id {', '.join(missing)}."
        )
    return [found[i] for i in dict.fromkeys(ids)]


def _households_seen(user: User, council: Council) -> QuerySet[Household]:
    return Household.objects.filter(
        council=council, members__person__in=policy.visible(user, Person)
    ).distinct()


def _open_from_decision(request: HttpRequest, payload: FromDecisionIn) -> Episode:
    user = user_of(request)
    policy.require(
        user_of(request), EarlyHelpAction.OPEN_EPISODE, message="You may not open early help."
    )
    decision = selectors.decisions_awaiting_episode(user=user).filter(pk=payload.decision).first()
    if decision is None:
        raise invalid_field(
            "decision",
            "No final front-door decision for early help, waiting for an episode, that you "
            "may see has this id.",
        )
    council = decision.contact.council
    children = list(decision.contact.children.all())
    place = _place(payload, council, selectors.households_of_children(children, council))
    return services.open_episode_from_decision(
        decision=decision,
        place=place,
        opened_by=user,
        consent=payload.consent_answer() if payload.consent else None,
    )


def _council_for_partner(request: HttpRequest, code: str | None) -> Council:
    councils = councils_user_may_refer_to(user_of(request))
    if not code:
        if len(councils) == 1:
            return councils[0]
        raise invalid_field("council", "Give the DfE LA code of the family's council.")
    council = next((c for c in councils if c.dfe_la_code == code.strip()), None)
    if council is None:
        raise invalid_field(
            "council", f"Your organisation does not work in the council with code {code!r}."
        )
    return council


def _open_by_partner(request: HttpRequest, payload: ByPartnerIn) -> Episode:
    user = user_of(request)
    policy.require(
        user_of(request), EarlyHelpAction.OPEN_EPISODE, message="You may not open early help."
    )
    council = _council_for_partner(request, payload.council)
    children = _children(user, payload.children, council)
    place = _place(payload, council, _households_seen(user, council))
    return services.open_episode_by_partner(
        place=place,
        children=children,
        reason=payload.reason_for_request,
        opened_by=user,
        consent=payload.consent_answer(),
    )


def _step_down(request: HttpRequest, payload: StepDownIn) -> Episode:
    user = user_of(request)
    policy.require(
        user_of(request),
        EarlyHelpAction.STEP_DOWN,
        message="Only the council's front door and team managers record a step-down.",
    )
    council = policy.council_of(user)
    assert council is not None  # the policy lets only a council's staff step down
    children = _children(user, payload.children, council)
    place = _place(payload, council, _households_seen(user, council))
    return services.step_down(
        place=place,
        children=children,
        level=payload.level,
        social_care_history=payload.social_care_history,
        reason=payload.reason_for_request,
        opened_by=user,
        consent=payload.consent_answer(),
    )


# --- endpoints -------------------------------------------------------------------------------


@router.get("", response=list[EpisodeOut], summary="List early help episodes")
@paginated(Pages)
def list_episodes(request: HttpRequest, filters: Query[EpisodeFilters]) -> QuerySet[Episode]:
    """The episodes you may see, newest first: a council's early help staff see the
    council's; a lead professional, a partner who opened one and a Team Around the Family
    member see those episodes (while open, or while a member). ``overdue`` picks episodes
    with an allocation, assessment, review or action past its due date."""
    user = user_of(request)
    episodes = _filtered(request, filters)
    late = overdue_ids(user, episodes)
    if filters.overdue is not None:
        episodes = (
            episodes.filter(pk__in=late) if filters.overdue else episodes.exclude(pk__in=late)
        )
    return _with_parts(episodes.order_by("-start_date", "pk"), late)


@router.post(
    "",
    response={201: EpisodeOut, 409: MessageOut},
    summary="Open an early help episode",
)
def open_episode(request: HttpRequest, payload: EpisodeIn) -> Status[Episode]:
    """One endpoint, three ways in, chosen by ``origin``:

    - ``front_door``: the council's staff open the episode a final front-door decision for
      early help asked for (children, level and reason come from the decision);
    - ``partner``: a partner practitioner starting single-agency early help (level 2)
      opens it for children they may see, and leads it (it is allocated to them);
    - ``step_down``: the council's front door or a team manager opens it for a family
      stepping down from social care, with that history.

    Each needs the family's household, the council's locality and team. Episodes opened
    from the front door or by step-down wait for allocation at panel."""
    if isinstance(payload, FromDecisionIn):
        episode = _open_from_decision(request, payload)
    elif isinstance(payload, ByPartnerIn):
        episode = _open_by_partner(request, payload)
    else:
        episode = _step_down(request, payload)
    return Status(201, episode_detail(request, episode.pk))


@router.get("/{episode_id}", response=EpisodeOut, summary="Read an episode")
def get_episode(request: HttpRequest, episode_id: uuid.UUID) -> Episode:
    episode = episode_detail(request, episode_id)
    log_children_read(request, episode)
    return episode


@router.post(
    "/{episode_id}/allocation",
    response={200: EpisodeOut, 409: MessageOut},
    summary="Allocate a lead professional at panel",
)
@fields_at(allocation_reason="reason")
def allocate(request: HttpRequest, episode_id: uuid.UUID, payload: AllocationIn) -> Episode:
    """A team manager of the episode's council allocates a waiting episode at a panel to a
    lead professional who may work for any agency. One whose organisation does not serve
    the council needs ``out_of_area_reason``. An episode not waiting, or changed since you
    read it, answers 409."""
    user = user_of(request)
    episode = episode_for(request, episode_id)
    policy.require(
        user_of(request), EarlyHelpAction.ALLOCATE, episode, "Only a team manager allocates."
    )
    panel = policy.visible(user, AllocationPanel).filter(pk=payload.panel).first()
    lead = User.objects.filter(pk=payload.lead_professional).select_related("organisation").first()
    errors: list[tuple[list[str | int], str]] = []
    if panel is None:
        errors.append(
            (["body", "payload", "panel"], "No allocation panel you may see has this id.")
        )
    if lead is None:
        errors.append((["body", "payload", "lead_professional"], "No user has this id."))
    if errors:
        raise invalid(errors)
    assert panel is not None and lead is not None
    services.allocate(
        episode=episode,
        panel=panel,
        lead_professional=lead,
        reason=payload.reason,
        out_of_area_reason=payload.out_of_area_reason,
        by=user,
        expected_version=payload.version,
    )
    return episode_detail(request, episode.pk)


# --- allocation panels -----------------------------------------------------------------------


def _with_agencies(panels: QuerySet[AllocationPanel]) -> QuerySet[AllocationPanel]:
    """``panels`` with what an answer shows of them read alongside."""
    return panels.select_related("council", "locality", "chaired_by").prefetch_related(
        Prefetch("agencies_present", queryset=Organisation.objects.order_by("name"))
    )


@panels_router.get("", response=list[PanelOut], summary="List allocation panels")
@paginated(Pages)
def list_panels(request: HttpRequest) -> QuerySet[AllocationPanel]:
    """Your council's allocation panels, newest first (council staff only)."""
    panels = policy.visible(user_of(request), AllocationPanel)
    return _with_agencies(panels).order_by("-held_on", "-pk")


@panels_router.post("", response={201: PanelOut}, summary="Hold an allocation panel")
def hold_panel(request: HttpRequest, payload: PanelIn) -> Status[AllocationPanel]:
    """A team manager records a locality allocation panel: its date and the agencies
    present (organisations serving the council). Episodes are then allocated at it."""
    user = user_of(request)
    policy.require(
        user_of(request), EarlyHelpAction.ALLOCATE, message="Only a team manager holds a panel."
    )
    council = policy.council_of(user)
    assert council is not None  # the policy lets only a council's team managers allocate
    errors: list[tuple[list[str | int], str]] = []
    locality = Locality.objects.filter(pk=payload.locality, council=council).first()
    if locality is None:
        errors.append((["body", "payload", "locality"], f"No locality of {council} has this id."))
    agencies = list(
        selectors.serving_organisations(council).filter(pk__in=payload.agencies_present)
    )
    unknown = sorted(set(payload.agencies_present) - {o.pk for o in agencies})
    if unknown:
        errors.append(
            (
                ["body", "payload", "agencies_present"],
                f"No organisation serving {council} has the id "
                f"{', '.join(str(i) for i in unknown)}.",
            )
        )
    if errors:
        raise invalid(errors)
    assert locality is not None
    panel = services.hold_panel(
        council=council,
        locality=locality,
        held_on=payload.held_on,
        agencies_present=agencies,
        chaired_by=user,
    )
    return Status(201, _with_agencies(AllocationPanel.objects.filter(pk=panel.pk)).get())
