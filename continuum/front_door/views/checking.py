"""Checking the answers before a draft contact goes to the front door (the GOV.UK
check-answers pattern): everything the referrer recorded, each part with a link to change
it, and submitting from there. A refused submission comes back to this page with what is
missing.

Each view asks the access policy (``requires``, ``policy.require``), calls one service and
renders.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from continuum.access import policy
from continuum.access.requests import AuthenticatedRequest, requires
from continuum.errors import Refusal
from continuum.front_door import selectors, services
from continuum.front_door.choices import ContactStatus
from continuum.front_door.models import Contact
from continuum.front_door.policies import FrontDoorAction
from continuum.front_door.views.contacts_common import contact_for_page, log_people_read
from continuum.ui.errors import Refused, error_summary
from continuum.ui.forms import VersionForm

# Where each of the service's fields is changed: a part of the change flow.
PART_OF_FIELD = {
    "children": "people",
    "received_at": "received",
    "how_received": "received",
    "referral_source": "received",
    "referrer_name": "referrer",
    "concerns": "concerns",
    "presenting_indicators": "concerns",
    "referrer_view_of_level": "concerns",
}


def change_url(contact: Contact, part: str) -> str:
    return f"{reverse('front_door:contact-change', args=[contact.pk])}?part={part}"


def _render_check(
    request: AuthenticatedRequest,
    contact: Contact,
    *,
    errors: list[dict[str, Any]] | None = None,
    missing: list[dict[str, Any]] | None = None,
) -> HttpResponse:
    log_people_read(request, contact)
    return render(
        request,
        "front_door/contacts/check.html",
        {
            "contact": contact,
            "children": selectors.children_of(contact),
            "adults": selectors.adults_of(contact),
            "presenting": contact.presenting_indicators.select_related("domain"),
            "change": {
                part: change_url(contact, part)
                for part in ("people", "received", "referrer", "concerns", "consent")
            },
            "errors": errors or [],
            "missing": missing or [],
        },
    )


def _draft_for(request: AuthenticatedRequest, pk: uuid.UUID) -> Contact | HttpResponse:
    contact = contact_for_page(request, pk)
    if contact.status != ContactStatus.DRAFT:  # a contact the user may see, moved on
        messages.info(request, "This contact has been submitted: it can no longer be changed.")
        return redirect("front_door:contact", pk=contact.pk)
    policy.require(request.user, FrontDoorAction.SUBMIT_CONTACT, contact)
    return contact


@requires()
@require_http_methods(["GET"])
def contact_check(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    """Check your answers before submitting the draft."""
    contact = _draft_for(request, pk)
    if isinstance(contact, HttpResponse):
        return contact
    missing = _summary(contact, services.submission_errors(contact))
    return _render_check(request, contact, missing=missing)


@requires()
@require_http_methods(["POST"])
def contact_submit(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    """Send a draft to the front door, from checking the answers; refused, with what is
    missing (consent, the concerns), back on the check-answers page."""
    contact = _draft_for(request, pk)
    if isinstance(contact, HttpResponse):
        return contact
    form = VersionForm(request.POST)
    if not form.is_valid():
        return _render_check(
            request, contact, errors=[{"text": "Reload the page and try again.", "href": "#"}]
        )
    try:
        services.submit_contact(
            contact=contact, by=request.user, expected_version=form.cleaned_data["version"]
        )
    except Refused as refusal:
        again = contact_for_page(request, pk)
        return _render_check(request, again, errors=_refusal_summary(again, refusal))
    messages.success(request, "The contact has been sent to the front door.")
    return redirect("front_door:contact", pk=contact.pk)


def _summary(contact: Contact, problems: dict[str, list[str]]) -> list[dict[str, Any]]:
    """The error summary's items for ``problems``, each linking to where it is changed."""
    return [
        {"text": message, "href": change_url(contact, PART_OF_FIELD.get(name, "consent"))}
        for name, texts in problems.items()
        for message in texts
    ]


def _refusal_summary(contact: Contact, refusal: ValidationError | Refusal) -> list[dict[str, Any]]:
    if isinstance(refusal, ValidationError) and hasattr(refusal, "error_dict"):
        return _summary(contact, refusal.message_dict)
    return error_summary(refusal)
