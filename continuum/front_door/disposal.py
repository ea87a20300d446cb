"""Disposing of the front door's records at the end of their retention (issue 13), called by
the ``retention`` app: a contact and a domestic-abuse notification are irreversibly
anonymised, keeping the rows, dates, statuses, levels and outcomes the indicators count and
removing every word written about the family (and the history's copies of them). Their
case notes and documents are disposed of by the apps that own them."""

from __future__ import annotations

from typing import Any

from continuum.front_door.models import (
    Contact,
    ContactDecision,
    ContactStatusChange,
    DecisionNotAgreed,
    DomesticAbuseNotification,
    SharingDecision,
    TriageOutcome,
)
from continuum.people.disposal import delete_chronology_from, scrub


def contact_source(contact_id: Any) -> str:
    return f"front_door.contact:{contact_id}"


def anonymise_contact(contact_id: Any) -> None:
    """The contact keeps its council, dates, how it came, status, level and outcome, the
    children and adults it concerned (by id only) and its status changes; the referrer's
    details, the concerns, agreement and sharing text, the decision's reasons and the
    chronology entries written from it go."""
    contacts = Contact.objects.filter(pk=contact_id)
    scrub(contacts)
    scrub(ContactDecision.objects.filter(contact_id=contact_id))
    scrub(ContactStatusChange.objects.filter(contact_id=contact_id))
    scrub(SharingDecision.objects.filter(contact_id=contact_id))
    scrub(DecisionNotAgreed.objects.filter(contact_id=contact_id), keep=["indicator_codes"])
    delete_chronology_from([contact_source(contact_id)])


def anonymise_notification(notification_id: Any) -> None:
    """The notification keeps its council, dates, DASH risk and counts, status and the
    triage outcome's decisions; the summary, the officer, the police reference, the
    description of the alleged perpetrator and the triage notes go."""
    scrub(DomesticAbuseNotification.objects.filter(pk=notification_id))
    scrub(TriageOutcome.objects.filter(notification_id=notification_id))
