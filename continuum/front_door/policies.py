"""Who may see and do what at the front door. Registered with the one access policy, which
every front-door view and API endpoint asks.

- A council's front-door workers and team managers see every submitted contact of their
  council (and drafts they wrote), screen and decide them; early help practitioners of the
  council read them. A contact about a restricted child the user is not listed for is
  invisible to them.
- A partner (school, health, police, voluntary sector) sees only the contacts they made,
  with the outcome: never other referrers' contacts.
- Police see the domestic-abuse notifications their force made and the triage outcomes
  (safety planning, MARAC), not the children's contact. Front-door workers and managers of
  the council see and triage the council's notifications.
- Analysts and strategic leads see the front-door summary (numbers only).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from continuum.access import policy
from continuum.accounts.models import Role, User
from continuum.accounts.roles import AGGREGATE_ROLES, FRONT_DOOR_ROLES, REFERRING_ROLES
from continuum.front_door.choices import ContactStatus
from continuum.front_door.models import (
    Contact,
    ContactChild,
    ContactDecision,
    DomesticAbuseNotification,
    NotificationChild,
    TriageMeeting,
)
from continuum.organisations.models import Council, OrganisationKind
from continuum.people.models import Person


class FrontDoorAction:
    CREATE_CONTACT = "front_door.create_contact"
    EDIT_CONTACT = "front_door.edit_contact"
    SUBMIT_CONTACT = "front_door.submit_contact"
    SCREEN_CONTACT = "front_door.screen_contact"
    DECIDE_CONTACT = "front_door.decide_contact"
    SIGN_OFF_DECISION = "front_door.sign_off_decision"
    VIEW_QUEUE = "front_door.view_queue"
    VIEW_SUMMARY = "front_door.view_summary"
    VIEW_LETTER = "front_door.view_letter"
    # The front door's own view of a contact: screening notes, timeline, decision detail.
    VIEW_SCREENING = "front_door.view_screening"
    RECORD_SHARING_DECISION = "front_door.record_sharing_decision"
    CREATE_NOTIFICATION = "front_door.create_notification"
    TRIAGE = "front_door.triage"
    VIEW_NOTIFICATIONS = "front_door.view_notifications"


def is_police(user: User) -> bool:
    return bool(user.organisation and user.organisation.kind == OrganisationKind.POLICE)


def councils_user_may_refer_to(user: User) -> list[Council]:
    """Council staff refer to their own council; partners to the councils they serve."""
    council = policy.council_of(user)
    if council is not None:
        return [council]
    if user.organisation is None:
        return []
    return list(user.organisation.serves.order_by("name"))


def contacts_visible_to(user: User) -> QuerySet[Contact]:
    own = Q(created_by=user) | Q(referrer_user=user)
    council = policy.council_of(user)
    if council is not None:
        reach = own | (Q(council=council) & ~Q(status=ContactStatus.DRAFT))
        # The council's own contacts naming a restricted child stay hidden unless listed.
        # (Only restriction hides a contact: a child whose record another council holds
        # is still this council's front door's business when the contact came here.)
        hidden_child = ContactChild.objects.filter(
            contact=OuterRef("pk"), person__is_restricted=True
        ).exclude(person__access_list__user=user)
        return Contact.objects.filter(reach).exclude(
            Q(council=council) & ~own & Q(Exists(hidden_child))
        )
    if user.role in REFERRING_ROLES:
        return Contact.objects.filter(own)
    return Contact.objects.none()


def decisions_visible_to(user: User) -> QuerySet[ContactDecision]:
    return ContactDecision.objects.filter(contact__in=contacts_visible_to(user))


def notifications_visible_to(user: User) -> QuerySet[DomesticAbuseNotification]:
    council = policy.council_of(user)
    if council is not None and user.role in FRONT_DOOR_ROLES:
        # A notification naming a restricted person (victim, alleged perpetrator or child)
        # stays hidden from the council's staff not on that person's access list.
        hidden = Person.objects.filter(is_restricted=True).exclude(access_list__user=user)
        hidden_child = NotificationChild.objects.filter(
            notification=OuterRef("pk"), person__in=hidden
        )
        return (
            DomesticAbuseNotification.objects.filter(council=council)
            .exclude(victim__in=hidden)
            .exclude(alleged_perpetrator__in=hidden)
            .exclude(Exists(hidden_child))
        )
    if is_police(user) and user.role in REFERRING_ROLES:
        return DomesticAbuseNotification.objects.filter(created_by__organisation=user.organisation)
    return DomesticAbuseNotification.objects.none()


def meetings_visible_to(user: User) -> QuerySet[TriageMeeting]:
    council = policy.council_of(user)
    if council is not None and user.role in FRONT_DOOR_ROLES:
        return TriageMeeting.objects.filter(council=council)
    return TriageMeeting.objects.none()


def _own(user: User, contact: Contact) -> bool:
    return user.pk in (contact.created_by_id, contact.referrer_user_id)


def _screens(user: User, contact: Any) -> bool:
    council = policy.council_of(user)
    return (
        contact is not None
        and user.role in FRONT_DOOR_ROLES
        and council is not None
        and contact.council_id == council.pk
        and contacts_visible_to(user).filter(pk=contact.pk).exists()
    )


def _can_create_contact(user: User, _: Any) -> bool:
    return user.role in REFERRING_ROLES and bool(councils_user_may_refer_to(user))


def _can_edit_contact(user: User, contact: Any) -> bool:
    return contact is not None and contact.status == ContactStatus.DRAFT and _own(user, contact)


def _can_view_letter(user: User, contact: Any) -> bool:
    return contact is not None and (_screens(user, contact) or _own(user, contact))


def _sees_screening(user: User, contact: Any) -> bool:
    """Council staff of the contact's council (front door, managers, early help) who may
    see it; a partner sees only what they referred and its outcome."""
    council = policy.council_of(user)
    return (
        contact is not None
        and council is not None
        and contact.council_id == council.pk
        and contacts_visible_to(user).filter(pk=contact.pk).exists()
    )


def _can_record_sharing_decision(user: User, contact: Any) -> bool:
    return _can_edit_contact(user, contact) or _screens(user, contact)


def _can_view_queue(user: User, _: Any) -> bool:
    return user.role in FRONT_DOOR_ROLES and policy.council_of(user) is not None


def _can_view_summary(user: User, _: Any) -> bool:
    return _can_view_queue(user, None) or user.role in AGGREGATE_ROLES


def _can_sign_off(user: User, contact: Any) -> bool:
    return user.role == Role.TEAM_MANAGER and _screens(user, contact)


def _can_create_notification(user: User, _: Any) -> bool:
    return (is_police(user) and user.role in REFERRING_ROLES) or _can_view_queue(user, None)


def _can_view_notifications(user: User, _: Any) -> bool:
    return _can_create_notification(user, None)


policy.register_scope(Contact, contacts_visible_to)
policy.register_scope(ContactDecision, decisions_visible_to)
policy.register_scope(DomesticAbuseNotification, notifications_visible_to)
policy.register_scope(TriageMeeting, meetings_visible_to)
policy.register_rule(FrontDoorAction.CREATE_CONTACT, _can_create_contact)
policy.register_rule(FrontDoorAction.EDIT_CONTACT, _can_edit_contact)
policy.register_rule(FrontDoorAction.SUBMIT_CONTACT, _can_edit_contact)
policy.register_rule(FrontDoorAction.SCREEN_CONTACT, _screens)
policy.register_rule(FrontDoorAction.DECIDE_CONTACT, _screens)
policy.register_rule(FrontDoorAction.SIGN_OFF_DECISION, _can_sign_off)
policy.register_rule(FrontDoorAction.VIEW_QUEUE, _can_view_queue)
policy.register_rule(FrontDoorAction.VIEW_SUMMARY, _can_view_summary)
policy.register_rule(FrontDoorAction.VIEW_LETTER, _can_view_letter)
policy.register_rule(FrontDoorAction.VIEW_SCREENING, _sees_screening)
policy.register_rule(FrontDoorAction.RECORD_SHARING_DECISION, _can_record_sharing_decision)
policy.register_rule(FrontDoorAction.CREATE_NOTIFICATION, _can_create_notification)
policy.register_rule(FrontDoorAction.TRIAGE, _can_view_queue)
policy.register_rule(FrontDoorAction.VIEW_NOTIFICATIONS, _can_view_notifications)
