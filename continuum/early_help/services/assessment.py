"""The whole-family assessment: started once the episode is allocated, each member's
strengths and needs, each child's own voice, the needs found (tagged with Supporting
Families outcome areas and scored), then completed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from continuum.accounts.models import User
from continuum.early_help.choices import EpisodeStatus, ScoreStage
from continuum.early_help.models import (
    Assessment,
    ChildVoice,
    Episode,
    Need,
    NeedScore,
    PersonAssessment,
    SupportingFamiliesOutcome,
)
from continuum.early_help.services.episodes import (
    can_move,
    in_family,
    move_episode,
    note_if_future,
    record_in_chronology,
    settings_for,
)
from continuum.errors import InvalidState
from continuum.optimistic_locking import claim_version
from continuum.people.models import Person
from continuum.thresholds.models import Domain
from continuum.timescales.working_days import add_working_days


@transaction.atomic
def start_assessment(*, episode: Episode, by: User, started_on: date | None = None) -> Assessment:
    if episode.allocated_at is None or not can_move(episode, EpisodeStatus.ASSESSMENT):
        raise InvalidState("An assessment starts once the episode is allocated.")
    started_on = started_on or timezone.localdate()
    errors: dict[str, list[str]] = {}
    note_if_future(started_on, "started_on", errors)
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
    move_episode(episode, to=EpisodeStatus.ASSESSMENT, by=by)
    return assessment


def _editable(assessment: Assessment) -> None:
    if assessment.completed_on is not None:
        raise InvalidState("This assessment is complete and cannot change.")


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
    claim_version(assessment, expected_version, what="assessment")
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
    if not in_family(assessment.episode, person):
        raise ValidationError({"person": ["This person is not a member of the family."]})
    claim_version(assessment, expected_version, what="assessment")
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
    claim_version(assessment, expected_version, what="assessment")
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
    assessment = Assessment.objects.filter(episode=episode).first()  # as saved, not as cached
    if assessment is None:
        raise InvalidState("Start the assessment before recording needs.")
    _editable(assessment)
    errors: dict[str, list[str]] = {}
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
    if person is not None and not in_family(episode, person):
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
    note_if_future(completed_on, "completed_on", errors)
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
    claim_version(assessment, expected_version, what="assessment")
    assessment.completed_on = completed_on
    assessment.completed_by = by
    assessment._history_user = by  # type: ignore[attr-defined]
    assessment.save()
    record_in_chronology(
        assessment.episode, title="Early help assessment completed", by=by, on=completed_on
    )
    return assessment
