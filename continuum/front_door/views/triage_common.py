"""What the joint triage pages share: the link to a contact's page."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from continuum.front_door.models import Contact


def contact_url(contact: Contact | None) -> str | None:
    """The contact page (built by the contact pages), or None if it is not there."""
    if contact is None:
        return None
    try:
        return reverse("front_door:contact", args=[contact.pk])
    except NoReverseMatch:
        return None
