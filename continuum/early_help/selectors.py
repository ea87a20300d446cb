"""Early help reads: the waiting list, caseloads, what is overdue, an episode's distance
travelled and its change history. Every list starts from ``policy.visible``, so nothing a
user may not see is listed or counted.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Model, Prefetch, Q, QuerySet
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import Role, User
from continuum.accounts.roles import LEAD_PROFESSIONAL_ROLES
from continuum.early_help.choices import (
    OPEN_EPISODE_STATUSES,
    ActionStatus,
    AgencyKind,
    ClosureSignOff,
    EpisodeStatus,
    ScoreStage,
    StepUpDecision,
)
from continuum.early_help.models import (
    AllocationPanel,
    Assessment,
    ChildVoice,
    Closure,
    ClosureRequest,
    Episode,
    Need,
    NeedScore,
    PersonAssessment,
    Plan,
    PlanAction,
    PlanOutcome,
    Review,
    StepUp,
    SustainedOutcomeCheck,
    TafMeeting,
    TafMember,
)
from continuum.early_help.policies import EarlyHelpAction
from continuum.early_help.services import EARLY_HELP_OUTCOME_LEVELS, settings_for
from continuum.front_door.models import ContactDecision
from continuum.organisations.models import Council, Organisation, OrganisationKind
from continuum.people.models import Household, Person
from continuum.timescales.working_days import working_days_between
from continuum.ui.history import HistoryEntry, history_entries

AGENCY_OF_KIND: dict[str, str] = {
    OrganisationKind.COUNCIL_CHILDRENS_SERVICES: AgencyKind.COUNCIL,
    OrganisationKind.POLICE: AgencyKind.POLICE,
    OrganisationKind.NHS_TRUST: AgencyKind.HEALTH,
    OrganisationKind.GP_PRACTICE: AgencyKind.HEALTH,
    OrganisationKind.SCHOOL: AgencyKind.SCHOOL,
    OrganisationKind.EARLY_YEARS: AgencyKind.EARLY_YEARS,
    OrganisationKind.VOLUNTARY: AgencyKind.VOLUNTARY,
    OrganisationKind.HOUSING: AgencyKind.HOUSING,
    OrganisationKind.OTHER: AgencyKind.OTHER,
}


def agency_of(organisation: Organisation | None) -> str:
    """The agency an organisation counts as (for TAF attendance and action owners)."""
    if organisation is None:
        return AgencyKind.OTHER
    return AGENCY_OF_KIND.get(organisation.kind, AgencyKind.OTHER)


def _today(today: date | None) -> date:
    return today or timezone.localdate()


# --- the waiting list ----------------------------------------------------------------------


def decisions_awaiting_episode(*, user: User) -> QuerySet[ContactDecision]:
    """The council's final front-door decisions for early help with no episode yet, oldest
    decision first."""
    council = policy.council_of(user)
    if council is None:
        return ContactDecision.objects.none()
    return (
        policy.visible(user, ContactDecision)
        .filter(
            outcome__in=list(EARLY_HELP_OUTCOME_LEVELS),
            contact__council=council,
            contact__decided_at__isnull=False,
            episode__isnull=True,
        )
        .select_related("contact", "decided_by")
        .prefetch_related("contact__children")
        .order_by("contact__decided_at", "pk")
    )


@dataclass(frozen=True)
class WaitingEpisode:
    episode: Episode
    waiting_since: date
    days_waiting: int
    working_days_waiting: int
    overdue: bool


def waiting_since(episode: Episode) -> date:
    """When the family started waiting: the front-door decision, or the episode's start."""
    if episode.front_door_decided_at is not None:
        return timezone.localtime(episode.front_door_decided_at).date()
    return episode.start_date


def awaiting_allocation(
    *, user: User, locality_id: int | None = None, today: date | None = None
) -> list[WaitingEpisode]:
    """Episodes of the user's council waiting for a lead professional, longest wait first,
    each flagged overdue past the council's allocation target (in working days)."""
    council = policy.council_of(user)
    if council is None:
        return []
    episodes = (
        policy.visible(user, Episode)
        .filter(council=council, status=EpisodeStatus.AWAITING_ALLOCATION)
        .select_related("household", "locality", "team")
        .prefetch_related("children")
    )
    if locality_id is not None:
        episodes = episodes.filter(locality_id=locality_id)
    target = settings_for(council).allocation_target_working_days
    day = _today(today)
    rows = []
    for episode in episodes:
        since = waiting_since(episode)
        working = working_days_between(since, day)
        rows.append(
            WaitingEpisode(
                episode=episode,
                waiting_since=since,
                days_waiting=max((day - since).days, 0),
                working_days_waiting=working,
                overdue=working > target,
            )
        )
    return sorted(rows, key=lambda r: (r.waiting_since, str(r.episode.pk)))


def days_to_allocation(episode: Episode) -> int | None:
    """Calendar days from the front-door decision (or the episode's start) to allocation."""
    if episode.allocated_at is None:
        return None
    allocated_on = timezone.localtime(episode.allocated_at).date()
    return max((allocated_on - waiting_since(episode)).days, 0)


def working_days_to_allocation(episode: Episode) -> int | None:
    """Working days from the front-door decision (or the episode's start) to allocation."""
    if episode.allocated_at is None:
        return None
    allocated_on = timezone.localtime(episode.allocated_at).date()
    return working_days_between(waiting_since(episode), allocated_on)


def recent_panels(*, user: User, limit: int = 10) -> QuerySet[AllocationPanel]:
    return (
        policy.visible(user, AllocationPanel)
        .select_related("locality", "chaired_by")
        .prefetch_related("agencies_present")
        .order_by("-held_on", "-pk")[:limit]
    )


# --- choices for the forms -----------------------------------------------------------------


def serving_organisations(council: Council) -> QuerySet[Organisation]:
    return Organisation.objects.filter(serves=council).order_by("kind", "name")


def possible_lead_professionals(council: Council) -> tuple[list[User], list[User]]:
    """Active practitioners of any agency who could lead: (those whose organisation serves
    the council, those whose organisation does not — who need a recorded reason)."""
    users = (
        User.objects.filter(is_active=True, role__in=LEAD_PROFESSIONAL_ROLES)
        .exclude(organisation__isnull=True)
        .select_related("organisation")
        .order_by("organisation__name", "last_name", "first_name", "username")
    )
    serving = set(serving_organisations(council).values_list("pk", flat=True))
    inside = [u for u in users if u.organisation_id in serving]
    outside = [u for u in users if u.organisation_id not in serving]
    return inside, outside


def possible_taf_members(episode: Episode) -> QuerySet[User]:
    """Active users of organisations serving the episode's council who are not already
    current members."""
    current = episode.taf_members.filter(left_on__isnull=True).values("user")
    return (
        User.objects.filter(is_active=True, organisation__serves=episode.council)
        .exclude(role="")
        .exclude(pk__in=current)
        .select_related("organisation")
        .distinct()
        .order_by("organisation__name", "last_name", "first_name", "username")
    )


def households_of_children(children: Any, council: Council) -> QuerySet[Household]:
    return (
        Household.objects.filter(council=council, members__person__in=children)
        .distinct()
        .order_by("name")
    )


def visible_family(*, user: User, episode: Episode) -> list[Person]:
    """The children and the household's members that ``user`` may see, children first."""
    visible = policy.visible(user, Person)
    children = list(episode.children.filter(pk__in=visible.values("pk")).order_by("date_of_birth"))
    others = (
        visible.filter(household_members__household=episode.household)
        .exclude(pk__in=[c.pk for c in children])
        .distinct()
        .order_by("date_of_birth")
    )
    return [*children, *others]


# --- caseloads and what is overdue ---------------------------------------------------------


def team_episodes(*, user: User) -> QuerySet[Episode]:
    """The open episodes of the manager's teams (of the council, when they have no team)."""
    council = policy.council_of(user)
    if council is None:
        return Episode.objects.none()
    episodes = policy.visible(user, Episode).filter(
        council=council, status__in=OPEN_EPISODE_STATUSES
    )
    teams = list(user.teams.all())
    if teams:
        episodes = episodes.filter(team__in=teams)
    return episodes.select_related(
        "household", "lead_professional", "lead_professional_organisation", "team", "locality"
    ).order_by("start_date", "pk")


@dataclass
class Caseload:
    worker: User
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def caseloads(episodes: QuerySet[Episode]) -> list[Caseload]:
    """Each lead professional's open episodes, counted by status."""
    by_worker: dict[int, Caseload] = {}
    counts: Counter[tuple[int, str]] = Counter()
    for episode in episodes.exclude(lead_professional__isnull=True):
        lead = episode.lead_professional
        assert lead is not None
        by_worker.setdefault(lead.pk, Caseload(worker=lead))
        counts[(lead.pk, episode.status)] += 1
    for (worker_id, status), n in counts.items():
        by_worker[worker_id].counts[status] = n
    return sorted(
        by_worker.values(), key=lambda c: (-c.total, c.worker.last_name, c.worker.username)
    )


@dataclass(frozen=True)
class Overdue:
    allocations: list[WaitingEpisode]
    assessments: list[Assessment]
    reviews: list[Plan]
    actions: list[PlanAction]

    @property
    def count(self) -> int:
        return len(self.allocations) + len(self.assessments) + len(self.reviews) + len(self.actions)


def overdue(*, user: User, episodes: QuerySet[Episode], today: date | None = None) -> Overdue:
    """Everything late among ``episodes`` (already scoped to the user): allocations past the
    council's target, assessments past due, reviews past due and open actions past due."""
    day = _today(today)
    ids = episodes.values("pk")
    late = [w for w in awaiting_allocation(user=user, today=day) if w.overdue]
    among = set(episodes.filter(pk__in=[w.episode.pk for w in late]).values_list("pk", flat=True))
    waiting = [w for w in late if w.episode.pk in among]
    assessments = (
        Assessment.objects.filter(episode__in=ids, completed_on__isnull=True, due_date__lt=day)
        .select_related("episode__household", "episode__lead_professional")
        .order_by("due_date")
    )
    reviews = (
        Plan.objects.filter(episode__in=ids, next_review_due__lt=day)
        .select_related("episode__household", "episode__lead_professional")
        .order_by("next_review_due")
    )
    actions = (
        PlanAction.objects.filter(
            outcome__plan__episode__in=ids, status=ActionStatus.OPEN, due_date__lt=day
        )
        .select_related("outcome__plan__episode__household", "owner_organisation")
        .order_by("due_date")
    )
    return Overdue(waiting, list(assessments), list(reviews), list(actions))


# --- home pages ----------------------------------------------------------------------------


def episodes_led_by(*, user: User) -> QuerySet[Episode]:
    return (
        policy.visible(user, Episode)
        .filter(lead_professional=user, status__in=OPEN_EPISODE_STATUSES)
        .select_related("household", "council")
        .order_by("start_date", "pk")
    )


def tafs_of(*, user: User) -> QuerySet[TafMember]:
    """The user's current Team Around the Family memberships, on episodes they may see."""
    day = timezone.localdate()
    return (
        TafMember.objects.filter(
            user=user, joined_on__lte=day, episode__in=policy.visible(user, Episode)
        )
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=day))
        .select_related("episode__household", "episode__lead_professional")
        .order_by("joined_on", "pk")
    )


def step_ups_to_decide(*, user: User) -> QuerySet[StepUp]:
    if user.role != Role.TEAM_MANAGER or policy.council_of(user) is None:
        return StepUp.objects.none()
    return (
        StepUp.objects.filter(
            decision=StepUpDecision.PENDING,
            episode__in=policy.visible(user, Episode).filter(council=policy.council_of(user)),
        )
        .select_related("episode__household", "requested_by")
        .order_by("-urgent", "requested_on", "pk")
    )


def closures_to_sign_off(*, user: User) -> QuerySet[ClosureRequest]:
    """Closures of the manager's council waiting for a team manager's sign-off, oldest
    first."""
    council = policy.council_of(user)
    if user.role != Role.TEAM_MANAGER or council is None:
        return ClosureRequest.objects.none()
    return (
        ClosureRequest.objects.filter(
            decision=ClosureSignOff.PENDING,
            episode__in=policy.visible(user, Episode).filter(council=council),
        )
        .select_related("episode__household", "requested_by")
        .order_by("requested_at", "pk")
    )


# --- one episode -------------------------------------------------------------------------


def actions_of(episode: Episode) -> QuerySet[PlanAction]:
    return PlanAction.objects.filter(outcome__plan__episode=episode).select_related(
        "owner_organisation", "owner_user", "outcome"
    )


def open_actions_of(episode: Episode) -> QuerySet[PlanAction]:
    return actions_of(episode).filter(status=ActionStatus.OPEN)


def plan_outcomes(plan: Plan) -> QuerySet[PlanOutcome]:
    return plan.outcomes.select_related("need", "need__domain").prefetch_related(
        Prefetch(
            "actions",
            queryset=PlanAction.objects.select_related("owner_organisation").order_by(
                "due_date", "pk"
            ),
        )
    )


@dataclass(frozen=True)
class DistanceRow:
    need: Need
    at_assessment: int | None
    at_reviews: list[int | None]
    at_closure: int | None

    @property
    def latest(self) -> int | None:
        for score in [self.at_closure, *reversed(self.at_reviews)]:
            if score is not None:
                return score
        return self.at_assessment

    @property
    def change(self) -> int | None:
        """Distance travelled so far: the latest score less the score at assessment."""
        if self.at_assessment is None or self.latest is None:
            return None
        return self.latest - self.at_assessment


@dataclass(frozen=True)
class DistanceTravelled:
    reviews: list[Review]
    rows: list[DistanceRow]


def distance_travelled(episode: Episode) -> DistanceTravelled:
    """Per need: the 1-10 score at assessment, at each review and at closure."""
    reviews = list(episode.reviews.order_by("held_on", "pk"))
    needs = list(episode.needs.select_related("domain", "person").order_by("pk"))
    scores = NeedScore.objects.filter(need__episode=episode)
    at: dict[tuple[int, str, int | None], int] = {
        (s.need_id, s.stage, s.review_id): s.score for s in scores
    }
    rows = [
        DistanceRow(
            need=need,
            at_assessment=at.get((need.pk, ScoreStage.ASSESSMENT, None)),
            at_reviews=[at.get((need.pk, ScoreStage.REVIEW, r.pk)) for r in reviews],
            at_closure=at.get((need.pk, ScoreStage.CLOSURE, None)),
        )
        for need in needs
    ]
    return DistanceTravelled(reviews=reviews, rows=rows)


def assessment_is_overdue(assessment: Assessment, today: date | None = None) -> bool:
    return assessment.completed_on is None and assessment.due_date < _today(today)


def review_is_overdue(plan: Plan, episode: Episode, today: date | None = None) -> bool:
    return episode.status != EpisodeStatus.CLOSED and plan.next_review_due < _today(today)


def is_current_member(member: TafMember, today: date | None = None) -> bool:
    """Is the practitioner in the Team Around the Family today (joined, and not left)?"""
    day = _today(today)
    return member.joined_on <= day and (member.left_on is None or member.left_on > day)


def follow_ups_of(closure: Closure) -> QuerySet[SustainedOutcomeCheck]:
    return closure.sustained_checks.select_related("outcome_area", "checked_by").order_by(
        "outcome_area__code"
    )


# --- change history ------------------------------------------------------------------------


# Fields of an episode's records that mean nothing to a reader: versions and the links to
# the episode and its parts.
HIDDEN_HISTORY_FIELDS = frozenset(
    {"version", "id", "episode", "assessment", "plan", "outcome", "closure"}
)


def _history_entries(records: QuerySet[Any], model: type[Model], what: str) -> list[HistoryEntry]:
    ordered = records.select_related("history_user", "history_user__organisation").order_by(
        "history_date", "history_id"
    )
    return history_entries(ordered, model, what, hidden=HIDDEN_HISTORY_FIELDS)


def episode_history(episode: Episode) -> list[HistoryEntry]:
    """Every versioned change to the episode and its parts, newest first, with who made it."""
    assessment_ids = list(
        Assessment.history.filter(episode_id=episode.pk).values_list("id", flat=True)
    )
    plan_ids = list(Plan.history.filter(episode_id=episode.pk).values_list("id", flat=True))
    outcome_ids = list(
        PlanOutcome.history.filter(plan_id__in=plan_ids).values_list("id", flat=True)
    )
    closure_ids = list(Closure.history.filter(episode_id=episode.pk).values_list("id", flat=True))
    sources: list[tuple[QuerySet[Any], type[Model], str]] = [
        (Episode.history.filter(id=episode.pk), Episode, "Episode"),
        (Assessment.history.filter(episode_id=episode.pk), Assessment, "Assessment"),
        (
            PersonAssessment.history.filter(assessment_id__in=assessment_ids),
            PersonAssessment,
            "Strengths and needs of a family member",
        ),
        (ChildVoice.history.filter(assessment_id__in=assessment_ids), ChildVoice, "Child's voice"),
        (Need.history.filter(episode_id=episode.pk), Need, "Need"),
        (TafMember.history.filter(episode_id=episode.pk), TafMember, "TAF member"),
        (TafMeeting.history.filter(episode_id=episode.pk), TafMeeting, "TAF meeting"),
        (Plan.history.filter(episode_id=episode.pk), Plan, "Plan"),
        (PlanOutcome.history.filter(plan_id__in=plan_ids), PlanOutcome, "Plan outcome"),
        (PlanAction.history.filter(outcome_id__in=outcome_ids), PlanAction, "Action"),
        (Review.history.filter(episode_id=episode.pk), Review, "Review"),
        (StepUp.history.filter(episode_id=episode.pk), StepUp, "Step-up"),
        (Closure.history.filter(episode_id=episode.pk), Closure, "Closure"),
        (
            SustainedOutcomeCheck.history.filter(closure_id__in=closure_ids),
            SustainedOutcomeCheck,
            "Six-month follow-up",
        ),
    ]
    entries = [
        e for records, model, what in sources for e in _history_entries(records, model, what)
    ]
    return sorted(entries, key=lambda e: e.at, reverse=True)


def home_panels(*, user: User) -> dict[str, Any]:
    """What a home page shows of early help below the work tray (``continuum.work``, which
    lists step-ups, closures and families awaiting allocation), each part only if the
    policy allows: episodes the user leads and TAFs they are in; for partners, a way to
    start early help."""
    panels: dict[str, Any] = {}
    if policy.can(user, EarlyHelpAction.WORK_EPISODE):
        panels["led"] = episodes_led_by(user=user)
        panels["tafs"] = tafs_of(user=user)
    panels["can_start"] = policy.council_of(user) is None and policy.can(
        user, EarlyHelpAction.OPEN_EPISODE
    )
    return panels
