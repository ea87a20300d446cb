"""What the early help endpoints share: the episode fetched through the policy, the
access-log rows for reading it, the shapes of people and professionals in answers, and
how lists are answered (``{"items": [...], "count": n}``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.http import Http404, HttpRequest
from ninja import Field, Schema

from continuum.access import policy
from continuum.access.requests import user_of
from continuum.accounts.models import User
from continuum.audit.models import AccessAction
from continuum.audit.services import log_access
from continuum.early_help.models import Episode
from continuum.early_help.selectors import agency_of
from continuum.organisations.models import Organisation
from continuum.ui.api import limit_offset

PAGE = 100
MAX_PAGE = 500
F = TypeVar("F", bound=Callable[..., Any])


# Episodes and panels a page at a time: 100 unless asked, at most 500.
Pages = limit_offset("EpisodePage", default=PAGE, maximum=MAX_PAGE)


@dataclass(frozen=True)
class Professional:
    """A practitioner as an answer shows them: the user, and the organisation they act for
    (a lead professional's as at allocation)."""

    user: User
    organisation: Organisation | None

    @classmethod
    def of(cls, user: User) -> Professional:
        """The practitioner with the organisation they work for now."""
        return cls(user, user.organisation)


class ProfessionalOut(Schema):
    id: int
    name: str
    organisation: str | None
    agency: str = Field(description="The agency the organisation counts as, e.g. voluntary.")

    @staticmethod
    def resolve_id(professional: Professional) -> int:
        return professional.user.pk

    @staticmethod
    def resolve_name(professional: Professional) -> str:
        return professional.user.get_full_name() or professional.user.username

    @staticmethod
    def resolve_organisation(professional: Professional) -> str | None:
        return professional.organisation.name if professional.organisation else None

    @staticmethod
    def resolve_agency(professional: Professional) -> str:
        return agency_of(professional.organisation)


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


def name_of(user: User | None) -> str | None:
    """How an answer names a user: their full name, or their username."""
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
