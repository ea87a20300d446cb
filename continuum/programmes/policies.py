"""Who may see and do what with local programmes (issue 14). Registered with the one
access policy.

- **A council's staff** (front-door workers, early help practitioners, team managers),
  **performance analysts** and **strategic leads** see the programmes of their own council,
  with their figures and evaluation.
- **A council's team managers and strategic leads** create and edit programmes of their own
  council alone; a programme spanning councils is the **safeguarding partnership lead's**,
  for councils their partnership serves (they see those programmes too).
- **Whoever works an episode** (the ``early_help`` WORK_EPISODE rule) records its family
  taking part in, or leaving, a programme of the episode's council. Who took part is seen
  only on episodes the reader sees; the programme's page shows counts alone.
- Nobody else: partners, auditors, the information governance lead and administrators see
  no programme.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from continuum.access import policy
from continuum.accounts.models import Role, User
from continuum.early_help.models import Episode
from continuum.early_help.policies import EarlyHelpAction
from continuum.organisations.models import Council
from continuum.programmes.models import Participation, Programme

READERS = frozenset(
    {
        Role.FRONT_DOOR_WORKER,
        Role.EARLY_HELP_PRACTITIONER,
        Role.TEAM_MANAGER,
        Role.PERFORMANCE_ANALYST,
        Role.STRATEGIC_LEAD,
    }
)
EDITORS = frozenset({Role.TEAM_MANAGER, Role.STRATEGIC_LEAD})


class ProgrammeAction:
    # See programmes (obj: a programme; none: whether the user sees any council's).
    VIEW = "programmes.view"
    # Create a programme (obj: the councils it is for) or edit one (obj: the programme).
    MANAGE = "programmes.manage"
    # Record an episode's family taking part in or leaving a programme (obj: the episode).
    TAG_EPISODE = "programmes.tag_episode"
    # See a programme's evaluation against matched comparison families.
    EVALUATE = "programmes.evaluate"


def served_councils(user: User) -> QuerySet[Council]:
    """The councils a partnership lead's partnership serves (none for anyone else)."""
    if user.role != Role.SAFEGUARDING_PARTNERSHIP_LEAD or user.organisation is None:
        return Council.objects.none()
    return user.organisation.serves.all()


def own_council(user: User) -> Council | None:
    """The council a reader of programmes works for."""
    return user.council if user.role in READERS else None


def programmes_visible_to(user: User) -> QuerySet[Programme]:
    if not policy.acts(user):
        return Programme.objects.none()
    if user.role == Role.SAFEGUARDING_PARTNERSHIP_LEAD:
        return Programme.objects.filter(councils__in=served_councils(user)).distinct()
    council = own_council(user)
    if council is None:
        return Programme.objects.none()
    return Programme.objects.filter(
        Exists(Programme.councils.through.objects.filter(programme=OuterRef("pk"), council=council))
    )


def participations_visible_to(user: User) -> QuerySet[Participation]:
    """Participations naming an episode the user sees, of a programme they see."""
    return Participation.objects.filter(
        Q(episode__in=policy.visible(user, Episode)) & Q(programme__in=programmes_visible_to(user))
    )


def _may_manage(user: User, councils: Iterable[Council]) -> bool:
    ids = {c.pk for c in councils}
    if not ids or not policy.acts(user):
        return False
    if user.role == Role.SAFEGUARDING_PARTNERSHIP_LEAD:
        return ids <= set(served_councils(user).values_list("pk", flat=True))
    council = own_council(user)
    return user.role in EDITORS and council is not None and ids == {council.pk}


def _can_manage(user: User, obj: Any) -> bool:
    councils = list(obj.councils.all()) if isinstance(obj, Programme) else list(obj or [])
    return _may_manage(user, councils)


def _can_tag(user: User, episode: Any) -> bool:
    return policy.can(user, EarlyHelpAction.WORK_EPISODE, episode)


def _can_view(user: User, programme: Any) -> bool:
    if programme is None:
        if user.role == Role.SAFEGUARDING_PARTNERSHIP_LEAD:
            return served_councils(user).exists()
        return policy.acts(user) and own_council(user) is not None
    return programmes_visible_to(user).filter(pk=programme.pk).exists()


def _can_evaluate(user: User, programme: Any) -> bool:
    return _can_view(user, programme)


policy.register_scope(Programme, programmes_visible_to)
policy.register_scope(Participation, participations_visible_to)
policy.register_rule(ProgrammeAction.MANAGE, _can_manage)
policy.register_rule(ProgrammeAction.TAG_EPISODE, _can_tag)
policy.register_rule(ProgrammeAction.EVALUATE, _can_evaluate)
policy.register_rule(ProgrammeAction.VIEW, _can_view)
