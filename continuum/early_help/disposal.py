"""Disposing of an early help episode at the end of its retention (issue 13), called by the
``retention`` app: the episode and everything recorded on it are irreversibly anonymised,
keeping the rows, dates, statuses, levels, scores and outcomes the indicators count (and
whether the child's voice was recorded) and removing every word written about the family,
and the history's copies (the household's name goes with its last member:
``people.disposal.anonymise_person``). Its case notes and documents are disposed
of by the apps that own them."""

from __future__ import annotations

from typing import Any

from continuum.early_help.models import (
    Assessment,
    ChildVoice,
    Closure,
    ClosureRequest,
    Episode,
    LeadProfessionalHandover,
    Need,
    NeedClosureOutcome,
    NeedScore,
    PersonAssessment,
    Plan,
    PlanAction,
    PlanOutcome,
    Review,
    StepUp,
    SustainedOutcomeCheck,
    TafAttendee,
    TafMeeting,
    TafMember,
)
from continuum.people.disposal import delete_chronology_from, scrub


def episode_source(episode_id: Any) -> str:
    return f"early_help.episode:{episode_id}"


def anonymise_episode(episode_id: Any) -> None:
    scrub(Episode.objects.filter(pk=episode_id))
    scrub(LeadProfessionalHandover.objects.filter(episode_id=episode_id))
    scrub(Assessment.objects.filter(episode_id=episode_id))
    scrub(PersonAssessment.objects.filter(assessment__episode_id=episode_id))
    scrub(ChildVoice.objects.filter(assessment__episode_id=episode_id))
    scrub(Need.objects.filter(episode_id=episode_id))
    scrub(NeedScore.objects.filter(need__episode_id=episode_id))
    scrub(TafMember.objects.filter(episode_id=episode_id))
    scrub(TafMeeting.objects.filter(episode_id=episode_id))
    scrub(TafAttendee.objects.filter(meeting__episode_id=episode_id))
    scrub(Plan.objects.filter(episode_id=episode_id))
    scrub(PlanOutcome.objects.filter(plan__episode_id=episode_id))
    scrub(PlanAction.objects.filter(outcome__plan__episode_id=episode_id))
    scrub(Review.objects.filter(episode_id=episode_id))
    scrub(StepUp.objects.filter(episode_id=episode_id))
    scrub(Closure.objects.filter(episode_id=episode_id))
    scrub(ClosureRequest.objects.filter(episode_id=episode_id))
    scrub(NeedClosureOutcome.objects.filter(closure__episode_id=episode_id))
    scrub(SustainedOutcomeCheck.objects.filter(closure__episode_id=episode_id))
    delete_chronology_from([episode_source(episode_id)])
