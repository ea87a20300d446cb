"""What the early help endpoints share: the signed-in user, the episode fetched through the
policy, refusals as API errors, and the shapes of people and professionals in answers.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Schema
from ninja.errors import HttpError, ValidationError

from continuum.access import policy
from continuum.accounts.models import User
from continuum.audit.models import AccessAction
from continuum.audit.services import log_access
from continuum.early_help.models import Episode
from continuum.early_help.selectors import agency_of
from continuum.early_help.services import ConcurrentChangeError

BODY = ("body", "payload")
MAX_PAGE = 500
# Service errors about the record's state (closed, already decided, not yet allocated):
# the request was well formed but the record is not in a state for it, so 409.
STATE_KEYS = frozenset({"status"})

Loc = Sequence[str | int]


class MessageOut(Schema):
    detail: str


class ProfessionalOut(Schema):
    id: int
    name: str
    organisation: str | None
    agency: str = Field(description="The agency the organisation counts as, e.g. voluntary.")


class NamedOut(Schema):
    id: int
    name: str


def user_of(request: HttpRequest) -> User:
    """The signed-in user with a role (``RoleSessionAuth`` let nobody else in)."""
    return cast(User, request.auth)  # type: ignore[attr-defined]


def require(request: HttpRequest, action: str, obj: Any = None, message: str = "") -> None:
    """403 unless the policy lets the user do ``action`` (to ``obj``)."""
    if not policy.can(user_of(request), action, obj):
        raise HttpError(403, message or "You may not do this.")


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


def invalid(errors: Iterable[tuple[Loc, str]]) -> ValidationError:
    """A 422 in django-ninja's own shape, each entry naming its field in ``loc``."""
    return ValidationError(
        [{"loc": list(loc), "msg": message, "type": "value_error"} for loc, message in errors]
    )


def invalid_field(field: str, message: str) -> ValidationError:
    return invalid([((*BODY, field), message)])


def refusal(
    exc: DjangoValidationError | ConcurrentChangeError,
    *,
    renames: Mapping[str, Loc] | None = None,
    conflicts: frozenset[str] = STATE_KEYS,
) -> HttpError | ValidationError:
    """The API error for a service's refusal: 409 when someone else changed the record
    first or its state does not allow the change; otherwise 422 naming each field (in the
    body, unless ``renames`` gives the service's key another ``loc``)."""
    if isinstance(exc, ConcurrentChangeError):
        return HttpError(409, str(exc))
    errors = exc.message_dict
    conflicting = [m for key in errors if key in conflicts for m in errors[key]]
    if conflicting:
        return HttpError(409, " ".join(conflicting))
    names = renames or {}
    return invalid(
        (names.get(key, (*BODY, key)), message)
        for key, messages in errors.items()
        for message in messages
    )


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
