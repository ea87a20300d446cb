"""What the contact pages share: the contact a page shows, with its people, and the
access-log rows for reading it."""

from __future__ import annotations

import uuid

from continuum.access import policy
from continuum.access.requests import AuthenticatedRequest
from continuum.audit.models import AccessAction
from continuum.audit.services import log_access
from continuum.front_door import selectors
from continuum.front_door.models import Contact


def contact_for_page(request: AuthenticatedRequest, pk: uuid.UUID) -> Contact:
    """The contact with ``pk`` if the user may see it (404 otherwise), with its children
    and decision."""
    contact = policy.get_visible_or_404(request.user, Contact, pk)
    return selectors.with_people(Contact.objects.filter(pk=contact.pk)).get()


def log_people_read(request: AuthenticatedRequest, contact: Contact) -> None:
    """A contact's page shows its children's and adults' case details: one access-log row
    for each of them."""
    for person_id in selectors.people_named(contact):
        log_access(
            request=request,
            user=request.user,
            subject_id=person_id,
            action=AccessAction.VIEW_RECORD,
        )
