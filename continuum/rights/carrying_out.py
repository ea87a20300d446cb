"""Carrying out the register's decisions on erasure and restriction, through the retention
rules (``continuum.retention.services``): erasing anonymises the person as a one-person
disposal (refused with ``InvalidState`` under a legal hold); restricting places a legal
hold on the person, so nothing is disposed of while processing is restricted, and lifting
the restriction lifts the hold. The person's summary shows "processing restricted" while
one is in force (``pages.py``)."""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import User
from continuum.errors import InvalidState
from continuum.rights.choices import RequestKind
from continuum.rights.models import RightsRequest
from continuum.rights.policies import RightsAction

# The retention app's legal hold (app label, model name), found when first used.
LEGAL_HOLD: tuple[str, str] = ("retention", "LegalHold")
MANAGES = "Only the council's information governance lead runs the register."


def _retention() -> Any:
    """``continuum.retention.services`` (the layer below), found when first used."""
    return importlib.import_module("continuum.retention.services")


def _open_request(by: User, request: RightsRequest, kind: str) -> RightsRequest:
    policy.require(by, RightsAction.MANAGE, request, MANAGES)
    locked = RightsRequest.objects.select_for_update().get(pk=request.pk)
    if locked.kind != kind:
        raise InvalidState(f"This is not a request for {RequestKind(kind).label.lower()}.")
    if not locked.is_open:
        raise InvalidState("This request is closed.")
    return locked


def _reason(reason: str) -> str:
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for the decision"})
    return reason.strip()


@transaction.atomic
def erase(*, by: User, request: RightsRequest, reason: str) -> RightsRequest:
    """Erase the person, as the register decided: the retention rules anonymise them as a
    one-person disposal. Refused (``InvalidState``) while a legal hold stands."""
    request = _open_request(by, request, RequestKind.ERASURE)
    why = _reason(reason)
    if request.erased_at is not None:
        raise InvalidState("The person has already been erased.")
    _retention().erase_person(person=request.person, reason=why, decided_by=by)
    request.erased_at = timezone.now()
    request.save(update_fields=["erased_at"])
    return request


@transaction.atomic
def restrict(*, by: User, request: RightsRequest, reason: str) -> RightsRequest:
    """Restrict processing of the person's record: a legal hold, so nothing of it is
    disposed of, and the notice on their summary."""
    request = _open_request(by, request, RequestKind.RESTRICTION)
    why = _reason(reason)
    if request.restriction_in_force:
        raise InvalidState("Processing is already restricted.")
    hold = _retention().place_legal_hold(person=request.person, reason=why, placed_by=by)
    request.restricted_at = timezone.now()
    request.restriction_lifted_at = None
    request.legal_hold_id = str(hold.pk)
    request.save(update_fields=["restricted_at", "restriction_lifted_at", "legal_hold_id"])
    return request


@transaction.atomic
def lift_restriction(*, by: User, request: RightsRequest, reason: str) -> RightsRequest:
    """Lift the restriction: the legal hold it placed is lifted, the notice goes."""
    policy.require(by, RightsAction.MANAGE, request, MANAGES)
    request = RightsRequest.objects.select_for_update().get(pk=request.pk)
    why = _reason(reason)
    if not request.restriction_in_force:
        raise InvalidState("Processing is not restricted.")
    hold = apps.get_model(*LEGAL_HOLD).objects.get(pk=request.legal_hold_id)
    _retention().lift_legal_hold(hold=hold, reason=why, lifted_by=by)
    request.restriction_lifted_at = timezone.now()
    request.save(update_fields=["restriction_lifted_at"])
    return request
