"""Early help verbs. Each is keyword-only, typed and atomic, refuses bad input with a
``ValidationError`` naming the field, and changes nothing when it refuses. Records that two
people may edit at once (episode, assessment, plan) carry a version: a save made against a
stale version is refused with ``ConcurrentChangeError``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from continuum.access.models import InvolvementReason
from continuum.access.services import end_involvement, record_involvement
from continuum.accounts.models import Role, User
from continuum.early_help.choices import (
    ActionStatus,
    AgencyKind,
    ClosureReason,
    EpisodeOrigin,
    EpisodeStatus,
    NeedOutcome,
    ScoreStage,
    StepUpDecision,
    SustainedResult,
)
from continuum.early_help.models import (
    AllocationPanel,
    Assessment,
    ChildVoice,
    Closure,
    EarlyHelpSettings,
    Episode,
    Need,
    NeedClosureOutcome,
    NeedScore,
    PersonAssessment,
    Plan,
    PlanAction,
    PlanOutcome,
    Review,
    StepUp,
    SupportingFamiliesOutcome,
    SustainedOutcomeCheck,
    TafAttendee,
    TafMeeting,
    TafMember,
)
from continuum.front_door import services as front_door
from continuum.front_door.choices import (
    FamilyAgreement,
    HowReceived,
    LawfulBasis,
    NotSoughtReason,
    Outcome,
    ReferralSource,
)
from continuum.front_door.models import ContactDecision
from continuum.optimistic_locking import claim_version
from continuum.organisations.models import Council, Locality, Organisation, Team
from continuum.people.choices import ChronologyCategory
from continuum.people.models import Household, Person
from continuum.people.services import record_chronology_event
from continuum.thresholds.models import Domain
from continuum.timescales.months import add_months
from continuum.timescales.working_days import add_working_days

EARLY_HELP_OUTCOME_LEVELS: dict[str, int] = {
    Outcome.EARLY_HELP_SINGLE: 2,
    Outcome.EARLY_HELP_MULTI: 3,
}
SUSTAINED_AFTER_MONTHS = 6
# Who can lead an episode: practitioners of any agency, and team managers. (Not analysts,
# auditors or administrators, who never work with families.)
LEAD_PROFESSIONAL_ROLES = frozenset(
    {Role.EARLY_HELP_PRACTITIONER, Role.PARTNER_PRACTITIONER, Role.TEAM_MANAGER}
)


class ConcurrentChangeError(Exception):
    """Someone else saved this record after it was opened; nothing was saved."""

    def __init__(self, what: str = "record") -> None:
        super().__init__(
            f"Someone else changed this {what} after you opened it. Nothing was saved: "
            "reload the page to see their change, then make yours again."
        )


def settings_for(council: Council) -> EarlyHelpSettings:
    found, _ = EarlyHelpSettings.objects.get_or_create(council=council)
    return found


def _claim(obj: Any, expected_version: int, what: str) -> None:
    if not claim_version(obj, expected_version):
        raise ConcurrentChangeError(what)


def _advance(episode: Episode, status: str, by: User) -> None:
    """Move the episode on to ``status``, as a versioned change naming its author. Any form
    opened on the episode before this (closing it, say) is then stale and refused."""
    Episode.objects.filter(pk=episode.pk).update(version=F("version") + 1)
    episode.refresh_from_db()
    episode.status = status
    episode._history_user = by  # type: ignore[attr-defined]
    episode.save()


def _refuse_if_closed(episode: Episode) -> None:
    if episode.status == EpisodeStatus.CLOSED:
        raise ValidationError({"status": ["This episode is closed and cannot change."]})


def _source(episode: Episode) -> str:
    return f"early_help.episode:{episode.pk}"


def _chronology(episode: Episode, *, title: str, by: User, detail: str = "", on: date) -> None:
    for child in episode.children.all():
        record_chronology_event(
            person=child,
            occurred_on=min(on, timezone.localdate()),
            category=ChronologyCategory.EARLY_HELP,
            title=title,
            detail=detail,
            source=_source(episode),
            recorded_by=by,
        )


def _in_family(episode: Episode, person: Person) -> bool:
    return (
        episode.children.filter(pk=person.pk).exists()
        or episode.household.members.filter(person=person).exists()
    )


def _not_future(value: date | None, field: str, errors: dict[str, list[str]]) -> None:
    if value is not None and value > timezone.localdate():
        errors[field] = ["The date must be today or in the past."]


# --- opening an episode ------------------------------------------------------------------


@dataclass(frozen=True)
class EpisodePlace:
    """Where an episode belongs: council, locality, team and the family."""

    council: Council
    locality: Locality
    team: Team
    household: Household


def _check_place(place: EpisodePlace, children: Sequence[Person]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if place.locality.council_id != place.council.pk:
        errors["locality"] = ["The locality is in another council."]
    if place.team.locality_id is not None and place.team.locality_id != place.locality.pk:
        errors["team"] = ["The team works in another locality."]
    if place.household.council_id != place.council.pk:
        errors["household"] = ["The family's household is recorded in another council."]
    if not children:
        errors["children"] = ["Name the children the episode is for."]
    return errors


def _create_episode(
    *,
    place: EpisodePlace,
    children: Sequence[Person],
    level: int,
    origin: str,
    reason: str,
    opened_by: User,
    **extra: Any,
) -> Episode:
    errors = _check_place(place, children)
    if level not in (2, 3):
        errors["level"] = ["Early help is at level 2 or level 3."]
    if not reason.strip():
        errors["reason_for_request"] = ["Say why the family needs early help."]
    if errors:
        raise ValidationError(errors)
    episode = Episode(
        council=place.council,
        locality=place.locality,
        team=place.team,
        household=place.household,
        level=level,
        origin=origin,
        reason_for_request=reason.strip(),
        start_date=timezone.localdate(),
        opened_by=opened_by,
        **extra,
    )
    episode._history_user = opened_by  # type: ignore[attr-defined]
    episode.save()
    episode.children.set(list(dict.fromkeys(children)))
    return episode


@transaction.atomic
def open_episode_from_decision(
    *, decision: ContactDecision, place: EpisodePlace, opened_by: User
) -> Episode:
    """Open the episode a front-door decision for early help asked for."""
    if decision.outcome not in EARLY_HELP_OUTCOME_LEVELS:
        raise ValidationError({"decision": ["This front-door decision was not for early help."]})
    if decision.awaiting_sign_off or decision.contact.decided_at is None:
        raise ValidationError({"decision": ["The front-door decision is not final yet."]})
    if Episode.objects.filter(front_door_decision=decision).exists():
        raise ValidationError({"decision": ["An episode is already open for this decision."]})
    contact = decision.contact
    if contact.council_id != place.council.pk:
        raise ValidationError({"council": ["The decision was made by another council."]})
    episode = _create_episode(
        place=place,
        children=list(contact.children.all()),
        level=EARLY_HELP_OUTCOME_LEVELS[decision.outcome],
        origin=EpisodeOrigin.FRONT_DOOR,
        reason=decision.rationale,
        opened_by=opened_by,
        front_door_decision=decision,
        front_door_decided_at=contact.decided_at,
    )
    _chronology(
        episode,
        title="Early help episode opened from the front door",
        by=opened_by,
        on=episode.start_date,
    )
    return episode


@transaction.atomic
def open_episode_by_partner(
    *,
    place: EpisodePlace,
    children: Sequence[Person],
    reason: str,
    opened_by: User,
    level: int = 2,
) -> Episode:
    """A partner (a school, say) starting single-agency early help tells the council by
    opening an episode; they lead it themselves."""
    organisation = opened_by.organisation
    if organisation is None or not organisation.serves.filter(pk=place.council.pk).exists():
        raise ValidationError(
            {"council": ["Your organisation does not work in this council's area."]}
        )
    now = timezone.now()
    episode = _create_episode(
        place=place,
        children=children,
        level=level,
        origin=EpisodeOrigin.PARTNER,
        reason=reason,
        opened_by=opened_by,
        status=EpisodeStatus.ALLOCATED,
        lead_professional=opened_by,
        lead_professional_organisation=organisation,
        allocation_reason=f"{organisation.name} is delivering single-agency early help.",
        allocated_at=now,
    )
    _involve_lead_professional(episode, opened_by)
    _chronology(
        episode,
        title=f"Early help started by {organisation.name}",
        by=opened_by,
        on=episode.start_date,
    )
    return episode


@transaction.atomic
def step_down(
    *,
    place: EpisodePlace,
    children: Sequence[Person],
    level: int,
    social_care_history: str,
    reason: str,
    opened_by: User,
) -> Episode:
    """Open an early help episode for a family stepping down from social care."""
    if not social_care_history.strip():
        raise ValidationError(
            {"social_care_history": ["Summarise the social care involvement the family leaves."]}
        )
    episode = _create_episode(
        place=place,
        children=children,
        level=level,
        origin=EpisodeOrigin.STEP_DOWN,
        reason=reason,
        opened_by=opened_by,
        social_care_history=social_care_history.strip(),
    )
    _chronology(
        episode,
        title="Stepped down from social care to early help",
        by=opened_by,
        detail=social_care_history.strip(),
        on=episode.start_date,
    )
    return episode


# --- allocation at panel ------------------------------------------------------------------


@transaction.atomic
def hold_panel(
    *,
    council: Council,
    locality: Locality,
    held_on: date,
    agencies_present: Sequence[Organisation],
    chaired_by: User,
) -> AllocationPanel:
    errors: dict[str, list[str]] = {}
    if locality.council_id != council.pk:
        errors["locality"] = ["The locality is in another council."]
    _not_future(held_on, "held_on", errors)
    if not agencies_present:
        errors["agencies_present"] = ["Record the agencies present at the panel."]
    if errors:
        raise ValidationError(errors)
    panel = AllocationPanel.objects.create(
        council=council, locality=locality, held_on=held_on, chaired_by=chaired_by
    )
    panel.agencies_present.set(agencies_present)
    return panel


def _whole_family(episode: Episode) -> list[Person]:
    """The children the episode is for and the household's current members."""
    today = timezone.localdate()
    current = Q(household_members__end_date__isnull=True) | Q(
        household_members__end_date__gte=today
    )
    # One filter() call, so both conditions apply to the same membership.
    members = Person.objects.filter(Q(household_members__household=episode.household) & current)
    return list(dict.fromkeys([*episode.children.all(), *members]))


def _involve_lead_professional(episode: Episode, user: User) -> None:
    """The lead professional does the whole-family assessment: they are involved with the
    children and the household's adults while they lead."""
    for person in _whole_family(episode):
        record_involvement(
            user=user,
            person=person,
            reason=InvolvementReason.LEAD_PROFESSIONAL,
            source=_source(episode),
        )


@transaction.atomic
def allocate(
    *,
    episode: Episode,
    panel: AllocationPanel,
    lead_professional: User,
    reason: str,
    by: User,
    expected_version: int,
    out_of_area_reason: str = "",
) -> Episode:
    """Assign a lead professional — from any agency — at a locality panel."""
    errors: dict[str, list[str]] = {}
    if episode.status != EpisodeStatus.AWAITING_ALLOCATION:
        errors["status"] = ["This episode is not waiting for allocation."]
    if panel.council_id != episode.council_id:
        errors["panel"] = ["The panel belongs to another council."]
    elif panel.locality_id != episode.locality_id:
        errors["panel"] = [f"The family is on {episode.locality.name}'s waiting list."]
    organisation = lead_professional.organisation
    if organisation is None or not lead_professional.is_active:
        errors["lead_professional"] = ["The lead professional needs an active account."]
    elif lead_professional.role not in LEAD_PROFESSIONAL_ROLES:
        errors["lead_professional"] = [
            "The lead professional must be a practitioner or team manager who works with families."
        ]
    elif (
        not organisation.serves.filter(pk=episode.council_id).exists()
        and not out_of_area_reason.strip()
    ):
        errors["out_of_area_reason"] = [
            f"{organisation.name} does not serve {episode.council.name}: record why it "
            "leads this episode."
        ]
    if not reason.strip():
        errors["allocation_reason"] = ["Record why this lead professional was chosen."]
    if errors:
        raise ValidationError(errors)
    assert organisation is not None
    _claim(episode, expected_version, "episode")
    episode.panel = panel
    episode.lead_professional = lead_professional
    episode.lead_professional_organisation = organisation
    episode.allocation_reason = reason.strip()
    episode.out_of_area_reason = out_of_area_reason.strip()
    episode.allocated_at = timezone.now()
    episode.status = EpisodeStatus.ALLOCATED
    episode._history_user = by  # type: ignore[attr-defined]
    episode.save()
    _involve_lead_professional(episode, lead_professional)
    _chronology(
        episode,
        title=f"Early help allocated: lead professional from {organisation.name}",
        by=by,
        on=panel.held_on,
    )
    return episode


# --- assessment ----------------------------------------------------------------------------


@transaction.atomic
def start_assessment(*, episode: Episode, by: User, started_on: date | None = None) -> Assessment:
    if episode.status != EpisodeStatus.ALLOCATED or episode.allocated_at is None:
        raise ValidationError({"status": ["An assessment starts once the episode is allocated."]})
    started_on = started_on or timezone.localdate()
    errors: dict[str, list[str]] = {}
    _not_future(started_on, "started_on", errors)
    if errors:
        raise ValidationError(errors)
    allocated_on = timezone.localtime(episode.allocated_at).date()
    assessment = Assessment(
        episode=episode,
        started_on=started_on,
        due_date=add_working_days(
            allocated_on, settings_for(episode.council).assessment_working_days
        ),
    )
    assessment._history_user = by  # type: ignore[attr-defined]
    assessment.save()
    _advance(episode, EpisodeStatus.ASSESSMENT, by)
    return assessment


def _editable(assessment: Assessment) -> None:
    if assessment.completed_on is not None:
        raise ValidationError({"assessment": ["This assessment is complete and cannot change."]})


@transaction.atomic
def update_assessment(
    *,
    assessment: Assessment,
    by: User,
    expected_version: int,
    family_view: str,
    summary: str,
) -> Assessment:
    _editable(assessment)
    _claim(assessment, expected_version, "assessment")
    assessment.family_view = family_view.strip()
    assessment.summary = summary.strip()
    assessment._history_user = by  # type: ignore[attr-defined]
    assessment.save()
    return assessment


@transaction.atomic
def record_person_assessment(
    *,
    assessment: Assessment,
    person: Person,
    strengths: str,
    needs: str,
    by: User,
    expected_version: int,
) -> PersonAssessment:
    """Strengths and needs for one member of the family (replacing what was there)."""
    _editable(assessment)
    if not _in_family(assessment.episode, person):
        raise ValidationError({"person": ["This person is not a member of the family."]})
    _claim(assessment, expected_version, "assessment")
    entry = PersonAssessment.objects.filter(assessment=assessment, person=person).first()
    entry = entry or PersonAssessment(assessment=assessment, person=person)
    entry.strengths, entry.needs = strengths.strip(), needs.strip()
    entry._history_user = by  # type: ignore[attr-defined]
    entry.save()
    return entry


@transaction.atomic
def record_child_voice(
    *,
    assessment: Assessment,
    child: Person,
    by: User,
    expected_version: int,
    what_the_child_said: str = "",
    how_gathered: str = "",
    not_gathered_reason: str = "",
    what_was_observed: str = "",
) -> ChildVoice:
    """The child's own voice: what they said and how, or why it could not be gathered and,
    then, what was observed (a baby, say)."""
    _editable(assessment)
    errors: dict[str, list[str]] = {}
    if not assessment.episode.children.filter(pk=child.pk).exists():
        errors["child"] = ["The episode is not for this child."]
    said, how = what_the_child_said.strip(), how_gathered.strip()
    reason, observed = not_gathered_reason.strip(), what_was_observed.strip()
    if said or how:
        if not said:
            errors["what_the_child_said"] = ["Record what the child said."]
        if not how:
            errors["how_gathered"] = ["Record how the child's voice was gathered."]
    elif reason:
        if not observed:
            errors["what_was_observed"] = [
                "The child's voice could not be gathered: record what was observed instead."
            ]
    else:
        errors["what_the_child_said"] = [
            "Record what the child said and how, or why their voice could not be gathered."
        ]
    if errors:
        raise ValidationError(errors)
    _claim(assessment, expected_version, "assessment")
    voice = ChildVoice.objects.filter(assessment=assessment, child=child).first()
    voice = voice or ChildVoice(assessment=assessment, child=child)
    voice.what_the_child_said, voice.how_gathered = said, how
    voice.not_gathered_reason = "" if said else reason
    voice.what_was_observed = observed
    voice._history_user = by  # type: ignore[attr-defined]
    voice.save()
    return voice


@transaction.atomic
def add_need(
    *,
    episode: Episode,
    domain_code: str,
    description: str,
    outcome_codes: Sequence[str],
    baseline_score: int,
    by: User,
    person: Person | None = None,
) -> Need:
    """A need identified at assessment, tagged with Supporting Families outcome areas and
    scored 1-10 (where the family is now) to measure distance travelled."""
    errors: dict[str, list[str]] = {}
    assessment = Assessment.objects.filter(episode=episode).first()  # as saved, not as cached
    if assessment is None:
        errors["assessment"] = ["Start the assessment before recording needs."]
    elif assessment.completed_on is not None:
        errors["assessment"] = ["This assessment is complete and cannot change."]
    domain = Domain.objects.filter(code=domain_code).first()
    if domain is None:
        errors["domain"] = [f"Unknown domain {domain_code!r}."]
    if not description.strip():
        errors["description"] = ["Describe the need."]
    areas = list(SupportingFamiliesOutcome.objects.filter(code__in=outcome_codes))
    unknown = sorted(set(outcome_codes) - {a.code for a in areas})
    if unknown:
        errors["outcome_areas"] = [f"Unknown outcome area: {', '.join(unknown)}."]
    if not outcome_codes:
        errors["outcome_areas"] = ["Tag the need with at least one Supporting Families outcome."]
    if not 1 <= baseline_score <= 10:
        errors["baseline_score"] = ["The score must be from 1 to 10."]
    if person is not None and not _in_family(episode, person):
        errors["person"] = ["This person is not a member of the family."]
    if errors:
        raise ValidationError(errors)
    need = Need(episode=episode, person=person, domain=domain, description=description.strip())
    need._history_user = by  # type: ignore[attr-defined]
    need.save()
    need.outcome_areas.set(areas)
    NeedScore.objects.create(
        need=need,
        stage=ScoreStage.ASSESSMENT,
        score=baseline_score,
        recorded_on=timezone.localdate(),
    )
    return need


@transaction.atomic
def complete_assessment(
    *, assessment: Assessment, by: User, expected_version: int, completed_on: date | None = None
) -> Assessment:
    """Refused without every child's voice (or the reason it could not be gathered)."""
    _editable(assessment)
    completed_on = completed_on or timezone.localdate()
    errors: dict[str, list[str]] = {}
    _not_future(completed_on, "completed_on", errors)
    if completed_on < assessment.started_on:
        errors["completed_on"] = ["The assessment cannot be completed before it started."]
    voices = set(assessment.child_voices.values_list("child_id", flat=True))
    missing = [c.full_name for c in assessment.episode.children.all() if c.pk not in voices]
    if missing:
        errors["child_voices"] = [
            "Record the child's own voice, or why it could not be gathered, for "
            + ", ".join(missing)
            + "."
        ]
    if not assessment.episode.needs.exists():
        errors["needs"] = ["Record at least one need identified by the assessment."]
    if not assessment.family_view.strip():
        errors["family_view"] = ["Record the family's own view."]
    if errors:
        raise ValidationError(errors)
    _claim(assessment, expected_version, "assessment")
    assessment.completed_on = completed_on
    assessment.completed_by = by
    assessment._history_user = by  # type: ignore[attr-defined]
    assessment.save()
    _chronology(assessment.episode, title="Early help assessment completed", by=by, on=completed_on)
    return assessment


# --- Team Around the Family ----------------------------------------------------------------


@transaction.atomic
def add_taf_member(
    *, episode: Episode, user: User, by: User, role_in_taf: str = "", joined_on: date | None = None
) -> TafMember:
    """Membership gives the practitioner access to the episode while it lasts."""
    _refuse_if_closed(episode)
    if user.organisation is None or not user.is_active:
        raise ValidationError(
            {"user": ["A TAF member needs an active account with an organisation."]}
        )
    if episode.taf_members.filter(user=user, left_on__isnull=True).exists():
        raise ValidationError({"user": [f"{user} is already a member of this TAF."]})
    member = TafMember(
        episode=episode,
        user=user,
        organisation=user.organisation,
        role_in_taf=role_in_taf.strip(),
        joined_on=joined_on or timezone.localdate(),
    )
    member._history_user = by  # type: ignore[attr-defined]
    member.save()
    for child in episode.children.all():
        record_involvement(
            user=user, person=child, reason=InvolvementReason.TAF_MEMBER, source=_source(episode)
        )
    return member


@transaction.atomic
def remove_taf_member(*, member: TafMember, by: User, left_on: date | None = None) -> TafMember:
    """Leaving the TAF ends the practitioner's access (unless they lead the episode)."""
    if member.left_on is not None:
        raise ValidationError({"member": ["This practitioner has already left the TAF."]})
    member.left_on = left_on or timezone.localdate()
    member._history_user = by  # type: ignore[attr-defined]
    member.save()
    episode = member.episode
    if episode.lead_professional_id != member.user_id:
        for child in episode.children.all():
            end_involvement(user=member.user, person=child, source=_source(episode))
    return member


@transaction.atomic
def record_taf_meeting(
    *,
    episode: Episode,
    held_on: date,
    decisions: str,
    attendees: Sequence[Mapping[str, Any]],
    by: User,
) -> TafMeeting:
    """A TAF meeting with who attended from which agency (so engagement can be counted)."""
    _refuse_if_closed(episode)
    errors: dict[str, list[str]] = {}
    _not_future(held_on, "held_on", errors)
    if held_on < episode.start_date:
        errors["held_on"] = ["The meeting cannot be before the episode started."]
    if not decisions.strip():
        errors["decisions"] = ["Record what the meeting decided."]
    if not attendees:
        errors["attendees"] = ["Record who attended, by agency."]
    for row in attendees:
        if not str(row.get("name", "")).strip():
            errors["attendees"] = ["Every attendee needs a name."]
        elif row.get("agency") not in AgencyKind.values:
            errors["attendees"] = [f"Select the agency {row.get('name')} came from."]
    if errors:
        raise ValidationError(errors)
    meeting = TafMeeting(
        episode=episode, held_on=held_on, decisions=decisions.strip(), recorded_by=by
    )
    meeting._history_user = by  # type: ignore[attr-defined]
    meeting.save()
    TafAttendee.objects.bulk_create(
        [
            TafAttendee(
                meeting=meeting,
                name=str(row["name"]).strip(),
                user=row.get("user"),
                person=row.get("person"),
                organisation=row.get("organisation"),
                agency=row["agency"],
                attended=bool(row.get("attended", True)),
            )
            for row in attendees
        ]
    )
    _chronology(episode, title="Team Around the Family meeting", by=by, on=held_on)
    return meeting


# --- plan and reviews ----------------------------------------------------------------------


@transaction.atomic
def create_plan(*, episode: Episode, by: User, created_on: date | None = None) -> Plan:
    _refuse_if_closed(episode)
    assessment = Assessment.objects.filter(episode=episode).first()  # as saved, not as cached
    if assessment is None or assessment.completed_on is None:
        raise ValidationError({"plan": ["Complete the assessment before writing the plan."]})
    if hasattr(episode, "plan") and Plan.objects.filter(episode=episode).exists():
        raise ValidationError({"plan": ["This episode already has a plan."]})
    created_on = created_on or timezone.localdate()
    errors: dict[str, list[str]] = {}
    _not_future(created_on, "created_on", errors)
    if created_on < assessment.completed_on:
        errors["created_on"] = ["The plan cannot be dated before the assessment was completed."]
    if errors:
        raise ValidationError(errors)
    interval = settings_for(episode.council).review_interval_weeks
    plan = Plan(
        episode=episode,
        created_on=created_on,
        next_review_due=created_on + timedelta(weeks=interval),
    )
    plan._history_user = by  # type: ignore[attr-defined]
    plan.save()
    _advance(episode, EpisodeStatus.PLAN, by)
    return plan


@transaction.atomic
def add_plan_outcome(
    *, plan: Plan, need: Need, description: str, by: User, expected_version: int
) -> PlanOutcome:
    errors: dict[str, list[str]] = {}
    if need.episode_id != plan.episode_id:
        errors["need"] = ["The need belongs to another episode."]
    if not description.strip():
        errors["description"] = ["Describe what will be different for the family."]
    if errors:
        raise ValidationError(errors)
    _claim(plan, expected_version, "plan")
    outcome = PlanOutcome(plan=plan, need=need, description=description.strip())
    outcome._history_user = by  # type: ignore[attr-defined]
    outcome.save()
    return outcome


@transaction.atomic
def add_action(
    *,
    outcome: PlanOutcome,
    description: str,
    owner_name: str,
    owner_agency: str,
    due_date: date,
    by: User,
    expected_version: int,
    owner_user: User | None = None,
    owner_organisation: Organisation | None = None,
) -> PlanAction:
    """A SMART action: what, who (person and agency) and by when."""
    errors: dict[str, list[str]] = {}
    if not description.strip():
        errors["description"] = ["Describe the action: what will be done."]
    if not owner_name.strip() and owner_user is None:
        errors["owner_name"] = ["Name who will do it."]
    if owner_agency not in AgencyKind.values:
        errors["owner_agency"] = ["Select the agency responsible."]
    if due_date < outcome.plan.created_on:
        errors["due_date"] = ["The due date cannot be before the plan was written."]
    if errors:
        raise ValidationError(errors)
    _claim(outcome.plan, expected_version, "plan")
    action = PlanAction(
        outcome=outcome,
        description=description.strip(),
        owner_name=owner_name.strip() or str(owner_user),
        owner_user=owner_user,
        owner_agency=owner_agency,
        owner_organisation=owner_organisation
        or (owner_user.organisation if owner_user is not None else None),
        due_date=due_date,
    )
    action._history_user = by  # type: ignore[attr-defined]
    action.save()
    return action


@transaction.atomic
def update_action_status(
    *, action: PlanAction, status: str, by: User, expected_version: int
) -> PlanAction:
    if status not in ActionStatus.values:
        raise ValidationError({"status": ["Select the action's status."]})
    _claim(action.outcome.plan, expected_version, "plan")
    action.status = status
    action.completed_on = timezone.localdate() if status == ActionStatus.DONE else None
    action._history_user = by  # type: ignore[attr-defined]
    action.save()
    return action


@transaction.atomic
def record_review(
    *, episode: Episode, held_on: date, summary: str, scores: Mapping[int, int], by: User
) -> Review:
    """A review of the plan, with distance travelled: a 1-10 score for every need."""
    _refuse_if_closed(episode)
    errors: dict[str, list[str]] = {}
    plan = Plan.objects.filter(episode=episode).first()
    assessment = Assessment.objects.filter(episode=episode).first()  # as saved, not as cached
    if plan is None:
        errors["plan"] = ["Write the plan before reviewing it."]
    _not_future(held_on, "held_on", errors)
    if assessment is not None and assessment.completed_on and held_on < assessment.completed_on:
        errors["held_on"] = [
            "The review cannot be dated before the assessment was completed "
            f"({assessment.completed_on:%d %B %Y})."
        ]
    if not summary.strip():
        errors["summary"] = ["Summarise the review."]
    needs = list(episode.needs.all())
    missing = [n for n in needs if n.pk not in scores]
    if missing:
        errors["scores"] = ["Score every need from 1 to 10 (distance travelled)."]
    if any(not 1 <= int(v) <= 10 for v in scores.values()):
        errors["scores"] = ["Every score must be from 1 to 10."]
    if set(scores) - {n.pk for n in needs}:
        errors["scores"] = ["A score was given for a need of another episode."]
    if errors:
        raise ValidationError(errors)
    assert plan is not None
    review = Review(episode=episode, held_on=held_on, summary=summary.strip(), recorded_by=by)
    review._history_user = by  # type: ignore[attr-defined]
    review.save()
    NeedScore.objects.bulk_create(
        [
            NeedScore(
                need_id=need_id,
                stage=ScoreStage.REVIEW,
                review=review,
                score=int(score),
                recorded_on=held_on,
            )
            for need_id, score in scores.items()
        ]
    )
    interval = settings_for(episode.council).review_interval_weeks
    Plan.objects.filter(pk=plan.pk).update(next_review_due=held_on + timedelta(weeks=interval))
    _advance(episode, EpisodeStatus.REVIEW, by)
    _chronology(episode, title="Early help plan reviewed", by=by, on=held_on)
    return review


# --- step-up -------------------------------------------------------------------------------


@transaction.atomic
def request_step_up(
    *,
    episode: Episode,
    reason: str,
    family_agreement: str,
    by: User,
    sharing_justification: str = "",
    requested_on: date | None = None,
) -> StepUp:
    errors: dict[str, list[str]] = {}
    if episode.status == EpisodeStatus.CLOSED:
        errors["episode"] = ["The episode is closed."]
    if episode.step_ups.filter(decision=StepUpDecision.PENDING).exists():
        errors["episode"] = ["A step-up is already waiting for a manager's decision."]
    if not reason.strip():
        errors["reason"] = ["Say why the family needs social care."]
    if family_agreement not in FamilyAgreement.values:
        errors["family_agreement"] = ["Record whether the family agreed to the referral."]
    elif family_agreement != FamilyAgreement.AGREED and not sharing_justification.strip():
        errors["sharing_justification"] = [
            "The family has not agreed: explain why sharing without agreement is justified."
        ]
    if errors:
        raise ValidationError(errors)
    step_up = StepUp(
        episode=episode,
        reason=reason.strip(),
        requested_on=requested_on or timezone.localdate(),
        requested_by=by,
        family_agreement=family_agreement,
        sharing_justification=sharing_justification.strip(),
    )
    step_up._history_user = by  # type: ignore[attr-defined]
    step_up.save()
    return step_up


@transaction.atomic
def decide_step_up(*, step_up: StepUp, manager: User, agree: bool, note: str = "") -> StepUp:
    """The manager's decision. Agreed: a contact goes to the front door for the statutory
    service, carrying the family, the reason and the consent already recorded."""
    if step_up.decision != StepUpDecision.PENDING:
        raise ValidationError({"decision": ["This step-up has already been decided."]})
    if not agree and not note.strip():
        raise ValidationError({"decision_note": ["Explain why the step-up is declined."]})
    step_up.decision = StepUpDecision.AGREED if agree else StepUpDecision.DECLINED
    step_up.decided_by = manager
    step_up.decided_at = timezone.now()
    step_up.decision_note = note.strip()
    episode = step_up.episode
    if agree:
        requester = step_up.requested_by
        agreed = step_up.family_agreement == FamilyAgreement.AGREED
        details = front_door.ContactDetails(
            received_at=timezone.now(),
            how_received=HowReceived.ONLINE,
            referral_source=ReferralSource.EARLY_HELP,
            referrer_name=requester.get_full_name() or requester.username,
            referrer_organisation=requester.organisation,
            referrer_organisation_name=requester.organisation.name
            if requester.organisation
            else "",
            referrer_role="Lead professional (early help step-up)",
            referrer_email=requester.email,
            concerns=f"Step-up from early help agreed by {manager}.\n{step_up.reason}",
            referrer_view_of_level=4,
            family_agreement=step_up.family_agreement,
            agreement_obtained_by=str(requester) if agreed else "",
            agreement_obtained_on=step_up.requested_on if agreed else None,
            lawful_basis="" if agreed else LawfulBasis.PUBLIC_TASK,
            not_agreed_reason="" if agreed else NotSoughtReason.SIGNIFICANT_HARM,
            sharing_justification=step_up.sharing_justification,
        )
        contact = front_door.record_contact(
            recorded_by=manager,
            council=episode.council,
            details=details,
            children=list(episode.children.all()),
        )
        contact = front_door.submit_contact(
            contact=contact, by=manager, expected_version=contact.version
        )
        step_up.contact = contact
        _chronology(
            episode,
            title="Stepped up from early help to social care",
            by=manager,
            detail=step_up.reason,
            on=timezone.localdate(),
        )
    step_up._history_user = manager  # type: ignore[attr-defined]
    step_up.save()
    return step_up


# --- closure -------------------------------------------------------------------------------


def _open_action_errors(open_count: int, become: str, resolution: str) -> dict[str, list[str]]:
    """Closing with open actions needs a confirmed answer to what happens to them."""
    errors: dict[str, list[str]] = {}
    if not open_count:
        return errors
    if become not in (ActionStatus.CANCELLED, ActionStatus.CARRIED_FORWARD):
        errors["open_actions_become"] = [
            "1 action is still open: confirm whether it is cancelled or carried forward to "
            "another service."
            if open_count == 1
            else f"{open_count} actions are still open: confirm whether they are cancelled "
            "or carried forward to another service."
        ]
    if not resolution.strip():
        errors["open_actions_resolution"] = ["Say what happens to the open actions."]
    return errors


def _closure_errors(
    episode: Episode,
    reason: str,
    closed_on: date,
    need_outcomes: Mapping[int, str],
    closure_scores: Mapping[int, int],
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if episode.status == EpisodeStatus.CLOSED:
        errors["status"] = ["This episode is already closed."]
    if reason not in ClosureReason.values:
        errors["reason"] = ["Select the reason for closing."]
    _not_future(closed_on, "closed_on", errors)
    if closed_on < episode.start_date:
        errors["closed_on"] = ["The episode cannot close before it started."]
    need_ids = set(episode.needs.values_list("pk", flat=True))
    if need_ids - set(need_outcomes):
        errors["need_outcomes"] = ["Record for every need whether the outcome was achieved."]
    if any(v not in NeedOutcome.values for v in need_outcomes.values()):
        errors["need_outcomes"] = ["Each need's outcome is achieved, partly or not achieved."]
    if set(need_outcomes) - need_ids:
        errors["need_outcomes"] = ["An outcome was given for a need of another episode."]
    if any(not 1 <= int(v) <= 10 for v in closure_scores.values()):
        errors["closure_scores"] = ["Every score must be from 1 to 10."]
    if set(closure_scores) - need_ids:
        errors["closure_scores"] = ["A score was given for a need of another episode."]
    return errors


@transaction.atomic
def close_episode(
    *,
    episode: Episode,
    by: User,
    expected_version: int,
    reason: str,
    need_outcomes: Mapping[int, str],
    closed_on: date | None = None,
    summary: str = "",
    open_actions_become: str = "",
    open_actions_resolution: str = "",
    closure_scores: Mapping[int, int] | None = None,
) -> Closure:
    """Close with a reason and, per need, whether the outcome was achieved. Open actions are
    refused unless the closer confirms what happens to them (cancelled or carried forward,
    with a note)."""
    closed_on = closed_on or timezone.localdate()
    closure_scores = closure_scores or {}
    errors = _closure_errors(episode, reason, closed_on, need_outcomes, closure_scores)
    open_actions = list(
        PlanAction.objects.filter(outcome__plan__episode=episode, status=ActionStatus.OPEN)
    )
    errors.update(
        _open_action_errors(len(open_actions), open_actions_become, open_actions_resolution)
    )
    if errors:
        raise ValidationError(errors)
    _claim(episode, expected_version, "episode")
    for action in open_actions:
        action.status = open_actions_become
        action._history_user = by  # type: ignore[attr-defined]
        action.save()
    closure = Closure(
        episode=episode,
        closed_on=closed_on,
        reason=reason,
        summary=summary.strip(),
        open_actions_resolution=open_actions_resolution.strip(),
        closed_by=by,
    )
    closure._history_user = by  # type: ignore[attr-defined]
    closure.save()
    NeedClosureOutcome.objects.bulk_create(
        [
            NeedClosureOutcome(closure=closure, need_id=k, outcome=v)
            for k, v in need_outcomes.items()
        ]
    )
    if closure_scores:
        NeedScore.objects.bulk_create(
            [
                NeedScore(need_id=k, stage=ScoreStage.CLOSURE, score=int(v), recorded_on=closed_on)
                for k, v in closure_scores.items()
            ]
        )
    improved = [k for k, v in need_outcomes.items() if v != NeedOutcome.NOT_ACHIEVED]
    areas = SupportingFamiliesOutcome.objects.filter(needs__in=improved).distinct()
    SustainedOutcomeCheck.objects.bulk_create(
        [
            SustainedOutcomeCheck(
                closure=closure,
                outcome_area=area,
                follow_up_due=add_months(closed_on, SUSTAINED_AFTER_MONTHS),
            )
            for area in areas
        ]
    )
    episode.status = EpisodeStatus.CLOSED
    episode.end_date = closed_on
    episode._history_user = by  # type: ignore[attr-defined]
    episode.save()
    for member in TafMember.objects.filter(episode=episode, left_on__isnull=True):
        member.left_on = closed_on
        member._history_user = by  # type: ignore[attr-defined]
        member.save()
    involved = {m.user for m in episode.taf_members.all()}
    if episode.lead_professional is not None:
        involved.add(episode.lead_professional)
    family = _whole_family(episode)
    for user in involved:
        for person in family:
            end_involvement(user=user, person=person, source=_source(episode))
    _chronology(
        episode, title=f"Early help closed: {closure.get_reason_display()}", by=by, on=closed_on
    )
    return closure


@transaction.atomic
def record_sustained_check(
    *, check: SustainedOutcomeCheck, result: str, by: User, checked_on: date | None = None
) -> SustainedOutcomeCheck:
    checked_on = checked_on or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if result not in SustainedResult.values:
        errors["result"] = ["Select whether the outcome was sustained."]
    _not_future(checked_on, "checked_on", errors)
    if checked_on < check.follow_up_due:
        errors["checked_on"] = [
            f"The six-month follow-up is due on {check.follow_up_due:%d %B %Y}, not before."
        ]
    if check.result:
        errors["result"] = ["This follow-up has already been recorded."]
    if errors:
        raise ValidationError(errors)
    check.result = result
    check.checked_on = checked_on
    check.checked_by = by
    check._history_user = by  # type: ignore[attr-defined]
    check.save()
    return check
