"""When a family withdraws consent (``consent.reactions``), and a manager's review of early
help going on without it.

For each open episode whose family includes the person:

- practitioners from agencies whose sharing was withdrawn leave the Team Around the
  Family that day, and their access from the episode ends at once (unless the episode has
  a lawful basis, or they lead it); the council's own children's services stay;
- withdrawing early help itself: every partner agency's member leaves unless the episode
  has a lawful basis; the episode is marked as continuing without consent and a team
  manager's review is due within ``CONSENT_WITHDRAWAL_REVIEW_WORKING_DAYS`` working days:
  continue on a lawful basis (with why), or close the episode;
- the lead professional and the council's team managers are told (a sentence and a link).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import Role, User
from continuum.consent.models import ConsentWithdrawal
from continuum.consent.selectors import Agreement
from continuum.early_help.choices import (
    ActionStatus,
    ClosureReason,
    ConsentGround,
    ConsentReviewDecision,
    EpisodeStatus,
    NeedOutcome,
)
from continuum.early_help.models import ConsentReview, Episode, PlanAction, TafMember
from continuum.early_help.policies import EarlyHelpAction
from continuum.early_help.services.closure import close_episode
from continuum.early_help.services.consent import (
    agreement_of,
    has_lawful_basis,
    is_councils_own,
    lawful_basis_errors,
)
from continuum.early_help.services.episodes import record_in_chronology, refuse_if_closed
from continuum.early_help.services.taf import remove_taf_member
from continuum.errors import InvalidState
from continuum.notifications.models import NotificationKind
from continuum.notifications.recipients import council_staff
from continuum.notifications.services import notify
from continuum.people.models import Person
from continuum.timescales.working_days import add_working_days
from continuum.ui.dates import govuk_date


def open_episodes_of(person: Person) -> QuerySet[Episode]:
    """The open episodes whose family includes ``person`` (a child of the episode, or a
    current member of its household)."""
    today = timezone.localdate()
    in_household = Q(household__members__person=person) & (
        Q(household__members__end_date__isnull=True) | Q(household__members__end_date__gte=today)
    )
    ids = (
        Episode.objects.exclude(status=EpisodeStatus.CLOSED)
        .filter(Q(children=person) | in_household)
        .values("pk")
    )
    return Episode.objects.filter(pk__in=ids).order_by("pk")


def _members_who_leave(
    episode: Episode, withdrawal: ConsentWithdrawal, agreement: Agreement
) -> list[TafMember]:
    """The current members whose agency's sharing this withdrawal ended."""
    if has_lawful_basis(episode):
        return []
    named = {a.pk for a in withdrawal.agencies.all()}
    agreed_by_name = {a.pk for a in withdrawal.consent.agencies.all()}
    today = timezone.localdate()
    members = TafMember.objects.filter(episode=episode).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=today)
    )
    leaving = []
    for member in members.select_related("organisation", "user"):
        organisation = member.organisation
        if is_councils_own(organisation, episode):
            continue
        affected = (
            withdrawal.early_help
            or organisation.pk in named
            or (withdrawal.taf_sharing and organisation.pk not in agreed_by_name)
        )
        if withdrawal.early_help or (affected and not agreement.shares_with(organisation.pk)):
            leaving.append(member)
    return leaving


def _continue_without_consent(episode: Episode, withdrawal: ConsentWithdrawal, by: User) -> None:
    """Mark the episode as continuing without consent, and make a manager's review due."""
    if episode.without_consent_since is None:
        Episode.objects.filter(pk=episode.pk).update(version=F("version") + 1)
        episode.refresh_from_db()
        episode.without_consent_since = withdrawal.withdrawn_on
        episode._history_user = by  # type: ignore[attr-defined]
        episode.save()
    if not episode.consent_reviews.filter(decision=ConsentReviewDecision.PENDING).exists():
        review = ConsentReview(
            episode=episode,
            withdrawal=withdrawal,
            due_on=add_working_days(
                timezone.localdate(), settings.CONSENT_WITHDRAWAL_REVIEW_WORKING_DAYS
            ),
        )
        review._history_user = by  # type: ignore[attr-defined]
        review.save()


def _tell(episode: Episode, by: User) -> None:
    managers = list(council_staff(episode.council, [Role.TEAM_MANAGER], team=episode.team))
    notify(
        recipients=[episode.lead_professional, *managers],
        kind=NotificationKind.CONSENT_WITHDRAWN,
        subject="A family withdrew consent on an early help episode",
        link=reverse("early_help:consent", args=[episode.pk]),
        exclude=by,
    )


def react_to_withdrawal(withdrawal: ConsentWithdrawal, by: User) -> None:
    """``consent.reactions``: called inside the withdrawal's transaction."""
    person = withdrawal.consent.person
    for episode in open_episodes_of(person).select_for_update():
        agreement = agreement_of(episode)
        for member in _members_who_leave(episode, withdrawal, agreement):
            remove_taf_member(
                member=member, by=by, left_on=max(withdrawal.withdrawn_on, member.joined_on)
            )
        if withdrawal.early_help and not has_lawful_basis(episode):
            _continue_without_consent(episode, withdrawal, by)
        record_in_chronology(
            episode,
            title="Consent withdrawn",
            detail=_what_was_withdrawn(withdrawal),
            by=by,
            on=withdrawal.withdrawn_on,
        )
        _tell(episode, by)


def _what_was_withdrawn(withdrawal: ConsentWithdrawal) -> str:
    parts = []
    if withdrawal.early_help:
        parts.append("agreement to early help")
    if withdrawal.taf_sharing:
        parts.append("sharing with the Team Around the Family")
    names = sorted(a.name for a in withdrawal.agencies.all())
    if names:
        parts.append("sharing with " + ", ".join(names))
    if withdrawal.information_kinds:
        parts.append("sharing some kinds of information")
    return "Withdrawn: " + "; ".join(parts) + "." if parts else ""


# --- the manager's review ---------------------------------------------------------------------

CLOSED_SUMMARY = "The family withdrew their agreement to early help; closed on a manager's review."
ACTIONS_CANCELLED = "Cancelled: the family withdrew their agreement to early help."


@transaction.atomic
def decide_consent_review(
    *,
    review: ConsentReview,
    by: User,
    decision: str,
    lawful_basis: str = "",
    justification: str = "",
) -> ConsentReview:
    """A team manager of the council decides: early help continues on a lawful basis (and
    why), or the episode closes ("family declined", each need not achieved, open actions
    cancelled)."""
    policy.require(
        by,
        EarlyHelpAction.DECIDE_CONSENT_REVIEW,
        review.episode,
        "Only a team manager of the episode's council decides this review.",
    )
    found = ConsentReview.objects.select_for_update().get(pk=review.pk)
    if not found.is_pending:
        raise InvalidState(
            f"This review was already decided ({found.get_decision_display().lower()}) on "
            f"{govuk_date(found.decided_at)}."
        )
    episode = Episode.objects.select_for_update().get(pk=found.episode_id)
    refuse_if_closed(episode)
    if decision not in (ConsentReviewDecision.CONTINUE, ConsentReviewDecision.CLOSE):
        raise ValidationError(
            {
                "decision": [
                    "Select whether early help continues on a lawful basis or the episode closes."
                ]
            }
        )
    if decision == ConsentReviewDecision.CONTINUE:
        errors = lawful_basis_errors(lawful_basis, justification, field="justification")
        if errors:
            raise ValidationError(errors)
        Episode.objects.filter(pk=episode.pk).update(version=F("version") + 1)
        episode.refresh_from_db()
        episode.consent_ground = ConsentGround.LAWFUL_BASIS
        episode.lawful_basis = lawful_basis
        episode.lawful_basis_justification = justification.strip()
        episode._history_user = by  # type: ignore[attr-defined]
        episode.save()
        found.lawful_basis = lawful_basis
        found.justification = justification.strip()
    else:
        _close(episode, by)
    found.decision = decision
    found.decided_by = by
    found.decided_at = timezone.now()
    found._history_user = by  # type: ignore[attr-defined]
    found.save()
    return found


def _close(episode: Episode, by: User) -> None:
    open_actions = PlanAction.objects.filter(
        outcome__plan__episode=episode, status=ActionStatus.OPEN
    ).exists()
    needs = list(episode.needs.values_list("pk", flat=True))
    close_episode(
        episode=episode,
        by=by,
        expected_version=episode.version,
        reason=ClosureReason.DECLINED,
        need_outcomes=dict.fromkeys(needs, NeedOutcome.NOT_ACHIEVED),
        summary=CLOSED_SUMMARY,
        open_actions_become=ActionStatus.CANCELLED if open_actions else "",
        open_actions_resolution=ACTIONS_CANCELLED if open_actions else "",
    )
