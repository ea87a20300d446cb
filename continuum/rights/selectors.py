"""Reading the register, always from ``policy.visible``: the requests a user sees (open and
overdue first, filtered by state and kind), the requests due for the work tray, the
attempts refused, and finding a person to register a request about (an exact match on full
name and date of birth within the lead's council, logged as a search)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import HttpRequest
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import User
from continuum.audit.services import log_search
from continuum.people.identifiers import partial_identifier
from continuum.people.models import Person
from continuum.rights.choices import OPEN_STATES, RequestKind, RequestState
from continuum.rights.models import RefusedAttempt, RightsRequest
from continuum.rights.policies import RightsAction, governed_council


def _ordered(requests: QuerySet[RightsRequest], today: date) -> QuerySet[RightsRequest]:
    """Overdue first, then open ones by due date, then closed ones, latest first."""
    return requests.annotate(
        rank=Case(
            When(state__in=OPEN_STATES, due_on__lt=today, then=Value(0)),
            When(state__in=OPEN_STATES, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by("rank", "due_on", "-closed_on", "pk")


def register(
    *, user: User, state: str = "", kind: str = "", today: date | None = None
) -> QuerySet[RightsRequest]:
    """The requests ``user`` sees, overdue first, filtered by state and kind when given."""
    requests = policy.visible(user, RightsRequest).select_related("person", "handled_by")
    if state in RequestState.values:
        requests = requests.filter(state=state)
    elif state == "open":
        requests = requests.filter(state__in=OPEN_STATES)
    if kind in RequestKind.values:
        requests = requests.filter(kind=kind)
    return _ordered(requests, today or timezone.localdate())


def requests_due(user: User, today: date | None = None) -> QuerySet[RightsRequest]:
    """The open requests ``user`` runs (the register of their council, for its information
    governance lead), overdue first then by due date: the work tray's section."""
    if not policy.can(user, RightsAction.VIEW_REGISTER):
        return RightsRequest.objects.none()
    return _ordered(
        policy.visible(user, RightsRequest).filter(state__in=OPEN_STATES),
        today or timezone.localdate(),
    ).select_related("person")


def refused_attempts(user: User) -> QuerySet[RefusedAttempt]:
    """Attempts to log a request about a person the requester could not see, by the
    council's own staff, for its information governance lead."""
    council = governed_council(user)
    if council is None:
        return RefusedAttempt.objects.none()
    return RefusedAttempt.objects.filter(council=council).select_related("user")


@dataclass(frozen=True)
class Found:
    id: str
    name: str
    date_of_birth: date | None
    partial_identifier: str | None


def find_people(
    *, request: HttpRequest, user: User, full_name: str, date_of_birth: date
) -> list[Found]:
    """People of the lead's council whose full name (first and last, or with middle
    names; any case) and date of birth are exactly those given: what is needed to pick
    one, no more. One access-log row, as a search."""
    council = governed_council(user)
    wanted = " ".join(full_name.split()).lower()
    people: list[Person] = []
    if council is not None and wanted:
        # Few people share a council and a date of birth: the names are compared here.
        candidates = Person.objects.filter(council=council, date_of_birth=date_of_birth)
        for person in candidates.order_by("pk"):
            short = " ".join([person.given_name, person.family_name]).lower()
            whole = " ".join(
                p for p in [person.given_name, person.middle_names, person.family_name] if p
            ).lower()
            if wanted in (" ".join(short.split()), " ".join(whole.split())):
                people.append(person)
    log_search(
        request=request,
        user=user,
        terms={"name": full_name, "date_of_birth": date_of_birth.isoformat(), "for": "rights"},
        result_count=len(people),
        shown_ids=[p.pk for p in people],
    )
    return [
        Found(
            id=str(p.pk),
            name=p.full_name,
            date_of_birth=p.date_of_birth,
            partial_identifier=partial_identifier(p.nhs_number, p.upn),
        )
        for p in people
    ]
