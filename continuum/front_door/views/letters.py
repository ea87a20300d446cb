"""The outcome letter to a referrer who does not use Continuum, ready to print."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from continuum.access import policy
from continuum.access.requests import AuthenticatedRequest, requires
from continuum.front_door import selectors
from continuum.front_door.policies import FrontDoorAction
from continuum.front_door.views.contacts_common import contact_for_page, log_people_read


@requires()
@require_http_methods(["GET"])
def letter(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    """The outcome letter to a referrer who does not use Continuum, ready to print."""
    contact = contact_for_page(request, pk)
    policy.require(request.user, FrontDoorAction.VIEW_LETTER, contact)
    if not selectors.outcome_is_final(contact):
        messages.info(request, "There is no decision to tell the referrer about yet.")
        return redirect("front_door:contact", pk=contact.pk)
    decision = contact.decision
    log_people_read(request, contact)
    return render(
        request,
        "front_door/contacts/letter.html",
        {
            "contact": contact,
            "decision": decision,
            "children": selectors.children_of(contact),
            "front_door": selectors.front_door_contact_line(contact),
        },
    )
