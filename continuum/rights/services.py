"""Running the register: logging a request (and refusing, with a record of the attempt, one
about a person the requester may not see), checking identity, starting the work, extending
the due date once, recording a correction, and closing with an outcome."""

from __future__ import annotations

import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import User
from continuum.errors import InvalidState
from continuum.people.models import Person
from continuum.rights.choices import (
    CLOSING_STATES,
    MAX_EXTENSION_MONTHS,
    AttemptVia,
    IdentityCheck,
    RequesterKind,
    RequestKind,
    RequestState,
)
from continuum.rights.models import MarkedItem, RefusedAttempt, RightsRequest, SubjectAccessBundle
from continuum.rights.policies import RightsAction, governed_council
from continuum.timescales.months import add_months

NOT_FOUND = "There is no person with that id you may log a request about."


def person_for_request(*, by: User, person_id: object, kind: str, via: AttemptVia) -> Person:
    """The person ``by`` may log a request about. Anyone else is refused as if they did
    not exist (``Http404``), and the attempt is kept for the council's information
    governance lead (who, when, the id asked for) in its own transaction."""
    try:
        person = Person.objects.get(pk=uuid.UUID(str(person_id)))
    except (Person.DoesNotExist, ValueError):
        person = None
    if person is not None and policy.can(by, RightsAction.LOG_ABOUT, person):
        return person
    RefusedAttempt.objects.create(
        user=by,
        council=governed_council(by) or policy.council_of(by),
        person_id=str(person_id)[:64],
        kind=kind if kind in RequestKind.values else "",
        via=via,
    )
    raise Http404(NOT_FOUND)


@transaction.atomic
def log_request(
    *,
    by: User,
    person: Person,
    kind: str,
    requester_name: str,
    requester_kind: str,
    received_on: date | None,
    details: str = "",
) -> RightsRequest:
    """Add a request to the person's council's register, due one calendar month from the
    day it was received. The information governance lead who logs it handles it."""
    policy.require(by, RightsAction.LOG_ABOUT, person, "You may not log a request about them.")
    problems: dict[str, str] = {}
    if kind not in RequestKind.values:
        problems["kind"] = "Select what kind of request it is"
    if not requester_name.strip():
        problems["requester_name"] = "Enter the name of who asked"
    if requester_kind not in RequesterKind.values:
        problems["requester_kind"] = (
            "Select who asked: the person, a parent or carer, or someone acting for them"
        )
    if received_on is None:
        problems["received_on"] = "Enter the date the request was received"
    elif received_on > timezone.localdate():
        problems["received_on"] = "The date the request was received must be today or in the past"
    if problems:
        raise ValidationError(problems)
    assert received_on is not None
    return RightsRequest.objects.create(
        council=person.council,
        kind=kind,
        person=person,
        requester_name=requester_name.strip(),
        requester_kind=requester_kind,
        details=details.strip(),
        received_on=received_on,
        due_on=add_months(received_on, 1),
        logged_by=by,
        handled_by=by if governed_council(by) is not None else None,
    )


def _open(request: RightsRequest) -> None:
    if not request.is_open:
        raise InvalidState(f"This request is {request.get_state_display().lower()}: it is closed.")


def _managed(by: User, request: RightsRequest) -> RightsRequest:
    policy.require(
        by,
        RightsAction.MANAGE,
        request,
        "Only the council's information governance lead runs the register.",
    )
    locked = RightsRequest.objects.select_for_update().get(pk=request.pk)
    _open(locked)
    return locked


@transaction.atomic
def handle_request(*, by: User, request: RightsRequest) -> RightsRequest:
    """``by`` (an information governance lead of the council) takes the request on."""
    request = _managed(by, request)
    request.handled_by = by
    request.save(update_fields=["handled_by"])
    return request


@transaction.atomic
def record_identity_check(
    *, by: User, request: RightsRequest, method: str, detail: str = ""
) -> RightsRequest:
    """How the requester's identity (and, for someone acting for the person, their
    authority) was checked, by whom and when. No bundle is released before it."""
    request = _managed(by, request)
    if method not in IdentityCheck.values:
        raise ValidationError({"method": "Select how their identity was checked"})
    if request.identity_checked:
        raise InvalidState("Their identity has already been checked.")
    request.identity_check = method
    request.identity_check_detail = detail.strip()[:300]
    request.identity_checked_by = by
    request.identity_checked_at = timezone.now()
    if request.state == RequestState.RECEIVED:
        request.state = RequestState.IN_PROGRESS
    request.save()
    return request


@transaction.atomic
def start_work(*, by: User, request: RightsRequest) -> RightsRequest:
    request = _managed(by, request)
    if request.state != RequestState.RECEIVED:
        raise InvalidState("Work on this request has already started.")
    request.state = RequestState.IN_PROGRESS
    request.handled_by = request.handled_by or by
    request.save(update_fields=["state", "handled_by"])
    return request


@transaction.atomic
def extend_due_date(
    *, by: User, request: RightsRequest, months: int | None, reason: str
) -> RightsRequest:
    """Extend the due date once, by one or two further months from the original one
    (a complex request, or several from the same person), with a reason."""
    request = _managed(by, request)
    if request.extended_on is not None:
        raise InvalidState(
            "The due date has already been extended once: it cannot be extended again."
        )
    problems: dict[str, str] = {}
    if months is None or not 1 <= months <= MAX_EXTENSION_MONTHS:
        problems["months"] = (
            f"The due date can be extended by 1 or {MAX_EXTENSION_MONTHS} months, no more"
        )
    if not reason.strip():
        problems["reason"] = "Enter why the request needs longer"
    if problems:
        raise ValidationError(problems)
    assert months is not None
    request.due_on = add_months(request.due_on, months)
    request.extended_on = timezone.localdate()
    request.extension_reason = reason.strip()
    request.extended_by = by
    request.save()
    return request


@transaction.atomic
def record_correction(*, by: User, request: RightsRequest, correction: str) -> RightsRequest:
    """What was corrected for a rectification request (the correction itself is made on
    the record's own edit pages, which keep its history)."""
    request = _managed(by, request)
    if request.kind != RequestKind.RECTIFICATION:
        raise InvalidState("Only a rectification request records a correction.")
    if not correction.strip():
        raise ValidationError({"correction": "Enter what was corrected"})
    request.correction = correction.strip()
    request.save(update_fields=["correction"])
    return request


@transaction.atomic
def close_request(*, by: User, request: RightsRequest, state: str, outcome: str) -> RightsRequest:
    """Close the request as completed, refused or withdrawn, with its outcome, today. The
    lead's reading of the person's record for a bundle ends with it, and the bundles'
    contents are cleared."""
    request = _managed(by, request)
    problems: dict[str, str] = {}
    if state not in CLOSING_STATES:
        problems["state"] = "Select how the request ended: completed, refused or withdrawn"
    if not outcome.strip():
        problems["outcome"] = "Enter the outcome"
    if problems:
        raise ValidationError(problems)
    request.state = state
    request.outcome = outcome.strip()
    request.closed_on = timezone.localdate()
    request.save()
    # The bundles' contents go with the request: who made and released them, when, and the
    # SHA-256 of what was released stay.
    SubjectAccessBundle.objects.filter(request=request).update(content=None, pdf=None)
    MarkedItem.objects.filter(bundle__request=request).update(text="")
    return request
