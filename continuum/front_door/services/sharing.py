"""Information-sharing decisions on a contact, including a decision not to share."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from continuum.accounts.models import User
from continuum.front_door.choices import LawfulBasis
from continuum.front_door.models import Contact, SharingDecision


@transaction.atomic
def record_sharing_decision(
    *,
    contact: Contact,
    by: User,
    shared: bool,
    what: str,
    with_whom: str,
    purpose: str,
    lawful_basis: str = "",
    reason: str = "",
) -> SharingDecision:
    """Record a decision to share, or not to share, information about the family."""
    errors: dict[str, list[str]] = {}
    for field, value, message in (
        ("what", what, "Say what information the decision is about."),
        ("with_whom", with_whom, "Say who it would be shared with."),
        ("purpose", purpose, "Say what the sharing is for."),
    ):
        if not value.strip():
            errors[field] = [message]
    if shared and lawful_basis not in LawfulBasis.values:
        errors["lawful_basis"] = ["Select the lawful basis for sharing."]
    if not shared and not reason.strip():
        errors["reason"] = ["Explain the decision not to share."]
    if errors:
        raise ValidationError(errors)
    return SharingDecision.objects.create(
        contact=contact,
        shared=shared,
        what=what.strip(),
        with_whom=with_whom.strip(),
        purpose=purpose.strip(),
        lawful_basis=lawful_basis,
        reason=reason.strip(),
        recorded_by=by,
    )
