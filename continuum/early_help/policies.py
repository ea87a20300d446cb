"""Who may see and do what with early help episodes. Registered with the one access policy.

- The council's front-door workers, early help practitioners and team managers see the
  council's episodes. An episode naming a restricted child is invisible to anyone not on
  that child's access list, lead professional and TAF members included: put them on it.
- A lead professional from any agency sees the episodes they lead while the episode is
  open, and not after it is handed to another lead professional; a Team Around the Family
  member sees the episode while they are a member, and not after; a partner who opened an
  episode leads it, so sees it as its lead professional.
- Team managers allocate at panel, hand an episode over to another lead professional,
  sign off closures, decide step-ups and see caseloads. The lead
  professional and the council's early help staff do the work: assessment, TAF, plan,
  reviews, step-up requests and closure. After closure, the council's early help staff
  record the six-month Supporting Families follow-up.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import Role, User
from continuum.accounts.roles import (
    COUNCIL_CASE_ROLES,
    EARLY_HELP_STAFF_ROLES,
    FRONT_DOOR_ROLES,
    LEAD_PROFESSIONAL_ROLES,
    PRACTITIONER_ROLES,
)
from continuum.early_help.choices import EpisodeStatus
from continuum.early_help.models import AllocationPanel, ConsentReview, Episode, TafMember


class EarlyHelpAction:
    OPEN_EPISODE = "early_help.open_episode"
    ALLOCATE = "early_help.allocate"
    WORK_EPISODE = "early_help.work_episode"
    DECIDE_STEP_UP = "early_help.decide_step_up"
    STEP_DOWN = "early_help.step_down"
    VIEW_CASELOADS = "early_help.view_caseloads"
    VIEW_WAITING_LIST = "early_help.view_waiting_list"
    RECORD_FOLLOW_UP = "early_help.record_follow_up"
    HAND_OVER = "early_help.hand_over"
    SIGN_OFF_CLOSURE = "early_help.sign_off_closure"
    DECIDE_CONSENT_REVIEW = "early_help.decide_consent_review"


def _current_taf_member(user: User) -> Exists:
    today = timezone.localdate()
    return Exists(
        TafMember.objects.filter(episode=OuterRef("pk"), user=user, joined_on__lte=today).filter(
            Q(left_on__isnull=True) | Q(left_on__gt=today)
        )
    )


def episodes_visible_to(user: User) -> QuerySet[Episode]:
    open_only = ~Q(status=EpisodeStatus.CLOSED)
    # A partner who opens an episode leads it: their sight of it is the lead
    # professional's, and ends when they hand it over (decision 0009).
    personal = (Q(lead_professional=user) & open_only) | Q(_current_taf_member(user))
    # A restricted child the user is not listed for hides the episode from everyone, lead
    # professional and TAF members included: its pages name the children. (A child whose
    # record another council holds does not hide it.)
    hidden = Episode.children.through.objects.filter(
        episode=OuterRef("pk"), person__is_restricted=True
    ).exclude(person__access_list__user=user)
    council = policy.council_of(user)
    if council is not None and user.role in COUNCIL_CASE_ROLES:
        reach = Q(council=council) | personal
    elif user.role in PRACTITIONER_ROLES:
        reach = personal
    elif user.role == Role.AUDITOR:
        # A peer auditor reads exactly the episodes sampled for them while their audit
        # programme is open (issue 14: read grants).
        reach = Q(pk__in=policy.granted_ids(user, "early_help.Episode"))
    else:
        return Episode.objects.none()
    return Episode.objects.filter(reach).exclude(Exists(hidden))


def panels_visible_to(user: User) -> QuerySet[AllocationPanel]:
    council = policy.council_of(user)
    if council is not None and user.role in COUNCIL_CASE_ROLES:
        return AllocationPanel.objects.filter(council=council)
    return AllocationPanel.objects.none()


def _is_council_staff_for(user: User, episode: Any) -> bool:
    council = policy.council_of(user)
    return council is not None and episode is not None and episode.council_id == council.pk


def _visible(user: User, episode: Any) -> bool:
    return episode is not None and episodes_visible_to(user).filter(pk=episode.pk).exists()


def _can_open(user: User, _: Any) -> bool:
    if user.role in COUNCIL_CASE_ROLES and policy.council_of(user) is not None:
        return True
    return user.role in PRACTITIONER_ROLES and user.organisation is not None


def _can_allocate(user: User, episode: Any) -> bool:
    if user.role != Role.TEAM_MANAGER or policy.council_of(user) is None:
        return False
    return episode is None or (_is_council_staff_for(user, episode) and _visible(user, episode))


# Asked without an episode, a rule answers whether the user could ever do it (a page's
# first gate); asked with one, whether they may do it to that episode.


def _can_work(user: User, episode: Any) -> bool:
    if episode is None:
        return user.role in LEAD_PROFESSIONAL_ROLES
    if episode.status == EpisodeStatus.CLOSED or not _visible(user, episode):
        return False
    if episode.lead_professional_id == user.pk:
        return True
    return _is_council_staff_for(user, episode) and user.role in EARLY_HELP_STAFF_ROLES


def _can_record_follow_up(user: User, episode: Any) -> bool:
    """The six-month Supporting Families follow-up, after closure: the council's early help
    staff."""
    if user.role not in EARLY_HELP_STAFF_ROLES:
        return False
    if episode is None:
        return policy.council_of(user) is not None
    return (
        episode.status == EpisodeStatus.CLOSED
        and _is_council_staff_for(user, episode)
        and _visible(user, episode)
    )


def _can_decide_step_up(user: User, episode: Any) -> bool:
    if user.role != Role.TEAM_MANAGER:
        return False
    if episode is None:
        return policy.council_of(user) is not None
    return _is_council_staff_for(user, episode) and _visible(user, episode)


def _can_hand_over(user: User, episode: Any) -> bool:
    """A team manager of the episode's council hands an open, allocated episode to another
    lead professional (as they allocate it at panel)."""
    if user.role != Role.TEAM_MANAGER or policy.council_of(user) is None:
        return False
    if episode is None:
        return True
    return (
        episode.status not in (EpisodeStatus.CLOSED, EpisodeStatus.AWAITING_ALLOCATION)
        and _is_council_staff_for(user, episode)
        and _visible(user, episode)
    )


def _can_sign_off_closure(user: User, episode: Any) -> bool:
    """A team manager of the episode's council agrees a closure (or does not)."""
    if user.role != Role.TEAM_MANAGER or policy.council_of(user) is None:
        return False
    if episode is None:
        return True
    return (
        episode.status != EpisodeStatus.CLOSED
        and _is_council_staff_for(user, episode)
        and _visible(user, episode)
    )


def _can_decide_consent_review(user: User, episode: Any) -> bool:
    """A team manager of the episode's council decides whether early help continues
    without the family's agreement (on a lawful basis) or the episode closes. (A review
    already decided, or of a closed episode, is refused by the service as such.)"""
    if user.role != Role.TEAM_MANAGER or policy.council_of(user) is None:
        return False
    if episode is None:
        return True
    return _is_council_staff_for(user, episode) and _visible(user, episode)


def consent_reviews_visible_to(user: User) -> QuerySet[ConsentReview]:
    """A review is seen by whoever sees its episode."""
    return ConsentReview.objects.filter(episode__in=episodes_visible_to(user))


def _can_step_down(user: User, _: Any) -> bool:
    return user.role in FRONT_DOOR_ROLES and (policy.council_of(user) is not None)


def _can_view_caseloads(user: User, _: Any) -> bool:
    return user.role == Role.TEAM_MANAGER and policy.council_of(user) is not None


def _can_view_waiting_list(user: User, _: Any) -> bool:
    return user.role in COUNCIL_CASE_ROLES and policy.council_of(user) is not None


policy.register_scope(Episode, episodes_visible_to)
policy.register_scope(AllocationPanel, panels_visible_to)
policy.register_scope(ConsentReview, consent_reviews_visible_to)
policy.register_rule(EarlyHelpAction.OPEN_EPISODE, _can_open)
policy.register_rule(EarlyHelpAction.ALLOCATE, _can_allocate)
policy.register_rule(EarlyHelpAction.WORK_EPISODE, _can_work)
policy.register_rule(EarlyHelpAction.DECIDE_STEP_UP, _can_decide_step_up)
policy.register_rule(EarlyHelpAction.STEP_DOWN, _can_step_down)
policy.register_rule(EarlyHelpAction.VIEW_CASELOADS, _can_view_caseloads)
policy.register_rule(EarlyHelpAction.VIEW_WAITING_LIST, _can_view_waiting_list)
policy.register_rule(EarlyHelpAction.RECORD_FOLLOW_UP, _can_record_follow_up)
policy.register_rule(EarlyHelpAction.HAND_OVER, _can_hand_over)
policy.register_rule(EarlyHelpAction.SIGN_OFF_CLOSURE, _can_sign_off_closure)
policy.register_rule(EarlyHelpAction.DECIDE_CONSENT_REVIEW, _can_decide_consent_review)
