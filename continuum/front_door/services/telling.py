"""Who the front door tells, and when (issue 12): one call from each service where it
happens. The app's notification and the email (``continuum.notifications``) name no one:
the email says what kind of thing happened and links to the contact, whose page asks the
policy again."""

from __future__ import annotations

from django.urls import reverse

from continuum.accounts.models import Role, User
from continuum.front_door.models import Contact
from continuum.notifications.models import NotificationKind
from continuum.notifications.recipients import council_staff
from continuum.notifications.services import notify


def _link(contact: Contact) -> str:
    return reverse("front_door:contact", args=[contact.pk])


def tell_referrer_received(contact: Contact) -> None:
    """The referrer (a partner or council colleague who sent it themselves) is told their
    contact reached the front door: on submission, so well within one working day."""
    if contact.referrer_user is None:
        return
    notify(
        recipients=[contact.referrer_user],
        kind=NotificationKind.ACKNOWLEDGEMENT,
        subject="The front door has received your contact",
        link=_link(contact),
    )


def tell_referrer_outcome(contact: Contact) -> None:
    """The referrer is told the decision is made (and signed off, where it needed to be)."""
    if contact.referrer_user is None:
        return
    notify(
        recipients=[contact.referrer_user],
        kind=NotificationKind.OUTCOME,
        subject="The front door has decided your contact: see the outcome",
        link=_link(contact),
    )


def tell_managers_sign_off(contact: Contact, *, by: User) -> None:
    """The council's team managers (of the contact's team, when it has managers) are told
    a decision waits for their sign-off."""
    notify(
        recipients=council_staff(contact.council, [Role.TEAM_MANAGER], team=contact.team),
        kind=NotificationKind.SIGN_OFF,
        subject="A front-door decision is waiting for your sign-off",
        link=_link(contact),
        exclude=by,
    )


def tell_worker_returned(contact: Contact, *, worker: User | None, by: User) -> None:
    """The worker whose decision a manager did not agree is told it is back with them."""
    if worker is None:
        return
    notify(
        recipients=[worker],
        kind=NotificationKind.DECISION_RETURNED,
        subject="A manager did not agree your decision: read why and decide again",
        link=_link(contact),
        exclude=by,
    )
