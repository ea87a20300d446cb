"""Reading a contact's information-sharing decisions."""

from __future__ import annotations

from django.db.models import QuerySet

from continuum.front_door.models import Contact, SharingDecision


def sharing_decisions_of(contact: Contact) -> QuerySet[SharingDecision]:
    return contact.sharing_decisions.select_related("recorded_by").order_by("recorded_at", "id")
