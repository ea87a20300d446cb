"""What the early help endpoints share: the episode fetched through the policy, the
access-log rows for reading it, and the shapes of people and professionals in answers.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Schema

from continuum.access import policy
from continuum.access.requests import user_of
from continuum.accounts.models import User
from continuum.audit.models import AccessAction
from continuum.audit.services import log_access
from continuum.early_help.models import Episode
from continuum.early_help.selectors import agency_of

MAX_PAGE = 500


class ProfessionalOut(Schema):
    id: int
    name: str
    organisation: str | None
    agency: str = Field(description="The agency the organisation counts as, e.g. voluntary.")


class NamedOut(Schema):
    id: int
    name: str


def episode_for(request: HttpRequest, episode_id: uuid.UUID) -> Episode:
    """The episode, if the user may see it; 404 as if it did not exist otherwise."""
    return policy.get_visible_or_404(user_of(request), Episode, episode_id)


def found_or_404(obj: Any) -> Any:
    """A sub-record of a visible episode, or 404."""
    if obj is None:
        raise Http404
    return obj


def log_children_read(request: HttpRequest, episode: Episode) -> None:
    """Reading an episode reads its children's case record: one access-log row each."""
    user = user_of(request)
    for child_id in episode.children.values_list("pk", flat=True):
        log_access(request=request, user=user, subject_id=child_id, action=AccessAction.API_READ)


def professional_out(user: User | None) -> dict[str, Any] | None:
    if user is None:
        return None
    organisation = user.organisation
    return {
        "id": user.pk,
        "name": user.get_full_name() or user.username,
        "organisation": organisation.name if organisation else None,
        "agency": agency_of(organisation),
    }


def name_of(user: User | None) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.username


def professionals_of(episode: Episode) -> dict[int, User]:
    """The lead professional and the TAF's current members, by id: who may attend TAF
    meetings as professionals or own actions."""
    people: dict[int, User] = {}
    if episode.lead_professional is not None:
        people[episode.lead_professional.pk] = episode.lead_professional
    for member in episode.taf_members.filter(left_on__isnull=True).select_related(
        "user__organisation"
    ):
        people.setdefault(member.user.pk, member.user)
    return people
